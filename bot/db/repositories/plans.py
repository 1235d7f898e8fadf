"""What was prescribed: the stored plan of each date, the record the daily loop reads."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from typing import cast as typed

from sqlalchemy import Connection, Row, Table, Text, bindparam, cast, null, select

from bot.clock import Clock
from bot.coach.model import (
    DayPlan,
    WeekPlan,
)
from bot.db.codec import WEEK_LENGTH, day_from_json, day_from_text, day_to_json, week_from_json, week_header_to_json
from bot.db.id_lists import one_of
from bot.db.mappers import checkin_of
from bot.db.models import (
    CheckinRow,
    PlanDayRow,
    PlanRow,
    Runner,
)
from bot.db.repositories.base import (
    Prefixed,
    Repository,
    Unit,
    aware,
    run_compiled,
)
from bot.db.repositories.upserts import Upsert
from bot.services.accounts import CheckinRecord
from bot.services.ready_prompts import (
    PromptDrawer,
    ReadyPrompt,
    StoredDay,
    ready_from_json,
    ready_json,
    stored_prompt,
)

PLAN_DAYS = typed(Table, PlanDayRow.__table__)

# ---------------------------------------------------------------------------------------------
# plans


class PlanRepository(Repository):
    """What was prescribed: one row per runner and date, plus the week's note and target.

    The stored plan is the record: prompts, check-ins, ``/today`` and the weekly review read it.
    Writing a week again only replaces the dates from ``from_date`` on, so a date already past
    keeps what was prescribed on it. With a ``drawer``, each day is stored with its prompt ready to
    send (:mod:`bot.services.ready_prompts`); without one, with none, so no older prompt outlives it.
    """

    def __init__(self, unit: Unit, clock: Clock, drawer: PromptDrawer | None = None) -> None:
        super().__init__(unit, clock)
        self._drawer = drawer

    async def save_week(
        self, telegram_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        runner_id = await self._runner_id(telegram_id)
        await self.save_week_for(runner_id, week, now, from_date=from_date)

    async def save_week_for(
        self, runner_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        """``save_week`` by the internal runner id (for services that already hold it)."""
        moment = aware(now)
        header = {
            "runner_id": runner_id,
            "week_start": week.start,
            "phase": week.phase.value,
            "payload": week_header_to_json(week),
            "created_at": moment,
        }
        days = [
            {
                "runner_id": runner_id,
                "date": day.date,
                "week_start": week.start,
                "phase": day.phase.value,
                "session_kind": day.session.kind.value,
                "payload": day_to_json(day),
                "planned_at": moment,
                "prompt": ready_json(self._drawer, day) if self._drawer is not None else None,
            }
            for day in week.days
            if from_date is None or day.date >= from_date
        ]
        await self._on_connection(functools.partial(_save_week_on, header=header, days=days))

    async def week(self, telegram_id: int, week_start: dt.date) -> WeekPlan | None:
        """The stored week starting ``week_start``, or None unless all seven days are stored."""
        runner_id = await self._runner_id(telegram_id)
        return (await self.weeks_for([(runner_id, week_start)])).get((runner_id, week_start))

    async def weeks_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], WeekPlan]:
        """Stored weeks for many (runner id, week start) pairs in two queries; incomplete ones left out."""
        if not keys:
            return {}
        runner_ids = sorted({runner_id for runner_id, _ in keys})
        starts = sorted({start for _, start in keys})
        wanted = set(keys)
        params = {"runner_ids": runner_ids, "starts": starts}
        headers = await self._session.execute(_WEEK_HEADERS, params)
        days: dict[tuple[int, dt.date], list[DayPlan]] = {}
        rows = await self._session.execute(_WEEK_DAYS, params)
        for runner_id, start, payload in rows.all():
            if (runner_id, start) in wanted:
                days.setdefault((runner_id, start), []).append(day_from_json(payload))
        found: dict[tuple[int, dt.date], WeekPlan] = {}
        for runner_id, start, payload in headers.all():
            week_days = days.get((runner_id, start), [])
            if (runner_id, start) in wanted and len(week_days) == WEEK_LENGTH:
                found[(runner_id, start)] = week_from_json(payload, start, week_days)
        return found

    async def weeks_logged(
        self, runner_id: int, starts: Sequence[dt.date]
    ) -> tuple[dict[dt.date, WeekPlan], dict[dt.date, str]]:
        """One runner's stored weeks starting ``starts`` (incomplete ones left out), and the status
        logged on each of their dates and on the day before the first (what reasons may speak of),
        in one statement (Core rows): what /week reads."""
        eve = min(starts) - dt.timedelta(days=1)
        params = {"runner_id": runner_id, "first": min(starts), "last": max(starts), "eve": eve}
        if len(set(starts)) > 2:  # pragma: no cover - /week shows one week or two
            raise ValueError("weeks_logged reads one week or two")
        rows = await self._on_connection(functools.partial(_weeks_logged_on, params=params))
        days: dict[dt.date, list[DayPlan]] = {}
        headers: dict[dt.date, Any] = {}
        logged: dict[dt.date, str] = {}
        for start, date, payload, header, status, eve_status in rows:
            days.setdefault(start, []).append(day_from_text(payload))
            headers[start] = header
            if status is not None:
                logged[date] = status
            if eve_status is not None:
                logged[eve] = eve_status
        weeks = {
            start: replace(_week_of_header(headers[start], start), days=tuple(week_days))
            for start, week_days in days.items()
            if len(week_days) == WEEK_LENGTH
        }
        return weeks, logged

    async def days_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], DayPlan]:
        """The stored days of many (runner id, date) pairs in one query; missing ones absent."""
        days, _ = await self._days(keys, with_prompts=False)
        return days

    async def days_and_prompts(
        self, keys: Sequence[tuple[int, dt.date]]
    ) -> tuple[dict[tuple[int, dt.date], DayPlan], dict[tuple[int, dt.date], ReadyPrompt]]:
        """``days_for``, and the prompts stored ready with them, in the same one query (Core rows)."""
        return await self._days(keys, with_prompts=True)

    async def _days(
        self, keys: Sequence[tuple[int, dt.date]], *, with_prompts: bool
    ) -> tuple[dict[tuple[int, dt.date], DayPlan], dict[tuple[int, dt.date], ReadyPrompt]]:
        wanted = set(keys)
        if not wanted:
            return {}, {}
        prompt = PLAN_DAYS.c.prompt if with_prompts else null()  # a day read alone leaves its prompt unread
        rows = await self._session.execute(
            select(PLAN_DAYS.c.runner_id, PLAN_DAYS.c.date, PLAN_DAYS.c.payload, prompt).where(
                PLAN_DAYS.c.runner_id.in_(sorted({runner_id for runner_id, _ in wanted})),
                PLAN_DAYS.c.date.in_(sorted({date for _, date in wanted})),
            )
        )
        days: dict[tuple[int, dt.date], DayPlan] = {}
        prompts: dict[tuple[int, dt.date], ReadyPrompt] = {}
        for runner_id, date, payload, prompt in rows:
            key = (runner_id, date)
            if key in wanted:
                days[key] = day_from_json(payload)
                if prompt is not None and (ready := ready_from_json(prompt)) is not None:
                    prompts[key] = ready
        return days, prompts

    async def stored_days(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], StoredDay]:
        """The stored days of many (runner id, date) pairs in one query (Core rows), each with its
        ready prompt and facts; a day's JSON is kept as text and decoded only if asked for."""
        wanted = set(keys)
        if not wanted:
            return {}
        rows = await self._session.execute(
            _STORED_DAYS,
            {
                "runner_ids": sorted({runner_id for runner_id, _ in wanted}),
                "dates": sorted({date for _, date in wanted}),
            },
        )
        found: dict[tuple[int, dt.date], StoredDay] = {}
        for runner_id, date, payload, prompt in rows:
            key = (runner_id, date)
            if key in wanted:
                ready, facts = stored_prompt(prompt) if isinstance(prompt, str) else (None, None)
                found[key] = StoredDay(ready, facts, functools.partial(_decoded, payload))
        return found

    async def day(self, telegram_id: int, date: dt.date) -> DayPlan | None:
        payload = await self._session.scalar(_DAY, {"telegram_id": telegram_id, "date": date})
        return day_from_json(payload) if payload is not None else None

    async def day_logged(
        self, telegram_id: int, date: dt.date
    ) -> tuple[DayPlan, CheckinRecord | None, str | None] | None:
        """The stored day of ``date``, its check-in, and the status logged for the day before (what
        its reason may speak of), in one statement (Core rows); None when the day is not stored."""
        params = {"telegram_id": telegram_id, "date": date, "eve": date - dt.timedelta(days=1)}
        row = await self._on_connection(functools.partial(_day_logged_on, params=params))
        if row is None:
            return None
        checkin = checkin_of(Prefixed(row, "checkin_")) if row.checkin_status is not None else None
        return day_from_text(row.payload), checkin, row.eve_status


# built once on the tables (Core rows, no ORM): the everyday questions read a stored day or week
# on every update
_RUNNERS = Runner.__table__
_DAY = (
    select(PLAN_DAYS.c.payload)
    .join(_RUNNERS, _RUNNERS.c.id == PLAN_DAYS.c.runner_id)
    .where(_RUNNERS.c.telegram_id == bindparam("telegram_id"), PLAN_DAYS.c.date == bindparam("date"))
)

# a day with its check-in and the day before's status: /today, /tomorrow, "why?" and a tap's card
_CHECKINS = typed(Table, CheckinRow.__table__)
_EVE = _CHECKINS.alias("eve")
_DAY_LOGGED = (
    select(
        cast(PLAN_DAYS.c.payload, Text).label("payload"),  # as text: parsed and validated in one pass
        *(column.label(f"checkin_{column.name}") for column in _CHECKINS.columns),
        select(_EVE.c.status)
        .where(_EVE.c.runner_id == PLAN_DAYS.c.runner_id, _EVE.c.date == bindparam("eve"))
        .scalar_subquery()
        .label("eve_status"),
    )
    .select_from(
        PLAN_DAYS.join(_RUNNERS, _RUNNERS.c.id == PLAN_DAYS.c.runner_id).outerjoin(
            _CHECKINS, (_CHECKINS.c.runner_id == PLAN_DAYS.c.runner_id) & (_CHECKINS.c.date == PLAN_DAYS.c.date)
        )
    )
    .where(_RUNNERS.c.telegram_id == bindparam("telegram_id"), PLAN_DAYS.c.date == bindparam("date"))
)

_PLANS = typed(Table, PlanRow.__table__)
# a runner's weeks with their headers, each day's check-in status and the status of the day before
# the first: /week
_WEEKS_LOGGED = (
    select(
        PLAN_DAYS.c.week_start,
        PLAN_DAYS.c.date,
        cast(PLAN_DAYS.c.payload, Text),  # as text: parsed and validated in one pass
        cast(_PLANS.c.payload, Text),  # as text: on each of the week's rows, decoded once (``_week_of_header``)
        _CHECKINS.c.status,
        select(_EVE.c.status)
        .where(_EVE.c.runner_id == PLAN_DAYS.c.runner_id, _EVE.c.date == bindparam("eve"))
        .scalar_subquery(),
    )
    .select_from(
        PLAN_DAYS.join(
            _PLANS, (_PLANS.c.runner_id == PLAN_DAYS.c.runner_id) & (_PLANS.c.week_start == PLAN_DAYS.c.week_start)
        ).outerjoin(
            _CHECKINS, (_CHECKINS.c.runner_id == PLAN_DAYS.c.runner_id) & (_CHECKINS.c.date == PLAN_DAYS.c.date)
        )
    )
    .where(
        PLAN_DAYS.c.runner_id == bindparam("runner_id"),
        # this week, or this week and the next (two values, the same twice for one week): a
        # statement of fixed shape, compiled once (``run_compiled``)
        PLAN_DAYS.c.week_start.in_([bindparam("first"), bindparam("last")]),
    )
    .order_by(PLAN_DAYS.c.date)
)


# a week written: its header's and each day's upsert compiled once per dialect
# (``bot.db.repositories.upserts``), all of them sent in one crossing of the greenlet bridge
_PUT_WEEK = Upsert(
    _PLANS,
    ("runner_id", "week_start", "phase", "payload", "created_at"),
    keys=("runner_id", "week_start"),
    update=("phase", "payload", "created_at"),
)
_PUT_DAY = Upsert(
    PLAN_DAYS,
    ("runner_id", "date", "week_start", "phase", "session_kind", "payload", "planned_at", "prompt"),
    keys=("runner_id", "date"),
    update=("week_start", "phase", "session_kind", "payload", "planned_at", "prompt"),
)


def _save_week_on(connection: Connection, *, header: dict[str, Any], days: list[dict[str, Any]]) -> None:
    _PUT_WEEK.run(connection, [header])
    for day in days:  # one statement a day, as before: a date given twice updates, never clashes
        _PUT_DAY.run(connection, [day])


def _day_logged_on(connection: Connection, *, params: dict[str, Any]) -> Row[Any] | None:
    return run_compiled(connection, _DAY_LOGGED, params).first()


def _weeks_logged_on(connection: Connection, *, params: dict[str, Any]) -> Sequence[Row[Any]]:
    return run_compiled(connection, _WEEKS_LOGGED, params).all()


@functools.lru_cache(maxsize=256)
def _week_of_header(header: str, start: dt.date) -> WeekPlan:
    """The week its header's JSON text holds, without its days (``weeks_logged`` adds them): a pure
    function of the text and the start, kept like the days (``bot.db.codec.day_from_text``), so the
    header that comes with each of the week's seven rows is decoded once, and a week read again
    reuses it. A ``WeekPlan`` is never changed once built (``replace`` makes a new one)."""
    return week_from_json(json.loads(header), start, ())


_WEEK_HEADERS = select(_PLANS.c.runner_id, _PLANS.c.week_start, _PLANS.c.payload).where(
    _PLANS.c.runner_id.in_(bindparam("runner_ids", expanding=True)),
    _PLANS.c.week_start.in_(bindparam("starts", expanding=True)),
)
_WEEK_DAYS = (
    select(PLAN_DAYS.c.runner_id, PLAN_DAYS.c.week_start, PLAN_DAYS.c.payload)
    .where(
        PLAN_DAYS.c.runner_id.in_(bindparam("runner_ids", expanding=True)),
        PLAN_DAYS.c.week_start.in_(bindparam("starts", expanding=True)),
    )
    .order_by(PLAN_DAYS.c.runner_id, PLAN_DAYS.c.date)
)


# built once (its lists are expanding parameters): the day's and the prompt's JSON read as text (cast,
# or asyncpg decodes it), the day's left undecoded, the prompt's parsed once per distinct text
# (``stored_prompt``)
_STORED_DAYS = select(
    PLAN_DAYS.c.runner_id,
    PLAN_DAYS.c.date,
    cast(PLAN_DAYS.c.payload, Text),
    cast(PLAN_DAYS.c.prompt, Text),
).where(
    one_of(PLAN_DAYS.c.runner_id, "runner_ids"),
    PLAN_DAYS.c.date.in_(bindparam("dates", expanding=True)),
)


def _decoded(payload: str | dict[str, Any]) -> DayPlan:
    return day_from_json(json.loads(payload) if isinstance(payload, str) else payload)
