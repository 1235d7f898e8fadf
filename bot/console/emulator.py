"""The offline Telegram served over real HTTP, for a bot that talks to it with its normal HTTP client.

`BotApiEmulator` listens on 127.0.0.1 (a free port) and answers `POST /bot<TOKEN>/<method>` (also
GET with a query string) with form-encoded bodies, exactly as the in-process
`OfflineBotApi` does, because it *is* one: `emulator.api` holds the chats, and the simulated runner
uses it (or the shortcuts here) to send text and press buttons; those updates wait for the bot's
`getUpdates`. Point python-telegram-bot at it with `ApplicationBuilder().base_url(emulator.base_url)`
(or `TELEGRAM_API_BASE_URL`). A token other than the configured one gets 401 Unauthorized.

The HTTP side is tornado's server (python-telegram-bot's webhook mode brings it, and
`bot/entry/webhook.py` uses it too): it parses requests and their parameters; this module
only routes them to the `OfflineBotApi` and answers in the Bot API's JSON shape.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from types import TracebackType
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.clock import Clock
from bot.console.transport import ApiError, ChatMessage, JSONDict, OfflineBotApi, decode_params
from bot.console.transport.wire import UploadedFile

MAX_BODY_BYTES = 60 * 1024 * 1024


class _JsonErrors(tornado.web.RequestHandler):
    """Errors in the Bot API's shape (`{"ok": false, ...}`), which python-telegram-bot reads."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        description = HTTPStatus(status_code).phrase
        if "exc_info" in kwargs and not isinstance(kwargs["exc_info"][1], tornado.web.HTTPError):
            description += f": {kwargs['exc_info'][1]!r}"  # a bug here must not look like a network failure
        self._reply(status_code, ApiError(status_code, description).body())

    def _reply(self, status: int, body: JSONDict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class _NotFound(_JsonErrors):
    """Any path that is not `/bot<TOKEN>/<method>`."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)


class _BotApiHandler(_JsonErrors):
    """`GET|POST /bot<TOKEN>/<method>`: one Bot API call, answered by the `OfflineBotApi`."""

    SUPPORTED_METHODS = ("GET", "POST")

    def initialize(self, api: OfflineBotApi) -> None:
        self.api = api
        self.call: asyncio.Future[tuple[int, JSONDict]] | None = None

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def _answer(self, token: str, method: str) -> None:
        try:
            raw = {name: values[-1].decode("utf-8") for name, values in self.request.arguments.items()}
            params = decode_params(raw)
            for part, files in self.request.files.items():  # a multipart upload (sendDocument)
                upload = files[-1]
                params[part] = UploadedFile(upload.filename or part, bytes(upload.body), upload.content_type)
        except ApiError as error:
            self._reply(error.code, error.body())
            return
        except UnicodeDecodeError:
            self._reply(HTTPStatus.BAD_REQUEST, ApiError(400, "Bad Request: can't parse request body").body())
            return
        # a long poll ends when the bot hangs up or the emulator stops (see on_connection_close)
        self.call = asyncio.ensure_future(self.api.handle(method, params, token=token))
        try:
            status, body = await self.call
        except asyncio.CancelledError:
            return
        self._reply(status, body)

    def on_connection_close(self) -> None:
        if self.call is not None:
            self.call.cancel()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Errors are answered as JSON; the test that caused one reads the answer."""


class _QuietApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the `OfflineBotApi` records every call."""


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
        self._server: HTTPServer | None = None
        self._bound_port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._server is not None:
            return
        app = _QuietApp(
            [(r"/bot([^/]+)/([A-Za-z]+)/?", _BotApiHandler, {"api": self.api})],
            default_handler_class=_NotFound,
        )
        sockets = bind_sockets(self._port, self._host)
        self._server = HTTPServer(app, max_body_size=MAX_BODY_BYTES)
        self._server.add_sockets(sockets)
        self._bound_port = int(sockets[0].getsockname()[1])
        await self.api.initialize()

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None
        self._bound_port = None
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
        if self._bound_port is None:
            raise RuntimeError("the emulator is not started")
        return self._bound_port

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


__all__ = ["BotApiEmulator"]
