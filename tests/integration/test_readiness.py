"""``GET /healthz`` and ``GET /readyz`` over real HTTP against the bot's own servers (polling mode's
site and webhook mode's), on SQLite and PostgreSQL: the process answers while up; it is ready only
while its database answers and is at the newest migration, and otherwise says why in a few words
that hold no host, path or password."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from structlog.testing import capture_logs
from test_coach_run import _free_port

from bot.app import build_application, start, stop
from bot.clock import FakeClock
from bot.config import Settings
from bot.console.transport import OfflineBotApi
from bot.db.engine import create_engine
from bot.db.migrate import alembic_config, current_revision, known_revisions, upgrade
from bot.entry.feed_http import listening, site_server
from bot.entry.health import HealthCheck, readiness
from bot.entry.http_limits import LimitedHTTPServer, Limits
from bot.entry.run import prepare_store
from bot.entry.webhook import webhook_server
from bot.failures import CommandFailed
from bot.telegram.context import CoachApplication

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
SECRET = "ready-Secret-0123456789abcdefghijklmnop"
PASSWORD = "hunter2-not-for-logs"
HEAD, _ = known_revisions()

ServerFor = Callable[[CoachApplication, HealthCheck], LimitedHTTPServer]
SERVERS: dict[str, ServerFor] = {
    "polling": lambda app, check: site_server(app, check, Limits()),
    "webhook": lambda app, check: webhook_server(app, "https://coach.example/hook", SECRET, health=check),
}


def previous_revision() -> str:
    """The migration before the newest one."""
    assert HEAD is not None
    down = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(HEAD).down_revision
    assert isinstance(down, str)
    return down


@pytest.fixture
def own_url(_sqlite_migrated_template: Path, tmp_path: Path) -> str:
    """The application's own data: a migrated SQLite file (copied, migrating each time is slow)."""
    shutil.copyfile(_sqlite_migrated_template, tmp_path / "app.db")
    return f"sqlite+aiosqlite:///{tmp_path}/app.db"


@asynccontextmanager
async def stamped(url: str, revision: str) -> AsyncIterator[None]:
    """The database's recorded migration set to ``revision`` while the block runs (the schema as it was)."""

    async def record(value: str) -> None:
        engine = create_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": value})
        finally:
            await engine.dispose()

    await record(revision)
    try:
        yield
    finally:
        assert HEAD is not None
        await record(HEAD)


@asynccontextmanager
async def serving(own: str, url: str, mode: str = "polling", *, running: bool = True) -> AsyncIterator[str]:
    """The real application (its own data in ``own``, offline Bot API) and the HTTP server of ``mode``
    checking readiness against ``url``, listening on 127.0.0.1; its base URL."""
    settings = Settings(_env_file=None, database_url=own, telegram_bot_token=None)
    app = build_application(settings, clock=FakeClock(START), request=OfflineBotApi(clock=FakeClock(START)))
    await start(app)
    if running:
        await app.start()
    try:
        async with readiness(app, url, fresh_for=0) as check:
            port = _free_port()
            async with listening(SERVERS[mode](app, check), port):
                yield f"http://127.0.0.1:{port}"
    finally:
        if app.running:
            await app.stop()
        await stop(app)


async def status(base: str) -> tuple[tuple[int, str], tuple[int, str]]:
    """``/healthz`` and ``/readyz``: each code and body."""
    async with httpx.AsyncClient(base_url=base) as client:
        health, ready = await client.get("/healthz"), await client.get("/readyz")
    assert health.headers["cache-control"] == ready.headers["cache-control"] == "no-store"
    return (health.status_code, health.text), (ready.status_code, ready.text)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_migrated_database_is_ready_in_both_modes(own_url: str, migrated_url: str, mode: str) -> None:
    """At the newest migration, both servers answer /healthz "ok" and /readyz "ready" (and HEAD 200)."""
    async with serving(own_url, migrated_url, mode) as base:
        assert await status(base) == ((200, "ok\n"), (200, "ready\n"))
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.head("/readyz")).status_code == 200
            assert (await client.head("/healthz")).status_code == 200


async def test_a_database_behind_on_migrations_is_not_ready(own_url: str, migrated_url: str) -> None:
    """A database recorded one migration behind: /readyz is 503 naming both migrations and `coach migrate`
    while the process is still up; at the newest again, ready, with no restart."""
    behind = previous_revision()
    async with serving(own_url, migrated_url) as base:
        async with stamped(migrated_url, behind):
            health, ready = await status(base)
        assert health == (200, "ok\n")
        assert ready == (
            503,
            f"not ready: database at migration {behind}, this version needs {HEAD}: run `coach migrate`\n",
        )
        assert (await status(base))[1] == (200, "ready\n")


async def test_a_sqlite_file_behind_is_ready_once_coach_migrate_ran(own_url: str, sqlite_url: str) -> None:
    """A SQLite file really one migration behind turns ready once the newest migration is applied."""
    await upgrade(sqlite_url, previous_revision())
    async with serving(own_url, sqlite_url) as base:
        assert (await status(base))[1][0] == 503
        await upgrade(sqlite_url)
        assert (await status(base))[1] == (200, "ready\n")


async def test_a_database_never_migrated_is_not_ready(own_url: str, db_url: str) -> None:
    """An empty database: /readyz says it has no migrations and what to run."""
    async with serving(own_url, db_url) as base:
        assert (await status(base))[1] == (
            503,
            f"not ready: database has no migrations (this version needs {HEAD}): run `coach migrate`\n",
        )


async def test_a_database_a_newer_release_migrated_stays_ready(own_url: str, migrated_url: str) -> None:
    """A migration this version does not know (a newer release's, applied by its release command before
    this machine is replaced) leaves it ready: the old version keeps serving during a rolling deploy."""
    async with serving(own_url, migrated_url) as base, stamped(migrated_url, "9999_from_a_newer_release"):
        assert (await status(base))[1] == (200, "ready\n")


async def test_a_restart_serves_a_database_a_newer_release_migrated(migrated_url: str) -> None:
    """`coach run` restarted on a database a newer release migrated (a machine that crashed, or is
    replaced last in a rolling deploy) starts serving, as /readyz says it may, with a warning naming
    the migration, and leaves the database as it found it: no failed migration, no refusal."""
    settings = Settings(_env_file=None, database_url=migrated_url, telegram_bot_token=None)
    async with stamped(migrated_url, "9999_from_a_newer_release"):
        with capture_logs() as logs:
            await asyncio.to_thread(prepare_store, settings)
        assert await current_revision(migrated_url) == "9999_from_a_newer_release"
    assert [line["revision"] for line in logs if line["event"] == "database.newer"] == ["9999_from_a_newer_release"]


async def test_a_restart_on_postgres_behind_is_refused_with_the_fix(postgres_migrated_url: str) -> None:
    """A PostgreSQL database one migration behind is not served (only `coach migrate` migrates it):
    `coach run` stops with the one line that says what to run."""
    settings = Settings(_env_file=None, database_url=postgres_migrated_url, telegram_bot_token=None)
    async with stamped(postgres_migrated_url, previous_revision()):
        with pytest.raises(CommandFailed, match=r"not at the newest migration: run `coach migrate` first"):
            await asyncio.to_thread(prepare_store, settings)


async def test_a_deleted_sqlite_file_is_not_ready(own_url: str, tmp_path: Path) -> None:
    """The SQLite file removed under a running server: /readyz 503 "database unreachable", a body that
    names no path; /healthz still 200."""
    (tmp_path / "data").mkdir()
    url = f"sqlite+aiosqlite:///{tmp_path}/data/coach.db"
    await upgrade(url)
    async with serving(own_url, url) as base:
        assert (await status(base))[1] == (200, "ready\n")
        for file in (tmp_path / "data").iterdir():
            file.unlink()
        health, ready = await status(base)
    assert health == (200, "ok\n")
    assert ready == (503, "not ready: database unreachable\n")


async def test_an_unreachable_postgres_is_not_ready_and_says_no_secret(own_url: str) -> None:
    """Nothing listening where DATABASE_URL points: /readyz 503 "database unreachable", no host or password."""
    url = f"postgresql+asyncpg://coach:{PASSWORD}@127.0.0.1:{_free_port()}/coach"
    async with serving(own_url, url, "webhook") as base:
        health, ready = await status(base)
    assert health == (200, "ok\n")
    assert ready == (503, "not ready: database unreachable\n")


async def test_an_application_not_running_is_alive_but_not_ready(own_url: str) -> None:
    """Before the application starts taking updates (or once it stops), /healthz is 200, /readyz 503."""
    async with serving(own_url, own_url, running=False) as base:
        assert await status(base) == ((200, "ok\n"), (503, "not ready: not serving (starting or stopping)\n"))
