"""A week away asked ahead (issue 20, point 4): "I'm travelling next week" pauses that week, Monday
to Sunday, with its end date; the plan goes on until then, and the pause starts on its own."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN, onboarded
from test_dispatch_job import job

from bot.clock import FakeClock
from bot.coach.wording import day_words
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachApplication

WEDNESDAY = dt.date(2026, 11, 25)
NEXT_MONDAY = dt.date(2026, 11, 30)
NEXT_SUNDAY = dt.date(2026, 12, 6)


async def days_with_messages(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> set[dt.date]:
    """Run the dispatch job every half hour to the Tuesday after next; the local dates that got a message."""
    got: set[dt.date] = set()
    end = dt.datetime.combine(NEXT_SUNDAY + dt.timedelta(days=2), dt.time(23, 0), tzinfo=BERLIN)
    while clock.now() < end:
        marker = api.marker()
        await job(app).run(app)
        if api.sent_since(runner.user_id, marker):
            got.add(clock.now().astimezone(BERLIN).date())
        clock.advance(dt.timedelta(minutes=30))
    return got


async def test_travelling_next_week_pauses_that_week_with_its_end_date(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """On a Wednesday, "I'm travelling next week": the reply names Monday to Sunday of next week,
    nothing is paused yet, and the dispatcher sends nothing from that Monday to Sunday but carries on
    before and after."""
    await onboarded(runner)
    clock.set(dt.datetime.combine(WEDNESDAY, dt.time(9, 0), tzinfo=BERLIN))
    await runner.say("I'm travelling next week")
    names = app.bot_data.deps.library.messages.weekday_names
    said = UI.loop.fmt(
        "pause_planned", start=day_words(NEXT_MONDAY, names=names), until=day_words(NEXT_SUNDAY, names=names)
    )
    assert runner.replies == [said]
    account = await runner.account()
    assert account is not None and account.paused_from is None
    got = await days_with_messages(app, api, runner, clock)
    assert not {d for d in got if NEXT_MONDAY <= d <= NEXT_SUNDAY}, sorted(got)
    assert {d for d in got if d < NEXT_MONDAY} and {d for d in got if d > NEXT_SUNDAY}, sorted(got)
    account = await runner.account()
    assert account is not None and account.paused_from is None  # over, and ended on its own


async def test_away_next_week_while_paused_says_so(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """A runner already paused is told so, and nothing is planned."""
    await onboarded(runner)
    clock.set(dt.datetime.combine(WEDNESDAY, dt.time(9, 0), tzinfo=BERLIN))
    await runner.say("/pause")
    await runner.say("away next week, no sessions please")
    assert runner.replies == [UI.loop.already_paused]
