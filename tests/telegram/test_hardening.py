"""Odd but real situations a runner can run into: late taps, leftover conversations, odd names."""

from __future__ import annotations

from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application

from bot.clock import FakeClock
from bot.console.transport import QUERY_INVALID, OfflineBotApi

ONBOARD = (
    "/start",
    "some",
    "mon wed fri sun",
    "sun",
    "wed",
    "no race",
    "gym",
    "30",
    "none",
    "Europe/Berlin",
    "07:00",
    "no",
)


async def onboard(runner: Runner) -> None:
    summary, _plan, _why = await runner.steps(*ONBOARD)
    assert summary.startswith("All set")


async def test_a_replayed_menu_tap_shows_no_error(runner: Runner, api: OfflineBotApi) -> None:
    """The same tap delivered twice (Telegram retrying after a restart) does not show the runner
    the error message; the second one is simply dropped."""
    await onboard(runner)
    await runner.say("/start")
    tap = api.press(RUNNER_ID, runner.keyboard_message().message_id, runner.sign("menu|go|today"), "Ada")
    await runner.send(tap)
    assert runner.replies and runner.replies[0] != UI.general.error
    marker = api.marker()
    await api.deliver(runner.app, tap)
    assert api.texts_since(RUNNER_ID, marker) == []


async def test_a_late_onboarding_tap_shows_no_error(runner: Runner, api: OfflineBotApi) -> None:
    """A tap Telegram no longer lets the bot answer (too old) never shows the error message, and a
    replayed answer to an earlier question changes nothing."""
    await runner.say("/start")
    level = api.press(RUNNER_ID, runner.keyboard_message().message_id, runner.sign("ob|level|some"), "Ada")
    await runner.send(level)
    answers = await runner.answers()
    marker = api.marker()
    await api.deliver(runner.app, level)  # replayed
    api.fail_next("answerCallbackQuery", error_code=400, description=QUERY_INVALID)
    await api.deliver(
        runner.app, api.press(RUNNER_ID, runner.keyboard_message().message_id, runner.sign("ob|run_days|mon"), "Ada")
    )
    assert UI.general.error not in api.texts_since(RUNNER_ID, marker)
    assert await runner.answers() == answers


async def test_an_onboarded_runner_is_not_asked_again_after_a_restart(db_url: str, clock: FakeClock) -> None:
    """After a restart (the bot stopped just as the runner finished onboarding), /help, other
    commands and stickers are handled as everyday messages, never question 1 again: where a runner
    is in onboarding lives in the database, not in any conversation state of the chat framework."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(db_url, clock, api)
    try:
        await onboard(Runner(app, api, RUNNER_ID, "Ada"))
    finally:
        await stop_application(app)
    app = await start_application(db_url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "Ada")
        assert await runner.say("/help") == [UI.general.help]
        (week,) = await runner.say("/week")
        assert week.startswith("Week of ")
        assert await runner.sticker() == [UI.general.not_text]
        assert (await runner.say("/frobnicate"))[0].startswith(UI.loop.unknown_command.split("{")[0])
        everything = api.texts_since(RUNNER_ID, 0)
        assert sum(UI.onboarding.ask_level in text for text in everything) == 1, "question 1 was asked once, at first"
    finally:
        await stop_application(app)


async def test_a_name_with_a_nul_finishes_onboarding(any_db_url: str, clock: FakeClock) -> None:
    """A first name with a NUL in it (PostgreSQL refuses those) still finishes onboarding, on both backends."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(any_db_url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "A\x00da")
        await onboard(runner)
        account = await runner.account()
        assert account is not None and account.onboarded and account.first_name == "Ada"
    finally:
        await stop_application(app)
