"""What was prescribed: the stored plan of each date, the record the daily loop reads."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any
from typing import cast as typed

from sqlalchemy import Table, Text, bindparam, cast, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.coach.model import (
    DayPlan,
    WeekPlan,
)
from bot.db.codec import WEEK_LENGTH, day_from_json, day_to_json, week_from_json, week_header_to_json
from bot.db.engine import upsert
from bot.db.id_lists import one_of
from bot.db.models import (
    PlanDayRow,
    PlanRow,
    Runner,
)
from bot.db.repositories.base import (
    Repository,
    aware,
)
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

    def __init__(self, session: AsyncSession, clock: Clock, drawer: PromptDrawer | None = None) -> None:
        super().__init__(session, clock)
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
        await upsert(
            self._session,
            PlanRow,
            {
                "runner_id": runner_id,
                "week_start": week.start,
                "phase": week.phase.value,
                "payload": week_header_to_json(week),
                "created_at": moment,
            },
            keys=["runner_id", "week_start"],
            update=["phase", "payload", "created_at"],
        )
        for day in week.days:
            if from_date is not None and day.date < from_date:
                continue
            await upsert(
                self._session,
                PlanDayRow,
                {
                    "runner_id": runner_id,
                    "date": day.date,
                    "week_start": week.start,
                    "phase": day.phase.value,
                    "session_kind": day.session.kind.value,
                    "payload": day_to_json(day),
                    "planned_at": moment,
                    "prompt": ready_json(self._drawer, day) if self._drawer is not None else None,
                },
                keys=["runner_id", "date"],
                update=["week_start", "phase", "session_kind", "payload", "planned_at", "prompt"],
            )

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


# built once on the tables (Core rows, no ORM): the everyday questions read a stored day or week
# on every update
_RUNNERS = Runner.__table__
_DAY = (
    select(PLAN_DAYS.c.payload)
    .join(_RUNNERS, _RUNNERS.c.id == PLAN_DAYS.c.runner_id)
    .where(_RUNNERS.c.telegram_id == bindparam("telegram_id"), PLAN_DAYS.c.date == bindparam("date"))
)

_PLANS = typed(Table, PlanRow.__table__)
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
