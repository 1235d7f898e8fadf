"""The use cases the services tier had no test of, through ``Coach`` on the fakes: swapping a lift,
"later", a moved run and its one-off days, a tune-up's distance, and pain said in words."""

from __future__ import annotations

import datetime as dt

from fakes import FakeClock, FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.coach.model import BodyArea, Distance, RunKind, Weekday
from bot.services.loop import Moved, Problem, Swapped
from bot.services.usecases import Coach

MONDAY = dt.date(2026, 11, 23)


def berlin(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour - 1, tzinfo=dt.UTC)


async def ready(uow: FakeDatabase, clock: FakeClock, library: Library) -> tuple[Coach, dt.date]:
    """Ada onboarded, and the clock on the morning of her first lift of the week."""
    await onboard(uow, library)
    coach = Coach(uow, library, clock)
    week = await coach.week(ADA)
    assert week is not None
    lift = next(d.date for d in week.weeks[0].days if d.session.kind.is_lifting)
    clock.set(berlin(lift.day, 8))
    return coach, lift


async def test_a_swap_turns_todays_lift_into_mobility_and_moves_or_drops_the_lift(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """Swap: today is mobility, the lift moves to a later day of the week or is dropped (never
    stacked), and the check-in records which."""
    coach, lift = await ready(uow, clock, library)
    swapped = await coach.swap(ADA, lift)
    assert isinstance(swapped, Swapped) and not swapped.day.session.kind.is_lifting
    day = await coach.day(ADA, 0)
    assert day is not None and day.day == swapped.day
    found = await coach.card(ADA, lift)
    assert found is Problem.NO_SESSION or not isinstance(found, Problem)
    async with uow() as work:
        checkin = await work.checkins.get(ADA, lift)
        week = await work.plans.week(ADA, MONDAY)
    assert checkin is not None and checkin.status == "swapped"
    if swapped.moved_to is None:
        assert checkin.note == "dropped"
    else:
        assert checkin.note == f"moved:{swapped.moved_to.isoformat()}"
        assert week is not None and (week.day(swapped.moved_to) or swapped.day).session.kind.is_lifting
    assert await coach.swap(ADA, lift) is Problem.NOT_LIFTING  # once mobility, there is no lift to swap


async def test_later_prompts_again_in_two_hours_once_but_never_at_night(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """Later at 08:00 sends the prompt again at 10:00; at 21:00 it is too late."""
    coach, lift = await ready(uow, clock, library)
    when = await coach.later(ADA, lift)
    assert isinstance(when, dt.datetime) and (when.hour, when.minute) == (10, 0)
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        due = await work.due.of_runner(account.id)
    assert due["later"].due_at == berlin(lift.day, 10) and due["later"].local_date == lift
    clock.set(berlin(lift.day, 21))
    assert await coach.later(ADA, lift) is Problem.TOO_LATE


async def test_a_moved_long_run_changes_this_week_by_one_off_days(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """ "Long run moved to Saturday": Saturday is the long run this week only (its usual Sunday an
    easy day), the weekly template stays, and the week is re-planned at once."""
    coach, _ = await ready(uow, clock, library)
    saturday = MONDAY + dt.timedelta(days=5)
    moved = await coach.move_run(ADA, RunKind.LONG, Weekday.SAT)
    assert isinstance(moved, Moved) and moved.day == saturday and moved.run is RunKind.LONG
    account = await coach.account(ADA)
    assert account is not None and account.profile is not None
    assert account.profile.overrides[saturday] is RunKind.LONG
    assert account.profile.overrides[saturday + dt.timedelta(days=1)] is RunKind.REST
    assert account.profile.run_on(saturday + dt.timedelta(days=8)) is RunKind.LONG  # next week: Sunday again
    week = await coach.week(ADA)
    assert week is not None and week.weeks[0] == moved.week


async def test_a_tune_up_race_takes_its_distance_and_a_past_day_is_refused(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """A race added on Saturday takes its distance from the answer to "how far?"; a weekday already
    past cannot take a run."""
    coach, lift = await ready(uow, clock, library)
    saturday = MONDAY + dt.timedelta(days=5)
    assert isinstance(await coach.move_run(ADA, RunKind.RACE, Weekday.SAT), Moved)
    assert isinstance(await coach.set_tune_up_distance(ADA, saturday, Distance.K10), Moved)
    account = await coach.account(ADA)
    assert account is not None and account.profile is not None
    assert account.profile.tune_up_distances == {saturday: Distance.K10}
    if lift > MONDAY:
        assert await coach.move_run(ADA, RunKind.LONG, Weekday.MON) is Problem.PAST_DATE


async def test_pain_in_words_rests_the_area_and_asks_again_in_three_days(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """ "My knee hurts": nothing loads the knee from today for a week, and a follow-up is due in
    three days; "still hurts" then rests it another week."""
    coach, lift = await ready(uow, clock, library)
    assert not isinstance(await coach.report_pain(ADA, BodyArea.KNEE), Problem)
    week = await coach.week(ADA)
    assert week is not None
    for day in week.weeks[0].days:
        if day.date >= lift:
            assert all(BodyArea.KNEE not in p.loads for p in day.session.exercises)
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        due = await work.due.of_runner(account.id)
    assert account.state.pain[BodyArea.KNEE] == lift + dt.timedelta(days=7)
    assert due["pain_check"].local_date == lift + dt.timedelta(days=3) and due["pain_check"].detail == "knee"
    clock.set(berlin(lift.day, 8) + dt.timedelta(days=3))
    followed = await coach.pain_follow_up(ADA, BodyArea.KNEE, still_hurts=True)
    assert not isinstance(followed, Problem)
    assert followed.state.pain[BodyArea.KNEE] == lift + dt.timedelta(days=10)
