"""The weekly review's progression on the fakes (COACHING.md A1, A3, A5): what the runner is told
and what next week then holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fakes import FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.coach.model import TrainingState
from bot.coach.planner import plan_week
from bot.coach.week_context import WeekContext, week_reading
from bot.services import loop

MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 29)
NEXT_MONDAY = SUNDAY + dt.timedelta(days=1)
PAST_START = TrainingState(weeks_coached=10, lifting_weeks=10, restart_weeks=10)


def berlin(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour - 1, minute, tzinfo=dt.UTC)


async def _week_of(uow: FakeDatabase, library: Library, state: TrainingState, rpe: int) -> loop.Reviewed:
    """Ada, in ``state``, does every lift of the week at effort ``rpe``; then the week is reviewed."""
    await onboard(uow, library)
    async with uow() as work:
        await work.runners.save_state(ADA, state)
        week = await work.plans.week(ADA, MONDAY)
        await work.commit()
    assert week is not None
    for day in week.lifting_days:
        async with uow() as work:
            await loop.log_status(work, ADA, day, "done", berlin(day.day, 18), library)
            await loop.log_rpe(work, ADA, day, rpe, berlin(day.day, 18), library)
            await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        reviewed = await loop.weekly_review(work, account, SUNDAY, berlin(29, 19, 30), library)
        await work.commit()
    return reviewed


async def test_A1_a_step_before_a_deload_is_said_to_come_the_week_after(uow: FakeDatabase, library: Library) -> None:
    """A good week whose next week is A5's deload takes no step into it: the review says the step comes the
    week after, and the next week is the deload at the same rung."""
    reviewed = await _week_of(uow, library, replace(PAST_START, step=1, weeks_trained=2), rpe=5)
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None
    assert reviewed.payload.key == "A1_later" and reviewed.payload.deload_next
    assert reviewed.payload.step_after == 1 and account.state.step_pending
    assert reviewed.next_week.deload


async def test_A1_an_announced_step_shows_in_next_week(uow: FakeDatabase, library: Library) -> None:
    """When the review says next week steps up, next week reads differently from the same week at the old rung."""
    reviewed = await _week_of(uow, library, replace(PAST_START, step=0, weeks_trained=0), rpe=5)
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    assert reviewed.payload.key == "A1"
    held = replace(account.state, step=reviewed.payload.step_before, set_cut=0)
    unstepped = plan_week(account.profile, NEXT_MONDAY, library, held, WeekContext())
    assert week_reading(reviewed.next_week) != week_reading(unstepped)


async def test_A3_twice_in_a_row_offers_lighter_weeks_with_one_tap(uow: FakeDatabase, library: Library) -> None:
    """A second hard week in a row offers one session fewer and shorter sessions; a yes applies both."""
    reviewed = await _week_of(uow, library, replace(PAST_START, step=2, backoff_weeks=1, set_cut=1), rpe=10)
    assert reviewed.payload.key == "A3_again" and reviewed.payload.offer_lighter
    async with uow() as work:
        answered = await loop.accept_lighter(work, ADA, True, berlin(29, 20), library)
        await work.commit()
    assert not isinstance(answered, loop.Problem)
    account, week = answered
    assert (account.state.fewer_sessions, account.state.minutes_cut) == (1, 10)
    assert week is not None
    async with uow() as work:
        kept = await loop.accept_lighter(work, ADA, False, berlin(29, 20), library)
    assert not isinstance(kept, loop.Problem) and kept[1] is None
