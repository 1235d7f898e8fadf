"""A tiny in-memory Telegram behind python-telegram-bot's request seam.

`OfflineBotApi` is a `telegram.request.BaseRequest`: hand it to
`ApplicationBuilder().request(api).get_updates_request(api)` and every Bot API call the bot makes is
answered here, offline, the way Telegram would answer it (including Telegram's errors for empty or
too long texts, malformed HTML/MarkdownV2, "message is not modified", over-long callback data, a
blocked user, an unknown callback query). It keeps each chat's messages and records every call.

The same object is the runner's side of the chat: `text`, `press`, `location`, `sticker` and
`photo` build updates exactly as Telegram would deliver them; `enqueue` hands one to `getUpdates`
and `to_update`/`deliver` turn it into a `telegram.Update` for `Application.process_update`.

Request bodies are decoded from their wire form (`RequestData.json_parameters` and
`RequestData.multipart_data`) with the same code the HTTP emulator uses, so a call that passes here
passes over HTTP too.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from typing import IO, TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.ext import Application

JSONDict = dict[str, Any]

UNSUPPORTED = "Bad Request: method not supported by the offline transport"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

DEFAULT_BOT_USER: JSONDict = {
    "is_bot": True,
    "first_name": "Coach",
    "username": "coach_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

EventKind = Literal["sent", "edited", "deleted", "callback_answered"]


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional response parameters."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (multipart part): its name, content and MIME type."""

    filename: str
    content: bytes
    mimetype: str

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Button:
    """One keyboard button as the runner sees it.

    `kind` is "inline" (pressing sends a callback query) or "reply" (pressing sends its text).
    """

    text: str
    kind: Literal["inline", "reply"] = "inline"
    callback_data: str | None = None
    url: str | None = None
    request_location: bool = False


@dataclass
class ChatMessage:
    """One message in a chat, in its current state (edits are applied in place).

    `text` is the text or caption as the sender wrote it (markup included), `plain_text` what the
    runner reads. `data` is the Message JSON as Telegram would return it now.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    kind: str
    text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None
    date: int
    data: JSONDict
    filename: str | None = None
    size: int | None = None
    file_id: str | None = None
    edits: int = 0
    deleted: bool = False
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
    """Something the runner would notice in a chat: a message sent, edited or deleted by the bot,
    or a callback query answered (a toast or an alert)."""

    seq: int
    chat_id: int
    kind: EventKind
    message_id: int | None = None
    answer: CallbackAnswer | None = None


@dataclass(frozen=True)
class ApiCall:
    """One call the bot made, decoded: method, parameters, uploaded files and the outcome."""

    method: str
    params: JSONDict
    files: Mapping[str, UploadedFile]
    status: int
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


@dataclass
class _Chat:
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
class _PendingQuery:
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


# --- wire decoding -------------------------------------------------------------------------------

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "message_ids",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "max_connections",
        "cache_time",
        "duration",
        "width",
        "height",
        "from_chat_id",
    }
)
_FLOAT_FIELDS = frozenset({"timeout", "latitude", "longitude"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "revoke",
        "show_caption_above_media",
    }
)


def decode_params(raw: Mapping[str, Any]) -> JSONDict:
    """Turn wire parameters (form strings, JSON-encoded where not a string) into Python values.

    Telegram knows each parameter's type; so does this: JSON objects for markup and lists, ints for
    ids, booleans for flags, and everything else stays the string it was sent as. Values that are
    already typed (a JSON request body) pass through.
    """
    params: JSONDict = {}
    for name, value in raw.items():
        if not isinstance(value, str):
            params[name] = value
            continue
        try:
            if name in _JSON_FIELDS:
                params[name] = json.loads(value)
            elif name == "chat_id" or name in _INT_FIELDS:
                params[name] = int(value)
            elif name in _FLOAT_FIELDS:
                number = float(value)
                params[name] = int(number) if number.is_integer() else number
            elif name in _BOOL_FIELDS:
                params[name] = value.lower() in ("true", "1")
            else:
                params[name] = value
        except ValueError:
            if name == "chat_id":
                params[name] = value  # "@channelusername"
            else:
                raise _bad(f"can't parse parameter {name}") from None
    return params


def _read_content(content: bytes | IO[bytes]) -> bytes:
    if isinstance(content, bytes):
        return content
    data = content.read()
    if content.seekable():
        content.seek(0)
    return data


def decode_request_data(request_data: RequestData | None) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Decode PTB's `RequestData` the way the HTTP wire would carry it."""
    if request_data is None:
        return {}, {}
    params = decode_params(request_data.json_parameters)
    files = {
        name: UploadedFile(filename=filename, content=_read_content(content), mimetype=mimetype)
        for name, (filename, content, mimetype) in request_data.multipart_data.items()
    }
    return params, files


def split_bot_url(url: str) -> tuple[str | None, str]:
    """`https://host/bot<TOKEN>/<method>` -> (token, method); token is None if absent."""
    path = urlsplit(url).path
    prefix, _, method = path.rpartition("/")
    segment = prefix.rpartition("/")[2]
    token = segment[3:] if segment.startswith("bot") else None
    return token, method


# --- formatting ----------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSONDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += _utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos - start, **extra})

    def result(self) -> tuple[str, list[JSONDict]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


def _entity_error(detail: str) -> ApiError:
    return _bad(f"can't parse entities: {detail}")


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class _HtmlParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Builder()
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.error:
            return
        attributes = dict(attrs)
        if tag not in _HTML_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        elif tag == "span" and attributes.get("class") != "tg-spoiler":
            self.error = 'Tag "span" must have class "tg-spoiler"'
        else:
            self.stack.append((tag, self.out.pos, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.error = self.error or f'Unsupported start tag "{tag}"'

    def handle_endtag(self, tag: str) -> None:
        if self.error:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tag = self.stack[-1][0] if self.stack else tag
            self.error = f'Can\'t find end tag corresponding to start tag "{open_tag}"'
            return
        _, start, attributes = self.stack.pop()
        kind = _HTML_TAGS[tag]
        extra: dict[str, Any] = {}
        if tag == "code" and any(frame[0] == "pre" for frame in self.stack):
            language = (attributes.get("class") or "").removeprefix("language-")
            if language:
                next(f for f in reversed(self.stack) if f[0] == "pre")[2]["_language"] = language
            return
        if tag == "pre" and attributes.get("_language"):
            extra["language"] = attributes["_language"]
        elif tag == "a":
            extra["url"] = attributes.get("href") or ""
        elif tag == "blockquote" and "expandable" in attributes:
            kind = "expandable_blockquote"
        elif tag == "tg-emoji":
            extra["custom_emoji_id"] = attributes.get("emoji-id") or ""
        self.out.entity(kind, start, **extra)

    def handle_data(self, data: str) -> None:
        if not self.error:
            self.out.add(data)


def _parse_html(text: str) -> tuple[str, list[JSONDict]]:
    parser = _HtmlParser()
    parser.feed(text)
    parser.close()
    if parser.error is None and parser.stack:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"'
    if parser.error:
        raise _entity_error(parser.error)
    return parser.out.result()


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_MARKERS = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
    "[": "text_link",
}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
}


def _find_unescaped(text: str, needle: str, start: int) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _code_block(text: str, i: int, out: _Builder, *, v2: bool) -> int:
    """Parse ```pre``` or `code` starting at i; return the index after it."""
    fence = "```" if text.startswith("```", i) else "`"
    end = _find_unescaped(text, fence, i + len(fence)) if v2 else text.find(fence, i + len(fence))
    kind = "pre" if fence == "```" else "code"
    if end < 0:
        raise _entity_error(f"Can't find end of {_ENTITY_NAMES[kind]} entity at byte offset {_byte_offset(text, i)}")
    body = text[i + len(fence) : end]
    extra: dict[str, Any] = {}
    if kind == "pre":
        first, newline, rest = body.partition("\n")
        if newline and first and not first.isspace():
            extra["language"] = first
            body = rest
    start = out.pos
    out.add(_unescape(body) if v2 else body)
    out.entity(kind, start, **extra)
    return end + len(fence)


def _parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # marker, start position, index in text
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 < len(text):
                out.add(text[i + 1])
            i += 2
            continue
        if char == "`":
            i = _code_block(text, i, out, v2=True)
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote line marker: the runner just sees the line
            continue
        if char == "[":
            stack.append(("[", out.pos, i))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[" and text.startswith("(", i + 1):
            close = _find_unescaped(text, ")", i + 2)
            if close < 0:
                raise _entity_error(f"Can't find end of a url at byte offset {_byte_offset(text, i)}")
            _, start, _ = stack.pop()
            out.entity("text_link", start, url=_unescape(text[i + 2 : close]))
            i = close + 1
            continue
        marker = next((m for m in ("__", "||") if text.startswith(m, i)), char)
        if marker in _MDV2_MARKERS and marker != "[":
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(_MDV2_MARKERS[marker], start)
            elif any(frame[0] == marker for frame in stack):
                name = _ENTITY_NAMES[_MDV2_MARKERS[marker]]
                offset = _byte_offset(text, stack[-1][2])
                raise _entity_error(f"Can't find end of {name} entity at byte offset {offset}")
            else:
                stack.append((marker, out.pos, i))
            i += len(marker)
            continue
        if char in _MDV2_RESERVED:
            raise _entity_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
        out.add(char)
        i += 1
    if stack:
        marker, _, index = stack[-1]
        name = _ENTITY_NAMES[_MDV2_MARKERS[marker]]
        raise _entity_error(f"Can't find end of {name} entity at byte offset {_byte_offset(text, index)}")
    return out.result()


def _parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    out = _Builder()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.add(text[i + 1])
            i += 2
        elif char == "`":
            i = _code_block(text, i, out, v2=False)
        elif char in "*_":
            end = text.find(char, i + 1)
            if end < 0:
                raise _entity_error(f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}")
            start = out.pos
            out.add(text[i + 1 : end])
            out.entity("bold" if char == "*" else "italic", start)
            i = end + 1
        elif char == "[":
            middle = text.find("](", i + 1)
            close = text.find(")", middle + 2) if middle >= 0 else -1
            if close < 0:
                raise _entity_error(f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}")
            start = out.pos
            out.add(text[i + 1 : middle])
            out.entity("text_link", start, url=text[middle + 2 : close])
            i = close + 1
        else:
            out.add(char)
            i += 1
    return out.result()


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[JSONDict]]:
    """What Telegram does with `text` and `parse_mode`: the plain text the runner reads and its
    entities (UTF-16 offsets); malformed markup raises the same 400 Telegram answers with."""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    raise _bad(f"unsupported parse_mode {parse_mode!r}")


# --- keyboards -----------------------------------------------------------------------------------


def keyboard_rows(markup: Mapping[str, Any] | None) -> list[list[Button]]:
    """Buttons of an inline keyboard or a reply keyboard, row by row."""
    if not markup:
        return []
    rows: list[list[Button]] = []
    for row in markup.get("inline_keyboard", []):
        rows.append(
            [
                Button(
                    text=str(b.get("text", "")),
                    kind="inline",
                    callback_data=b.get("callback_data"),
                    url=b.get("url"),
                )
                for b in row
            ]
        )
    for row in markup.get("keyboard", []):
        buttons = []
        for b in row:
            if isinstance(b, str):
                buttons.append(Button(text=b, kind="reply"))
            else:
                buttons.append(
                    Button(
                        text=str(b.get("text", "")),
                        kind="reply",
                        request_location=bool(b.get("request_location")),
                    )
                )
        rows.append(buttons)
    return rows


def _validate_markup(markup: Any) -> JSONDict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise _bad("can't parse inline keyboard button: Text must be non-empty")
            data = button.get("callback_data")
            actions = {
                "callback_data",
                "url",
                "web_app",
                "login_url",
                "switch_inline_query",
                "switch_inline_query_current_chat",
                "callback_game",
                "pay",
                "copy_text",
            }
            if not actions.intersection(button):
                raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
    return markup


_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


# --- the offline Bot API -------------------------------------------------------------------------


class OfflineBotApi(BaseRequest):
    """An in-memory Telegram for one bot, usable as PTB's request object (for both the regular and
    the getUpdates `Bot` requests at once) and as the fake runner's side of the chat."""

    def __init__(
        self,
        *,
        bot_user: Mapping[str, Any] | None = None,
        token: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`bot_user` overrides getMe's answer; `token`, if given, is the only one accepted (others
        get 401 Unauthorized); `clock` stamps message dates (defaults to the system clock)."""
        self._bot_user_override = dict(bot_user or {})
        self.token = token
        self.clock: Clock = clock or SystemClock()
        self._initialized = False
        self._chats: dict[int, _Chat] = {}
        self._events: list[ChatEvent] = []
        self._calls: list[ApiCall] = []
        self._pending_updates: list[JSONDict] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._queries: dict[str, _PendingQuery] = {}
        self._answers: list[CallbackAnswer] = []
        self._files: dict[str, UploadedFile | None] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._injected: dict[str, list[ApiError]] = {}
        self._waiters: set[asyncio.Future[None]] = set()
        self._bot_id: int | None = None
        self._shutdowns = 0
        self.webhook_url: str = ""

    # -- BaseRequest ---------------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    @property
    def initialized(self) -> bool:
        return self._initialized

    async def initialize(self) -> None:
        """Nothing to open; safe to call any number of times (PTB calls it once per `Bot`)."""
        self._initialized = True

    async def shutdown(self) -> None:
        """End pending long polls early; the recorded chats stay readable. Idempotent."""
        self._initialized = False
        self._shutdowns += 1
        self._notify()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        token, api_method = split_bot_url(url)
        if method != "POST":
            return HTTPStatus.NOT_FOUND, json.dumps(ApiError(404, "Not Found").body()).encode()
        try:
            params, files = decode_request_data(request_data)
        except ApiError as error:
            return error.code, json.dumps(error.body()).encode()
        status, body = await self.handle(api_method, params, files, token=token)
        return status, json.dumps(body).encode()

    # -- the Bot API -----------------------------------------------------------------------------

    async def handle(
        self,
        method: str,
        params: JSONDict,
        files: Mapping[str, UploadedFile] | None = None,
        *,
        token: str | None = None,
    ) -> tuple[int, JSONDict]:
        """Answer one Bot API call (decoded parameters) as Telegram would: (HTTP status, body)."""
        files = dict(files or {})
        if self.token is not None and token != self.token:
            error = ApiError(401, "Unauthorized")
            self._calls.append(ApiCall(method, params, files, error.code, description=error.description))
            return error.code, error.body()
        if token and self._bot_id is None:
            head = token.partition(":")[0]
            self._bot_id = int(head) if head.isdigit() else None
        handler = self._handlers().get(method.lower())
        try:
            injected = self._injected.get(method.lower())
            if injected:
                raise injected.pop(0)
            if handler is None:
                raise ApiError(400, UNSUPPORTED)
            result = await handler(params, files)
        except ApiError as error:
            self._calls.append(ApiCall(method, params, files, error.code, description=error.description))
            return error.code, error.body()
        self._calls.append(ApiCall(method, params, files, HTTPStatus.OK, result=result))
        return HTTPStatus.OK, {"ok": True, "result": result}

    def _handlers(self) -> dict[str, Callable[[JSONDict, dict[str, UploadedFile]], Any]]:
        return {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getupdates": self._get_updates,
            "deletemessage": self._delete_message,
            "close": self._true,
            "logout": self._true,
        }

    @property
    def bot_user(self) -> JSONDict:
        """The bot's own User object (getMe's answer)."""
        user = {"id": self._bot_id or 123456789, **DEFAULT_BOT_USER}
        user.update(self._bot_user_override)
        return user

    async def _true(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        return True

    async def _get_me(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        return self.bot_user

    def _target_chat(self, params: JSONDict) -> _Chat:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _bad("chat not found")
        chat = self._chat(chat_id)
        if chat.blocked:
            raise ApiError(403, BLOCKED)
        return chat

    def _formatted(self, params: JSONDict, key: str, limit: int) -> tuple[str, JSONDict]:
        """Plain text and the Message fields for `key` ("text" or "caption")."""
        source = str(params.get(key, ""))
        entities_key = "entities" if key == "text" else "caption_entities"
        if params.get(entities_key) is not None:
            plain, entities = source, list(params[entities_key])
        else:
            plain, entities = parse_formatted(source, params.get("parse_mode"))
        if _utf16_len(plain) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        fields: JSONDict = {key: plain} if plain else {}
        if entities:
            fields[entities_key] = entities
        return plain, fields

    def _store_bot_message(
        self,
        chat: _Chat,
        *,
        kind: str,
        params: JSONDict,
        content: JSONDict,
        text: str | None,
        filename: str | None = None,
        size: int | None = None,
        file_id: str | None = None,
    ) -> ChatMessage:
        markup = _validate_markup(params.get("reply_markup"))
        if markup and "inline_keyboard" in markup:
            content = {**content, "reply_markup": markup}
        message = self._new_message(
            chat,
            self.bot_user,
            content,
            from_bot=True,
            kind=kind,
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            filename=filename,
            size=size,
            file_id=file_id,
        )
        if markup and "keyboard" in markup:
            chat.reply_keyboard_message_id = message.message_id
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard_message_id = None
        event = self._event(chat.chat_id, "sent", message_id=message.message_id)
        message.sent_seq = message.changed_seq = event.seq
        return message

    async def _send_message(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self._target_chat(params)
        if not str(params.get("text", "")).strip():
            raise _bad("message text is empty")
        plain, fields = self._formatted(params, "text", MAX_TEXT)
        if not plain.strip():
            raise _bad("message text is empty")
        message = self._store_bot_message(chat, kind="text", params=params, content=fields, text=str(params["text"]))
        return copy.deepcopy(message.data)

    def _file_param(
        self, params: JSONDict, files: dict[str, UploadedFile], name: str
    ) -> tuple[str | None, int | None, str]:
        """(filename, size, file_id) of the photo/document parameter `name`."""
        value = params.get(name)
        upload: UploadedFile | None = None
        if value is None:
            upload = files.get(name)
        elif isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        elif isinstance(value, str):
            if value in self._files:
                known = self._files[value]
                return (known.filename if known else value), (known.size if known else None), value
            file_id = f"file-{next(self._file_ids)}"
            self._files[file_id] = None
            return value.rsplit("/", 1)[-1] or value, None, file_id
        if upload is None:
            raise _bad(f"there is no {name} in the request")
        file_id = f"file-{next(self._file_ids)}"
        self._files[file_id] = upload
        return upload.filename, upload.size, file_id

    async def _send_photo(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        return self._send_file(params, files, "photo")

    async def _send_document(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        return self._send_file(params, files, "document")

    def _send_file(self, params: JSONDict, files: dict[str, UploadedFile], kind: str) -> JSONDict:
        chat = self._target_chat(params)
        filename, size, file_id = self._file_param(params, files, kind)
        _, fields = self._formatted(params, "caption", MAX_CAPTION)
        unique = f"u{file_id}"
        if kind == "photo":
            fields["photo"] = [
                {"file_id": file_id, "file_unique_id": unique, "width": 90, "height": 60},
                {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 853, "file_size": size},
            ]
        else:
            fields["document"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": filename,
                "file_size": size,
            }
            upload = self._files.get(file_id)
            if upload is not None:
                fields["document"]["mime_type"] = upload.mimetype
        fields = {k: _drop_none(v) for k, v in fields.items()}
        caption = params.get("caption")
        message = self._store_bot_message(
            chat,
            kind=kind,
            params=params,
            content=fields,
            text=None if caption is None else str(caption),
            filename=filename,
            size=size,
            file_id=file_id,
        )
        return copy.deepcopy(message.data)

    def _editable(self, params: JSONDict) -> tuple[_Chat, ChatMessage]:
        if params.get("inline_message_id") is not None:
            raise _bad("inline messages are not supported by the offline transport")
        chat = self._target_chat(params)
        message = chat.messages.get(int(params.get("message_id", 0)))
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return chat, message

    def _apply_edit(
        self,
        message: ChatMessage,
        content: JSONDict,
        markup: JSONDict | None,
        text: str | None,
        *,
        text_key: str | None,
        params: JSONDict,
    ) -> JSONDict:
        old_markup = message.data.get("reply_markup")
        new_markup = markup if markup and "inline_keyboard" in markup else None
        entities_key = "entities" if text_key == "text" else "caption_entities"
        if text_key is not None:
            same_text = message.data.get(text_key) == content.get(text_key) and message.data.get(
                entities_key
            ) == content.get(entities_key)
        else:
            same_text = True
        if same_text and old_markup == new_markup:
            raise ApiError(400, NOT_MODIFIED)
        if text_key is not None:
            message.data.pop(text_key, None)
            message.data.pop(entities_key, None)
            message.data.update(content)
            message.text = text
            message.parse_mode = params.get("parse_mode")
        message.data.pop("reply_markup", None)
        if new_markup is not None:
            message.data["reply_markup"] = new_markup
        message.reply_markup = new_markup
        message.data["edit_date"] = self._now()
        message.edits += 1
        event = self._event(message.chat_id, "edited", message_id=message.message_id)
        message.changed_seq = event.seq
        return copy.deepcopy(message.data)

    async def _edit_message_text(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        _, message = self._editable(params)
        if message.kind != "text":
            raise _bad("there is no text in the message to edit")
        if not str(params.get("text", "")).strip():
            raise _bad("message text is empty")
        _, fields = self._formatted(params, "text", MAX_TEXT)
        markup = _validate_markup(params.get("reply_markup"))
        return self._apply_edit(message, fields, markup, str(params["text"]), text_key="text", params=params)

    async def _edit_message_caption(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        _, message = self._editable(params)
        if message.kind == "text":
            raise _bad("there is no caption in the message to edit")
        _, fields = self._formatted(params, "caption", MAX_CAPTION)
        markup = _validate_markup(params.get("reply_markup"))
        caption = params.get("caption")
        return self._apply_edit(
            message,
            fields,
            markup,
            None if caption is None else str(caption),
            text_key="caption",
            params=params,
        )

    async def _edit_message_reply_markup(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        _, message = self._editable(params)
        markup = _validate_markup(params.get("reply_markup"))
        return self._apply_edit(message, {}, markup, message.text, text_key=None, params=params)

    async def _delete_message(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        chat = self._target_chat(params)
        message = chat.messages.get(int(params.get("message_id", 0)))
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        message.deleted = True
        if chat.reply_keyboard_message_id == message.message_id:
            chat.reply_keyboard_message_id = None
        event = self._event(chat.chat_id, "deleted", message_id=message.message_id)
        message.changed_seq = event.seq
        return True

    async def _answer_callback_query(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise ApiError(400, QUERY_INVALID)
        query.answered = True
        text = params.get("text")
        answer = CallbackAnswer(
            callback_query_id=query_id,
            user_id=query.user_id,
            chat_id=query.chat_id,
            message_id=query.message_id,
            data=query.data,
            text=None if text is None else str(text),
            show_alert=bool(params.get("show_alert", False)),
            url=params.get("url"),
        )
        self._answers.append(answer)
        self._event(query.chat_id, "callback_answered", message_id=query.message_id, answer=answer)
        return True

    async def _send_chat_action(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self._target_chat(params)
        return True

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not _COMMAND_RE.match(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _set_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self._pending_updates.clear()
        self._notify()
        return True

    async def _delete_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    async def _get_updates(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        if offset > 0:
            self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]
        elif offset < 0:
            self._pending_updates = self._pending_updates[offset:]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        shutdowns = self._shutdowns
        while not self._pending_updates and shutdowns == self._shutdowns and not self.webhook_url:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await self._wait_change(remaining)
        return copy.deepcopy(self._pending_updates[:limit])

    # -- state helpers ---------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id)
        return chat

    def _event(
        self,
        chat_id: int,
        kind: EventKind,
        *,
        message_id: int | None = None,
        answer: CallbackAnswer | None = None,
    ) -> ChatEvent:
        event = ChatEvent(len(self._events) + 1, chat_id, kind, message_id, answer)
        self._events.append(event)
        self._notify()
        return event

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def _wait_change(self, seconds: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    async def wait_for(self, predicate: Callable[[], bool], within: float = 2.0) -> bool:
        """Wait until `predicate()` holds, re-checking after every change (sent message, queued
        update...); False if it still does not hold after `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._wait_change(remaining)
        return True

    # -- failure injection -----------------------------------------------------------------------

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
        self._injected.setdefault(method.lower(), []).append(ApiError(error_code, description, parameters))

    def block(self, user_id: int) -> None:
        """The runner blocks the bot: sending to them now fails with 403 until they write again."""
        self._chat(user_id).blocked = True

    def unblock(self, user_id: int) -> None:
        self._chat(user_id).blocked = False

    # -- the runner's side -----------------------------------------------------------------------

    def _user_json(self, user_id: int, first_name: str) -> JSONDict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    def _user_message(
        self,
        user_id: int,
        first_name: str,
        kind: str,
        content: JSONDict,
        text: str | None = None,
        chat_id: int | None = None,
    ) -> JSONDict:
        chat = self._chat(user_id if chat_id is None else chat_id)
        if chat_id is None:
            chat.first_name = first_name
        chat.blocked = False  # writing to a bot unblocks it
        sender = self._user_json(user_id, first_name)
        message = self._new_message(chat, sender, content, from_bot=False, kind=kind, text=text)
        return {"update_id": next(self._update_ids), "message": message.data}

    def _new_message(
        self,
        chat: _Chat,
        sender: JSONDict,
        content: JSONDict,
        *,
        from_bot: bool,
        kind: str,
        text: str | None,
        parse_mode: str | None = None,
        reply_markup: JSONDict | None = None,
        filename: str | None = None,
        size: int | None = None,
        file_id: str | None = None,
    ) -> ChatMessage:
        """Store the next message of a chat, from the bot or the runner, as Telegram numbers it."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        date = self._now()
        data: JSONDict = {"message_id": message_id, "date": date, "chat": chat.chat_json(), "from": sender, **content}
        message = ChatMessage(
            chat_id=chat.chat_id,
            message_id=message_id,
            from_bot=from_bot,
            kind=kind,
            text=text,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
            date=date,
            data=data,
            filename=filename,
            size=size,
            file_id=file_id,
        )
        chat.messages[message_id] = message
        return message

    def text(self, user_id: int, text: str, first_name: str = "Runner", *, chat_id: int | None = None) -> JSONDict:
        """The update for the runner typing `text` in their private chat, or in group `chat_id`
        (a negative id) (commands get their `bot_command` entity, as Telegram adds it, so
        `CommandHandler` matches)."""
        content: JSONDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return self._user_message(user_id, first_name, "text", content, text, chat_id)

    def press(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        first_name: str = "Runner",
        *,
        chat_id: int | None = None,
    ) -> JSONDict:
        """The update for the runner pressing an inline button with `callback_data` under the bot's
        message `message_id` (sent as the message is now) in their private chat, or in group
        `chat_id`. Any data may be sent, as a modified client could; the message itself must exist."""
        chat = self._chat(user_id if chat_id is None else chat_id)
        chat.blocked = False
        message = chat.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in chat {chat.chat_id} to press a button on")
        query_id = f"{user_id}{next(self._query_ids):08d}"
        self._queries[query_id] = _PendingQuery(user_id, chat.chat_id, message_id, callback_data)
        query: JSONDict = {
            "id": query_id,
            "from": self._user_json(user_id, first_name),
            "chat_instance": f"ci{user_id}",
            "message": copy.deepcopy(message.data),
            "data": callback_data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def location(self, user_id: int, lat: float, lon: float, first_name: str = "Runner") -> JSONDict:
        """The update for the runner sharing a location."""
        content = {"location": {"latitude": lat, "longitude": lon}}
        return self._user_message(user_id, first_name, "location", content)

    def sticker(self, user_id: int, emoji: str = "👍", first_name: str = "Runner") -> JSONDict:
        """The update for the runner sending a sticker."""
        unique = next(self._file_ids)
        content = {
            "sticker": {
                "file_id": f"sticker-{unique}",
                "file_unique_id": f"usticker-{unique}",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
                "emoji": emoji,
            }
        }
        return self._user_message(user_id, first_name, "sticker", content)

    def photo(self, user_id: int, caption: str | None = None, first_name: str = "Runner") -> JSONDict:
        """The update for the runner sending a photo (optionally captioned)."""
        unique = next(self._file_ids)
        content: JSONDict = {
            "photo": [
                {
                    "file_id": f"uphoto-{unique}",
                    "file_unique_id": f"uup-{unique}",
                    "width": 90,
                    "height": 90,
                    "file_size": 1200,
                },
                {
                    "file_id": f"uphoto-{unique}",
                    "file_unique_id": f"uup-{unique}",
                    "width": 1280,
                    "height": 1280,
                    "file_size": 98000,
                },
            ]
        }
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, first_name, "photo", content, caption)

    def enqueue(self, update: JSONDict) -> int:
        """Queue an update for the bot's next `getUpdates`; returns its update_id."""
        self._pending_updates.append(copy.deepcopy(update))
        self._notify()
        return int(update["update_id"])

    @staticmethod
    def to_update(update: JSONDict, bot: Bot) -> Update:
        """The `telegram.Update` PTB would build from this update JSON."""
        return Update.de_json(copy.deepcopy(update), bot)

    async def deliver(self, application: Application[Any, Any, Any, Any, Any, Any], update: JSONDict) -> None:
        """Process the update with `application.process_update`, as if polled."""
        await application.process_update(self.to_update(update, application.bot))

    # -- reading what happened -------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every call the bot made, in order (including getUpdates)."""
        return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self._calls if call.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> list[JSONDict]:
        return copy.deepcopy(self._pending_updates)

    def marker(self) -> int:
        """A point in the chat history; pass it to `sent_since`/`events_since` later."""
        return len(self._events)

    def events_since(self, chat_id: int | None, marker: int = 0) -> list[ChatEvent]:
        """Sent/edited/deleted/answered events after `marker` (for one chat, or all if None)."""
        return [e for e in self._events[marker:] if chat_id is None or e.chat_id == chat_id]

    def messages(
        self, chat_id: int, *, include_runner: bool = False, include_deleted: bool = False
    ) -> list[ChatMessage]:
        """A chat's messages in order: the bot's, and also the runner's if asked."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            m for m in chat.messages.values() if (include_runner or m.from_bot) and (include_deleted or not m.deleted)
        ]

    def message(self, chat_id: int, message_id: int) -> ChatMessage:
        return self._chats[chat_id].messages[message_id]

    def sent_since(self, chat_id: int, marker: int = 0) -> list[ChatMessage]:
        """The bot's messages first sent to the chat after `marker`, in their current state."""
        return [m for m in self.messages(chat_id) if m.sent_seq > marker]

    def texts_since(self, chat_id: int, marker: int = 0) -> list[str]:
        """What the runner reads of each message sent after `marker`."""
        return [m.plain_text for m in self.sent_since(chat_id, marker)]

    def last_message(self, chat_id: int) -> ChatMessage | None:
        """The bot's most recently sent message to the chat (not deleted)."""
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def last_with_buttons(self, chat_id: int) -> ChatMessage | None:
        """The most recently sent or edited bot message whose buttons the runner can press: an
        inline keyboard, or the chat's active reply keyboard."""
        chat = self._chats.get(chat_id)
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
        return [a for a in self._answers if user_id is None or a.user_id == user_id]

    def unanswered_callbacks(self) -> list[str]:
        """Ids of callback queries the bot never answered (the runner's button keeps spinning)."""
        return [query_id for query_id, q in self._queries.items() if not q.answered]

    def uploaded(self, file_id: str) -> UploadedFile | None:
        """The bytes the bot uploaded for `file_id` (None for files sent by URL or id)."""
        return self._files.get(file_id)

    def commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[JSONDict]:
        """The command menu set with setMyCommands for that scope and language."""
        key = self._commands_key({"scope": dict(scope) if scope else None, "language_code": language_code})
        return copy.deepcopy(self._commands.get(key, []))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


__all__ = [
    "ApiCall",
    "ApiError",
    "Button",
    "CallbackAnswer",
    "ChatEvent",
    "ChatMessage",
    "OfflineBotApi",
    "UploadedFile",
    "decode_params",
    "decode_request_data",
    "keyboard_rows",
    "parse_formatted",
    "split_bot_url",
]
