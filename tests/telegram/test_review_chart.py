"""The weekly review can carry /history's chart (issue 20, point 13): a /settings choice, off unless
the runner turns it on."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN
from test_review import MONDAY, SUNDAY, log_week, review

from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachApplication

H = UI.history
PNG = b"\x89PNG\r\n\x1a\n"


async def test_the_review_comes_without_a_chart_unless_asked(
    app: CoachApplication, api: OfflineBotApi, week_one: Runner, clock: FakeClock
) -> None:
    """By default the weekly review is text alone."""
    await log_week(app, week_one, clock, [("done", 6), ("done", 7)])
    await review(app, week_one, clock)
    assert api.last_photo(week_one.user_id) is None


async def test_chart_in_the_review_from_settings_sends_the_chart_after_the_review(
    app: CoachApplication, api: OfflineBotApi, week_one: Runner, clock: FakeClock
) -> None:
    """/settings → "Chart in the review" → "With the chart": said so, and Sunday's review is followed
    by a PNG of the runner's weeks; "Just the text" turns it off again."""
    clock.set(dt.datetime.combine(MONDAY, dt.time(9, 0), tzinfo=BERLIN))
    await week_one.say("/settings")
    await week_one.press(H.btn_chart_setting)
    assert week_one.last_message().startswith(H.fmt("ask_chart", current=H.chart_off))
    await week_one.press(H.btn_chart_on)
    assert week_one.last_message() == H.fmt("chart_changed", current=H.chart_on)
    await log_week(app, week_one, clock, [("done", 6), ("done", 7)])
    text = await review(app, week_one, clock)
    assert "Your week in review" in text
    photo = api.last_photo(week_one.user_id)
    assert photo is not None and photo.content.startswith(PNG)

    clock.set(dt.datetime.combine(SUNDAY + dt.timedelta(days=1), dt.time(9, 0), tzinfo=BERLIN))
    await week_one.say("/settings")
    await week_one.press(H.btn_chart_setting)
    await week_one.press(H.btn_chart_off)
    assert week_one.last_message() == H.fmt("chart_changed", current=H.chart_off)
    async with app.bot_data.deps.coach.uow() as work:
        brief = await work.runners.brief(week_one.user_id)
    assert brief is not None and not brief.review_chart


async def test_a_forged_chart_choice_changes_nothing(app: CoachApplication, week_one: Runner) -> None:
    """A tap that was never offered is refused and the setting stays off."""
    last = week_one.api.last_message(week_one.user_id)
    assert last is not None
    await week_one.press_offered("wc|set|maybe", last.message_id)
    assert week_one.toasts == [UI.general.stale_button]
