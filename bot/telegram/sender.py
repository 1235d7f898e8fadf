"""The Telegram side of the sender port: :class:`BotSender` sends through python-telegram-bot.

It is the one place a message leaves the bot and the one place Telegram's keyboards are built:
the dispatcher sends and edits through it, and every handler replies, edits and answers taps
through it (``bot.services.chat.Chat``)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import structlog
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter  # what Bot._do_post builds RequestData of
from telegram.warnings import PTBDeprecationWarning

from bot.services.chat import Keys
from bot.services.ports import SENDING_DUE, Button, Outgoing, RecipientGone
from bot.services.records import SendUnsure
from bot.telegram.rate_limit import BROADCAST, REPLY, Lane
from bot.telegram.signing import Signer

log = structlog.get_logger(__name__)

T = TypeVar("T")

# BadRequest descriptions, read by `telegram_error` only: the chat itself is gone (Forbidden
# always means that), an edit changed nothing, a tap is too old (or answered already) to answer
GONE = ("chat not found", "user not found", "peer_id_invalid", "chat_write_forbidden")
NOT_MODIFIED = ("message is not modified",)
STALE_QUERY = ("query is too old", "query id is invalid")
MAX_RETRIES = 5
# the timeouts ExtBot._do_post hands a rate limiter for its callback, each left to the request's own
TIMEOUTS = ("read_timeout", "write_timeout", "connect_timeout", "pool_timeout")


class NotModified(Exception):
    """An edit that would leave the message as it is (Telegram refuses it); ``edit`` ignores it."""


class StaleQuery(Exception):
    """A tap Telegram no longer lets the bot answer: too old, or answered already."""


class UnsureSend(SendUnsure, NetworkError):
    """A send that timed out or lost its connection after the request went out: Telegram may have
    taken it (the dispatcher re-sends it at most once). Still a ``NetworkError`` for handlers."""


# httpx's errors (python-telegram-bot's transport, named rather than imported: httpx is its
# dependency, not ours) for a request that never left: no connection made, none free in the pool
NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})


def unsure(error: NetworkError) -> bool:
    """Whether a failed request may still have reached Telegram: a timeout or a network error
    (python-telegram-bot keeps the httpx error it wraps as the cause), unless no connection was
    made; never Telegram's own answer (a ``BadRequest`` is one)."""
    return not isinstance(error, BadRequest) and type(error.__cause__).__name__ not in NOT_SENT


def telegram_error(error: BaseException, chat_id: int = 0) -> BaseException:
    """The typed error for one of python-telegram-bot's, or ``error`` itself when it has none.

    ``Forbidden`` (a blocked bot) and a ``BadRequest`` for a chat that is gone become
    :class:`RecipientGone`; an edit that changes nothing becomes :class:`NotModified`; a tap too old
    to answer becomes :class:`StaleQuery`. This is the one place the text of a Telegram error is
    read: everything else works with these types.
    """
    if isinstance(error, Forbidden):
        return RecipientGone(chat_id, error.message)
    if not isinstance(error, BadRequest):
        return error
    text = error.message.lower()
    if any(marker in text for marker in GONE):
        return RecipientGone(chat_id, error.message)
    if any(marker in text for marker in NOT_MODIFIED):
        return NotModified(error.message)
    if any(marker in text for marker in STALE_QUERY):
        return StaleQuery(error.message)
    return error


JSONDict = dict[str, Any]


def _plain(buttons: tuple[tuple[Button, ...], ...], data: Callable[[str], str]) -> JSONDict:
    """An inline keyboard in the Bot API's JSON, key for key what python-telegram-bot's
    ``InlineKeyboardMarkup(...).to_dict()`` makes of it (its fields in alphabetical order)."""
    return {"inline_keyboard": [[{"callback_data": data(b.data), "text": b.label} for b in row] for row in buttons]}


def _ptb(buttons: tuple[tuple[Button, ...], ...], data: Callable[[str], str]) -> InlineKeyboardMarkup:
    """The same keyboard as python-telegram-bot's objects."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=data(button.data)) for button in row] for row in buttons]
    )


def _serialised_alike() -> bool:
    """Whether python-telegram-bot puts :func:`_plain`'s JSON on the wire for a keyboard (its
    requests send an object's ``to_dict()`` through ``json.dumps``): checked once, on a keyboard
    with every case the coach's have (rows of one and of two buttons, non-ASCII labels)."""
    sample = ((Button("Done ✅", "ck|done#MAC00000"), Button("Later", "x")), (Button("Ärger", "y"),))
    return json.dumps(_ptb(sample, str).to_dict()) == json.dumps(_plain(sample, str))


# The inline keyboards go as plain JSON (building, freezing and serialising python-telegram-bot's
# objects took about 65 us of CPU more for a three-button keyboard), unless this
# python-telegram-bot serialises them otherwise: then as its objects, so the bytes sent never change
PLAIN_KEYBOARDS = _serialised_alike()


def markup(message: Outgoing, chat_id: int = 0, signer: Signer | None = None) -> JSONDict | InlineKeyboardMarkup | None:
    """The inline keyboard of a message, or None when it has no buttons; with a ``signer``, every
    button's data carries its MAC for ``chat_id`` (``bot.telegram.signing``)."""
    if not message.buttons:
        return None

    def data(raw: str) -> str:
        return raw if signer is None else signer.sign(chat_id, raw)

    return (_plain if PLAIN_KEYBOARDS else _ptb)(message.buttons, data)


def reply_keys(keys: Keys) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """The keyboard under the text field (a one-time one, sized to its keys), or its removal."""
    if not keys.rows and keys.location is None:
        return ReplyKeyboardRemove()
    first = [[KeyboardButton(keys.location, request_location=True)]] if keys.location is not None else []
    rows = [*first, *([KeyboardButton(label) for label in row] for row in keys.rows)]
    return ReplyKeyboardMarkup(rows, one_time_keyboard=True, resize_keyboard=True)


class RawBotApi:
    """python-telegram-bot's methods the sender calls on every reply, sending the parameters its
    own would send and answering with Telegram's JSON ``result``, never parsed into its objects
    (``Message.de_json`` of every message sent or edited, its keyboard included, took about
    130 us of CPU each; the bot reads a sent message's id and nothing else).

    Each posts the way every ``Bot`` method posts once it has made its parameters (``Bot._post``,
    ``ExtBot._do_post``, ``Bot._do_post``), written out for these few parameters: ``None`` values
    dropped, ``ExtBot``'s rate limiter when the bot has one (with ``lane`` as its
    ``rate_limit_args``), the parameters as python-telegram-bot's ``RequestData``, handed to the
    bot's own request object (``BaseRequest.post``: the transport, Telegram's errors raised as
    ``TelegramError``, the ``result`` read from the JSON). Going through ``Bot._post`` cost about
    6 us of CPU a call more (measured in a tight loop) in its generic parameter work (defaults
    inserted, every value converted, rate-limit keys merged in and taken out again). Not
    ``Bot.do_api_request``, the public door for methods python-telegram-bot lacks: it warns for
    every method it has (``sendMessage``...) and turns an ``InvalidToken`` into
    ``EndPointNotFound``. ``Defaults`` and arbitrary callback data are ``ExtBot`` methods' work this
    path skips: a bot with either is refused.
    """

    def __init__(self, bot: Bot) -> None:
        if getattr(bot, "defaults", None) is not None or getattr(bot, "callback_data_cache", None) is not None:
            raise ValueError("the sender sends its parameters as they are: no Defaults, no arbitrary callback data")
        self._bot = bot

    async def send_message(
        self,
        chat_id: int,
        text: str,
        reply_markup: JSONDict | TelegramObject | None = None,
        *,
        allow_paid_broadcast: bool | None = None,
        lane: Lane | None = None,
    ) -> JSONDict:
        data: JSONDict = {"chat_id": chat_id, "text": text}  # in the order Bot.send_message puts them (on the wire)
        if allow_paid_broadcast is not None:
            data["allow_paid_broadcast"] = allow_paid_broadcast
        if reply_markup is not None:
            data["reply_markup"] = reply_markup
        return await self._post("sendMessage", data, lane)  # type: ignore[no-any-return]

    async def edit_message_text(
        self, text: str, chat_id: int, message_id: int, reply_markup: JSONDict | TelegramObject | None = None
    ) -> JSONDict | bool:
        data: JSONDict = {"text": text, "chat_id": chat_id, "message_id": message_id}
        if reply_markup is not None:
            data["reply_markup"] = reply_markup
        return await self._post("editMessageText", data)  # type: ignore[no-any-return]

    async def answer_callback_query(self, callback_query_id: str, text: str | None = None) -> bool:
        data: JSONDict = {"callback_query_id": callback_query_id}
        if text is not None:
            data["text"] = text
        return await self._post("answerCallbackQuery", data)  # type: ignore[no-any-return]

    async def _post(self, endpoint: str, data: JSONDict, lane: Lane | None = None) -> Any:
        """``data`` (no ``None`` in it) posted as ``ExtBot._do_post`` posts: through the rate
        limiter when the bot has one, with the same arguments, else straight to the request."""
        limiter = getattr(self._bot, "rate_limiter", None)
        if limiter is None:
            if lane is not None:
                raise ValueError("`rate_limit_args` can only be used if a `ExtBot.rate_limiter` is set.")
            return await self._request(endpoint, data)
        return await limiter.process_request(
            callback=self._request,
            args=(endpoint, data),
            kwargs=dict.fromkeys(TIMEOUTS, BaseRequest.DEFAULT_NONE),
            endpoint=endpoint,
            data=data,
            rate_limit_args=lane,
        )

    async def _request(self, endpoint: str, data: JSONDict, **timeouts: Any) -> Any:
        """``Bot._do_post``: the parameters as ``RequestData`` (a keyboard object made JSON as
        python-telegram-bot makes it, ``RequestParameter.from_input``; strings, numbers and the
        plain keyboards are already what it would make of them), posted to the bot's request."""
        parameters = [
            RequestParameter.from_input(key, value)
            if isinstance(value, TelegramObject)
            else RequestParameter(key, value, None)
            for key, value in data.items()
        ]
        return await self._bot.request.post(f"{self._bot.base_url}/{endpoint}", RequestData(parameters), **timeouts)


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (an int today, a timedelta in PTB's next major version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay: Any = error.retry_after
    return delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)


async def waiting_out_floods(call: Callable[[], Awaitable[T]], event: str, attempts: int = 3) -> T:
    """``call()``, a flood wait (429) logged as ``event`` with its wait (a WARNING, no traceback),
    waited out and tried again, ``attempts`` times in all: for the calls made once at start-up."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            log.warning(event, seconds=seconds, attempt=attempt)
            if attempt == attempts:
                raise
            await asyncio.sleep(seconds)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


class BotSender:
    """Sends plain-text messages with inline keyboards (or a keyboard under the text field), edits
    them and answers taps; a blocked bot becomes :class:`RecipientGone`.

    A ``RetryAfter`` (HTTP 429) is waited out and the call repeated, up to ``max_retries`` times;
    after that the error goes to the caller, who keeps the message for later: nothing is dropped.
    This is the bot's one retry: the rate limiter in front of the real Bot API
    (``bot.telegram.rate_limit``) only paces.

    ``lane`` is the limiter's lane its messages wait in: ``reply`` (handlers) goes first,
    ``broadcast`` (the dispatcher's sender) takes what replies leave, earliest due first (the due
    time the dispatcher sets in ``SENDING_DUE``). ``paid`` (broadcast only, ``ALLOW_PAID_BROADCAST``)
    sends with Telegram's ``allow_paid_broadcast``: up to 1,000 a second, for a fee.
    """

    def __init__(
        self,
        bot: Bot,
        *,
        max_retries: int = MAX_RETRIES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        signer: Signer | None = None,
        lane: Literal["reply", "broadcast"] = REPLY,
        paid: bool = False,
    ) -> None:
        if paid and lane != BROADCAST:
            raise ValueError("only broadcast sends may be paid")
        self._bot = bot
        self._api = RawBotApi(bot)
        self._lane = lane
        self._paid = paid
        self._signer = signer  # None only in the sender's own tests: the bot signs every button
        self._max_retries = max_retries
        self._sleep = sleep

    async def send(self, chat_id: int, message: Outgoing) -> int:
        """Send; a timeout or a lost connection after the request went out raises :class:`UnsureSend`."""
        paid = True if self._paid else None
        try:
            sent = await self._call(
                chat_id,
                lambda: self._api.send_message(
                    chat_id,
                    message.text,
                    markup(message, chat_id, self._signer),
                    allow_paid_broadcast=paid,
                    lane=self._rate_limit_args(),
                ),
            )
        except NetworkError as exc:
            if unsure(exc):
                raise UnsureSend(type(exc).__name__) from exc
            raise
        if message.photo is not None:  # the text went out: a picture that fails after it is only logged
            try:
                await self.photo(chat_id, *message.photo)
            except TelegramError as exc:
                log.warning("send.photo_failed", error=type(exc).__name__)
        return int(sent["message_id"])

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        with contextlib.suppress(NotModified):  # an identical edit: the runner already sees it
            await self._call(
                chat_id,
                lambda: self._api.edit_message_text(
                    message.text, chat_id, message_id, markup(message, chat_id, self._signer)
                ),
            )

    async def reply(self, chat_id: int, text: str, keys: Keys) -> int:
        sent = await self._call(chat_id, lambda: self._api.send_message(chat_id, text, reply_keys(keys)))
        return int(sent["message_id"])

    async def document(self, chat_id: int, name: str, content: bytes, caption: str) -> int:
        sent = await self._call(
            chat_id, lambda: self._bot.send_document(chat_id, InputFile(content, filename=name), caption=caption)
        )
        return sent.message_id

    async def photo(self, chat_id: int, name: str, content: bytes, caption: str) -> int:
        sent = await self._call(
            chat_id,
            lambda: self._bot.send_photo(chat_id, InputFile(content, filename=name), caption=caption, **self._extra()),
        )
        return sent.message_id

    async def answer(self, query_id: str, text: str | None = None) -> None:
        """Answer a tap; one too old to answer raises :class:`StaleQuery`."""
        try:
            await self._api.answer_callback_query(query_id, text)
        except TelegramError as exc:
            mapped = telegram_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def _extra(self) -> dict[str, Any]:
        """What a photo send carries besides the picture: the lane (only with a rate limiter, which
        python-telegram-bot requires for it) and Telegram's paid-broadcast flag."""
        extra: dict[str, Any] = {"allow_paid_broadcast": True} if self._paid else {}
        lane = self._rate_limit_args()
        if lane is not None:
            extra["rate_limit_args"] = lane
        return extra

    def _rate_limit_args(self) -> Lane | None:
        """The broadcast lane, with the due time of the message being sent, when a rate limiter
        paces the bot (python-telegram-bot refuses the argument without one); None for replies."""
        if self._lane == BROADCAST and getattr(self._bot, "rate_limiter", None) is not None:
            return Lane(BROADCAST, SENDING_DUE.get())
        return None

    async def _call(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await call()
            except RetryAfter as exc:
                attempt += 1
                delay = retry_after_seconds(exc)
                if attempt > self._max_retries:  # the caller keeps the message for later
                    log.warning("sender.retry_after.gave_up", seconds=delay, attempts=attempt)
                    raise
                log.warning("sender.retry_after", seconds=delay, attempt=attempt)
                await self._sleep(delay)
            except TelegramError as exc:
                mapped = telegram_error(exc, chat_id)
                if mapped is exc:
                    raise
                raise mapped from exc
