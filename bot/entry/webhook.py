"""Webhook mode: a small tornado server in front of the ``Application``'s update queue.

python-telegram-bot's own ``run_webhook`` reads a request body (up to 100 MB) before it looks at
the secret header. Here the secret is checked as soon as the headers are in, before any of the
body is read; a request without it is answered 403 and its connection closed. Bodies are capped
at ``MAX_BODY_BYTES`` (Telegram's updates are a few kilobytes), and a body that is not a JSON
update gets 400. Built as python-telegram-bot's custom-webhook examples do: ``Application.start``
consumes the update queue, this server fills it. An update is answered 200 only once it is stored
in the inbox (``CoachApplication.receive``), so a crash after the answer loses nothing: the next
start handles what was stored and not handled; if the database is out of reach the answer is 503
and Telegram delivers the update again later. Timeouts, the connection cap and the abuse log
are ``bot.entry.http_limits``; ``GET /healthz`` and ``/readyz`` are ``bot.entry.health``, the calendar feeds
``bot.entry.feed_http``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import signal
from typing import Any
from urllib.parse import urlparse

import structlog
import tornado.web
from telegram import Update

from bot.app import start, stop
from bot.config import Settings
from bot.entry.feed_http import QuietApp, listening, site_routes
from bot.entry.health import HealthCheck, readiness
from bot.entry.http_limits import AbuseReport, LimitedHTTPServer, Limits, file_limit, fitted, limited_server
from bot.telegram.context import CoachApplication
from bot.telegram.sender import waiting_out_floods

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 1024 * 1024
SET_WEBHOOK_ATTEMPTS = 3  # a flood wait (429) at start-up is waited out this many times
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """``POST <path>``: one update from Telegram, with the secret header, as JSON."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, coach: CoachApplication, secret: str) -> None:
        self.coach = coach
        self.secret = secret.encode()
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        """Runs when the headers are in, before a byte of the body is read."""
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self.secret):
            self.application.settings["abuse"].count("wrong_secret")  # counted: a flood is one line a minute
            self._refuse(403)
            return
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            self.application.settings["abuse"].count("body_too_large")
            self._refuse(413)

    def _refuse(self, status: int) -> None:
        self.set_status(status)
        # tornado closes the connection instead of reading the unread body; say so, so that the
        # client does not send its next request on it
        self.set_header("Connection", "close")
        self.finish()

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:  # chunked bodies carry no Content-Length to check up front
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
            if not isinstance(data, dict):
                raise ValueError("an update is a JSON object")
            update = Update.de_json(data, self.coach.bot)
        except Exception as error:  # malformed JSON, or JSON that is no update: the sender's fault
            log.info("webhook.bad_request", error=type(error).__name__)
            self.set_status(400)
            return
        # 200 only once the update is stored: Telegram forgets an update it got 200 for
        try:
            stored = await self.coach.receive([(update, data)])
        except Exception:  # not stored, for a reason other than an outage: logged, and Telegram retries
            log.error("webhook.store_failed", exc_info=True)
            stored = False
        if not stored:
            self.set_status(503)  # the database is out of reach: Telegram delivers it again later
            return
        await self.coach.update_queue.put(update)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """An HTTPError (413) is an answer, not a crash; anything else is logged, redacted."""
        if not isinstance(value, tornado.web.HTTPError):
            log.error("webhook.error", exc_info=(typ, value, tb))


def webhook_server(
    application: CoachApplication,
    url: str,
    secret: str,
    *,
    health: HealthCheck | None = None,
    limits: Limits | None = None,
) -> LimitedHTTPServer:
    """The HTTP server for ``url``'s path, the calendar feeds (and ``GET /healthz`` and ``/readyz``
    given a ``health`` check), within ``limits``; not yet listening."""
    limits = limits or Limits(max_body_bytes=MAX_BODY_BYTES)
    path = "/" + urlparse(url).path.strip("/")
    route = re.escape(path.rstrip("/")) + "/?"
    report = AbuseReport(limits.report_interval)
    webhook: Any = (route, UpdateHandler, {"coach": application, "secret": secret})
    app = QuietApp([*site_routes(application, health), webhook], abuse=report)
    return limited_server(app, limits, report)


async def set_webhook(application: CoachApplication, url: str, secret: str) -> None:
    """Register the webhook; a flood wait (429) is logged with its wait, waited out and tried again."""
    await waiting_out_floods(
        lambda: application.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES),
        "webhook.set.retry_after",
        SET_WEBHOOK_ATTEMPTS,
    )


async def serve_webhook(application: CoachApplication, settings: Settings) -> None:
    """Register the webhook with Telegram and serve it until SIGINT or SIGTERM."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None  # see Settings
    secret = settings.webhook_secret.get_secret_value()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    limits = fitted(Limits(max_body_bytes=MAX_BODY_BYTES), file_limit())
    await start(application)
    try:
        await set_webhook(application, settings.webhook_url, secret)
        await application.start()
        try:
            async with (
                readiness(application, settings.database_url) as health,
                listening(
                    webhook_server(application, settings.webhook_url, secret, health=health, limits=limits),
                    settings.port,
                ),
            ):
                log.info("bot.start", mode="webhook", port=settings.port, max_connections=limits.max_connections)
                # stored by a process that died before handling them (a runner's order is kept by the claims)
                log.info("inbox.recovered", updates=await application.handle_pending())
                await stopping.wait()
        finally:
            await application.stop()
    finally:
        await stop(application)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
