"""The race services on the fakes (``bot.services.races``), as /race and /calendar call them: the goal
race and tune-ups stored with the rules' limits, the phase and taper start said, the week re-planned."""

from __future__ import annotations

import datetime as dt

from fakes import FakeDatabase
from onboarded import ADA, START, onboard

from bot.coach.library import Library
from bot.coach.model import Distance, Phase, Race, RunKind
from bot.services import races
from bot.services.pauses import settled_account
from bot.services.plans import save_profile
from bot.services.races import RaceChanged, RaceProblem

MONDAY = START.date()  # Monday 23 November 2026


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


async def run(uow: FakeDatabase, change: object) -> RaceChanged | RaceProblem:
    async with uow() as work:
        result = await change(work)  # type: ignore[operator]
        await work.commit()
    assert isinstance(result, RaceChanged | RaceProblem)
    return result


async def test_a_goal_race_a_month_out_is_peak_with_the_taper_ten_days_before(
    uow: FakeDatabase, library: Library
) -> None:
    """A marathon 30 days out: peak now, the taper from 10 days before, no lifting from then on."""
    await onboard(uow, library)
    race = Race(distance=Distance.MARATHON, date=day(30))
    changed = await run(uow, lambda work: races.set_goal_race(work, ADA, race, START, library))
    assert isinstance(changed, RaceChanged)
    assert changed.standing.phase is Phase.PEAK and changed.standing.taper_start == day(20)
    assert changed.account.profile.race == race


async def test_the_goal_race_date_wins_over_a_one_off_run_that_day(uow: FakeDatabase, library: Library) -> None:
    """A one-off run on the goal race's new date gives way: that date is a race."""
    await onboard(uow, library)
    async with uow() as work:
        account = await settled_account(work, ADA, START, library)
        assert account is not None
        await save_profile(
            work, account, account.profile.model_copy(update={"overrides": {day(40): RunKind.REST}}), START
        )
        await work.commit()
    race = Race(distance=Distance.HALF, date=day(40))
    changed = await run(uow, lambda work: races.set_goal_race(work, ADA, race, START, library))
    assert isinstance(changed, RaceChanged) and changed.account.profile.run_on(day(40)) is RunKind.RACE


async def test_race_dates_out_of_bounds_are_refused(uow: FakeDatabase, library: Library) -> None:
    """Past and more-than-two-years dates, a tune-up not before the goal race and a goal race not
    after a tune-up are refused, and nothing is stored."""
    await onboard(uow, library)
    past = Race(distance=Distance.K10, date=day(-1))
    assert await run(uow, lambda work: races.set_goal_race(work, ADA, past, START, library)) is RaceProblem.PAST
    far = Race(distance=Distance.K10, date=day(800))
    assert await run(uow, lambda work: races.set_goal_race(work, ADA, far, START, library)) is RaceProblem.FAR
    goal = Race(distance=Distance.HALF, date=day(60))
    await run(uow, lambda work: races.set_goal_race(work, ADA, goal, START, library))
    on_goal = await run(uow, lambda work: races.add_tune_up(work, ADA, day(60), Distance.K5, START, library))
    assert on_goal is RaceProblem.TUNE_UP_AFTER_GOAL
    await run(uow, lambda work: races.add_tune_up(work, ADA, day(30), Distance.K5, START, library))
    earlier = await run(uow, lambda work: races.change_goal(work, ADA, START, library, date=day(30)))
    assert earlier is RaceProblem.GOAL_BEFORE_TUNE_UP
    gone = await run(uow, lambda work: races.remove_tune_up(work, ADA, day(31), START, library))
    assert gone is RaceProblem.NO_TUNE_UP
    async with uow() as work:
        account = await settled_account(work, ADA, START, library)
    assert account is not None and account.profile.race == goal
    assert races.tune_ups(account.profile, MONDAY) == ((day(30), Distance.K5),)


async def test_a_tune_up_this_week_replans_the_days_around_it(uow: FakeDatabase, library: Library) -> None:
    """A 10k on Thursday: no lifting Tuesday to Sunday (2 days before it, 3 after), stored at once."""
    await onboard(uow, library)
    changed = await run(uow, lambda work: races.add_tune_up(work, ADA, day(3), Distance.K10, START, library))
    assert isinstance(changed, RaceChanged)
    lifting = [d.date for d in changed.week.days if d.session.kind.is_lifting]
    assert all(d < day(1) for d in lifting), lifting
    async with uow() as work:
        stored = await work.plans.week(ADA, MONDAY)
    assert stored is not None and stored.days[3].run is RunKind.RACE


async def test_no_runner_no_change(uow: FakeDatabase, library: Library) -> None:
    """A runner who never finished onboarding has no races to change."""
    result = await run(uow, lambda work: races.set_goal_race(work, ADA, None, START, library))
    assert result is RaceProblem.NOT_ONBOARDED
