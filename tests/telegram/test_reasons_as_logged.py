"""A day's reason about the day before is true to what was logged, through the real Application,
the offline Bot API and the dispatch job: a skipped lift is not "You lifted yesterday"."""

from __future__ import annotations

import datetime as dt
import itertools

from chatdriver import Runner
from test_checkins import BERLIN, onboarded, stored_days
from test_later import sweep

from bot.clock import FakeClock
from bot.coach.model import DayPlan
from bot.coach.vocabulary import ReasonKey
from bot.console.transport import OfflineBotApi
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication

LIFTED = "You lifted yesterday"


async def lift_then_mobility(runner: Runner, clock: FakeClock) -> DayPlan:
    """The first lifting day from tomorrow on whose next day is mobility "because you lifted yesterday"."""
    today = clock.now().astimezone(BERLIN).date()
    days = [d for offset in (0, 7) for d in await stored_days(runner, monday_of(today) + dt.timedelta(days=offset))]
    for day, after in itertools.pairwise(days):
        if (
            day.date > today
            and day.session.kind.is_lifting
            and after.session.reason.key is ReasonKey.MOBILITY_AFTER_LIFT
        ):
            return day
    raise AssertionError("no lift followed by a day of mobility after it")


async def next_morning_after(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock, tap: str
) -> str:
    """The lift's prompt answered with ``tap``; the next day's 07:00 prompt as the runner reads it."""
    await onboarded(runner)
    lift = await lift_then_mobility(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(6, 55), tzinfo=BERLIN))
    await sweep(app, api, clock, dt.time(7, 0))
    await runner.press(tap)
    clock.set(dt.datetime.combine(lift.date + dt.timedelta(days=1), dt.time(6, 55), tzinfo=BERLIN))
    (prompt,) = [text for _, text in await sweep(app, api, clock, dt.time(7, 0), whole=True)]
    return prompt


async def test_after_a_logged_skip_the_next_day_does_not_say_you_lifted_yesterday(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """The lift is skipped; the next morning's prompt, /today and "why?" say it was skipped, not
    "You lifted yesterday", while the stored plan keeps what was prescribed."""
    prompt = await next_morning_after(app, api, runner, clock, "Skip")
    assert LIFTED not in prompt and "Yesterday's lift was skipped" in prompt
    for asked in ("/today", "why?"):
        shown = "\n".join(await runner.say(asked))
        assert LIFTED not in shown and "Yesterday's lift was skipped" in shown, asked
    today = clock.now().astimezone(BERLIN).date()
    (stored,) = [d for d in await stored_days(runner, monday_of(today)) if d.date == today]
    assert stored.session.reason.key is ReasonKey.MOBILITY_AFTER_LIFT, "the plan on record is unchanged"


async def test_a_done_lift_still_says_you_lifted_yesterday(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Done, the next day's reason is the plan's own: "You lifted yesterday"."""
    assert LIFTED in await next_morning_after(app, api, runner, clock, "Done")
