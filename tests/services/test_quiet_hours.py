"""Quiet hours have one definition: the "Later" offer, the dispatcher's verdict on a nudge or a
"later", and the check-in router agree at the minutes either side of 22:00 and 06:00."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeClock, FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.services.loop import Problem
from bot.services.schedule import LATER, NUDGE, QUIET_HOURS, Verdict, at_local, decide, is_quiet
from bot.services.usecases import Coach

BERLIN = "Europe/Berlin"


async def lift_day(uow: FakeDatabase, clock: FakeClock, library: Library) -> tuple[Coach, dt.date]:
    """Ada onboarded (Berlin), and the first day of her week that holds a lift."""
    await onboard(uow, library)
    coach = Coach(uow, library, clock)
    week = await coach.week(ADA)
    assert week is not None
    return coach, next(d.date for d in week.weeks[0].days if d.session.kind.is_lifting)


@pytest.mark.parametrize(
    ("wall", "quiet"),
    [(dt.time(21, 59), False), (dt.time(22, 0), True), (dt.time(5, 59), True), (dt.time(6, 0), False)],
)
def test_the_boundary_minutes_are_quiet_or_not_for_every_path(wall: dt.time, quiet: bool) -> None:
    """21:59 and 06:00 are open, 22:00 and 05:59 quiet, for the definition and for the dispatcher."""
    day = dt.date(2026, 11, 23)
    assert (wall in QUIET_HOURS) is quiet and is_quiet(wall) is quiet
    at = at_local(day, wall, BERLIN)
    nudge = decide(NUDGE, local_date=day, due=at_local(day, dt.time(19), BERLIN), now=at, timezone=BERLIN)
    assert (nudge.verdict is Verdict.SEND) is not quiet
    later = decide(LATER, local_date=day, due=at, now=at, timezone=BERLIN)
    assert (later.verdict is Verdict.SEND) is not quiet


@pytest.mark.parametrize(
    "asked",
    [dt.time(19, 59), dt.time(20, 0), dt.time(3, 59), dt.time(4, 0)],
)
async def test_later_is_offered_exactly_when_the_dispatcher_would_send_it_on_time(
    uow: FakeDatabase, clock: FakeClock, library: Library, asked: dt.time
) -> None:
    """ "Later" tapped at 19:59 (due 21:59) and 04:00 (due 06:00) is taken and the dispatcher sends it
    when due; at 20:00 (due 22:00) and 03:59 (due 05:59) it is refused, as the dispatcher would hold it."""
    coach, day = await lift_day(uow, clock, library)
    now = at_local(day, asked, BERLIN)
    clock.set(now)
    offered = await coach.later(ADA, day)
    due = now + dt.timedelta(hours=2)
    verdict = decide(LATER, local_date=day, due=due, now=due, timezone=BERLIN).verdict
    assert isinstance(offered, dt.datetime) is (verdict is Verdict.SEND)
    if not isinstance(offered, dt.datetime):
        assert offered is Problem.TOO_LATE
