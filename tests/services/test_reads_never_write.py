"""Reads never write: after a pause lapses, every read answers from the plan as ending the pause will
make it, and the stored tables are the same before and after; the tick (or the runner's next change)
then stores exactly what the reads showed."""

from __future__ import annotations

import datetime as dt

from fakes import FakeClock, FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.coach.model import BodyArea, SessionKind
from bot.services import loop
from bot.services.loop import Card, Problem
from bot.services.usecases import Coach

THURSDAY = dt.date(2026, 11, 26)


def berlin(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour - 1, tzinfo=dt.UTC)


async def lapsed(uow: FakeDatabase, clock: FakeClock, library: Library) -> Coach:
    """Ada paused on Monday until Wednesday; it is now Thursday 08:00 and no tick has run."""
    await onboard(uow, library)
    coach = Coach(uow, library, clock)
    clock.set(berlin(23, 6))
    assert not isinstance(await coach.pause(ADA, dt.date(2026, 11, 25)), Problem)
    clock.set(berlin(26, 8))
    return coach


async def test_every_read_after_a_lapsed_pause_answers_alike_and_writes_nothing(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """/today, /tomorrow, /week, why, the card, "too sore" and /log read the plan as the pause's end
    re-plans it, agree with each other, and leave every table as it was."""
    coach = await lapsed(uow, clock, library)
    before = uow.tables.copy()

    today, tomorrow, week = await coach.day(ADA, 0), await coach.day(ADA, 1), await coach.week(ADA)
    why, check = await coach.why(ADA, None), await coach.today_check(ADA)
    found, menu = await coach.card(ADA, THURSDAY), await coach.log_menu(ADA)

    assert uow.tables == before
    assert today is not None and tomorrow is not None and week is not None and why is not None
    assert check is not None and menu is not None
    shown = {d.date: d for d in week.weeks[0].days}
    assert today.day == why.day == check.day == shown[THURSDAY]
    assert tomorrow.day == shown[THURSDAY + dt.timedelta(days=1)]
    assert not today.paused and not week.paused and not check.shown.paused
    if shown[THURSDAY].session.kind is SessionKind.REST:
        assert found is Problem.NO_SESSION
    else:
        assert isinstance(found, Card) and found.day == shown[THURSDAY]
    assert [d.date for d in menu] == [
        d.date for d in week.weeks[0].days if d.date <= THURSDAY and d.session.kind is not SessionKind.REST
    ]

    async with uow() as work:  # the tick ends the pause: it stores what the reads showed
        await loop.settled_account(work, ADA, clock.now(), library)
        await work.commit()
        account = await work.runners.get(ADA)
        stored = await work.plans.week(ADA, week.weeks[0].start)
    assert account is not None and account.paused_from is None
    assert stored == week.weeks[0]


async def test_a_change_after_a_lapsed_pause_ends_it_first(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """The runner's first change after the pause's end date (here, a pain report) ends the pause in
    the same transaction, so it applies to the plan on record."""
    coach = await lapsed(uow, clock, library)
    assert not isinstance(await coach.report_pain(ADA, BodyArea.KNEE), Problem)
    account = await coach.account(ADA)
    assert account is not None and account.paused_from is None and BodyArea.KNEE in account.state.pain
