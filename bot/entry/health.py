"""``GET /healthz``: 200 "ok" while the bot runs and its database answers, 503 otherwise.

Unauthenticated and cheap: one ``SELECT 1`` at a time however many ask (callers within a second
of a check share its answer), bounded by a timeout, and the body says nothing about runners.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog
import tornado.web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.context import CoachApplication

log = structlog.get_logger(__name__)

PATH = "/healthz"
PING_TIMEOUT = 2.0  # seconds the database has to answer
FRESH_FOR = 1.0  # seconds an answer is reused


def database_ping(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    """A trivial query on ``engine``; raises when the database does not answer."""

    async def ping() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return ping


class HealthCheck:
    """Whether the application is running and the database answers (the last answer, if fresh)."""

    def __init__(
        self,
        application: CoachApplication,
        ping: Callable[[], Awaitable[None]],
        *,
        timeout: float = PING_TIMEOUT,
        fresh_for: float = FRESH_FOR,
    ) -> None:
        self.application = application
        self.ping = ping
        self.timeout = timeout
        self.fresh_for = fresh_for
        self._last: tuple[float, bool] | None = None
        self._running: asyncio.Future[bool] | None = None

    async def __call__(self) -> bool:
        if not self.application.running:
            return False
        if self._last is not None and time.monotonic() - self._last[0] < self.fresh_for:
            return self._last[1]
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._check())
        return await asyncio.shield(self._running)

    async def _check(self) -> bool:
        try:
            await asyncio.wait_for(self.ping(), self.timeout)
            healthy = True
        except Exception as error:  # any failure to answer is "unhealthy", told in one line
            log.warning("health.database_unavailable", error=type(error).__name__)
            healthy = False
        self._last = (time.monotonic(), healthy)
        return healthy


class HealthHandler(tornado.web.RequestHandler):
    """``GET /healthz`` (and ``HEAD``): "ok" or "unavailable", never cached."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, check: HealthCheck) -> None:
        self.check = check

    async def get(self) -> None:
        healthy = await self.check()
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish("ok\n" if healthy else "unavailable\n")

    async def head(self) -> None:
        healthy = await self.check()
        self.set_status(200 if healthy else 503)
        self.set_header("Cache-Control", "no-store")
        self.finish()
