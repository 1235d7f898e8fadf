"""Health and level use cases on the fakes: clearance after the screen, red flags, the niggle check
after a session and its weekly rung, moving up a level, and "still lifting?"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fakes import FakeDatabase
from onboarded import ADA, START, onboard

from bot.coach import niggles
from bot.coach.library import Library
from bot.coach.model import BodyArea, Level, NiggleState
from bot.services import health, loop
from bot.services.health import UNTIL_CLEARED, Outcome
from bot.services.loop import Card, Problem

MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 29)


def evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.UTC)  # 18:00 in Berlin


async def lifts(uow: FakeDatabase) -> list[dt.date]:
    async with uow() as work:
        week = await work.plans.week(ADA, MONDAY)
    assert week is not None
    return [d.date for d in week.days if d.session.kind.is_lifting]


async def test_the_screen_holds_until_cleared_and_clearing_twice_changes_nothing(
    uow: FakeDatabase, library: Library
) -> None:
    done = await onboard(uow, library, health=True)
    assert done.account.state.needs_clearance
    async with uow() as work:
        assert await health.confirm_clearance(work, ADA, START, library) is Outcome.CLEARED
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None and not account.state.needs_clearance
        assert await health.confirm_clearance(work, ADA, START, library) is Outcome.NOTHING_TO_CLEAR
        assert await health.confirm_clearance(work, 99, START, library) is Problem.NOT_ONBOARDED


async def test_a_red_flag_rests_the_area_until_cleared_then_it_is_a_niggle(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    async with uow() as work:
        assert await health.red_flag(work, ADA, BodyArea.SHIN, START, library) is Outcome.RED_FLAG
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None and account.state.pain[BodyArea.SHIN] == UNTIL_CLEARED
        week = await work.plans.week(ADA, MONDAY)
        assert week is not None
        assert all(BodyArea.SHIN not in p.loads for d in week.days for p in d.session.exercises)
        # clearing another area clears nothing
        assert await health.confirm_clearance(work, ADA, START, library, BodyArea.KNEE) is Outcome.NOTHING_TO_CLEAR
        assert await health.confirm_clearance(work, ADA, START, library, BodyArea.SHIN) is Outcome.AREA_CLEARED
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    assert BodyArea.SHIN not in account.state.pain and BodyArea.SHIN in account.profile.injuries


async def test_niggle_answers_are_asked_only_for_loaded_niggles_and_move_the_rung(
    uow: FakeDatabase, library: Library
) -> None:
    await onboard(uow, library, niggles=["knee"])
    days = await lifts(uow)
    for day in days:
        async with uow() as work:
            assert isinstance(await loop.log_status(work, ADA, day, "done", evening(day), library), Card)
            found = await loop.card(work, ADA, day, evening(day), library)
            assert isinstance(found, Card) and loop.niggle_areas(found) == (BodyArea.KNEE,)
            refused = await loop.log_niggle(work, ADA, day, BodyArea.HIP, True, evening(day), library)
            assert refused is Problem.NEED_STATUS  # not a niggle of this runner
            logged = await loop.log_niggle(work, ADA, day, BodyArea.KNEE, True, evening(day), library)
            assert isinstance(logged, Card) and logged.checkin is not None
            assert dict(logged.checkin.niggles) == {BodyArea.KNEE: True}
            again = await loop.log_niggle(work, ADA, day, BodyArea.KNEE, True, evening(day), library)
            assert isinstance(again, Card) and not again.changed
            # N4's morning check: refused for an area the session did not load
            assert await health.log_morning(work, ADA, day, BodyArea.HIP, True, evening(day), library) is (
                Problem.NEED_STATUS
            )
            morning = await health.log_morning(work, ADA, day, BodyArea.KNEE, True, evening(day), library)
            assert isinstance(morning, Card) and morning.checkin is not None
            assert dict(morning.checkin.mornings) == {BodyArea.KNEE: True}
            await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        reviewed = await loop.weekly_review(work, account, SUNDAY, evening(SUNDAY), library)
        await work.commit()
    assert len(days) >= 2 and reviewed.payload.niggles_ask == ("knee",)
    async with uow() as work:
        before = await work.runners.get(ADA)
    assert before is not None and niggles.rung_of(before.state, BodyArea.KNEE) == 1  # waits for "vs last week"
    async with uow() as work:
        same = niggles.Compare.SAME
        assert await health.compare_week(work, ADA, SUNDAY, BodyArea.HIP, same, evening(SUNDAY), library) is (
            Problem.NEED_STATUS
        )
        assert await health.compare_week(work, ADA, SUNDAY, BodyArea.KNEE, same, evening(SUNDAY), library) is (
            health.Compared.UP
        )
        again = await health.compare_week(work, ADA, SUNDAY, BodyArea.KNEE, same, evening(SUNDAY), library)
        assert again is Problem.NEED_STATUS  # answered once
        await work.commit()
    async with uow() as work:
        after = await work.runners.get(ADA)
    assert after is not None and niggles.rung_of(after.state, BodyArea.KNEE) == 2


async def test_a_flare_moves_the_niggle_back_a_rung(uow: FakeDatabase, library: Library) -> None:
    done = await onboard(uow, library, niggles=["knee"])
    async with uow() as work:
        await work.runners.save_state(ADA, replace(done.account.state, niggles={BodyArea.KNEE: NiggleState(rung=4)}))
        await work.commit()
    day = (await lifts(uow))[0]
    async with uow() as work:
        await loop.log_status(work, ADA, day, "done", evening(day), library)
        await loop.log_niggle(work, ADA, day, BodyArea.KNEE, False, evening(day), library)
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        reviewed = await loop.weekly_review(work, account, SUNDAY, evening(SUNDAY), library)
        await work.commit()
    assert reviewed.payload.niggles_down == ("knee",)


async def test_level_up_yes_moves_one_level_and_no_keeps_it(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library, level="new")
    async with uow() as work:
        assert await health.answer_level_up(work, ADA, False, START, library) == (Outcome.LEVEL_KEPT, Level.NEW)
        assert await health.answer_level_up(work, ADA, True, START, library) == (Outcome.LEVEL_UP, Level.SOME)
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None and account.profile is not None
        assert account.profile.strength_level is Level.SOME
        # a yes to "move up to some" from an older review, after moving up already, changes nothing
        assert await health.answer_level_up(work, ADA, True, START, library, Level.SOME) == (
            Outcome.LEVEL_KEPT,
            Level.SOME,
        )
        assert await health.answer_level_up(work, ADA, True, START, library) == (Outcome.LEVEL_UP, Level.REGULAR)
        assert await health.answer_level_up(work, ADA, True, START, library) == (Outcome.LEVEL_KEPT, Level.REGULAR)


async def test_not_lifting_lately_is_a_gap_from_the_last_session_done(uow: FakeDatabase, library: Library) -> None:
    done = await onboard(uow, library)
    day = (await lifts(uow))[0]
    async with uow() as work:
        await loop.log_status(work, ADA, day, "done", evening(day), library)
        await work.runners.save_state(ADA, replace(done.account.state, step=3, weeks_trained=6, weeks_coached=6))
        await work.commit()
    in_three_weeks = evening(day + dt.timedelta(days=20))  # 20 days since: one step down and a set off
    async with uow() as work:
        assert await health.still_lifting(work, ADA, True, in_three_weeks, library) is Outcome.STILL_LIFTING
        assert await health.still_lifting(work, ADA, False, in_three_weeks, library) is Outcome.GAP
        await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None
    assert (account.state.step, account.state.set_cut, account.state.weeks_trained) == (2, 1, 0)
