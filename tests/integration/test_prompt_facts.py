"""A day's facts stored beside its ready prompt (``bot.services.ready_prompts.DayFacts``): a plain
prompt is decided on them without decoding the stored day, and sends exactly what the renderer
draws from the day; a day whose facts say it is not the plain one (a race today or yesterday, a
reason about yesterday) is read the full way, and a prompt stored before the facts were is sent as
drawn from its day."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from test_ready_prompts import (
    MONDAY,
    SEVEN_BERLIN,
    drawn_now,
    planned,
    profile,
    sent_at_seven,
)

from bot.coach.library import Library
from bot.coach.model import DayPlan, Reason, RunKind, SessionKind
from bot.coach.planner import plan_week
from bot.coach.vocabulary import ReasonKey
from bot.db.models import PlanDayRow
from bot.db.uow import UnitOfWorkFactory
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.race_day_render import with_race_question

SUNDAY = MONDAY - dt.timedelta(days=1)


async def test_a_prompt_sent_from_its_facts_is_the_one_drawn_from_its_day(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library, engine: AsyncEngine
) -> None:
    """Each runner gets what the renderer draws from the stored day; and the day was not needed:
    the stored days are made unreadable before the sweep, and the plain prompts still go out."""
    ids = await planned(planning, library, 8, seed=22)
    expected = await drawn_now(planning, drawer, ids)
    async with engine.begin() as connection:
        await connection.execute(update(PlanDayRow).values(payload={"not": "a day"}))
    assert await sent_at_seven(planning, drawer, library) == expected


async def test_a_prompt_stored_without_facts_is_drawn_from_its_day(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library, engine: AsyncEngine
) -> None:
    """A prompt stored before the facts were (no ``facts`` key) is sent as its day says, the day read."""
    ids = await planned(planning, library, 4, seed=8)
    expected = await drawn_now(planning, drawer, ids)
    async with engine.begin() as connection:
        rows = (await connection.execute(select(PlanDayRow.runner_id, PlanDayRow.date, PlanDayRow.prompt))).all()
        for runner_id, date, prompt in rows:
            assert "facts" in prompt
            await connection.execute(
                update(PlanDayRow)
                .where(PlanDayRow.runner_id == runner_id, PlanDayRow.date == date)
                .values(prompt={k: v for k, v in prompt.items() if k != "facts"})
            )
    assert await sent_at_seven(planning, drawer, library) == expected


async def one_runner(
    planning: UnitOfWorkFactory, library: Library, monday: DayPlan | None = None
) -> tuple[int, DayPlan]:
    """One runner with a week whose Monday holds a session (``monday`` instead, when given)."""
    ids = await planned(planning, library, 1, seed=11)
    (runner_id,) = ids.values()
    async with planning() as work:
        week = (await work.plans.weeks_for([(runner_id, MONDAY)]))[(runner_id, MONDAY)]
        if monday is not None:
            week = replace(week, days=(monday, *week.days[1:]))
            await work.plans.save_week_for(runner_id, week, SEVEN_BERLIN - dt.timedelta(days=1))
            await work.commit()
    return runner_id, week.days[0]


async def test_a_race_yesterday_is_asked_about_under_a_plain_prompt(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library
) -> None:
    """Monday's facts say plain, but Sunday was a race: the prompt asks how it went."""
    runner_id, monday = await one_runner(planning, library)
    week_before = plan_week(profile(random.Random(4)), MONDAY - dt.timedelta(days=7), library)
    race = replace(week_before.days[-1], run=RunKind.RACE)
    async with planning() as work:
        await work.plans.save_week_for(
            runner_id, replace(week_before, days=(*week_before.days[:-1], race)), SEVEN_BERLIN
        )
        await work.commit()
    sent = await sent_at_seven(planning, drawer, library)
    assert list(sent.values()) == [with_race_question(drawer, drawer.prompt(monday), SUNDAY)]


async def test_a_race_today_sends_the_race_morning_not_the_stored_prompt(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library
) -> None:
    """A day whose facts say race goes the full way: good luck, not the session stored beside it."""
    planned_monday = plan_week(profile(random.Random(12)), MONDAY, library).days[0]
    await one_runner(planning, library, replace(planned_monday, run=RunKind.RACE))
    (message,) = (await sent_at_seven(planning, drawer, library)).values()
    assert message.text.startswith(drawer.text.race_morning)


async def test_a_reason_about_yesterday_is_worded_as_it_happened(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library
) -> None:
    """A mobility day "after yesterday's lift" whose lift was skipped says so, not what was stored."""
    rng = random.Random(5)
    while (mobility := plan_week(profile(rng), MONDAY, library).days[0]).session.kind is not SessionKind.MOBILITY:
        pass
    after_lift = replace(mobility, session=replace(mobility.session, reason=Reason(ReasonKey.MOBILITY_AFTER_LIFT)))
    _runner_id, monday = await one_runner(planning, library, after_lift)
    async with planning() as work:
        await work.checkins.set_status(
            5000, SUNDAY, session_kind=SessionKind.STRENGTH, status="skipped", now=SEVEN_BERLIN - dt.timedelta(hours=12)
        )
        await work.commit()
    skipped = replace(monday, session=replace(monday.session, reason=Reason(ReasonKey.MOBILITY_AFTER_SKIP)))
    sent = await sent_at_seven(planning, drawer, library)
    assert sent == {5000: drawer.prompt(skipped)}
    assert drawer.prompt(skipped) != drawer.prompt(monday)
