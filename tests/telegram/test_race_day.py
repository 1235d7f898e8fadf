"""Race day and the day after (issue 20, point 12): a race morning gets good luck and the days after
it, no session; the next day asks how it went, and the answer changes what follows."""

from __future__ import annotations

import datetime as dt

import pytest
from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, onboarded, stored_days

from bot.clock import FakeClock
from bot.coach.model import RunKind
from bot.telegram.context import CoachApplication

MONDAY = dt.date(2026, 11, 23)
RACE = dt.date(2026, 11, 28)  # a Saturday 10k
T = UI.loop


@pytest.fixture
async def racer(app: CoachApplication, runner: Runner, clock: FakeClock) -> Runner:
    """Onboarded, with a 10k tune-up race on Saturday 28 November."""
    await onboarded(runner)
    clock.set(dt.datetime.combine(MONDAY, dt.time(8, 0), tzinfo=BERLIN))
    await runner.say("race on the 28th, a 10k")
    profile = await runner.profile()
    assert profile.run_on(RACE) is RunKind.RACE
    return runner


async def test_race_morning_wishes_luck_and_shows_the_days_after(
    app: CoachApplication, racer: Runner, clock: FakeClock
) -> None:
    """On race morning the runner gets good luck and no session, with the next days as planned."""
    clock.set(dt.datetime.combine(RACE, dt.time(7, 0), tzinfo=BERLIN))
    text = await deliver(app, racer, "prompt", RACE)
    assert text.startswith(T.race_morning)
    assert T.race_after in text
    morning = racer.api.last_message(racer.user_id)
    assert morning is not None and morning.inline_buttons == []  # no session: nothing to check in


async def test_the_day_after_asks_how_it_went_and_a_race_not_started_leaves_the_calendar(
    app: CoachApplication, racer: Runner, clock: FakeClock
) -> None:
    """The next morning's message asks "How did your race go?"; "Didn't start" takes the race off the
    calendar and says so; a second tap changes nothing."""
    day_after = RACE + dt.timedelta(days=1)
    clock.set(dt.datetime.combine(day_after, dt.time(7, 0), tzinfo=BERLIN))
    text = await deliver(app, racer, "prompt", day_after)
    assert T.race_ask in text
    assert await racer.press(T.btn_race_dns) == [T.race_told_dns]
    profile = await racer.profile()
    assert profile.run_on(RACE) is not RunKind.RACE
    assert await racer.press(T.btn_race_great) == []  # answered already: only a pop-up
    assert racer.toasts and racer.toasts[0] != T.race_told_great


async def test_a_great_race_is_noted_and_not_asked_again(
    app: CoachApplication, racer: Runner, clock: FakeClock
) -> None:
    """ "Great" is thanked; the following day's message does not ask again."""
    day_after = RACE + dt.timedelta(days=1)
    clock.set(dt.datetime.combine(day_after, dt.time(7, 0), tzinfo=BERLIN))
    await deliver(app, racer, "prompt", day_after)
    assert await racer.press(T.btn_race_great) == [T.race_told_great]
    profile = await racer.profile()
    assert profile.run_on(RACE) is RunKind.RACE  # the race stays on record
    days = {d.date: d for d in await stored_days(racer, MONDAY)}
    assert days[RACE].run is RunKind.RACE


async def test_a_forged_race_answer_for_a_day_without_a_race_is_refused(
    app: CoachApplication, racer: Runner, clock: FakeClock
) -> None:
    """A race answer for a day that held no race changes nothing."""
    clock.set(dt.datetime.combine(RACE + dt.timedelta(days=1), dt.time(7, 0), tzinfo=BERLIN))
    last = racer.api.last_message(racer.user_id)
    assert last is not None
    await racer.press_offered(f"rf|{RACE - dt.timedelta(days=1):%Y%m%d}|great", last.message_id)
    assert racer.toasts and racer.toasts[0] != T.race_told_great
    profile = await racer.profile()
    assert profile.run_on(RACE) is RunKind.RACE
