"""BotSender, the Telegram side of the sender port, against the offline Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.app import rate_limiter
from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.services.chat import NO_KEYS, Keys
from bot.services.ports import Button, Outgoing, RecipientGone
from bot.services.records import SendUnsure
from bot.telegram.sender import BotSender, NotModified, StaleQuery, telegram_error

TOKEN = "123456789:offline-coach-token-0000"
# python-telegram-bot warns from inside its own RetryAfter about a future type change
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
CHAT = 4242
PROMPT = Outgoing(
    "Today: strength, 20 min",
    (
        (Button("Done", "ck|done|20261123"), Button("Partly", "ck|partly|20261123")),
        (Button("Later", "ck|later|20261123"),),
    ),
)


@pytest.fixture
async def bot(api: OfflineBotApi) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


class Naps:
    """Records the waits the sender asked for instead of sleeping through them."""

    def __init__(self) -> None:
        self.taken: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


async def test_a_message_arrives_with_its_buttons_and_id(bot: Bot, api: OfflineBotApi) -> None:
    """The runner sees the text and the inline buttons row by row, each carrying its callback data."""
    message_id = await BotSender(bot).send(CHAT, PROMPT)
    shown = api.message(CHAT, message_id)
    assert shown.plain_text == "Today: strength, 20 min"
    assert [[(b.text, b.callback_data) for b in row] for row in shown.keyboard] == [
        [("Done", "ck|done|20261123"), ("Partly", "ck|partly|20261123")],
        [("Later", "ck|later|20261123")],
    ]


async def test_edit_replaces_text_and_buttons_in_place(bot: Bot, api: OfflineBotApi) -> None:
    """Editing changes the message the runner already has, and an identical edit is not an error."""
    sender = BotSender(bot)
    message_id = await sender.send(CHAT, PROMPT)
    logged = Outgoing("Today: strength, 20 min\nLogged: done ✅")
    await sender.edit(CHAT, message_id, logged)
    await sender.edit(CHAT, message_id, logged)
    assert api.texts_since(CHAT) == ["Today: strength, 20 min\nLogged: done ✅"]
    assert api.message(CHAT, message_id).keyboard == []


async def test_a_blocked_bot_means_the_recipient_is_gone(bot: Bot, api: OfflineBotApi) -> None:
    """Telegram's 403 for a runner who blocked the bot becomes RecipientGone, for sends and edits."""
    sender = BotSender(bot)
    message_id = await sender.send(CHAT, PROMPT)
    api.block(CHAT)
    with pytest.raises(RecipientGone):
        await sender.send(CHAT, PROMPT)
    with pytest.raises(RecipientGone):
        await sender.edit(CHAT, message_id, PROMPT)


async def test_a_rate_limit_is_waited_out_and_the_message_still_sent(bot: Bot, api: OfflineBotApi) -> None:
    """A 429 with retry_after 3 makes the sender wait 3 s and send again: the message arrives once."""
    naps = Naps()
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 3", retry_after=3)
    api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1", retry_after=1)
    await BotSender(bot, sleep=naps).send(CHAT, PROMPT)
    assert naps.taken == [3.0, 1.0]
    assert api.texts_since(CHAT) == ["Today: strength, 20 min"]


async def test_a_rate_limit_that_outlives_the_retries_reaches_the_caller(bot: Bot, api: OfflineBotApi) -> None:
    """After its retries the sender gives the RetryAfter to the caller (who keeps the message for later)."""
    naps = Naps()
    for _ in range(3):
        api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 2", retry_after=2)
    with pytest.raises(RetryAfter):
        await BotSender(bot, max_retries=2, sleep=naps).send(CHAT, PROMPT)
    assert naps.taken == [2.0, 2.0]
    assert api.texts_since(CHAT) == []


async def test_a_reply_keyboard_is_shown_and_taken_away(bot: Bot, api: OfflineBotApi) -> None:
    """A keyboard under the text field shows its keys (a share-location one first); no keys remove it."""
    sender = BotSender(bot)
    asked = await sender.reply(CHAT, "Where are you?", Keys((("Back", "Cancel"),), location="Share my location"))
    keys = api.message(CHAT, asked).keyboard
    assert [[(b.text, b.kind, b.request_location) for b in row] for row in keys] == [
        [("Share my location", "reply", True)],
        [("Back", "reply", False), ("Cancel", "reply", False)],
    ]
    await sender.reply(CHAT, "Found you.", NO_KEYS)
    assert api.last_with_buttons(CHAT) is None


async def test_a_tap_is_answered_with_its_pop_up(bot: Bot, api: OfflineBotApi) -> None:
    """Answering a tapped button shows its pop-up text to the runner who tapped."""
    message_id = await BotSender(bot).send(CHAT, PROMPT)
    query_id = api.press(CHAT, message_id, "ck|done|20261123")["callback_query"]["id"]
    await BotSender(bot).answer(query_id, "Logged")
    assert [a.text for a in api.answered_callbacks()] == ["Logged"]


async def test_behind_the_rate_limiter_a_flood_wait_is_waited_once(api: OfflineBotApi) -> None:
    """The real bot's rate limiter passes a 429 on at once (it only paces), so the sender's wait is
    the only one: one nap of the time Telegram asked for, and the message arrives once."""
    naps = Naps()
    bot = ExtBot(TOKEN, request=api, get_updates_request=api, rate_limiter=rate_limiter())
    await bot.initialize()
    try:
        api.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 3", retry_after=3)
        await BotSender(bot, sleep=naps).send(CHAT, PROMPT)
    finally:
        await bot.shutdown()
    assert naps.taken == [3.0]
    assert api.texts_since(CHAT) == ["Today: strength, 20 min"]


@pytest.mark.parametrize(
    ("code", "description", "expected"),
    [
        (403, "Forbidden: bot was blocked by the user", RecipientGone),
        (403, "Forbidden: user is deactivated", RecipientGone),
        (400, "Bad Request: chat not found", RecipientGone),
        (400, "Bad Request: PEER_ID_INVALID", RecipientGone),
        (400, "Bad Request: message is not modified: specified new message content is the same", NotModified),
        (400, "Bad Request: query is too old and response timeout expired or query ID is invalid", StaleQuery),
        (400, "Bad Request: message to edit not found", BadRequest),
    ],
)
async def test_each_telegram_error_maps_to_its_type(
    bot: Bot, api: OfflineBotApi, code: int, description: str, expected: type[Exception]
) -> None:
    """The error Telegram answers with, as python-telegram-bot raises it, maps to one typed error;
    one the bot has no type for stays python-telegram-bot's own."""
    api.fail_next("sendMessage", error_code=code, description=description)
    with pytest.raises(Exception) as raised:
        await bot.send_message(CHAT, "hello")
    mapped = telegram_error(raised.value, CHAT)
    assert type(mapped) is expected
    if expected is RecipientGone:
        assert isinstance(mapped, RecipientGone) and mapped.chat_id == CHAT


async def test_the_sender_raises_the_typed_errors(bot: Bot, api: OfflineBotApi) -> None:
    """Sends, edits and answers raise the typed errors: a chat that is gone is RecipientGone, an
    edit that changes nothing is no error at all, and a tap too old to answer is StaleQuery."""
    sender = BotSender(bot)
    message_id = await sender.send(CHAT, PROMPT)
    api.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(RecipientGone):
        await sender.send(CHAT, PROMPT)
    api.fail_next("editMessageText", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(RecipientGone):
        await sender.edit(CHAT, message_id, PROMPT)
    api.fail_next("editMessageText", error_code=400, description="Bad Request: message is not modified")
    await sender.edit(CHAT, message_id, PROMPT)
    query_id = api.press(CHAT, message_id, "ck|done|20261123")["callback_query"]["id"]
    api.fail_next("answerCallbackQuery", error_code=400, description="Bad Request: query is too old")
    with pytest.raises(StaleQuery):
        await sender.answer(query_id, "Logged")
    api.fail_next("sendMessage", error_code=400, description="Bad Request: message text is empty")
    with pytest.raises(BadRequest):
        await sender.send(CHAT, PROMPT)


class LossyApi(OfflineBotApi):
    """The offline Bot API behind a flaky network: the next sendMessage either reaches Telegram and
    the answer is lost (a read timeout), or never leaves (no connection)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fault: str | None = None

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        fault, self.fault = (self.fault, None) if url.endswith("/sendMessage") else (None, self.fault)
        if fault == "refused":
            raise NetworkError("httpx.ConnectError: refused") from httpx.ConnectError("refused")
        answer = await super().do_request(url, method, *args, **kwargs)
        if fault == "timeout":
            raise TimedOut("Timed out") from httpx.ReadTimeout("read")
        return answer


async def test_a_send_that_times_out_after_it_went_out_is_unsure_and_one_never_sent_is_not(
    clock: FakeClock,
) -> None:
    """A read timeout after Telegram took the message raises SendUnsure (the runner has it, the
    dispatcher re-sends it at most once); a refused connection is a plain NetworkError (not sent)."""
    api = LossyApi(clock=clock)
    bot = Bot(TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    try:
        api.fault = "timeout"
        with pytest.raises(SendUnsure):
            await BotSender(bot).send(CHAT, PROMPT)
        assert api.texts_since(CHAT) == ["Today: strength, 20 min"]
        api.fault = "refused"
        with pytest.raises(NetworkError) as refused:
            await BotSender(bot).send(CHAT, PROMPT)
        assert not isinstance(refused.value, SendUnsure)
        assert api.texts_since(CHAT) == ["Today: strength, 20 min"]
    finally:
        await bot.shutdown()
