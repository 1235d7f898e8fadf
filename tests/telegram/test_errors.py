"""When something fails inside the bot, the runner gets a polite answer and the log gets the story."""

from __future__ import annotations

from chatdriver import UI, Runner

from bot.console.transport import OfflineBotApi


async def test_a_failing_handler_answers_politely(runner: Runner, api: OfflineBotApi) -> None:
    """If sending a reply fails mid-handler, the runner still gets a short apology, not silence."""
    api.fail_next("sendMessage", error_code=500, description="Internal Server Error")
    marker = api.marker()
    await api.deliver(runner.app, api.text(runner.user_id, "/help"))
    texts = api.texts_since(runner.user_id, marker)
    assert texts == [UI.general.error]


async def test_unknown_command_gets_a_friendly_pointer(runner: Runner, api: OfflineBotApi) -> None:
    """An unknown command is answered as unknown, with the commands the coach does have."""
    marker = api.marker()
    await api.deliver(runner.app, api.text(runner.user_id, "/frobnicate"))
    (reply,) = api.texts_since(runner.user_id, marker)
    assert reply.startswith(UI.loop.unknown_command.split("{")[0])
    assert [c["command"] for c in api.commands()] == [word[1:] for word in reply.split() if word.startswith("/")]
