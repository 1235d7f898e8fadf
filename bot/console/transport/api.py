"""`OfflineBotApi`: the fake Telegram at python-telegram-bot's request seam."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.request import BaseRequest, RequestData

from bot.clock import Clock
from bot.console.transport.methods import answer
from bot.console.transport.runner import RunnerSide
from bot.console.transport.wire import ApiError, JSONDict, decode_request_data, split_bot_url


class OfflineBotApi(RunnerSide, BaseRequest):
    """An in-memory Telegram for one bot, usable as python-telegram-bot's request object (for both
    the regular and the getUpdates `Bot` requests at once) and as the fake runner's side of the chat."""

    def __init__(
        self,
        *,
        bot_user: Mapping[str, Any] | None = None,
        token: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(bot_user=bot_user, token=token, clock=clock)
        self._initialized = False

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    @property
    def initialized(self) -> bool:
        return self._initialized

    async def initialize(self) -> None:
        """Nothing to open; safe to call any number of times (python-telegram-bot calls it once per `Bot`)."""
        self._initialized = True

    async def shutdown(self) -> None:
        """End pending long polls early; the recorded chats stay readable. Idempotent."""
        self._initialized = False
        self.shutdowns += 1
        self.notify()

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
        if method == "GET" and "/file/bot" in url:
            return self.serve_file(url, token)
        if method != "POST":
            return HTTPStatus.NOT_FOUND, json.dumps(ApiError(404, "Not Found").body()).encode()
        try:
            params = decode_request_data(request_data)
        except ApiError as error:
            return error.code, json.dumps(error.body()).encode()
        status, body = await self.handle(api_method, params, token=token)
        return status, json.dumps(body).encode()

    def serve_file(self, url: str, token: str | None) -> tuple[int, bytes]:
        """``GET /file/bot<token>/<file_path>``: a file's contents, as Telegram's file server sends them."""
        path = urlsplit(url).path.split("/file/bot", 1)[1]
        given, _, file_path = unquote(path).partition("/")  # httpx sends the token's ":" as %3A
        data = self.download(file_path)
        if data is None or (self.token is not None and given != self.token):
            return HTTPStatus.NOT_FOUND, json.dumps(ApiError(404, "Not Found").body()).encode()
        return HTTPStatus.OK, data

    async def handle(self, method: str, params: JSONDict, *, token: str | None = None) -> tuple[int, JSONDict]:
        """Answer one Bot API call (decoded parameters) as Telegram would: (HTTP status, body)."""
        return await answer(self, method, params, token=token)


class WireRecorder(OfflineBotApi):
    """The offline Bot API, noting every request as python-telegram-bot hands it over (``wire``): the
    method and its parameters in order, each as the string it travels as. Two versions of the bot
    that put the same requests on the wire fill the same list (the sender's tests and
    ``bench/replay_calls.py`` compare them)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.wire: list[tuple[str, list[tuple[str, str]]]] = []

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        params = list(request_data.json_parameters.items()) if request_data is not None else []
        self.wire.append((url.rsplit("/", 1)[1], params))
        return await super().do_request(url, method, request_data, *args, **kwargs)
