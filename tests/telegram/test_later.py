""" "Later" under a daily prompt: it offers times that help, and what it promises arrives, once,
through the real Application, the offline Bot API and the bot's every-minute dispatch job."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chatdriver import UI, Runner
from test_checkins import on_lift_morning
from test_dispatch_job import job

from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.services.records import DueRecord
from bot.services.schedule import DueKind
from bot.telegram.context import CoachApplication

BERLIN = ZoneInfo("Europe/Berlin")
AGAIN = UI.loop.later_again
# lifts on Wednesdays and Sundays (runs Tue, Thu, Sat): Sunday 28 March 2027 is a lifting day
DST_ONBOARD = ("/start", "some", "tue thu sat", "sat", "tue", "no race", "dumbbells", "30", "none", "Europe/Berlin")
DST_ONBOARD += ("07:00", "no")


async def sweep(
    app: CoachApplication, api: OfflineBotApi, clock: FakeClock, until: dt.time, *, whole: bool = False
) -> list[tuple[str, str]]:
    """Run the dispatch job every five minutes from now to ``until`` (local) the same day; what the
    runner got, as (local time, first line; the whole text with ``whole``)."""
    local = clock.now().astimezone(BERLIN)
    end = dt.datetime.combine(local.date(), until, tzinfo=BERLIN)
    got: list[tuple[str, str]] = []
    while clock.now() <= end:
        marker = api.marker()
        await job(app).run(app)
        when = clock.now().astimezone(BERLIN).strftime("%H:%M")
        got += [(when, m.plain_text if whole else m.plain_text.split("\n")[0]) for m in api.sent_since(4242, marker)]
        clock.set(clock.now() + dt.timedelta(minutes=5))
    return got


def at(clock: FakeClock, day: dt.date, hour: int, minute: int = 0) -> None:
    clock.set(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BERLIN))


async def later(runner: Runner, choice: str) -> None:
    """Tap Later under the session, then the time labelled ``choice``."""
    await runner.press("Later")
    await runner.press(choice)


async def owed(app: CoachApplication, runner: Runner) -> dict[DueKind, DueRecord]:
    """The messages the runner is owed, by kind."""
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        return await work.due.of_runner(account.id)


async def prompted(app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock) -> dt.date:
    """A lifting morning whose 07:00 prompt went out through the dispatch job; its date."""
    lift = await on_lift_morning(runner, clock)
    got = await sweep(app, api, clock, dt.time(7, 0))
    assert [when for when, _ in got] == ["07:00"], got
    at(clock, lift.date, 7, 0)
    return lift.date


async def test_later_offers_two_hours_on_or_this_evening_and_the_promise_arrives_once(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Later at 07:10 offers 09:10 and 18:00; the picked 09:10 comes at 09:10, once, and no nudge
    follows a lift already sent again."""
    day = await prompted(app, api, runner, clock)
    at(clock, day, 7, 10)
    await runner.press("Later")
    assert runner.replies == [UI.promises.later_ask]
    assert runner.labels() == ["In two hours, 09:10", "This evening, 18:00"]
    await runner.press("In two hours")
    assert runner.toasts == ["OK, I'll send it again at 09:10."]
    assert runner.last_message() == "OK, I'll send it again at 09:10."
    got = await sweep(app, api, clock, dt.time(23, 0))
    assert got == [("09:10", AGAIN)]


async def test_a_second_later_moves_the_promise_and_it_arrives_once(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Later for 09:00, then Later again at 08:00 for this evening: nothing at 09:00, one at 18:00."""
    day = await prompted(app, api, runner, clock)
    await later(runner, "In two hours")
    at(clock, day, 8, 0)
    await runner.press("Later")
    assert runner.labels() == ["In two hours, 10:00", "This evening, 18:00"]
    await runner.press("This evening")
    assert runner.toasts == ["OK, I'll send it again at 18:00."]
    assert await sweep(app, api, clock, dt.time(23, 0)) == [("18:00", AGAIN)]


async def test_a_later_tapped_on_the_session_sent_again_is_kept_too(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """The trial's case: the second "Later" came after the first had arrived ("I'll send it again at
    11:30") and nothing was sent. Now 11:30 brings it, once."""
    day = await prompted(app, api, runner, clock)
    await later(runner, "In two hours")
    assert await sweep(app, api, clock, dt.time(9, 0)) == [("09:00", AGAIN)]
    at(clock, day, 9, 30)
    await later(runner, "In two hours")  # on the session sent again, the latest keyboard
    assert runner.toasts == ["OK, I'll send it again at 11:30."]
    assert await sweep(app, api, clock, dt.time(23, 0)) == [("11:30", AGAIN)]


async def test_a_checkin_meanwhile_cancels_the_promise(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Later for 09:00, then Done at 08:00: nothing more that day."""
    day = await prompted(app, api, runner, clock)
    await later(runner, "In two hours")
    at(clock, day, 8, 0)
    await runner.press("Done")
    assert "later" not in await owed(app, runner)
    assert await sweep(app, api, clock, dt.time(23, 0)) == []


async def test_a_pause_cancels_the_promise(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Later for this evening, then /pause: no message that evening, even after /resume the next day."""
    day = await prompted(app, api, runner, clock)
    await later(runner, "This evening")
    at(clock, day, 12, 0)
    await runner.say("/pause")
    assert await sweep(app, api, clock, dt.time(23, 0)) == []


async def test_later_at_half_past_nine_in_the_evening_promises_nothing_it_cannot_keep(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """At 21:30 two hours on is the night and the evening has passed: Later says so, nothing is owed."""
    day = await prompted(app, api, runner, clock)
    assert [when for when, _ in await sweep(app, api, clock, dt.time(21, 25))] == ["19:00"]  # the nudge
    at(clock, day, 21, 30)
    assert await runner.press("Later") == []
    assert runner.toasts == [UI.loop.later_too_late]
    assert await sweep(app, api, clock, dt.time(23, 55)) == []


async def test_later_on_the_day_the_clocks_go_forward_comes_at_the_promised_local_time(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Sunday 28 March 2027, Berlin's clocks jump at 02:00: the 07:00 prompt, Later for 09:10 and
    for this evening each come at the wall time promised (07:10 and 16:00 UTC), once."""
    clock.set(dt.datetime(2027, 3, 24, 9, 0, tzinfo=dt.UTC))
    await runner.steps(*DST_ONBOARD)
    day = dt.date(2027, 3, 28)
    at(clock, day, 6, 55)
    assert [when for when, _ in await sweep(app, api, clock, dt.time(7, 0))] == ["07:00"]
    at(clock, day, 7, 10)
    await runner.press("Later")
    assert runner.labels() == ["In two hours, 09:10", "This evening, 18:00"]
    await runner.press("In two hours")
    assert await sweep(app, api, clock, dt.time(9, 10)) == [("09:10", AGAIN)]
    assert clock.now() - dt.timedelta(minutes=5) == dt.datetime(2027, 3, 28, 7, 10, tzinfo=dt.UTC)
    at(clock, day, 9, 15)
    await later(runner, "This evening")
    assert await sweep(app, api, clock, dt.time(23, 0)) == [("18:00", AGAIN)]


async def test_a_time_offered_that_has_passed_is_not_promised(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """ "In two hours, 09:00" tapped at 09:30 says the time has passed; nothing is owed for 09:00."""
    day = await prompted(app, api, runner, clock)
    await runner.press("Later")
    at(clock, day, 9, 30)
    assert await runner.press("In two hours") == []
    assert runner.toasts == [UI.promises.later_passed]
    assert "later" not in await owed(app, runner)


async def test_a_later_after_the_evening_nudge_time_replaces_the_nudge(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Later at 17:30 for 19:30: the 19:00 nudge gives way, so the evening brings one message, at 19:30."""
    day = await prompted(app, api, runner, clock)
    at(clock, day, 17, 30)
    await runner.press("Later")
    assert runner.labels() == ["In two hours, 19:30"]
    await runner.press("In two hours")
    assert await sweep(app, api, clock, dt.time(23, 0)) == [("19:30", AGAIN)]
    at(clock, day + dt.timedelta(days=1), 6, 0)
    nudge = (await owed(app, runner))["nudge"]
    assert nudge.local_date == day + dt.timedelta(days=1), "tomorrow's nudge is owed as usual"
