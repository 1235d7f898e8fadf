"""The fake Telegram's state for one bot: chats and their messages, the events a runner would
notice, queued updates, open callback queries, the command menu and every call the bot made; and
the ways to read it and to wait for it to change.

`ChatState` holds it; the Bot API methods (`methods`) and the runner's side (`runner`) change it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from bot.clock import Clock, SystemClock
from bot.console.transport.wire import ApiError, JSONDict, UploadedFile

EventKind = Literal["sent", "edited", "callback_answered"]

DEFAULT_BOT_USER: JSONDict = {
    "is_bot": True,
    "first_name": "Coach",
    "username": "coach_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


# One numbering for every fake Telegram, as Telegram numbers a bot's updates: never the same
# update_id twice, across restarts of the bot (a fresh transport in the same process) and across
# processes (`coach chat` run again on the same chat file), since the bot handles an update_id once.
# Starting at the millisecond of the start keeps it growing from one process to the next.
UPDATE_IDS = itertools.count(int(time.time() * 1000))


@dataclass(frozen=True)
class Button:
    """One keyboard button as the runner sees it.

    `kind` is "inline" (pressing sends a callback query) or "reply" (pressing sends its text).
    """

    text: str
    kind: Literal["inline", "reply"] = "inline"
    callback_data: str | None = None
    request_location: bool = False


def keyboard_rows(markup: Mapping[str, Any] | None) -> list[list[Button]]:
    """Buttons of an inline keyboard or a reply keyboard, row by row."""
    if not markup:
        return []
    rows = [
        [Button(str(b.get("text", "")), "inline", b.get("callback_data")) for b in row]
        for row in markup.get("inline_keyboard", [])
    ]
    for row in markup.get("keyboard", []):
        rows.append(
            [
                Button(b, "reply")
                if isinstance(b, str)
                else Button(str(b.get("text", "")), "reply", request_location=bool(b.get("request_location")))
                for b in row
            ]
        )
    return rows


@dataclass
class ChatMessage:
    """One message in a chat, in its current state (edits are applied in place).

    `plain_text` is what the runner reads; `data` is the Message JSON as Telegram would return it now.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str
    reply_markup: JSONDict | None
    date: int
    data: JSONDict
    edits: int = 0
    sent_seq: int = 0
    changed_seq: int = 0

    @property
    def plain_text(self) -> str:
        value = self.data.get("text", self.data.get("caption", ""))
        return str(value)

    @property
    def keyboard(self) -> list[list[Button]]:
        """The inline keyboard rows (or reply keyboard rows) sent with this message."""
        return keyboard_rows(self.reply_markup)

    @property
    def buttons(self) -> list[Button]:
        """All keyboard buttons, row by row, flattened (numbering in the console follows this)."""
        return [button for row in self.keyboard for button in row]

    @property
    def inline_buttons(self) -> list[Button]:
        return [button for button in self.buttons if button.kind == "inline"]


@dataclass(frozen=True)
class CallbackAnswer:
    """A callback query the runner caused, and how the bot answered it."""

    callback_query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class ChatEvent:
    """Something the runner would notice in a chat: a message sent or edited by the bot, or a
    callback query answered (a toast or an alert)."""

    seq: int
    chat_id: int
    kind: EventKind
    message_id: int | None = None
    answer: CallbackAnswer | None = None


@dataclass(frozen=True)
class ApiCall:
    """One call the bot made, decoded: method, parameters and the outcome."""

    method: str
    params: JSONDict
    status: int
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


@dataclass
class Chat:
    """One chat: its messages by id, the next id, whether the runner blocked the bot."""

    chat_id: int
    first_name: str = "Runner"
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False
    reply_keyboard_message_id: int | None = None

    def chat_json(self) -> JSONDict:
        if self.chat_id > 0:
            return {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        return {"id": self.chat_id, "type": "group", "title": "Group"}


@dataclass
class PendingQuery:
    """A callback query the runner sent; answered once."""

    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class ChatState:
    """Everything the fake Telegram remembers for one bot, and how to read and wait on it."""

    def __init__(
        self,
        *,
        bot_user: Mapping[str, Any] | None = None,
        token: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`bot_user` overrides getMe's answer; `token`, if given, is the only one accepted (others
        get 401 Unauthorized); `clock` stamps message dates (defaults to the system clock)."""
        self.bot_user_override = dict(bot_user or {})
        self.token = token
        self.clock: Clock = clock or SystemClock()
        self.chats: dict[int, Chat] = {}
        self.events: list[ChatEvent] = []
        self.call_log: list[ApiCall] = []
        self.updates: list[JSONDict] = []
        self.update_ids = UPDATE_IDS  # shared: see UPDATE_IDS
        self.query_ids = itertools.count(1)
        self.file_ids = itertools.count(1)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, contents): what getFile serves
        self.queries: dict[str, PendingQuery] = {}
        self.answers: list[CallbackAnswer] = []
        self.menus: dict[str, list[JSONDict]] = {}
        self.injected: dict[str, list[ApiError]] = {}
        self.waiters: set[asyncio.Future[None]] = set()
        self.bot_id: int | None = None
        self.shutdowns = 0
        self.polls = 0  # getUpdates calls so far: a waiting one that is no longer the last is cut short
        self.webhook_url: str = ""
        self.documents: dict[tuple[int, int], UploadedFile] = {}  # (chat id, message id) -> the file sent
        self.photos: dict[tuple[int, int], UploadedFile] = {}  # (chat id, message id) -> the picture sent

    @property
    def bot_user(self) -> JSONDict:
        """The bot's own User object (getMe's answer)."""
        user = {"id": self.bot_id or 123456789, **DEFAULT_BOT_USER}
        user.update(self.bot_user_override)
        return user

    # -- changing ----------------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat(chat_id)
        return chat

    def new_message(
        self,
        chat: Chat,
        sender: JSONDict,
        content: JSONDict,
        *,
        from_bot: bool,
        kind: str,
        reply_markup: JSONDict | None = None,
    ) -> ChatMessage:
        """Store the next message of a chat, from the bot or the runner, as Telegram numbers it."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        date = self.now()
        data: JSONDict = {"message_id": message_id, "date": date, "chat": chat.chat_json(), "from": sender, **content}
        message = ChatMessage(chat.chat_id, message_id, from_bot, kind, reply_markup, date, data)
        chat.messages[message_id] = message
        return message

    def record_event(
        self, chat_id: int, kind: EventKind, *, message_id: int | None = None, answer: CallbackAnswer | None = None
    ) -> ChatEvent:
        event = ChatEvent(len(self.events) + 1, chat_id, kind, message_id, answer)
        self.events.append(event)
        self.notify()
        return event

    def block(self, user_id: int) -> None:
        """The runner blocks the bot: sending to them now fails with 403 until they write again."""
        self.chat(user_id).blocked = True

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 400,
        description: str = "Bad Request: injected error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of `method` fail like Telegram would (e.g. 429 with `retry_after`)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self.injected.setdefault(method.lower(), []).append(ApiError(error_code, description, parameters))

    # -- waiting -----------------------------------------------------------------------------------

    def notify(self) -> None:
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.waiters.clear()

    async def wait_change(self, seconds: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            pass
        finally:
            self.waiters.discard(waiter)

    async def wait_for(self, predicate: Callable[[], bool], within: float = 2.0) -> bool:
        """Wait until `predicate()` holds, re-checking after every change (sent message, queued
        update...); False if it still does not hold after `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self.wait_change(remaining)
        return True

    # -- reading -----------------------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every call the bot made, in order (including getUpdates)."""
        return list(self.call_log)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.call_log if call.method.lower() == method.lower()]

    def marker(self) -> int:
        """A point in the chat history; pass it to `sent_since`/`events_since` later."""
        return len(self.events)

    def events_since(self, chat_id: int | None, marker: int = 0) -> list[ChatEvent]:
        """Sent/edited/answered events after `marker` (for one chat, or all if None)."""
        return [e for e in self.events[marker:] if chat_id is None or e.chat_id == chat_id]

    def messages(self, chat_id: int, *, include_runner: bool = False) -> list[ChatMessage]:
        """A chat's messages in order: the bot's, and also the runner's if asked."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if include_runner or m.from_bot]

    def message(self, chat_id: int, message_id: int) -> ChatMessage:
        return self.chats[chat_id].messages[message_id]

    def sent_since(self, chat_id: int, marker: int = 0) -> list[ChatMessage]:
        """The bot's messages first sent to the chat after `marker`, in their current state."""
        return [m for m in self.messages(chat_id) if m.sent_seq > marker]

    def texts_since(self, chat_id: int, marker: int = 0) -> list[str]:
        """What the runner reads of each message sent after `marker`."""
        return [m.plain_text for m in self.sent_since(chat_id, marker)]

    def last_document(self, chat_id: int) -> UploadedFile | None:
        """The file of the bot's most recent document in the chat, as it was uploaded."""
        return _last(self.documents, chat_id)

    def last_photo(self, chat_id: int) -> UploadedFile | None:
        """The bot's most recent picture in the chat, as it was uploaded."""
        return _last(self.photos, chat_id)

    def last_message(self, chat_id: int) -> ChatMessage | None:
        """The bot's most recently sent message to the chat."""
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def last_with_buttons(self, chat_id: int) -> ChatMessage | None:
        """The most recently sent or edited bot message whose buttons the runner can press: an
        inline keyboard, or the chat's active reply keyboard."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        candidates = [m for m in self.messages(chat_id) if m.inline_buttons]
        if chat.reply_keyboard_message_id is not None:
            candidates.append(chat.messages[chat.reply_keyboard_message_id])
        if not candidates:
            return None
        return max(candidates, key=lambda m: m.changed_seq if m.inline_buttons else m.sent_seq)

    def answered_callbacks(self, user_id: int | None = None) -> list[CallbackAnswer]:
        """Callback queries the bot answered, in order, with the text it showed."""
        return [a for a in self.answers if user_id is None or a.user_id == user_id]

    def unanswered_callbacks(self) -> list[str]:
        """Ids of callback queries the bot never answered (the runner's button keeps spinning)."""
        return [query_id for query_id, q in self.queries.items() if not q.answered]

    def commands(self) -> list[JSONDict]:
        """The command menu set with setMyCommands (the default scope, every language)."""
        return [dict(command) for command in self.menus.get(menu_key(None), [])]


def menu_key(scope: Any, language_code: Any = None) -> str:
    """Where setMyCommands keeps a menu: one per scope and language."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True) + "|" + str(language_code or "")


def _last(files: Mapping[tuple[int, int], UploadedFile], chat_id: int) -> UploadedFile | None:
    sent = [key for key in files if key[0] == chat_id]
    return files[max(sent)] if sent else None
