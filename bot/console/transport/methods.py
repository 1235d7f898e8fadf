"""The Bot API methods the coach calls, answered offline as Telegram would answer them.

Only what the product uses is here: getMe, sendMessage, sendDocument and sendPhoto (a new file
uploaded as multipart, kept with its name and bytes; a photo must be a PNG), editMessageText,
answerCallbackQuery, setMyCommands, getUpdates, setWebhook, deleteWebhook and getFile (whose file is
then downloaded from ``/file/bot<token>/<file_path>``, see ``api``). Each checks what Telegram checks (empty or
too long texts, "message is not modified", over-long callback data, a blocked runner, an unknown or
twice-answered callback query); any other method answers 400, and so does a `parse_mode` (the
coach sends plain text; a fake that ignored the markup would show the runner something Telegram
would not).
"""

from __future__ import annotations

import asyncio
import copy
import re
import struct
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from bot.console.transport.state import ApiCall, CallbackAnswer, Chat, ChatMessage, ChatState, menu_key
from bot.console.transport.wire import ApiError, JSONDict, UploadedFile, bad, utf16_len

UNSUPPORTED = "Bad Request: method not supported by the offline transport"
NO_PARSE_MODE = "Bad Request: parse_mode is not supported by the offline transport; send plain text"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED = "Forbidden: bot was blocked by the user"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_SIDE = 1280  # the largest size Telegram keeps of a photo
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CALLBACK_DATA = 64

_BUTTON_ACTIONS = frozenset(
    {
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
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

Method = Callable[[ChatState, JSONDict], Awaitable[Any]]


async def answer(tg: ChatState, method: str, params: JSONDict, *, token: str | None) -> tuple[int, JSONDict]:
    """Answer one Bot API call (decoded parameters) as Telegram would: (HTTP status, body); every
    call is recorded."""
    if tg.token is not None and token != tg.token:
        error = ApiError(401, "Unauthorized")
        tg.call_log.append(ApiCall(method, params, error.code, description=error.description))
        return error.code, error.body()
    if token and tg.bot_id is None:
        head = token.partition(":")[0]
        tg.bot_id = int(head) if head.isdigit() else None
    try:
        injected = tg.injected.get(method.lower())
        if injected:
            raise injected.pop(0)
        handler = METHODS.get(method.lower())
        if handler is None:
            raise ApiError(400, UNSUPPORTED)
        result = await handler(tg, params)
    except ApiError as error:
        tg.call_log.append(ApiCall(method, params, error.code, description=error.description))
        return error.code, error.body()
    tg.call_log.append(ApiCall(method, params, HTTPStatus.OK, result=result))
    return HTTPStatus.OK, {"ok": True, "result": result}


# -- checks ---------------------------------------------------------------------------------------


def _target_chat(tg: ChatState, params: JSONDict) -> Chat:
    chat_id = params.get("chat_id")
    if not isinstance(chat_id, int):
        raise bad("chat not found")
    chat = tg.chat(chat_id)
    if chat.blocked:
        raise ApiError(403, BLOCKED)
    return chat


def _text(params: JSONDict) -> str:
    """The message text, as Telegram would accept it."""
    if params.get("parse_mode"):
        raise ApiError(400, NO_PARSE_MODE)
    text = str(params.get("text", ""))
    if not text.strip():
        raise bad("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad("message is too long")
    return text


def _markup(params: JSONDict) -> JSONDict | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise bad("can't parse inline keyboard button: Text must be non-empty")
            if not _BUTTON_ACTIONS.intersection(button):
                raise bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise bad("BUTTON_DATA_INVALID")
    return markup


# -- the methods ----------------------------------------------------------------------------------


async def get_me(tg: ChatState, params: JSONDict) -> JSONDict:
    return tg.bot_user


async def send_message(tg: ChatState, params: JSONDict) -> JSONDict:
    chat = _target_chat(tg, params)
    text = _text(params)
    markup = _markup(params)
    content: JSONDict = {"text": text}
    if markup and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    message = tg.new_message(chat, tg.bot_user, content, from_bot=True, kind="text", reply_markup=markup)
    if markup and "keyboard" in markup:
        chat.reply_keyboard_message_id = message.message_id
    elif markup and markup.get("remove_keyboard"):
        chat.reply_keyboard_message_id = None
    event = tg.record_event(chat.chat_id, "sent", message_id=message.message_id)
    message.sent_seq = message.changed_seq = event.seq
    return copy.deepcopy(message.data)


def _uploaded(params: JSONDict, part: str) -> UploadedFile:
    """The new file sent as ``part`` (an upload; a file_id or URL is not supported here)."""
    upload = params.get(part)
    if not isinstance(upload, UploadedFile):
        raise bad(f"there is no {part} in the request" if upload is None else "only uploaded files are supported")
    if not upload.content:
        raise bad("file must be non-empty")
    return upload


def _file_message(
    tg: ChatState, chat: Chat, params: JSONDict, kind: str, content: JSONDict, upload: UploadedFile
) -> JSONDict:
    """A message carrying a file (``content`` names it), with an optional caption and buttons; the
    file is kept, by chat and message id, in ``tg.documents`` or ``tg.photos``."""
    if params.get("parse_mode"):
        raise ApiError(400, NO_PARSE_MODE)
    caption = str(params.get("caption", ""))
    if utf16_len(caption) > MAX_CAPTION:
        raise bad("message caption is too long")
    content = {**content, **({"caption": caption} if caption else {})}
    markup = _markup(params)
    if markup and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    message = tg.new_message(chat, tg.bot_user, content, from_bot=True, kind=kind, reply_markup=markup)
    (tg.photos if kind == "photo" else tg.documents)[(chat.chat_id, message.message_id)] = upload
    event = tg.record_event(chat.chat_id, "sent", message_id=message.message_id)
    message.sent_seq = message.changed_seq = event.seq
    return copy.deepcopy(message.data)


async def send_document(tg: ChatState, params: JSONDict) -> JSONDict:
    """A new file (an upload; a file_id or URL is not supported here), with an optional caption."""
    chat = _target_chat(tg, params)
    upload = _uploaded(params, "document")
    number = next(tg.file_ids)
    document = {
        "file_id": f"document-{number}",
        "file_unique_id": f"unique-document-{number}",
        "file_name": upload.name,
        "mime_type": upload.mime_type,
        "file_size": len(upload.content),
    }
    return _file_message(tg, chat, params, "document", {"document": document}, upload)


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header, as Telegram would take them; its answer otherwise."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise bad("IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", data[16:24])
    if width == 0 or height == 0 or width + height > 10000 or max(width, height) > 20 * min(width, height):
        raise bad("PHOTO_INVALID_DIMENSIONS")
    return width, height


async def send_photo(tg: ChatState, params: JSONDict) -> JSONDict:
    """A new picture (an upload: a PNG, what the coach draws), kept at most 1280 px on its longer
    side as Telegram does, with an optional caption."""
    chat = _target_chat(tg, params)
    upload = _uploaded(params, "photo")
    if len(upload.content) > MAX_PHOTO_BYTES:
        raise bad("PHOTO_SAVE_FILE_INVALID")
    width, height = png_size(upload.content)
    scale = min(1.0, PHOTO_SIDE / max(width, height))
    number = next(tg.file_ids)
    size = {
        "file_id": f"photo-{number}",
        "file_unique_id": f"unique-photo-{number}",
        "width": round(width * scale),
        "height": round(height * scale),
        "file_size": len(upload.content),
    }
    return _file_message(tg, chat, params, "photo", {"photo": [size]}, upload)


def _editable(tg: ChatState, params: JSONDict) -> ChatMessage:
    if params.get("inline_message_id") is not None:
        raise bad("inline messages are not supported by the offline transport")
    chat = _target_chat(tg, params)
    message = chat.messages.get(int(params.get("message_id", 0)))
    if message is None:
        raise bad("message to edit not found")
    if not message.from_bot:
        raise bad("message can't be edited")
    if message.kind != "text":
        raise bad("there is no text in the message to edit")
    return message


async def edit_message_text(tg: ChatState, params: JSONDict) -> JSONDict:
    message = _editable(tg, params)
    text = _text(params)
    markup = _markup(params)
    new_markup = markup if markup and "inline_keyboard" in markup else None
    if message.data.get("text") == text and message.data.get("reply_markup") == new_markup:
        raise ApiError(400, NOT_MODIFIED)
    message.data["text"] = text
    message.data.pop("reply_markup", None)
    if new_markup is not None:
        message.data["reply_markup"] = new_markup
    message.reply_markup = new_markup
    message.data["edit_date"] = tg.now()
    message.edits += 1
    event = tg.record_event(message.chat_id, "edited", message_id=message.message_id)
    message.changed_seq = event.seq
    return copy.deepcopy(message.data)


async def answer_callback_query(tg: ChatState, params: JSONDict) -> bool:
    query_id = str(params.get("callback_query_id", ""))
    query = tg.queries.get(query_id)
    if query is None or query.answered:
        raise ApiError(400, QUERY_INVALID)
    query.answered = True
    text = params.get("text")
    answered = CallbackAnswer(
        callback_query_id=query_id,
        user_id=query.user_id,
        chat_id=query.chat_id,
        message_id=query.message_id,
        data=query.data,
        text=None if text is None else str(text),
        show_alert=bool(params.get("show_alert", False)),
        url=params.get("url"),
    )
    tg.answers.append(answered)
    tg.record_event(query.chat_id, "callback_answered", message_id=query.message_id, answer=answered)
    return True


async def set_my_commands(tg: ChatState, params: JSONDict) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND_RE.match(str(command.get("command", ""))):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
    tg.menus[menu_key(params.get("scope"), params.get("language_code"))] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


async def set_webhook(tg: ChatState, params: JSONDict) -> bool:
    tg.webhook_url = str(params.get("url", ""))
    if params.get("drop_pending_updates"):
        tg.updates.clear()
    tg.notify()
    return True


async def delete_webhook(tg: ChatState, params: JSONDict) -> bool:
    tg.webhook_url = ""
    if params.get("drop_pending_updates"):
        tg.updates.clear()
    return True


_ONE_INSTANCE = "make sure that only one bot instance is running"


async def get_updates(tg: ChatState, params: JSONDict) -> list[JSONDict]:
    """The queued updates from `offset` on, waiting up to `timeout` seconds for one (a long poll
    also ends when the transport shuts down or a webhook is set). As Telegram does, a getUpdates
    that comes while another one waits cuts that one short with 409 Conflict: two bots poll."""
    if tg.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = int(params.get("offset") or 0)
    limit = max(1, min(100, int(params.get("limit") or 100)))
    timeout = float(params.get("timeout") or 0)
    if offset > 0:
        tg.updates = [u for u in tg.updates if u["update_id"] >= offset]
    elif offset < 0:
        tg.updates = tg.updates[offset:]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    shutdowns = tg.shutdowns
    tg.polls += 1
    poll = tg.polls
    tg.notify()  # a poll still waiting sees it was overtaken
    while not tg.updates and shutdowns == tg.shutdowns and not tg.webhook_url and poll == tg.polls:
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        await tg.wait_change(remaining)
    if poll != tg.polls:
        raise ApiError(
            409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
        )
    return copy.deepcopy(tg.updates[:limit])


async def get_file(tg: ChatState, params: JSONDict) -> JSONDict:
    """A file the runner sent, with the path its contents are downloaded from."""
    file_id = str(params.get("file_id", ""))
    found = tg.files.get(file_id)
    if found is None:
        raise bad("invalid file_id")
    path, data = found
    return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data), "file_path": path}


METHODS: dict[str, Method] = {
    "getme": get_me,
    "sendmessage": send_message,
    "senddocument": send_document,
    "sendphoto": send_photo,
    "editmessagetext": edit_message_text,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getupdates": get_updates,
    "getfile": get_file,
}
