"""PostgreSQL that stops answering, or fails over, costs seconds and one clear line, not a hang or a lost request."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pgtools import admin_url, create_database, drop_database
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import POSTGRES_CONNECT_TIMEOUT_S, DatabaseSilent, async_url, create_engine
from bot.db.migrate import current_revision, upgrade

PASSWORD = "s3cret-Pa55word"
# the connect timeout, plus a Python start-up, an import of the app and a loaded 2-core machine
CLI_BOUND_S = POSTGRES_CONNECT_TIMEOUT_S + 15


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts every connection, reads what comes and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def swallow() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.setblocking(False)
            held.append(conn)
            for other in held:  # drain, so the client's writes never block; answer nothing
                with contextlib.suppress(OSError):
                    other.recv(65536)

    thread = threading.Thread(target=swallow, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()


def _url(port: int) -> str:
    return f"postgresql+asyncpg://coach:{PASSWORD}@127.0.0.1:{port}/coach"


@pytest.mark.timeout(30)
async def test_a_black_hole_postgres_fails_within_5_s_naming_host_and_port(black_hole: int) -> None:
    """A server that accepts the connection and never answers fails the first unit of work within the 5 s
    connect timeout (not asyncpg's 60), with an error naming host:port and not the password."""
    started = time.monotonic()
    with pytest.raises(DatabaseSilent) as caught:
        await current_revision(_url(black_hole))
    elapsed = time.monotonic() - started
    assert POSTGRES_CONNECT_TIMEOUT_S - 0.5 <= elapsed < POSTGRES_CONNECT_TIMEOUT_S + 2, elapsed
    assert str(caught.value) == f"PostgreSQL at 127.0.0.1:{black_hole} did not answer within 5 s"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("verb", ["migrate", "run"])
def test_coach_against_a_black_hole_postgres_exits_2_with_1_line_within_20_s(
    tmp_path: Path, black_hole: int, verb: str
) -> None:
    """`coach migrate` and `coach run` against a PostgreSQL that never answers stop within 20 s (5 s of
    waiting) with one line: DATABASE_URL, host:port and the bound; no password, no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WEBHOOK_URL", "LOG_LEVEL")}
    env.update(DATABASE_URL=_url(black_hole), TELEGRAM_BOT_TOKEN="987654321:black-hole-Secret_token")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot", verb], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=50
    )
    elapsed = time.monotonic() - started
    assert elapsed < CLI_BOUND_S, elapsed
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"DATABASE_URL: PostgreSQL at 127.0.0.1:{black_hole} did not answer within 5 s: "
        "check that the server is up, and the host and port"
    ]
    assert PASSWORD not in result.stdout + result.stderr


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    admin = admin_url()
    url = await create_database(admin)
    try:
        await upgrade(url)
        yield url
    finally:
        await drop_database(admin, url)


async def _terminate_backends(url: str) -> int:
    """What a failover does to the pool: every server connection to the database is cut; how many were."""
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            result = await connection.execute(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": async_url(url).database},
            )
            return int(result.scalar_one())
    finally:
        await admin.dispose()


async def _pooled_work(engine: AsyncEngine) -> int:
    async with engine.begin() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM runners"))).scalar_one())


@pytest.mark.timeout(60)
async def test_after_a_failover_the_first_unit_of_work_succeeds(postgres_url: str) -> None:
    """With 2 pooled connections cut by the server (as in a failover), the next 2 units of work both succeed:
    the pool tests a connection before handing it out and replaces a dead one."""
    engine = create_engine(postgres_url)
    try:
        await asyncio.gather(_pooled_work(engine), _pooled_work(engine))  # two connections in the pool
        assert engine.sync_engine.pool.checkedin() == 2
        assert await _terminate_backends(postgres_url) == 2
        assert await asyncio.gather(_pooled_work(engine), _pooled_work(engine)) == [0, 0]
    finally:
        await engine.dispose()


@pytest.mark.timeout(60)
async def test_without_the_ping_the_first_unit_of_work_after_a_failover_fails(postgres_url: str) -> None:
    """The failover above is real: a pool that does not ping hands out the cut connection and that unit
    of work fails (so the test above would catch the ping going missing)."""
    engine = create_engine(postgres_url, pool_pre_ping=False)
    try:
        await _pooled_work(engine)
        assert await _terminate_backends(postgres_url) == 1
        with pytest.raises(DBAPIError):
            await _pooled_work(engine)
    finally:
        await engine.dispose()
