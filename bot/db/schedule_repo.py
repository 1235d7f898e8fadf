"""Repositories of the scheduler: the due messages (with their claims) and the deliveries
(:mod:`bot.db.delivery_repo`).

``work.due`` keeps one row per runner and kind with the next UTC due time; the dispatcher claims
due rows with a short lease so several workers share a sweep. ``work.deliveries`` is the record
of what was sent, one row per runner, local date and kind. Statements here work on whole
batches (one statement for many rows), because a sweep at a busy minute touches thousands.
Nothing here commits: the unit of work does.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Table,
    bindparam,
    delete,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.engine import Dialect

from bot.db.delivery_repo import DeliveryRepository
from bot.db.driver_rows import DriverValues, marks, memoised, raw, result_processor, same
from bot.db.engine import database_now_sql
from bot.db.id_lists import one_of
from bot.db.models import DeliveryRow, DueMessageRow, PlanDayRow, Runner
from bot.db.repositories.base import Repository
from bot.db.repositories.upserts import Upsert
from bot.db.sqlite_trips import owe_begin
from bot.services.records import Advance, DeliveryRecord, DueRecord, ScheduleSettings
from bot.services.schedule import DueKind

__all__ = [
    "Advance",
    "DeliveryRecord",
    "DeliveryRepository",
    "DueRecord",
    "DueRepository",
    "ScheduleSettings",
]

DUE = cast(Table, DueMessageRow.__table__)
RUNNERS = cast(Table, Runner.__table__)
DELIVERIES = cast(Table, DeliveryRow.__table__)
# a due row set, its upsert compiled once per dialect (``bot.db.repositories.upserts``): every
# reschedule (a settings change, a pause) and one-off sets one
_PUT = Upsert(
    DUE,
    ("runner_id", "kind", "due_at", "local_date", "detail"),
    keys=("runner_id", "kind"),
    update=("due_at", "local_date", "detail"),
)


_SETTINGS_COLUMNS = (
    RUNNERS.c.id,
    RUNNERS.c.telegram_id,
    RUNNERS.c.chat_id,
    RUNNERS.c.timezone,
    RUNNERS.c.reminder_time,
    RUNNERS.c.active,
    RUNNERS.c.onboarded_at.is_not(None),
    RUNNERS.c.paused_from,
    RUNNERS.c.paused_until,
)


def _settings_of(row: Any) -> ScheduleSettings:
    return ScheduleSettings(
        runner_id=row[0],
        telegram_id=row[1],
        chat_id=row[2],
        timezone=row[3],
        reminder_time=row[4],
        active=bool(row[5]),
        onboarded=bool(row[6]),
        paused_from=row[7],
        paused_until=row[8],
    )


class DueRepository(Repository):
    """The next message of each kind every runner is owed, and the dispatcher's claims on them."""

    async def begin_write(self, *, with_next: bool = False) -> None:
        """Start this transaction as a writer: on SQLite ``BEGIN IMMEDIATE`` takes the write lock now.

        Call it first in the transaction. A SQLite transaction that reads and then writes could
        otherwise fail with "database is locked" when another process wrote in between (the
        busy timeout does not help then). On PostgreSQL each statement of the transaction is
        planned for its own parameters: ``deliveries`` grows from nothing during a fan-out, and a
        generic plan asyncpg's statement cache kept from when it was empty scans it whole (the
        dispatcher's busy minute ran twice as long).

        ``with_next``: for a writer whose next step is a statement (the dispatcher's), SQLite's
        ``BEGIN IMMEDIATE`` goes in that statement's trip to the driver, not one of its own: the
        lock is taken just before that statement runs, still before the transaction's first read.
        """
        connection = await self._session.connection()
        if self._dialect == "sqlite":
            # with ``with_next``, owed to the next statement's trip when the driver takes it
            # (``bot.db.sqlite_trips``): a trip saved for writers whose next step is a statement
            sync = connection.sync_connection
            if not with_next or sync is None or not owe_begin(sync.connection.dbapi_connection):
                await connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif self._dialect == "postgresql":
            await connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")

    # --- one runner ---------------------------------------------------------------------------

    async def settings(self, telegram_id: int) -> ScheduleSettings | None:
        row = (
            await self._session.execute(select(*_SETTINGS_COLUMNS).where(RUNNERS.c.telegram_id == telegram_id))
        ).first()
        return _settings_of(row) if row is not None else None

    async def of_runner(self, runner_id: int) -> dict[DueKind, DueRecord]:
        """The runner's due rows by kind."""
        rows = await self._session.execute(_OF_RUNNER, {"runner_id": runner_id})
        return {DueKind(row.kind): _due(row) for row in rows}

    async def with_sent(self, runner_id: int) -> tuple[dict[DueKind, DueRecord], dict[DueKind, dt.date]]:
        """The runner's due rows by kind, and the latest local date each kind was delivered to them
        (``of_runner`` and ``deliveries.last_dates`` in one statement: what a reschedule reads)."""
        due: dict[DueKind, DueRecord] = {}
        sent: dict[DueKind, dt.date] = {}
        for part, kind, due_at, local_date, detail in await self._session.execute(_WITH_SENT, {"runner_id": runner_id}):
            if part == 0:
                due[DueKind(kind)] = DueRecord(runner_id, DueKind(kind), due_at, local_date, detail)
            else:
                sent[DueKind(kind)] = local_date
        return due, sent

    async def put(
        self, runner_id: int, kind: DueKind, due_at: dt.datetime, local_date: dt.date, detail: str | None = None
    ) -> None:
        """Set the next message of a kind; a claim a dispatcher holds on the row is kept."""
        row = {"runner_id": runner_id, "kind": kind, "due_at": due_at, "local_date": local_date, "detail": detail}
        await self._on_connection(lambda connection: _PUT.run(connection, [row]))

    async def remove(
        self, runner_id: int, kinds: Iterable[DueKind] | None = None, local_date: dt.date | None = None
    ) -> None:
        """Delete the runner's rows of these kinds (all of them when ``kinds`` is None); with
        ``local_date``, only a row for that date."""
        if kinds is not None and local_date is not None:
            params = {"runner_id": runner_id, "kinds": list(kinds), "local_date": local_date}
            await self._session.execute(_REMOVE_DATED, params)
            return
        stmt = delete(DUE).where(DUE.c.runner_id == runner_id)
        if kinds is not None:
            stmt = stmt.where(DUE.c.kind.in_(list(kinds)))
        if local_date is not None:
            stmt = stmt.where(DUE.c.local_date == local_date)
        await self._session.execute(stmt)

    # --- the dispatcher -----------------------------------------------------------------------

    async def any_due(self, now: dt.datetime) -> bool:
        """Whether a row is due at ``now`` and free to claim (a cheap read, no lock taken)."""
        found = await self._session.scalar(_any_due(self._dialect), {"b_now": now})
        return found is not None

    async def earliest_after(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest due time later than ``after`` (None when nothing is due after it)."""
        stmt = select(DUE.c.due_at).where(DUE.c.due_at > after).order_by(DUE.c.due_at).limit(1)
        value: dt.datetime | None = await self._session.scalar(stmt)
        return value

    async def claim(self, now: dt.datetime, token: str, lease: dt.timedelta, limit: int) -> list[DueRecord]:
        """Claim up to ``limit`` rows due at ``now`` whose lease is free or over, earliest first.

        What is due is decided by ``now`` (the application's clock, a fake one in tests); the lease
        runs for ``lease`` on the database's clock, so dispatchers whose clocks disagree still see
        each other's claims. On PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``, so
        concurrent claimers get disjoint sets; on SQLite call :meth:`begin_write` first.
        """
        stmt = _claim(self._dialect, lease.total_seconds())
        rows = await self._session.execute(stmt, {"b_now": now, "b_token": token, "b_limit": limit})
        # the due time and date come back as the driver gives them and are converted once per
        # distinct value: a busy minute's rows all share both (and a handful of kinds)
        connection = await self._session.connection()
        kind_of, instant, date = _returned(connection.dialect)
        return [
            DueRecord(runner_id, kind_of(kind), instant(due_at), date(local_date), detail)
            for runner_id, kind, due_at, local_date, detail in rows
        ]

    async def extend(self, token: str, lease: dt.timedelta) -> None:
        """Keep a claim alive for ``lease`` from now, on the database's clock."""
        await self._session.execute(
            update(DUE).where(DUE.c.claimed_by == token).values(lease_until=self._database_now(lease))
        )

    def _database_now(self, plus: dt.timedelta = dt.timedelta(0)) -> Any:
        """The database's clock (plus ``plus``) as SQL (:func:`bot.db.engine.database_now_sql`)."""
        return literal_column(database_now_sql(self._dialect, plus))

    async def settings_of(self, runner_ids: Iterable[int]) -> dict[int, ScheduleSettings]:
        ids = sorted(set(runner_ids))
        if not ids:
            return {}
        rows = await self._session.execute(_SETTINGS_OF, {"b_ids": ids})
        return {row[0]: _settings_of(row) for row in rows}

    async def advance(self, token: str, moves: Sequence[Advance]) -> None:
        """Move claimed rows on (or delete one-offs), only where the claim and the row are unchanged.

        A row rescheduled or re-set while it was claimed keeps its new values; clearing the claims
        (:meth:`release_all`) then frees it. Rows moving alike (a fan-out: the same kind, from the
        same date and time to the same next ones) go in one statement.
        """
        groups: dict[tuple[DueKind, dt.date, dt.datetime, dt.date | None, dt.datetime | None], list[int]] = {}
        for m in moves:
            groups.setdefault((m.kind, m.claimed_date, m.claimed_due, m.date, m.due), []).append(m.runner_id)
        if not groups:
            return
        connection = await self._session.connection()
        dialect = connection.dialect
        as_stored = DriverValues(dialect)
        for (kind, claimed_date, claimed_due, date, due), runner_ids in groups.items():
            same = (token, str(kind), as_stored.date(claimed_date), as_stored.instant(claimed_due))
            to = () if date is None or due is None else (as_stored.date(date), as_stored.instant(due))
            for chunk in _chunks(runner_ids):
                sql = _advance_sql(dialect.name, dialect.paramstyle, len(chunk), drop=not to)
                await connection.exec_driver_sql(sql, (*to, *same, *chunk))

    async def postpone(self, token: str, rows: Sequence[tuple[int, DueKind, dt.datetime]]) -> None:
        """Give claimed rows a later due time (the end of quiet hours) and free them."""
        if rows:
            await self._session.execute(
                update(DUE)
                .where(
                    DUE.c.runner_id == bindparam("b_runner"),
                    DUE.c.kind == bindparam("b_kind"),
                    DUE.c.claimed_by == bindparam("b_token"),
                )
                .values(due_at=bindparam("b_due"), claimed_by=None, lease_until=None),
                [{"b_runner": r, "b_kind": k, "b_token": token, "b_due": due} for r, k, due in rows],
            )

    async def release(self, token: str, keys: Sequence[tuple[int, DueKind]], failed_at: dt.datetime) -> None:
        """Free claimed rows unchanged, not to be claimed again by a sweep at ``failed_at`` (the next one may)."""
        if keys:
            await self._session.execute(
                update(DUE)
                .where(
                    DUE.c.runner_id == bindparam("b_runner"),
                    DUE.c.kind == bindparam("b_kind"),
                    DUE.c.claimed_by == bindparam("b_token"),
                )
                .values(claimed_by=None, lease_until=None, failed_at=failed_at),
                [{"b_runner": r, "b_kind": k, "b_token": token} for r, k in keys],
            )

    async def release_all(self, token: str, runner_ids: Iterable[int]) -> None:
        """Clear every claim still held under ``token`` on these runners' rows."""
        ids = sorted(set(runner_ids))
        if not ids:
            return
        connection = await self._session.connection()
        for chunk in _chunks(ids):
            sql = _release_all_sql(connection.dialect.paramstyle, len(chunk))
            await connection.exec_driver_sql(sql, (token, *chunk))

    async def stop_runners(self, runner_ids: Iterable[int], now: dt.datetime) -> None:
        """The runners blocked the bot: mark them inactive and delete all their due rows."""
        ids = sorted(set(runner_ids))
        if ids:
            await self._session.execute(
                update(RUNNERS).where(RUNNERS.c.id.in_(ids)).values(active=False, updated_at=now)
            )
            await self._session.execute(delete(DUE).where(DUE.c.runner_id.in_(ids)))

    async def remove_runners(self, runner_ids: Iterable[int]) -> None:
        ids = sorted(set(runner_ids))
        if ids:
            await self._session.execute(delete(DUE).where(DUE.c.runner_id.in_(ids)))

    # --- for composers ------------------------------------------------------------------------

    async def planned_days(self, keys: Iterable[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], dict[str, Any]]:
        """The stored plan payloads of many (runner id, date) pairs in one query; missing ones absent."""
        wanted = set(keys)
        if not wanted:
            return {}
        ids = sorted({runner_id for runner_id, _ in wanted})
        dates = [date for _, date in wanted]
        rows = await self._session.execute(
            select(PlanDayRow.runner_id, PlanDayRow.date, PlanDayRow.payload).where(
                PlanDayRow.runner_id.in_(ids), PlanDayRow.date >= min(dates), PlanDayRow.date <= max(dates)
            )
        )
        return {(r, d): payload for r, d, payload in rows if (r, d) in wanted}


# ``advance`` and ``release_all`` go to the driver as SQL text with positional values, as the
# recorder's attempts and confirmations do (``bot.db.delivery_repo``): a fan-out runs them once
# per recorder group and per batch, and SQLAlchemy rendered a placeholder and converted a value
# per runner id on every execution. The rows are found by their primary key (runner ids and kind),
# never by the due time they share: SQLite has no statistics unless ANALYZE ran, and then guesses
# that an equality on any index finds about ten rows, so it would pick the ``due_at`` index, which
# at a busy minute holds every row waiting to move on (8 ms a statement with 100,000 runners, 1.7
# ms with 20,000). The due time is still compared (a row rescheduled while claimed keeps its new
# values), as ``+due_at`` on SQLite: the unary plus keeps the term out of the index choice (the
# SQLite documentation's own way) and compares the same, the stored and the bound values both
# text. PostgreSQL, which has statistics, gets the plain column.
# ``tests/integration/test_dispatch_plans.py`` reads SQLite's plans of these statements.


@functools.lru_cache(maxsize=256)
def _advance_sql(dialect: str, paramstyle: str, ids: int, *, drop: bool) -> str:
    """Rows moved on (local date and due time, then the claim's token, kind, date and due time,
    then the runner ids) or, with ``drop``, deleted (the same without the first two)."""
    mark = marks(paramstyle)
    head = (
        "DELETE FROM due_messages"
        if drop
        else f"UPDATE due_messages SET local_date = {next(mark)}, due_at = {next(mark)}, "
        "claimed_by = NULL, lease_until = NULL, failed_at = NULL"
    )
    due_at = "+due_at" if dialect == "sqlite" else "due_at"
    return (
        f"{head} WHERE claimed_by = {next(mark)} AND kind = {next(mark)} AND local_date = {next(mark)} "
        f"AND {due_at} = {next(mark)} AND runner_id IN ({', '.join(next(mark) for _ in range(ids))})"
    )


@functools.lru_cache(maxsize=256)
def _release_all_sql(paramstyle: str, ids: int) -> str:
    """Claims cleared: the token, then the runner ids."""
    mark = marks(paramstyle)
    return (
        f"UPDATE due_messages SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = {next(mark)} "
        f"AND runner_id IN ({', '.join(next(mark) for _ in range(ids))})"
    )


# one runner's rows, and with them the latest date each kind was delivered (a reschedule's read),
# built once: the part (0 a due row, 1 a delivered kind) first, the delivered date in the date's column
_OF_RUNNER = select(DUE.c.runner_id, DUE.c.kind, DUE.c.due_at, DUE.c.local_date, DUE.c.detail).where(
    DUE.c.runner_id == bindparam("runner_id")
)
# a one-off cancelled for its date (a check-in's "Later" kept no more), built once
_REMOVE_DATED = delete(DUE).where(
    DUE.c.runner_id == bindparam("runner_id"),
    DUE.c.kind.in_(bindparam("kinds", expanding=True)),
    DUE.c.local_date == bindparam("local_date"),
)
_WITH_SENT = union_all(
    select(literal_column("0").label("part"), DUE.c.kind, DUE.c.due_at, DUE.c.local_date, DUE.c.detail).where(
        DUE.c.runner_id == bindparam("runner_id")
    ),
    select(
        literal_column("1"),
        DELIVERIES.c.kind,
        cast_(null(), DUE.c.due_at.type),
        func.max(DELIVERIES.c.date),
        cast_(null(), DUE.c.detail.type),
    )
    .where(DELIVERIES.c.runner_id == bindparam("runner_id"))
    .group_by(DELIVERIES.c.kind),
)

# a batch's statements, built once (no 500 literals to coerce and key for the cache each time)
_SETTINGS_OF = select(*_SETTINGS_COLUMNS).where(one_of(RUNNERS.c.id, "b_ids"))


# ``any_due`` and ``claim``, built once per dialect (and lease): every sweep runs them, the idle tick too
def _claimable(dialect: str) -> tuple[Any, ...]:
    # due and not failed by the app's clock (a sweep frees what failed with failed_at=now, so
    # the same sweep does not retry it in a loop and the next one, later, does); free by the
    # database's
    now = bindparam("b_now", type_=DUE.c.due_at.type)
    return (
        DUE.c.due_at <= now,
        or_(DUE.c.failed_at.is_(None), DUE.c.failed_at < now),
        or_(DUE.c.lease_until.is_(None), DUE.c.lease_until < literal_column(database_now_sql(dialect))),
    )


@functools.lru_cache(maxsize=4)
def _any_due(dialect: str) -> Any:
    # ORDER BY makes the due_at index the plan even with statistics from a busy minute
    return select(DUE.c.runner_id).where(*_claimable(dialect)).order_by(DUE.c.due_at).limit(1)


@functools.lru_cache(maxsize=16)
def _claim(dialect: str, lease_seconds: float) -> Any:
    pick = select(DUE.c.runner_id, DUE.c.kind).where(*_claimable(dialect)).order_by(DUE.c.due_at)
    pick = pick.limit(bindparam("b_limit", type_=Integer()))
    if dialect == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    lease: Any = literal_column(database_now_sql(dialect, dt.timedelta(seconds=lease_seconds)))
    return (
        update(DUE)
        .where(tuple_(DUE.c.runner_id, DUE.c.kind).in_(pick))
        .values(claimed_by=bindparam("b_token", type_=DUE.c.claimed_by.type), lease_until=lease)
        # the due time and date as the driver reads them (no per-row conversion): ``_returned``
        .returning(DUE.c.runner_id, DUE.c.kind, raw(DUE.c.due_at), raw(DUE.c.local_date), DUE.c.detail)
    )


def _returned(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]:
    """The claim's kind, due time and date converted from the driver's values as the columns' own
    types convert them, each distinct value once (fresh for each claim)."""
    instant, date = _result_processors(dialect)
    return memoised(DueKind), memoised(instant), memoised(date)


def _due(row: Any) -> DueRecord:
    """A due row as a record; the stored kind is the enum's value."""
    runner_id, kind, due_at, local_date, detail = row
    return DueRecord(runner_id, DueKind(kind), due_at, local_date, detail)


@functools.lru_cache(maxsize=8)
def _result_processors(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """The due time's and date's result processors for a dialect (identity where there is none)."""

    def processor(column: Any) -> Callable[[Any], Any]:
        convert = result_processor(column, dialect)
        return convert if convert is not None else same

    return processor(DUE.c.due_at), processor(DUE.c.local_date)


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
