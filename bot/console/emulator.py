"""The offline Telegram served over real HTTP, for a bot that talks to it with its normal HTTP client.

`BotApiEmulator` listens on 127.0.0.1 (a free port) and answers `POST /bot<TOKEN>/<method>` (also
GET with a query string) with form-encoded, multipart or JSON bodies, exactly as the in-process
`OfflineBotApi` does, because it *is* one: `emulator.api` holds the chats, and the simulated runner
uses it (or the shortcuts here) to send text and press buttons; those updates wait for the bot's
`getUpdates`. Point python-telegram-bot at it with `ApplicationBuilder().base_url(emulator.base_url)`
(or `TELEGRAM_API_BASE_URL`). A token other than the configured one gets 401 Unauthorized.

Only the standard library is used: `asyncio.start_server` and a minimal HTTP/1.1 parser
(persistent connections, Content-Length and chunked bodies).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.clock import Clock
from bot.console.transport import (
    ApiError,
    ChatMessage,
    JSONDict,
    OfflineBotApi,
    UploadedFile,
    decode_params,
)

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 60 * 1024 * 1024
_PATH_RE = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?$")


class _HttpError(Exception):
    pass


@dataclass
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        return self.headers.get("connection", "").lower() != "close"


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if error.partial.strip():
            raise _HttpError("incomplete request head") from error
        return None
    except asyncio.LimitOverrunError as error:
        raise _HttpError("request head too large") from error
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError as error:
        raise _HttpError(f"bad request line {lines[0]!r}") from error
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    else:
        length = int(headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            raise _HttpError("body too large")
        body = await reader.readexactly(length) if length else b""
    return _Request(method.upper(), target, headers, body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _header_params(value: str) -> tuple[str, dict[str, str]]:
    """`form-data; name="a"; filename="b.txt"` -> ("form-data", {"name": "a", "filename": "b.txt"})."""
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for match in re.finditer(r'\s*([^=;\s]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)', rest):
        key = match.group(1).lower()
        raw = match.group(3) if match.group(3) is not None else match.group(2).strip()
        params[key] = unquote(re.sub(r"\\(.)", r"\1", raw))
    return main.strip().lower(), params


def _parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        part = part.removeprefix(b"\r\n")
        raw_headers, _, content = part.partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in raw_headers.decode("utf-8", "replace").split("\r\n"):
            header, _, value = line.partition(":")
            headers[header.strip().lower()] = value.strip()
        _, disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            mimetype = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(disposition["filename"], content, mimetype)
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


def _decode_body(request: _Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    query = urlsplit(request.target).query
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    content_type, type_params = _header_params(request.headers.get("content-type", ""))
    if content_type == "multipart/form-data":
        fields, files = _parse_multipart(request.body, type_params.get("boundary", ""))
        raw.update(fields)
    elif content_type == "application/json" and request.body:
        decoded = json.loads(request.body)
        if not isinstance(decoded, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        raw.update(decoded)
    elif request.body:
        raw.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    return raw, files


class BotApiEmulator:
    """An offline Bot API server on 127.0.0.1 for one bot token, backed by an `OfflineBotApi`."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        api: OfflineBotApi | None = None,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """`api` lets a test share chats with an in-process transport; otherwise one is made with
        this token (and `clock` for message dates)."""
        self.token = token
        self.api = api or OfflineBotApi(token=token, clock=clock)
        self.api.token = token
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._serve, self._host, self._port, limit=MAX_HEADER_BYTES)
        await self.api.initialize()

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._server.wait_closed()
        self._server = None
        await self.api.shutdown()

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def base_url(self) -> str:
        """python-telegram-bot's `base_url` form: `http://127.0.0.1:PORT/bot`."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    # -- the simulated runner --------------------------------------------------------------------

    def send_text(self, user_id: int, text: str, first_name: str = "Runner") -> int:
        """The runner types `text` (a `/command` too); returns the queued update's id."""
        return self.api.enqueue(self.api.text(user_id, text, first_name))

    def press_button(self, user_id: int, message_id: int, callback_data: str) -> int:
        """The runner presses the inline button with `callback_data` under message `message_id`."""
        return self.api.enqueue(self.api.press(user_id, message_id, callback_data))

    def press_label(self, user_id: int, label: str) -> int:
        """The runner presses the inline button labelled `label` (case-insensitive) on the most
        recent message with buttons."""
        message = self.api.last_with_buttons(user_id)
        if message is not None:
            for button in message.inline_buttons:
                if button.text.casefold() == label.casefold() and button.callback_data is not None:
                    return self.press_button(user_id, message.message_id, button.callback_data)
        raise LookupError(f"no button labelled {label!r} in chat {user_id}")

    def share_location(self, user_id: int, lat: float, lon: float) -> int:
        return self.api.enqueue(self.api.location(user_id, lat, lon))

    # -- what the bot sent -----------------------------------------------------------------------

    def sent_messages(self, chat_id: int, since: int = 0) -> list[ChatMessage]:
        """The bot's messages to the chat first sent after marker `since`, as they are now."""
        return self.api.sent_since(chat_id, since)

    def last_message(self, chat_id: int) -> ChatMessage | None:
        return self.api.last_message(chat_id)

    async def wait_for_message(self, chat_id: int, *, since: int = 0, within: float = 2.0) -> ChatMessage:
        """The first bot message to the chat after marker `since`, waiting up to `within` seconds."""
        if not await self.api.wait_for(lambda: bool(self.api.sent_since(chat_id, since)), within):
            raise TimeoutError(f"the bot sent nothing to chat {chat_id} within {within}s")
        return self.api.sent_since(chat_id, since)[0]

    # -- HTTP ------------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            while True:
                try:
                    request = await _read_request(reader)
                except _HttpError as error:
                    await self._respond(writer, 400, ApiError(400, f"Bad Request: {error}").body(), False)
                    return
                if request is None:
                    return
                try:
                    status, body = await self._dispatch(request)
                except Exception as error:  # a bug here must not look like a network failure
                    status, body = 500, ApiError(500, f"Internal Server Error: {error!r}").body()
                await self._respond(writer, status, body, request.keep_alive)
                if not request.keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            # stop() cancels open connections (e.g. a pending long poll). Ending normally keeps
            # Python 3.11's StreamReaderProtocol from logging the cancelled task as an error.
            return
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(self, request: _Request) -> tuple[int, JSONDict]:
        match = _PATH_RE.match(urlsplit(request.target).path)
        if match is None or request.method not in ("POST", "GET"):
            return HTTPStatus.NOT_FOUND, ApiError(404, "Not Found").body()
        try:
            raw, files = _decode_body(request)
            params = decode_params(raw)
        except ApiError as error:
            return error.code, error.body()
        except (ValueError, UnicodeDecodeError):
            return HTTPStatus.BAD_REQUEST, ApiError(400, "Bad Request: can't parse request body").body()
        return await self.api.handle(match["method"], params, files, token=match["token"])

    @staticmethod
    async def _respond(writer: asyncio.StreamWriter, status: int, body: JSONDict, keep_alive: bool) -> None:
        payload = json.dumps(body).encode("utf-8")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        head = (
            f"HTTP/1.1 {status} {phrase}\r\n"
            "Server: offline-telegram\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()


__all__ = ["BotApiEmulator"]
