"""The weekly review's one-tap offer after two back-offs in a row (COACHING.md A3)."""

from __future__ import annotations

from dataclasses import replace

from chatdriver import UI, Runner
from test_checkins import onboarded
from test_review import log_week, review, state

from bot.clock import FakeClock
from bot.telegram.context import CoachApplication


async def test_A3_two_hard_weeks_in_a_row_offer_lighter_weeks_with_one_tap(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A second back-off in a row ends the review with a one-tap offer; "yes" takes one session a week
    off and shortens the sessions, and the runner sees the re-planned week."""
    await onboarded(runner)
    async with app.bot_data.deps.coach.uow() as work:
        await work.runners.save_state(runner.user_id, replace(await state(runner), backoff_weeks=1))
        await work.commit()
    await log_week(app, runner, clock, [("done", 10), ("done", 10), ("done", 10)])
    text = await review(app, runner, clock)
    assert UI.loop.review_A3_again in text and UI.loop.offer_lighter in text
    assert runner.labels() == [UI.loop.btn_lighter_yes, UI.loop.btn_lighter_no]
    await runner.press(UI.loop.btn_lighter_yes)
    assert runner.last_message().startswith(UI.loop.lighter_yes)
    after = await state(runner)
    assert after.fewer_sessions == 1 and after.minutes_cut > 0
