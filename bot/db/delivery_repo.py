"""The record of what the coach sent (``work.deliveries``): one row per runner, local date and kind.

The dispatcher writes a row before each send, as an attempt ('sending'), and confirms it after
('sent', with Telegram's message id); see :class:`bot.db.models.DeliveryRow` and
:mod:`bot.services.dispatch`. Statements work on whole groups of rows. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, select, update

from bot.db.driver_rows import DriverValues, marks
from bot.db.engine import insert_for
from bot.db.id_lists import one_of
from bot.db.models import DeliveryRow, DispatchLagRow, Runner
from bot.db.repositories.base import Repository
from bot.services.records import Attempt, Delivered, DeliveryRecord, DeliveryState, SweepLag
from bot.services.schedule import DueKind

__all__ = ["DeliveryRepository"]

DELIVERIES = cast(Table, DeliveryRow.__table__)
RUNNERS = cast(Table, Runner.__table__)
LAGS = cast(Table, DispatchLagRow.__table__)
Key = tuple[int, dt.date, DueKind]


class DeliveryRepository(Repository):
    """What the coach sent: one row per runner, local date and kind, with the Telegram message id."""

    async def record(self, rows: Sequence[DeliveryRecord]) -> None:
        """Insert many deliveries in one statement; one already recorded is left as it was."""
        if not rows:
            return
        values = [
            {"runner_id": r.runner_id, "date": r.date, "kind": r.kind, "sent_at": r.sent_at, "message_id": r.message_id}
            for r in rows
        ]
        await self._session.execute(_record_insert(self._dialect), values)

    async def sent(self, keys: Iterable[Key]) -> set[Key]:
        """Which of these (runner id, local date, kind) were already delivered (or attempted)."""
        return set(await self.states(keys))

    async def states(self, keys: Iterable[Key]) -> dict[Key, Delivered]:
        """What is stored of these (runner id, local date, kind); those never attempted are absent."""
        wanted = set(keys)
        if not wanted:
            return {}
        ids = sorted({runner_id for runner_id, _, _ in wanted})
        dates = [date for _, date, _ in wanted]
        rows = await self._session.execute(_STATES, {"b_ids": ids, "b_first": min(dates), "b_last": max(dates)})
        return {
            (r, d, DueKind(k)): Delivered(DeliveryState(state), attempts)
            for r, d, k, state, attempts in rows
            if (r, d, k) in wanted
        }

    async def attempt(self, attempts: Sequence[Attempt]) -> set[Key]:
        """Store sends about to be made ('sending'); the keys stored.

        A first send is inserted unless the row exists; a re-send moves ``attempts`` on only from
        the count it was decided on. Either way one statement decides, so of two dispatchers
        making the same attempt only one stores it. A runner deleted meanwhile fails the
        statement with the foreign key (the caller retries the rows one by one).
        """
        stored: set[Key] = set()
        first = [a for a in attempts if a.before == 0]
        if first:
            connection = await self._session.connection()
            as_stored = DriverValues(connection.dialect)
            for start in range(0, len(first), _MOST_ROWS):
                # each row as the driver stores it, and the attempt's key by what RETURNING gives back
                rows = {
                    (a.runner_id, as_stored.date(a.date), str(a.kind)): (a.key, as_stored.instant(a.at))
                    for a in first[start : start + _MOST_ROWS]
                }
                sql = _attempts_sql(connection.dialect.paramstyle, len(rows))
                params = tuple(itertools.chain.from_iterable((*row, at) for row, (_, at) in rows.items()))
                stored.update(rows[tuple(row)][0] for row in await connection.exec_driver_sql(sql, params))
        for a in attempts:
            if a.before > 0:
                again = (
                    update(DELIVERIES)
                    .where(_is(a.key), DELIVERIES.c.state == "sending", DELIVERIES.c.attempts == a.before)
                    .values(attempts=a.before + 1, sent_at=a.at)
                    .returning(*_KEY_COLUMNS)
                )
                stored.update(_key(row) for row in await self._session.execute(again))
        return stored

    async def confirm(self, rows: Sequence[DeliveryRecord]) -> None:
        """Telegram accepted these: store the message ids, state 'sent'."""
        if rows:
            connection = await self._session.connection()
            as_stored = DriverValues(connection.dialect)
            await connection.exec_driver_sql(
                _confirm_sql(connection.dialect.paramstyle),
                [
                    (r.message_id, as_stored.instant(r.sent_at), r.runner_id, as_stored.date(r.date), str(r.kind))
                    for r in rows
                ],
            )

    async def withdraw(self, keys: Sequence[Key]) -> None:
        """These attempts were refused (never sent): one send fewer may have arrived; none left, no row."""
        for key in keys:
            pending = and_(_is(key), DELIVERIES.c.state == "sending")
            await self._session.execute(update(DELIVERIES).where(pending).values(attempts=DELIVERIES.c.attempts - 1))
            await self._session.execute(delete(DELIVERIES).where(pending, DELIVERIES.c.attempts < 1))

    async def give_up(self, keys: Sequence[Key]) -> None:
        """Never confirmed after the re-send: state 'unsure', nothing more is sent."""
        for key in keys:
            await self._session.execute(
                update(DELIVERIES).where(_is(key), DELIVERIES.c.state == "sending").values(state="unsure")
            )

    async def reopen(self, key: Key) -> None:
        """Forget a one-off delivered (or given up) for that date, so a new promise of the same kind
        and date can be kept; one still being sent is left alone."""
        await self._session.execute(delete(DELIVERIES).where(_is(key), DELIVERIES.c.state != "sending"))

    async def counts_since(self, since: dt.datetime) -> dict[str, int]:
        """How many messages of each kind were sent (confirmed) from ``since`` on (all runners)."""
        rows = await self._session.execute(
            select(DELIVERIES.c.kind, func.count())
            .where(DELIVERIES.c.sent_at >= since.astimezone(dt.UTC), DELIVERIES.c.state == "sent")
            .group_by(DELIVERIES.c.kind)
        )
        return {kind: count for kind, count in rows.all()}

    async def last_dates(self, runner_id: int) -> dict[DueKind, dt.date]:
        """The latest local date each kind was delivered to the runner."""
        rows = await self._session.execute(
            select(DELIVERIES.c.kind, func.max(DELIVERIES.c.date))
            .where(DELIVERIES.c.runner_id == runner_id)
            .group_by(DELIVERIES.c.kind)
        )
        return {DueKind(kind): date for kind, date in rows}

    async def get(self, telegram_id: int, date: dt.date, kind: DueKind) -> DeliveryRecord | None:
        """The delivery of one kind for one of the runner's dates (its message id, to edit it)."""
        row = (
            await self._session.execute(
                _OF_RUNNER.where(
                    RUNNERS.c.telegram_id == telegram_id, DELIVERIES.c.date == date, DELIVERIES.c.kind == kind
                )
            )
        ).first()
        return _delivery(row) if row is not None else None

    async def of_runner(self, telegram_id: int) -> list[DeliveryRecord]:
        """Everything sent to the runner, oldest first."""
        rows = await self._session.execute(
            _OF_RUNNER.where(RUNNERS.c.telegram_id == telegram_id).order_by(DELIVERIES.c.sent_at, DELIVERIES.c.id)
        )
        return [_delivery(row) for row in rows]

    async def record_lag(self, lag: SweepLag, forget_before: dt.datetime) -> None:
        """Store how late a batch went out; forget what was stored before ``forget_before``."""
        await self._session.execute(_FORGET_LAGS, {"b_before": forget_before})
        await self._session.execute(_ADD_LAG, {"at": lag.at, "sent": lag.sent, "p50_s": lag.p50_s, "max_s": lag.max_s})

    async def latest_lag(self) -> SweepLag | None:
        """How late the latest batch went out (the newest stored)."""
        row = (
            await self._session.execute(
                select(LAGS.c.at, LAGS.c.sent, LAGS.c.p50_s, LAGS.c.max_s).order_by(LAGS.c.at.desc(), LAGS.c.id.desc())
            )
        ).first()
        return None if row is None else SweepLag(row.at, row.sent, row.p50_s, row.max_s)


def _delivery(row: Any) -> DeliveryRecord:
    """A delivery row as a record; the stored kind is the enum's value."""
    runner_id, date, kind, sent_at, message_id = row
    return DeliveryRecord(runner_id, date, DueKind(kind), sent_at, message_id)


# a runner's deliveries as DeliveryRecord fields, found by the runner's Telegram id
_OF_RUNNER = select(
    DELIVERIES.c.runner_id,
    DELIVERIES.c.date,
    DELIVERIES.c.kind,
    DELIVERIES.c.sent_at,
    DELIVERIES.c.message_id,
).join(RUNNERS, RUNNERS.c.id == DELIVERIES.c.runner_id)


# ``record_lag``'s, built once: a dispatcher stores a lag a batch (AwareDateTime stores the instants in UTC)
_FORGET_LAGS = delete(LAGS).where(LAGS.c.at < bindparam("b_before"))
_ADD_LAG = LAGS.insert()

_KEY = ["runner_id", "date", "kind"]
_KEY_COLUMNS = (DELIVERIES.c.runner_id, DELIVERIES.c.date, DELIVERIES.c.kind)

# ``states``, built once: a dispatcher's claim reads a batch's 500 (no literals to coerce each time)
_STATES = select(
    DELIVERIES.c.runner_id, DELIVERIES.c.date, DELIVERIES.c.kind, DELIVERIES.c.state, DELIVERIES.c.attempts
).where(
    one_of(DELIVERIES.c.runner_id, "b_ids"),
    DELIVERIES.c.date >= bindparam("b_first"),
    DELIVERIES.c.date <= bindparam("b_last"),
)

# The recorder's two statements of every message (its attempt, its confirmation) go to the driver
# as SQL text with positional values: SQLAlchemy's compiling and converting of each row's values
# was most of their cost (on SQLite 25 and 20 us a row, now 10.5 and 9.4). The values are
# converted as SQLAlchemy would (the columns' own bind processors: the stored text is the same
# byte for byte), once per distinct value: a fan-out's rows share their date and instant.
_MOST_ROWS = 1000  # attempts in one INSERT (4 values each: well inside both databases' bound on parameters)


@functools.lru_cache(maxsize=256)
def _attempts_sql(paramstyle: str, rows: int) -> str:
    """Attempts stored unless the row exists (``attempt``): each row is runner id, date, kind, sent at."""
    mark = marks(paramstyle)
    values = ", ".join(f"({next(mark)}, {next(mark)}, {next(mark)}, {next(mark)}, 'sending', 1)" for _ in range(rows))
    return (
        f"INSERT INTO deliveries (runner_id, date, kind, sent_at, state, attempts) VALUES {values} "
        "ON CONFLICT (runner_id, date, kind) DO NOTHING RETURNING runner_id, date, kind"
    )


@functools.cache
def _confirm_sql(paramstyle: str) -> str:
    """A confirmation (``confirm``): message id and sent at, then the key (runner id, date, kind)."""
    mark = marks(paramstyle)
    return (
        f"UPDATE deliveries SET state = 'sent', message_id = {next(mark)}, sent_at = {next(mark)} "
        f"WHERE runner_id = {next(mark)} AND date = {next(mark)} AND kind = {next(mark)}"
    )


@functools.cache
def _record_insert(dialect: str) -> Any:
    """A delivery stored unless one is already (``record``)."""
    return insert_for(dialect)(DELIVERIES).on_conflict_do_nothing(index_elements=_KEY)


def _key(row: Any) -> Key:
    return (row[0], row[1], DueKind(row[2]))


def _is(key: Key) -> Any:
    runner_id, date, kind = key
    return and_(DELIVERIES.c.runner_id == runner_id, DELIVERIES.c.date == date, DELIVERIES.c.kind == kind)
