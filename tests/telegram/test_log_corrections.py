"""/log with corrections (issue 20, point 8) and check-in taps that edit only the message tapped
(point 9), through the real Application on the offline Bot API."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN, checkin, deliver, on_lift_morning

from bot.clock import FakeClock
from bot.telegram.context import CoachApplication

R = UI.rhythm


async def logged_lift(app: CoachApplication, runner: Runner, clock: FakeClock) -> dt.date:
    """A lift logged done at effort 7 with no soreness, then the clock to the next day's noon."""
    lift = await on_lift_morning(runner, clock)
    assert lift.date.weekday() != 6, "the day after a Sunday lift is a new week"
    await deliver(app, runner, "prompt", lift.date)
    for label in ("Done", "7", "None"):
        await runner.press(label)
    clock.set(dt.datetime.combine(lift.date + dt.timedelta(days=1), dt.time(12, 0), tzinfo=BERLIN))
    return lift.date


async def rows_for(runner: Runner, day: dt.date) -> int:
    async with runner.app.bot_data.deps.coach.uow() as work:
        return len(await work.checkins.between(runner.user_id, day, day))


async def test_log_lists_open_sessions_first_and_a_logged_one_is_corrected_with_what_changed(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/log shows the open sessions newest first, then the logged ones with a ✓ and what was logged;
    tapping one corrects its status, effort and soreness in one stored check-in, each reply saying
    what changed."""
    lift = await logged_lift(app, runner, clock)
    await runner.say("/log")
    labels = runner.labels()
    done = next(label for label in labels if label.startswith("✓"))
    assert done.endswith(f": {R.status_done}") and f" {lift.day} · " in done
    marked = [label.startswith("✓") for label in labels]
    assert marked == sorted(marked), f"open sessions come first: {labels}"

    await runner.press(done)
    assert "Effort 7/10" in runner.text and R.fix_ask in runner.text
    card_id = runner.keyboard_message().message_id
    assert await runner.press("Partly") == []  # the correction card is edited in place
    assert runner.toasts == [R.fmt("fix_changed", field=R.field_status, before=R.status_done, after=R.status_partial)]
    assert await checkin(runner, lift) == ("partial", 7, "none", None)
    await runner.press("5")
    assert runner.toasts == [R.fmt("fix_changed", field=R.field_rpe, before="7/10", after="5/10")]
    shown = runner.api.message(runner.user_id, card_id).plain_text
    assert shown.startswith(runner.toasts[0]) and "Effort 5/10" in shown
    await runner.press("A bit")
    assert await checkin(runner, lift) == ("partial", 5, "a_bit", None)
    await runner.press("Skipped")
    assert await checkin(runner, lift) == ("skipped", None, None, None)
    assert await rows_for(runner, lift) == 1, "a correction replaces the check-in, never a second row"

    await runner.say("/log")
    assert any(label.startswith("✓") and label.endswith(f": {R.status_skipped}") for label in runner.labels())


async def test_the_same_value_again_says_already_logged(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A correction to what is already stored changes nothing and says so."""
    lift = await logged_lift(app, runner, clock)
    await runner.say("/log")
    await runner.press(next(label for label in runner.labels() if label.startswith("✓")))
    assert await runner.press("7") == []
    assert runner.toasts == [UI.loop.already_logged]
    assert await checkin(runner, lift) == ("done", 7, "none", None)


async def test_tapping_the_morning_prompt_after_a_typed_skip_answers_below_and_leaves_the_prompt(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """After a typed check-in, a tap on the morning prompt far up gets a new message at the bottom;
    the prompt itself is not edited."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    prompt = runner.keyboard_message()
    await runner.say("skipped it, sorry")
    assert UI.loop.logged_skipped in runner.text
    done = next(b.callback_data for b in prompt.inline_buttons if b.text.startswith("Done"))
    assert done is not None
    replies = await runner.press_data(done, prompt.message_id)
    assert len(replies) == 1 and UI.loop.logged_done in replies[0] and UI.loop.ask_rpe in replies[0]
    assert runner.api.message(runner.user_id, prompt.message_id).plain_text == prompt.plain_text
    assert await runner.press("7") == []  # the new answer is the one asking: edited in place
    assert await checkin(runner, lift.date) == ("done", 7, None, None)
    assert runner.api.message(runner.user_id, prompt.message_id).plain_text == prompt.plain_text


async def test_effort_tapped_under_a_typed_done_edits_that_short_answer_only(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """The effort asked under a typed "did it" is answered in that message, which stays short."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    prompt = runner.keyboard_message()
    await runner.say("did it")
    answer = runner.keyboard_message()
    assert answer.message_id != prompt.message_id and UI.loop.ask_rpe in answer.plain_text
    assert await runner.press("8") == []
    shown = runner.api.message(runner.user_id, answer.message_id).plain_text
    assert "Effort 8/10" in shown and "Why:" not in shown, shown
    assert runner.api.message(runner.user_id, prompt.message_id).plain_text == prompt.plain_text
    assert await checkin(runner, lift.date) == ("done", 8, None, None)
