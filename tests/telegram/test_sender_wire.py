"""What ``BotSender`` puts on the wire: the very requests python-telegram-bot's own methods send for
the same messages, recorded where the bot hands them to its transport (``BaseRequest``).

The sender sends, edits and answers through ``Bot._post`` with plain JSON keyboards and reads
Telegram's answer as JSON (no ``Message`` objects); the reference here is the way it sent before:
``send_message`` / ``edit_message_text`` / ``answer_callback_query`` with python-telegram-bot's
keyboard objects. Same method, same parameters in the same order, same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.ext import Defaults, ExtBot

from bot.console.transport import OfflineBotApi, WireRecorder
from bot.services.chat import NO_KEYS, Keys
from bot.services.ports import SENDING_DUE, Button, Outgoing
from bot.telegram.rate_limit import BROADCAST, Lane, LaneLimiter
from bot.telegram.sender import PLAIN_KEYBOARDS, BotSender
from bot.telegram.signing import Signer

TOKEN = "123456789:offline-coach-token-0000"
CHAT = 4242
SIGNER = Signer(b"wire-test-key")
MESSAGES = (
    Outgoing("Plain words, no buttons"),
    Outgoing(
        'Today: strength, 20 min — «quoted» ✅ "and" \\ slashes\nsecond line',
        (
            (Button("Done ✅", "ck|done|20261123"), Button("Partly", "ck|partly|20261123")),
            (Button("Later", "ck|later|20261123"),),
            (Button("Ärger? 😬", "why|20261123"), Button("🔥", "e|9"), Button("x", "y")),
        ),
    ),
    Outgoing("One button", ((Button("Settings", "set|open"),),)),
)
KEYS = (Keys((("Yes", "No"), ("Maybe 🤔",))), Keys((("Skip",),), location="📍 Share my location"), NO_KEYS)


class Lanes(LaneLimiter):
    """The bot's rate limiter, noting the lane each request came in."""

    def __init__(self) -> None:
        super().__init__()
        self.lanes: list[tuple[str, Lane | None]] = []

    async def process_request(
        self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str, data: Any, rate_limit_args: Lane | None
    ) -> Any:
        self.lanes.append((endpoint, rate_limit_args))
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def inline(message: Outgoing, signer: Signer | None) -> InlineKeyboardMarkup | None:
    """The keyboard as the sender built it before: python-telegram-bot's objects."""
    if not message.buttons:
        return None
    sign: Callable[[str], str] = (lambda raw: raw) if signer is None else (lambda raw: signer.sign(CHAT, raw))
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=sign(b.data)) for b in row] for row in message.buttons]
    )


def under_the_field(keys: Keys) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if not keys.rows and keys.location is None:
        return ReplyKeyboardRemove()
    first = [[KeyboardButton(keys.location, request_location=True)]] if keys.location is not None else []
    return ReplyKeyboardMarkup(
        [*first, *([KeyboardButton(label) for label in row] for row in keys.rows)],
        one_time_keyboard=True,
        resize_keyboard=True,
    )


async def recorded(script: Callable[[Bot, WireRecorder], Awaitable[list[int]]], ext: bool = False) -> tuple[Any, ...]:
    """The requests a script makes on a fresh bot and transport, and the ids it got back."""
    api = WireRecorder(token=TOKEN)
    bot: Bot = (ExtBot if ext else Bot)(TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    try:
        ids = await script(bot, api)
    finally:
        await bot.shutdown()
    return api.wire, ids


def test_the_keyboards_go_as_plain_json_with_this_python_telegram_bot() -> None:
    """The fast path is the one taken (were it not, the sender would still send the same bytes,
    through python-telegram-bot's objects)."""
    assert PLAIN_KEYBOARDS


@pytest.mark.parametrize("signer", [SIGNER, None], ids=["signed", "unsigned"])
async def test_sends_and_edits_put_the_same_requests_on_the_wire(signer: Signer | None) -> None:
    """Messages with and without buttons (non-ASCII, quotes, rows of one to three), sent, edited
    to each other and to themselves (Telegram's "not modified"), go out exactly as before."""

    async def now(bot: Bot, _api: WireRecorder) -> list[int]:
        sender = BotSender(bot, signer=signer)
        ids = [await sender.send(CHAT, message) for message in MESSAGES]
        for message_id, message in zip(ids, MESSAGES[1:] + MESSAGES[:1], strict=True):
            await sender.edit(CHAT, message_id, message)
        await sender.edit(CHAT, ids[0], MESSAGES[1])  # the same again: not modified, ignored
        return ids

    async def before(bot: Bot, _api: WireRecorder) -> list[int]:
        ids = [(await bot.send_message(CHAT, m.text, reply_markup=inline(m, signer))).message_id for m in MESSAGES]
        for message_id, message in zip(ids, MESSAGES[1:] + MESSAGES[:1], strict=True):
            markup = inline(message, signer)
            await bot.edit_message_text(message.text, chat_id=CHAT, message_id=message_id, reply_markup=markup)
        with pytest.raises(Exception, match="not modified"):
            await bot.edit_message_text(
                MESSAGES[1].text, chat_id=CHAT, message_id=ids[0], reply_markup=inline(MESSAGES[1], signer)
            )
        return ids

    for ext in (False, True):
        wire, ids = await recorded(now, ext)
        assert (wire, ids) == await recorded(before, ext)
        assert [method for method, _ in wire] == ["getMe"] + ["sendMessage"] * 3 + ["editMessageText"] * 4


async def test_keyboards_under_the_text_field_and_pop_ups_put_the_same_requests_on_the_wire() -> None:
    """Keys (with a location key first), their removal, and taps answered with and without a
    pop-up go out exactly as before."""

    async def now(bot: Bot, api: WireRecorder) -> list[int]:
        sender = BotSender(bot, signer=SIGNER)
        ids = [await sender.reply(CHAT, f"Question {n}", keys) for n, keys in enumerate(KEYS)]
        first, second = (api.press(CHAT, ids[0], "x")["callback_query"]["id"] for _ in range(2))
        await sender.answer(first, "Noted ✅")
        await sender.answer(second)
        return ids

    async def before(bot: Bot, api: WireRecorder) -> list[int]:
        ids = [
            (await bot.send_message(CHAT, f"Question {n}", reply_markup=under_the_field(keys))).message_id
            for n, keys in enumerate(KEYS)
        ]
        first, second = (api.press(CHAT, ids[0], "x")["callback_query"]["id"] for _ in range(2))
        await bot.answer_callback_query(first, "Noted ✅")
        await bot.answer_callback_query(second, None)
        return ids

    wire, ids = await recorded(now)
    assert (wire, ids) == await recorded(before)
    assert [method for method, _ in wire] == ["getMe"] + ["sendMessage"] * 3 + ["answerCallbackQuery"] * 2


async def test_a_paid_broadcast_goes_out_as_before_in_its_lane_with_its_due_time() -> None:
    """The dispatcher's sender: allow_paid_broadcast where it was, and the rate limiter sees the
    broadcast lane with the due time of the message being sent (replies: no lane, the default)."""
    due = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
    prompt = MESSAGES[1]

    async def run(send: Callable[[ExtBot[None]], Awaitable[int]]) -> tuple[Any, ...]:
        api, limiter = WireRecorder(token=TOKEN), Lanes()
        bot = ExtBot(TOKEN, request=api, get_updates_request=api, rate_limiter=limiter)
        await bot.initialize()
        token = SENDING_DUE.set(due)
        try:
            ids = [await send(bot), await BotSender(bot, signer=SIGNER).send(CHAT, prompt)]
        finally:
            SENDING_DUE.reset(token)
            await bot.shutdown()
            await limiter.shutdown()
        return api.wire, ids, limiter.lanes

    async def now(bot: ExtBot[None]) -> int:
        return await BotSender(bot, signer=SIGNER, lane=BROADCAST, paid=True).send(CHAT, prompt)

    async def before(bot: ExtBot[None]) -> int:
        message = await bot.send_message(
            CHAT,
            prompt.text,
            reply_markup=inline(prompt, SIGNER),
            allow_paid_broadcast=True,
            rate_limit_args=Lane(BROADCAST, due),
        )
        return message.message_id

    sent = await run(now)
    assert sent == await run(before)
    assert sent[2] == [("getMe", None), ("sendMessage", Lane(BROADCAST, due)), ("sendMessage", None)]
    assert ("allow_paid_broadcast", "true") in sent[0][1][1]


def test_a_bot_whose_methods_would_add_parameters_is_refused() -> None:
    """Defaults are python-telegram-bot's methods' work, which the sender's requests skip: such a
    bot is refused at once rather than sent to differently (so would one with arbitrary callback
    data, which this install of python-telegram-bot cannot even make)."""
    api = OfflineBotApi()
    with pytest.raises(ValueError, match="Defaults"):
        BotSender(ExtBot(TOKEN, request=api, defaults=Defaults(disable_notification=True)))
