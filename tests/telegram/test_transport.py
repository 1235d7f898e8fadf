"""The offline Telegram (in-process transport and HTTP emulator) driven by a real PTB Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import FakeClock
from bot.console.emulator import BotApiEmulator
from bot.console.transport import OfflineBotApi

TOKEN = "123:ABC"
RUNNER = 42
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)

AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets with the check-in buttons."""
    assert update.message
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Done", callback_data="checkin:done"),
                InlineKeyboardButton("Partly", callback_data="checkin:partly"),
            ]
        ]
    )
    await update.message.reply_text("Ready to train?", reply_markup=keyboard)


async def checkin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the button and edits the prompt in place."""
    query = update.callback_query
    assert query and query.data
    await query.answer("Logged")
    await query.edit_message_text(f"Logged: {query.data.split(':')[1]}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeats what the runner wrote, or names what they sent."""
    message = update.message
    assert message
    if message.text:
        await message.reply_text(f"You said: {message.text}")
    elif message.location:
        await message.reply_text(f"Location {message.location.latitude:.2f},{message.location.longitude:.2f}")
    elif message.sticker:
        await message.reply_text(f"Sticker {message.sticker.emoji}")
    elif message.photo:
        await message.reply_text(f"Photo {message.caption}")


def add_toy_handlers(app: AnyApp) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(checkin, pattern=r"^checkin:"))
    app.add_handler(MessageHandler(~filters.COMMAND, echo))


@pytest.fixture
def api() -> OfflineBotApi:
    return OfflineBotApi(clock=FakeClock(START))


@pytest.fixture
async def app(api: OfflineBotApi) -> AsyncIterator[AnyApp]:
    application = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).updater(None).build()
    add_toy_handlers(application)
    async with application:
        yield application


async def test_start_shows_text_and_inline_keyboard(app: AnyApp, api: OfflineBotApi) -> None:
    """/start answers with the greeting and two check-in buttons the runner can press."""
    await api.deliver(app, api.text(RUNNER, "/start"))
    message = api.last_message(RUNNER)
    assert message is not None
    assert message.plain_text == "Ready to train?"
    assert [(b.text, b.callback_data) for b in message.buttons] == [
        ("Done", "checkin:done"),
        ("Partly", "checkin:partly"),
    ]
    assert message.date == int(START.timestamp())


async def test_pressing_a_button_answers_it_and_edits_the_message_in_place(app: AnyApp, api: OfflineBotApi) -> None:
    """Pressing Partly shows the "Logged" pop-up and turns the prompt into "Logged: partly" without buttons."""
    await api.deliver(app, api.text(RUNNER, "/start"))
    prompt = api.last_message(RUNNER)
    assert prompt is not None
    marker = api.marker()
    await api.deliver(app, api.press(RUNNER, prompt.message_id, "checkin:partly"))
    assert [(a.text, a.data) for a in api.answered_callbacks(RUNNER)] == [("Logged", "checkin:partly")]
    edited = api.message(RUNNER, prompt.message_id)
    assert edited.plain_text == "Logged: partly"
    assert edited.buttons == []
    assert edited.edits == 1
    assert api.sent_since(RUNNER, marker) == []
    assert [e.kind for e in api.events_since(RUNNER, marker)] == ["callback_answered", "edited"]
    assert api.unanswered_callbacks() == []


async def test_free_text_gets_a_reply_and_messages_since_a_marker(app: AnyApp, api: OfflineBotApi) -> None:
    """Each typed line gets its reply, and reading "since a marker" shows only the newer replies."""
    await api.deliver(app, api.text(RUNNER, "hi"))
    marker = api.marker()
    await api.deliver(app, api.text(RUNNER, "what should I lift today"))
    assert api.texts_since(RUNNER, 0) == ["You said: hi", "You said: what should I lift today"]
    assert api.texts_since(RUNNER, marker) == ["You said: what should I lift today"]
    runner_side = api.messages(RUNNER, include_runner=True)
    assert [m.message_id for m in runner_side] == [1, 2, 3, 4]


async def test_unsupported_method_answers_with_a_bot_api_error(app: AnyApp, api: OfflineBotApi) -> None:
    """A method the offline Telegram does not know fails with Telegram's 400 error shape."""
    with pytest.raises(BadRequest, match="not supported by the offline transport"):
        await app.bot.send_dice(RUNNER)
    call = api.calls[-1]
    assert (call.method, call.status, call.ok) == ("sendDice", 400, False)
    status, body = await api.handle("sendDice", {"chat_id": RUNNER})
    assert (status, body) == (
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: method not supported by the offline transport",
        },
    )


async def test_telegram_errors_are_reproduced(app: AnyApp, api: OfflineBotApi) -> None:
    """An empty or too long text, long button data, an unchanged edit and a blocked runner fail as on Telegram."""
    with pytest.raises(BadRequest, match="text is empty"):
        await app.bot.send_message(RUNNER, "  ")
    with pytest.raises(BadRequest, match="too long"):
        await app.bot.send_message(RUNNER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="x" * 65)]])
        await app.bot.send_message(RUNNER, "Pick", reply_markup=markup)
    sent = await app.bot.send_message(RUNNER, "Same")
    with pytest.raises(BadRequest, match="not modified"):
        await app.bot.edit_message_text("Same", chat_id=RUNNER, message_id=sent.message_id)
    api.block(RUNNER)
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(RUNNER, "Daily prompt")
    api.text(RUNNER, "/start")  # writing again unblocks
    await app.bot.send_message(RUNNER, "Welcome back")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_flood_error_raises_retry_after(app: AnyApp, api: OfflineBotApi) -> None:
    """A scripted 429 reaches the bot as RetryAfter, and the next call goes through."""
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter):
        await app.bot.send_message(RUNNER, "prompt")
    await app.bot.send_message(RUNNER, "prompt")
    assert api.texts_since(RUNNER) == ["prompt"]


async def test_formatted_text_is_refused_rather_than_shown_wrongly(app: AnyApp, api: OfflineBotApi) -> None:
    """A parse_mode fails with a clear 400 instead of showing the runner markup Telegram would have hidden."""
    with pytest.raises(BadRequest, match=r"(?i)parse_mode is not supported"):
        await app.bot.send_message(RUNNER, "<b>Ready</b>", parse_mode="HTML")
    assert api.texts_since(RUNNER) == []


async def test_commands_menu_is_kept_per_scope(app: AnyApp, api: OfflineBotApi) -> None:
    """setMyCommands stores the menu the runner sees; a bad command name fails as on Telegram."""
    await app.bot.set_my_commands([("today", "Today's session"), ("week", "This week")])
    assert api.commands() == [
        {"command": "today", "description": "Today's session"},
        {"command": "week", "description": "This week"},
    ]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await app.bot.set_my_commands([("Today!", "Today's session")])


async def test_runner_locations_stickers_and_photos_reach_handlers(app: AnyApp, api: OfflineBotApi) -> None:
    """Shared locations, stickers and photos arrive as proper PTB messages."""
    await api.deliver(app, api.location(RUNNER, 52.52, 13.405))
    await api.deliver(app, api.sticker(RUNNER))
    await api.deliver(app, api.photo(RUNNER, caption="form check"))
    assert api.texts_since(RUNNER) == ["Location 52.52,13.40", "Sticker 👍", "Photo form check"]


async def test_get_updates_long_polls_and_honours_offset(app: AnyApp, api: OfflineBotApi) -> None:
    """getUpdates waits for the timeout when idle, wakes on a new update and forgets confirmed ones."""
    began = time.monotonic()
    assert await app.bot.get_updates(timeout=dt.timedelta(milliseconds=100)) == ()
    assert 0.09 <= time.monotonic() - began < 1

    first = api.enqueue(api.text(RUNNER, "one"))
    api.enqueue(api.text(RUNNER, "two"))
    updates = await app.bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["one", "two"]
    assert [u.update_id for u in await app.bot.get_updates(offset=first + 1, timeout=0)] == [first + 1]
    assert await app.bot.get_updates(offset=first + 2, timeout=0) == ()

    waiting = asyncio.create_task(app.bot.get_updates(offset=first + 2, timeout=5))
    await asyncio.sleep(0.01)
    api.enqueue(api.text(RUNNER, "three"))
    began = time.monotonic()
    woke = await asyncio.wait_for(waiting, 1)
    assert [u.message.text for u in woke if u.message] == ["three"]
    assert time.monotonic() - began < 0.5


async def test_one_transport_serves_two_bots_and_survives_repeated_init(api: OfflineBotApi) -> None:
    """Two Bot instances may share the transport; shutting one down leaves the other working."""
    first = Bot(TOKEN, request=api, get_updates_request=api)
    second = Bot(TOKEN, request=api, get_updates_request=api)
    await first.initialize()
    await second.initialize()
    await api.initialize()
    await first.shutdown()
    await second.send_message(RUNNER, "still here")
    assert api.texts_since(RUNNER) == ["still here"]
    assert (await second.get_me()).username == "coach_bot"
    await second.shutdown()
    await api.shutdown()


async def test_emulator_serves_a_polling_application_over_http() -> None:
    """A bot polling the emulator over HTTP gets the runner's message and its reply is recorded."""
    async with BotApiEmulator(TOKEN) as emulator:
        assert emulator.base_url == f"http://127.0.0.1:{emulator.port}/bot"
        application = ApplicationBuilder().token(TOKEN).base_url(emulator.base_url).build()
        add_toy_handlers(application)
        async with application:
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0)
            await application.start()
            try:
                marker = emulator.api.marker()
                emulator.send_text(RUNNER, "hello over http")
                reply = await emulator.wait_for_message(RUNNER, since=marker)
                assert reply.plain_text == "You said: hello over http"

                marker = emulator.api.marker()
                emulator.send_text(RUNNER, "/start")
                prompt = await emulator.wait_for_message(RUNNER, since=marker)
                emulator.press_label(RUNNER, "done")
                assert await emulator.api.wait_for(lambda: prompt.plain_text == "Logged: done")
                assert [a.text for a in emulator.api.answered_callbacks()] == ["Logged"]
            finally:
                await application.updater.stop()
                await application.stop()
        methods = [call.method for call in emulator.api.calls]
        assert methods[:2] == ["getMe", "deleteWebhook"]
        assert {"sendMessage", "answerCallbackQuery", "editMessageText"} <= set(methods)


async def test_emulator_rejects_a_wrong_token() -> None:
    """A bot with another token is refused with 401, which PTB reports as an invalid token."""
    async with BotApiEmulator(TOKEN) as emulator:
        application = ApplicationBuilder().token("999:WRONG").base_url(emulator.base_url).build()
        with pytest.raises(InvalidToken):
            await application.initialize()
        await application.shutdown()
        assert emulator.api.calls[-1].status == 401
