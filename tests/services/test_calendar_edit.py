"""/calendar's changes on the fakes: a change is stored and re-planned with its undo remembered in the
database, and an undo answers sensibly when the calendar changed since or the days have passed."""

from __future__ import annotations

import datetime as dt

from fakes import FakeClock, FakeDatabase
from onboarded import ADA, START, onboard

from bot.coach.library import Library
from bot.coach.model import Profile, RunKind
from bot.services.calendar_changes import with_one_off
from bot.services.calendar_edit import UNDO, CalendarChanged, UndoRefused, change_calendar, undo_calendar
from bot.services.calendar_usecases import CalendarCoach
from bot.services.problems import Problem

TUESDAY, FRIDAY = dt.date(2026, 11, 24), dt.date(2026, 11, 27)


async def profile_now(uow: FakeDatabase) -> Profile:
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    return account.profile


async def test_a_change_is_stored_replanned_and_remembered_for_undo(uow: FakeDatabase, library: Library) -> None:
    """Friday's easy run off: stored, the plan follows, the undo waits in the answers table."""
    await onboard(uow, library)
    async with uow() as work:
        profile = with_one_off(await profile_now(uow), FRIDAY, RunKind.REST)
        changed = await change_calendar(work, ADA, profile, START, library)
        await work.commit()
    assert isinstance(changed, CalendarChanged) and changed.undo is not None
    assert [(c.day, c.before, c.after) for c in changed.changes] == [(FRIDAY, RunKind.EASY, RunKind.REST)]
    friday = changed.weeks[0].day(FRIDAY)
    assert friday is not None and friday.run is RunKind.REST
    async with uow() as work:
        assert (await work.answers.get_all(ADA))[UNDO]["token"] == changed.undo
        stored = await work.plans.day(ADA, FRIDAY)
        assert stored is not None and stored.run is RunKind.REST
        assert await change_calendar(work, 999, profile, START, library) is Problem.NOT_ONBOARDED


async def test_undo_refuses_once_the_calendar_changed(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    """A calendar stored since by another way (/settings, an import) is not undone under it."""
    await onboard(uow, library)
    coach = CalendarCoach(uow, library, clock)
    changed = await coach.set_day(ADA, FRIDAY, RunKind.REST)
    assert isinstance(changed, CalendarChanged) and changed.undo is not None
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None and account.profile is not None
        other = with_one_off(account.profile, TUESDAY, RunKind.EASY)
        await work.runners.save_profile(ADA, other, timezone="Europe/Berlin", reminder_time=dt.time(7), now=START)
        await work.commit()
    assert await coach.undo(ADA, changed.undo) is UndoRefused.LATER
    assert (await profile_now(uow)).overrides == {FRIDAY: RunKind.REST, TUESDAY: RunKind.EASY}
    assert await coach.undo(ADA, "nope") is UndoRefused.LATER


async def test_undo_puts_the_calendar_back_and_only_once(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    """Undo restores the calendar before the change; the same Undo again has nothing to undo."""
    await onboard(uow, library)
    coach = CalendarCoach(uow, library, clock)
    changed = await coach.set_day(ADA, FRIDAY, RunKind.REST)
    assert isinstance(changed, CalendarChanged) and changed.undo is not None
    undone = await coach.undo(ADA, changed.undo)
    assert isinstance(undone, CalendarChanged) and undone.undo is None
    assert (await profile_now(uow)).overrides == {}
    assert await coach.undo(ADA, changed.undo) is UndoRefused.NOTHING
    async with uow() as work:
        assert await undo_calendar(work, ADA, changed.undo, START, library) is UndoRefused.NOTHING
