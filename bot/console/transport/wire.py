"""The Bot API's wire: parameters as an HTTP client sends them, decoded into the values Telegram
reads, and errors in the shape Telegram answers with.

python-telegram-bot hands its `BaseRequest` the same form strings it would put on the wire
(`RequestData.json_parameters`), so the in-process transport and the HTTP emulator decode a call
with this one function and a call that passes one passes the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram.request import RequestData

JSONDict = dict[str, Any]


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


def bad(description: str) -> ApiError:
    """Telegram's 400 answer."""
    return ApiError(400, f"Bad Request: {description}")


_JSON_FIELDS = frozenset(
    {"reply_markup", "entities", "commands", "scope", "allowed_updates", "link_preview_options", "reply_parameters"}
)
_INT_FIELDS = frozenset(
    {"message_id", "offset", "limit", "reply_to_message_id", "message_thread_id", "max_connections", "cache_time"}
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
    }
)


def decode_params(raw: Mapping[str, Any]) -> JSONDict:
    """Turn wire parameters (form strings, JSON-encoded where not a string) into Python values.

    Telegram knows each parameter's type; so does this: JSON objects for markup and lists, ints for
    ids, booleans for flags, and everything else stays the string it was sent as. Values that are
    already typed pass through.
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
                raise bad(f"can't parse parameter {name}") from None
    return params


@dataclass(frozen=True)
class UploadedFile:
    """A file uploaded with a call (a multipart part, as python-telegram-bot sends a new document)."""

    name: str
    content: bytes
    mime_type: str


def decode_request_data(request_data: RequestData | None) -> JSONDict:
    """Decode python-telegram-bot's `RequestData` the way the HTTP wire would carry it, uploaded
    files (its multipart parts) as :class:`UploadedFile`."""
    if request_data is None:
        return {}
    params = decode_params(request_data.json_parameters)
    for part, (name, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        params[part] = UploadedFile(name or part, bytes(data), mime_type or "application/octet-stream")
    return params


def split_bot_url(url: str) -> tuple[str | None, str]:
    """`https://host/bot<TOKEN>/<method>` -> (token, method); token is None if absent."""
    path = urlsplit(url).path
    prefix, _, method = path.rpartition("/")
    segment = prefix.rpartition("/")[2]
    token = segment[3:] if segment.startswith("bot") else None
    return token, method


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (entity offsets, the 4096 limit): UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


__all__ = [
    "ApiError",
    "JSONDict",
    "UploadedFile",
    "bad",
    "decode_params",
    "decode_request_data",
    "split_bot_url",
    "utf16_len",
]
