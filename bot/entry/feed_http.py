"""``GET /calendar/<token>.ics``: a runner's live calendar feed, and the HTTP server of polling mode.

The feed is rendered from the stored plan on every request (``bot.services.feeds``,
``bot.telegram.feed_render``). A token is looked up by its SHA-256, never compared in Python; an
unknown, revoked or malformed one gets a 404 whose body says nothing about runners. No line
logged here holds the request's path (it holds the token): the server keeps no access log, and
an error is logged by its type only.

In webhook mode these routes sit beside the webhook (``bot.entry.webhook``); in polling mode
:func:`serving_site` serves them with ``/healthz`` and ``/readyz`` when ``PORT`` is set.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import structlog
import tornado.web

from bot.config import Settings
from bot.entry.health import HealthCheck, health_routes, readiness
from bot.entry.http_limits import (
    AbuseReport,
    ConnectionLogs,
    LimitedHTTPServer,
    Limits,
    file_limit,
    fitted,
    limited_server,
)
from bot.services.feeds import Feeds
from bot.telegram.context import CoachApplication
from bot.telegram.feed_render import PATH, calendar_ics
from bot.telegram.render import Renderer

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 1024  # the site's requests are GETs: nothing to read
NOT_FOUND = "not found\n"
UNAVAILABLE = "unavailable\n"
SUFFIX = ".ics"


class QuietApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: a feed's path holds its token, and one line per update would repeat the handlers."""


class FeedHandler(tornado.web.RequestHandler):
    """``GET /calendar/<token>.ics`` (and ``HEAD``): the feed, or 404."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, feeds: Feeds, render: Renderer) -> None:
        self.feeds = feeds
        self.renderer = render

    async def _body(self, name: str) -> bytes | None:
        token = name.removesuffix(SUFFIX) if name.endswith(SUFFIX) else ""
        plan = await self.feeds.feed(token) if token else None
        return None if plan is None else calendar_ics(self.renderer, plan)

    async def get(self, name: str) -> None:
        await self._answer(name, with_body=True)

    async def head(self, name: str) -> None:
        await self._answer(name, with_body=False)

    async def _answer(self, name: str, *, with_body: bool) -> None:
        self.set_header("Cache-Control", "private, no-cache")
        try:
            body = await self._body(name)
        except Exception as error:  # the database out of reach: the calendar app asks again later
            log.warning("feed.unavailable", error=type(error).__name__)
            self.set_status(503)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(UNAVAILABLE if with_body else None)
            return
        if body is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(NOT_FOUND if with_body else None)
            return
        self.set_header("Content-Type", "text/calendar; charset=utf-8")
        self.set_header("Content-Disposition", 'inline; filename="plan.ics"')
        self.finish(body if with_body else None)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Logged by the error's type alone: tornado's own line would carry the path, and so the token."""
        if not isinstance(value, tornado.web.HTTPError):
            log.error("feed.error", error=getattr(typ, "__name__", "error"))


def site_routes(application: CoachApplication, health: HealthCheck | None) -> list[Any]:
    """The routes every `coach run` server has: ``/healthz`` and ``/readyz`` (given a check) and the feeds."""
    deps = application.bot_data.deps
    feeds: Any = (re.escape(PATH) + r"/([^/]*)", FeedHandler, {"feeds": deps.feeds, "render": deps.render})
    return [*(health_routes(health) if health is not None else []), feeds]


def site_server(application: CoachApplication, health: HealthCheck, limits: Limits) -> LimitedHTTPServer:
    """Polling mode's server: ``/healthz``, ``/readyz`` and the feeds, no webhook; not yet listening."""
    return limited_server(QuietApp(site_routes(application, health)), limits, AbuseReport(limits.report_interval))


@contextlib.asynccontextmanager
async def serving_site(application: CoachApplication, settings: Settings) -> AsyncIterator[None]:
    """Serve ``/healthz``, ``/readyz`` and the feeds on ``PORT`` while the block runs (polling mode)."""
    limits = fitted(Limits(max_body_bytes=MAX_BODY_BYTES), file_limit())
    async with readiness(application, settings.database_url) as check:
        server = site_server(application, check, limits)
        async with listening(server, settings.port):
            log.info("http.start", port=settings.port, feed_links=settings.feed_base() is not None)
            yield


@contextlib.asynccontextmanager
async def listening(server: LimitedHTTPServer, port: int) -> AsyncIterator[None]:
    """``server`` listening on ``port`` (all addresses), its connection lines counted, while the block
    runs; then closed, open connections too."""
    quiet = ConnectionLogs(server.report)
    quiet.install()
    server.report.start()
    server.listen(port, address="0.0.0.0")
    try:
        yield
    finally:
        server.stop()
        await server.close_all_connections()
        server.report.stop()
        quiet.remove()
