"""The Telegram side of the sender port: :class:`BotSender` sends through python-telegram-bot.

It is the one place a message leaves the bot and the one place Telegram's keyboards are built:
the dispatcher sends and edits through it, and every handler replies, edits and answers taps
through it (``bot.services.chat.Chat``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.services.chat import Keys
from bot.services.ports import Outgoing, RecipientGone

log = structlog.get_logger(__name__)

T = TypeVar("T")

# BadRequest descriptions that mean the chat itself is gone (Forbidden always means that)
GONE = ("chat not found", "user not found", "peer_id_invalid", "chat_write_forbidden")
NOT_MODIFIED = "message is not modified"
MAX_RETRIES = 5


def markup(message: Outgoing) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a message, or None when it has no buttons."""
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=button.data) for button in row] for row in message.buttons]
    )


def reply_keys(keys: Keys) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """The keyboard under the text field (a one-time one, sized to its keys), or its removal."""
    if not keys.rows and keys.location is None:
        return ReplyKeyboardRemove()
    first = [[KeyboardButton(keys.location, request_location=True)]] if keys.location is not None else []
    rows = [*first, *([KeyboardButton(label) for label in row] for row in keys.rows)]
    return ReplyKeyboardMarkup(rows, one_time_keyboard=True, resize_keyboard=True)


def _seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (an int today, a timedelta in PTB's next major version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay: Any = error.retry_after
    return delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)


class BotSender:
    """Sends plain-text messages with inline keyboards (or a keyboard under the text field), edits
    them and answers taps; a blocked bot becomes :class:`RecipientGone`.

    A ``RetryAfter`` (HTTP 429) is waited out and the call repeated, up to ``max_retries`` times;
    after that the error goes to the caller, who keeps the message for later: nothing is dropped.
    This is the bot's one retry: the rate limiter in front of the real Bot API
    (``bot.app.rate_limiter``) only paces.
    """

    def __init__(
        self,
        bot: Bot,
        *,
        max_retries: int = MAX_RETRIES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._max_retries = max_retries
        self._sleep = sleep

    async def send(self, chat_id: int, message: Outgoing) -> int:
        sent = await self._call(
            chat_id, lambda: self._bot.send_message(chat_id, message.text, reply_markup=markup(message))
        )
        return sent.message_id

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        try:
            await self._call(
                chat_id,
                lambda: self._bot.edit_message_text(
                    message.text, chat_id=chat_id, message_id=message_id, reply_markup=markup(message)
                ),
            )
        except BadRequest as exc:
            if NOT_MODIFIED not in exc.message.lower():
                raise

    async def reply(self, chat_id: int, text: str, keys: Keys) -> int:
        sent = await self._call(chat_id, lambda: self._bot.send_message(chat_id, text, reply_markup=reply_keys(keys)))
        return sent.message_id

    async def answer(self, query_id: str, text: str | None = None) -> None:
        await self._bot.answer_callback_query(query_id, text)

    async def _call(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await call()
            except Forbidden as exc:
                raise RecipientGone(chat_id, exc.message) from exc
            except RetryAfter as exc:
                attempt += 1
                if attempt > self._max_retries:
                    raise
                delay = _seconds(exc)
                log.warning("sender.retry_after", seconds=delay, attempt=attempt)
                await self._sleep(delay)
            except BadRequest as exc:
                if any(marker in exc.message.lower() for marker in GONE):
                    raise RecipientGone(chat_id, exc.message) from exc
                raise
