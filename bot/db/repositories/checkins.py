"""Check-ins: how the session of each date went, field by field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from typing import cast as typed

from sqlalchemy import Table, bindparam, select

from bot.coach.model import (
    BodyArea,
    SessionKind,
)
from bot.db.id_lists import one_of
from bot.db.mappers import MORNING, NIGGLE_FLARE, NIGGLE_OK, NIGGLE_WORSE, TEST, checkin_of
from bot.db.models import (
    CheckinRow,
    Runner,
)
from bot.db.repositories.base import (
    NOTE_MAX,
    UNSET,
    Repository,
    Unset,
    aware,
    column_params,
    column_update,
)
from bot.db.repositories.upserts import Upsert
from bot.services.accounts import CHECKIN_STATUSES, CheckinRecord, CheckinStatus

# ---------------------------------------------------------------------------------------------
# check-ins

# Read as Core rows of the table (no ORM objects to load and track: the check-in questions and
# taps read them on every update), built once. Nothing here is ever left pending in a unit of
# work's session (every write is a statement executed at once), so no flush is needed first.
_CHECKINS, _RUNNERS = typed(Table, CheckinRow.__table__), typed(Table, Runner.__table__)
_BETWEEN = (
    select(_CHECKINS)
    .join(_RUNNERS, _RUNNERS.c.id == _CHECKINS.c.runner_id)
    .where(
        _RUNNERS.c.telegram_id == bindparam("telegram_id"),
        _CHECKINS.c.date >= bindparam("start"),
        _CHECKINS.c.date <= bindparam("end"),
    )
    .order_by(_CHECKINS.c.date)
)
_FOR_RUNNERS = select(_CHECKINS).where(
    one_of(_CHECKINS.c.runner_id, "runner_ids"),
    _CHECKINS.c.date >= bindparam("start"),
    _CHECKINS.c.date <= bindparam("end"),
)

# a status logged: its upsert compiled once per dialect (``bot.db.repositories.upserts``), the
# effort and soreness already given kept
_SET_STATUS = Upsert(
    _CHECKINS,
    ("runner_id", "date", "created_at", "session_kind", "status", "note", "updated_at"),
    keys=("runner_id", "date"),
    update=("session_kind", "status", "note", "updated_at"),
    returning=True,
)


class CheckinRepository(Repository):
    """One check-in per runner and date; logging the same date again updates it."""

    async def set_status(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        session_kind: SessionKind | str,
        status: CheckinStatus,
        note: str | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord:
        """Record the status of ``date``'s session, keeping any effort and soreness already given;
        ``runner_id``: the runner's internal id, when the caller read it in this unit of work."""
        if status not in CHECKIN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CHECKIN_STATUSES)}, not {status!r}")
        moment = aware(now)
        runner_id = runner_id if runner_id is not None else await self._runner_id(telegram_id)
        values: dict[str, Any] = {
            "session_kind": SessionKind(session_kind).value,
            "status": status,
            "note": note[:NOTE_MAX] if note is not None else None,
            "updated_at": moment,
        }
        row = {"runner_id": runner_id, "date": date, "created_at": moment, **values}
        # the row as written comes back with the write (RETURNING): no second query to read it
        written = await self._on_connection(lambda connection: _SET_STATUS.run(connection, [row]), flush=False)
        return checkin_of(written)

    async def set_details(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        rpe: int | Unset | None = UNSET,
        soreness: str | Unset | None = UNSET,
        pain_area: BodyArea | Unset | None = UNSET,
        niggle: tuple[BodyArea, bool] | None = None,
        morning: tuple[BodyArea, bool] | None = None,
        test: tuple[str, int] | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord | None:
        """Add effort, soreness or a painful area to an existing check-in, one field at a time
        (``runner_id``: as in :meth:`set_status`).

        Returns None when ``date`` has no check-in yet (effort follows a status, never alone).
        """
        values: dict[str, Any] = {"updated_at": aware(now)}
        if not isinstance(rpe, Unset):
            if rpe is not None and not 1 <= rpe <= 10:
                raise ValueError(f"rpe must be 1 to 10, not {rpe}")
            values["rpe"] = rpe
        if not isinstance(soreness, Unset):
            values["soreness"] = soreness
        if not isinstance(pain_area, Unset):
            values["pain_area"] = BodyArea(pain_area).value if pain_area is not None else None
        runner_id = runner_id if runner_id is not None else await self._runner_id(telegram_id)
        answers: dict[str, str] = {}  # one area's answer added to the others already given
        if niggle is not None:
            answers[BodyArea(niggle[0]).value] = NIGGLE_OK if niggle[1] else NIGGLE_FLARE
        if morning is not None:
            answers[MORNING + BodyArea(morning[0]).value] = NIGGLE_OK if morning[1] else NIGGLE_WORSE
        if test is not None:
            answers[TEST + test[0]] = str(int(test[1]))
        if answers:
            current = await self._session.scalar(
                select(CheckinRow.niggles).where(CheckinRow.runner_id == runner_id, CheckinRow.date == date)
            )
            kept = {k: v for k, v in (current or {}).items() if not (test is not None and k.startswith(TEST))}
            values["niggles"] = {**kept, **answers}
        # the row as changed comes back with the change (RETURNING): no second query to read it
        change = column_update(_CHECKINS, ("runner_id", "date"), tuple(values), returning=True)
        params = column_params(values, runner_id=runner_id, date=date)
        row = await self._on_connection(lambda connection: connection.execute(change, params).first(), flush=False)
        return checkin_of(row) if row is not None else None

    async def for_runners(
        self, runner_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[tuple[int, dt.date], CheckinRecord]:
        """Check-ins of many runners (by internal id) dated ``start`` to ``end``, in one query."""
        if not runner_ids:
            return {}
        rows = await self._session.execute(
            _FOR_RUNNERS, {"runner_ids": sorted(set(runner_ids)), "start": start, "end": end}
        )
        return {(row.runner_id, row.date): checkin_of(row) for row in rows}

    async def get(self, telegram_id: int, date: dt.date) -> CheckinRecord | None:
        row = (await self._session.execute(_BETWEEN, {"telegram_id": telegram_id, "start": date, "end": date})).first()
        return checkin_of(row) if row is not None else None

    async def between(self, telegram_id: int, start: dt.date, end: dt.date) -> list[CheckinRecord]:
        """Check-ins dated ``start`` to ``end``, both included, oldest first."""
        rows = await self._session.execute(_BETWEEN, {"telegram_id": telegram_id, "start": start, "end": end})
        return [checkin_of(row) for row in rows]
