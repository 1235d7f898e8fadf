"""``GET /healthz``: the process is up (200 "ok" whenever the server answers). ``GET /readyz``: it can
serve, 200 "ready" while the application runs, its database answers and the schema is at the newest
migration this version ships; otherwise 503 with a short reason ("not ready: database unreachable").

Unauthenticated and cheap: one readiness query at a time however many ask (callers within a second
of a check share its answer), bounded by a timeout, on a connection of its own (never the bot's
pool), and no body says anything about runners, hosts or passwords.

A database at a migration newer than this version knows counts as ready: the release command of
a new version migrates before the old version's machines are replaced, and those keep serving
meanwhile (sound while a migration only adds what the old version can ignore; one that does not
should ship in two releases).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import structlog
import tornado.web
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bot.db.engine import create_engine
from bot.telegram.context import CoachApplication

log = structlog.get_logger(__name__)

PATH = "/healthz"
READY_PATH = "/readyz"
PING_TIMEOUT = 2.0  # seconds the database has to answer
FRESH_FOR = 1.0  # seconds an answer is reused
NOT_SERVING = "not serving (starting or stopping)"

# what a readiness probe returns: None when ready, else the short reason it is not
Probe = Callable[[], Awaitable[str | None]]


def schema_problem(current: str | None, head: str | None, known: frozenset[str]) -> str | None:
    """Why a database at migration ``current`` cannot be served by code whose newest is ``head``
    (``known``: every revision it ships), or None when it can."""
    if current == head:
        return None
    if current is None:
        return f"database has no migrations (this version needs {head}): run `coach migrate`"
    if current in known:
        return f"database at migration {current}, this version needs {head}: run `coach migrate`"
    return None  # a newer release migrated it: see the module's docstring


def _revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext  # with Mako and Pygments: only once HTTP is served

    return MigrationContext.configure(connection).get_current_revision()


def database_readiness(engine: AsyncEngine) -> Probe:
    """Connect through ``engine``, read the schema's migration and compare it with the shipped ones;
    raises when the database does not answer."""
    from bot.db.migrate import known_revisions

    head, known = known_revisions()

    async def probe() -> str | None:
        async with engine.connect() as connection:
            current = await connection.run_sync(_revision)
        return schema_problem(current, head, known)

    return probe


@contextlib.asynccontextmanager
async def readiness(
    application: CoachApplication, database_url: str, *, fresh_for: float = FRESH_FOR
) -> AsyncIterator[HealthCheck]:
    """The check `coach run` serves, on its own engine: a fresh connection each check (``NullPool``), so
    a database gone away (a deleted SQLite file, a PostgreSQL that went down) shows at once."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        yield HealthCheck(application, database_readiness(engine), fresh_for=fresh_for)
    finally:
        await engine.dispose()


class HealthCheck:
    """Whether the application can serve: it runs and ``probe`` finds nothing wrong (the last answer,
    if fresh). ``probe`` raising, or taking longer than ``timeout``, is "database unreachable"."""

    def __init__(
        self,
        application: CoachApplication,
        probe: Probe,
        *,
        timeout: float = PING_TIMEOUT,
        fresh_for: float = FRESH_FOR,
    ) -> None:
        self.application = application
        self.probe = probe
        self.timeout = timeout
        self.fresh_for = fresh_for
        self._last: tuple[float, str | None] | None = None
        self._running: asyncio.Future[str | None] | None = None

    async def problem(self) -> str | None:
        """Why the application cannot serve now, in a few words; None when it can."""
        if not self.application.running:
            return NOT_SERVING
        if self._last is not None and time.monotonic() - self._last[0] < self.fresh_for:
            return self._last[1]
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._check())
        return await asyncio.shield(self._running)

    async def _check(self) -> str | None:
        try:
            problem = await asyncio.wait_for(self.probe(), self.timeout)
        except Exception as error:  # any failure to answer is "unreachable", told in one line
            log.warning("health.database_unavailable", error=type(error).__name__)
            problem = "database unreachable"
        self._last = (time.monotonic(), problem)
        return problem


async def _alive() -> tuple[int, str]:
    return 200, "ok\n"


class StatusHandler(tornado.web.RequestHandler):
    """``GET`` (and ``HEAD``) of a status: its code and a one-line plain-text body, never cached."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, status: Callable[[], Awaitable[tuple[int, str]]]) -> None:
        self.status = status

    async def get(self) -> None:
        await self._answer(with_body=True)

    async def head(self) -> None:
        await self._answer(with_body=False)

    async def _answer(self, *, with_body: bool) -> None:
        code, body = await self.status()
        self.set_status(code)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body if with_body else None)


def health_routes(check: HealthCheck) -> list[Any]:
    """``/healthz`` (the process answers) and ``/readyz`` (``check`` finds nothing wrong)."""

    async def ready() -> tuple[int, str]:
        problem = await check.problem()
        return (200, "ready\n") if problem is None else (503, f"not ready: {problem}\n")

    return [(PATH, StatusHandler, {"status": _alive}), (READY_PATH, StatusHandler, {"status": ready})]
