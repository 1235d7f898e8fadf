"""The hostile findings of issue 18 as examples: a ² in a tap, forged level-up taps, pause dates past
9999 or before the runner joined. Each answers briefly, never with the error message, and changes
nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from chatdriver import UI, Runner
from hostile import DAY, ONBOARD, STATES, Chat, chat_on

from bot.coach.model import Level

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
async def chat(db_url: str) -> Chat:
    async with chat_on(db_url) as found:
        yield found  # type: ignore[misc]


KEYBOARDS = {
    "onboarding 1/11": "ob|level|",
    "onboarding 11/11": "ob|health|",
    **{
        f"settings {name}": f"set|{name}|"
        for name in (
            "reminder",
            "level",
            "run_days",
            "long_day",
            "quality_days",
            "equipment",
            "minutes",
            "niggles",
            "sessions",
        )
    },
    "log pick": "log|",
    "check-in status": "ci|",
    "check-in effort": "rpe|",
    "check-in soreness": "sore|",
    "red-flag question": "hl|flag|",
    "delete confirmation": "del|",
}


async def test_the_30_states_are_reached(chat: Chat) -> None:
    """The states the hostile tests cover, each reached with its own keyboard: the chat before
    onboarding, its 11 questions, the everyday chat, 10 settings questions, /log's pick and 3 check-in
    steps, a red-flag question, a pause and /delete's confirmation."""
    assert len(STATES) == 30
    for state, prefix in KEYBOARDS.items():
        runner = await chat.runner_in(state)
        data = [str(b.callback_data) for b in runner.keyboard_message().inline_buttons]
        assert any(d.startswith(prefix) for d in data), (state, data)
    paused = await (await chat.runner_in("paused")).account()
    assert paused is not None and paused.paused_until == dt.date(2026, 12, 5)


async def test_an_rpe_tap_of_superscript_two_in_all_30_states_gives_0_errors(chat: Chat) -> None:
    """``rpe|<day>|²`` ("²".isdigit() is True, int("²") raises), forged or as if offered, gets a short
    answer in every state and never "something went wrong" (``Runner`` fails on that message)."""
    answered = 0
    for state in STATES:
        runner = await chat.runner_in(state)
        if runner.api.last_message(runner.user_id) is None:
            continue  # a new chat has no message to tap a button on
        await runner.press_data(f"rpe|{DAY}|²", runner.api.last_message(runner.user_id).message_id)  # type: ignore[union-attr]
        assert runner.toasts == [UI.general.button_gone], state
        await runner.press_offered(f"rpe|{DAY}|²", runner.api.last_message(runner.user_id).message_id)  # type: ignore[union-attr]
        assert runner.toasts and runner.toasts[0] and UI.general.error not in runner.replies, state
        answered += 1
    assert answered == 29


async def test_two_forged_level_up_taps_leave_a_new_lifter_new_x2(chat: Chat) -> None:
    """Two forged "move me up" taps (no MAC, then a real button's MAC on the level-up data) are
    refused with "That button no longer works", and a new lifter stays new."""
    runner = await chat.runner_in("everyday")
    runner = Runner(chat.app, chat.api, runner.user_id + 1_000, "Ada")
    await runner.steps(ONBOARD[0], "never", *ONBOARD[2:])
    assert (await runner.profile()).strength_level is Level.NEW
    message = runner.api.last_message(runner.user_id)
    assert message is not None
    await runner.say("/settings")
    real = runner.keyboard_message().inline_buttons[0].callback_data
    for data in ("hl|lvl|some", f"hl|lvl|some#{str(real).rpartition('#')[2]}"):
        assert await runner.press_data(data, runner.keyboard_message().message_id) == []
        assert runner.toasts == [UI.general.button_gone]
    assert (await runner.profile()).strength_level is Level.NEW


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("pause until 9999-12-28", UI.loop.pause_far),
        ("/pause until 9999-12-28", UI.loop.pause_far),
        ("pause until 31 december 9999", UI.loop.pause_far),
        ("/pause until 31 december 9999", UI.loop.pause_far),
        ("pause until 12/31/9999", UI.loop.pause_far),
        ("pause until 1 jan 10000", UI.loop.pause_bad_date),
        ("pause until 0000-01-01", UI.loop.pause_bad_date),
        ("/pause until 0000-01-01", UI.loop.pause_bad_date),
        ("pause until 2026-02-30", UI.loop.pause_bad_date),
    ],
)
async def test_a_pause_until_a_day_past_9999_or_no_day_at_all_is_refused_politely(
    chat: Chat, said: str, answer: str
) -> None:
    """A pause "until" a day past 9999 (or more than a year away), or one that is no real day, gets
    one short answer; the runner is not paused (not until this year's 31 December, not open-ended)."""
    runner = await chat.runner_in("everyday")
    assert await runner.say(said) == [answer]
    account = await runner.account()
    assert account is not None and account.paused_from is None and account.paused_until is None


@pytest.mark.parametrize("said", ["/pause until 2019-05-01", "/pause until 20 nov 2026", "pause until 5 dec 2019"])
async def test_a_pause_ending_before_the_runner_joined_is_refused(chat: Chat, said: str) -> None:
    """A pause ending before the runner joined (21 November 2026) is refused; nothing is paused."""
    runner = await chat.runner_in("everyday")
    replies = await runner.say(said)
    assert replies in ([UI.loop.pause_past], [UI.loop.pause_bad_date]), replies
    account = await runner.account()
    assert account is not None and account.paused_from is None and account.paused_until is None
    assert account.onboarded_at is not None and account.onboarded_at.date() == dt.date(2026, 11, 21)


async def test_a_check_in_for_a_day_before_the_runner_joined_is_refused(chat: Chat) -> None:
    """A check-in tap for a day years before the runner joined (as if offered) gets a short pop-up
    and stores nothing."""
    runner = await chat.runner_in("check-in status")
    assert await runner.press_offered("ci|20200106|done") == []
    assert runner.toasts and runner.toasts[0] not in (None, UI.general.error)
    async with runner.app.bot_data.deps.coach.uow() as work:
        assert await work.checkins.get(runner.user_id, dt.date(2020, 1, 6)) is None
