"""`coach run` in webhook mode under a flood of half-open connections: the real process, on
127.0.0.1, against an emulated Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
from pathlib import Path

import httpx
import pytest
from test_coach_run import RUNNER, TOKEN, _free_port, coach_run
from test_webhook_security import PATH, Hook, say, webhook_env

from bot.console.emulator import BotApiEmulator
from bot.content.ui import default_ui
from bot.entry.http_limits import MAX_CONNECTIONS

UI = default_ui()
HALF_OPEN = 2000
MAX_LOG_LINES = 60  # start-up, a few updates, one abuse line per kind, shutdown: never a line per connection


def enough_files(needed: int) -> None:
    """Raise this process's soft limit on open files to its hard limit, or skip when even that is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"holding {HALF_OPEN} connections needs {needed} open files; the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def half_open(port: int, n: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection that never finishes its request: half send nothing, half a request line and one header."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    if n % 2:
        writer.write(f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        with contextlib.suppress(ConnectionError):
            await writer.drain()
    return reader, writer


async def churn(port: int, held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]], stop: asyncio.Event) -> int:
    """Keep the flood going: open a new half-open connection and drop the oldest held one, over and
    over, so the server keeps having to make room; returns how many were opened."""
    opened = 0
    while not stop.is_set():
        held.append(await half_open(port, opened))
        held.pop(0)[1].close()
        opened += 1
        await asyncio.sleep(0)
    return opened


def log_lines(tmp_path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (tmp_path / "stdout.txt").read_text().splitlines() if line.strip()]


@pytest.mark.timeout(240)
async def test_two_thousand_half_open_connections_do_not_take_the_server_down(tmp_path: Path) -> None:
    """While 2,000 clients hold half-open connections (and keep opening new ones), the server keeps
    its open connections under its cap, still answers authenticated updates and the health check,
    and logs the flood as one webhook.abuse line (too_many_connections, with the count), with no
    traceback."""
    enough_files(HALF_OPEN + 200)
    port = _free_port()
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    async with BotApiEmulator(TOKEN) as emulator, coach_run(tmp_path, webhook_env(tmp_path, emulator, port)) as process:
        async with httpx.AsyncClient(timeout=30) as client:
            assert (await say(emulator, Hook(port, client), RUNNER, "/help", "Ada")) == [UI.general.help]
        try:
            for start in range(0, HALF_OPEN, 100):
                held += await asyncio.gather(*(half_open(port, n) for n in range(start, start + 100)))
            assert len(held) == HALF_OPEN
            server_files = len(os.listdir(f"/proc/{process.pid}/fd"))
            assert server_files < MAX_CONNECTIONS + 100, f"the server holds {server_files} files"

            # Telegram's next delivery comes on a new connection, as the flood goes on
            stop = asyncio.Event()
            flooding = asyncio.create_task(churn(port, held, stop))
            async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
                for _ in range(3):
                    assert (await say(emulator, Hook(port, client), RUNNER, "/help", "Ada")) == [UI.general.help]
                    health = await client.get(f"http://127.0.0.1:{port}/healthz")
                    assert (health.status_code, health.text) == (200, "ok\n")
            stop.set()
            churned = await flooding
            assert churned > 100, f"the flood went on with only {churned} new connections"
        finally:
            for _, writer in held:
                writer.close()
    assert process.returncode == 0

    lines = log_lines(tmp_path)
    assert len(lines) <= MAX_LOG_LINES, f"{len(lines)} log lines"
    abuse = [line for line in lines if line["event"] == "webhook.abuse"]
    cut = sum(int(str(line["count"])) for line in abuse if line["kind"] == "too_many_connections")
    assert cut >= HALF_OPEN + churned - MAX_CONNECTIONS
    assert all(line["level"] == "warning" for line in abuse)
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in output


@pytest.mark.timeout(180)
async def test_a_low_open_file_limit_lowers_the_cap_instead_of_failing_accept(tmp_path: Path) -> None:
    """Allowed only 256 open files, the server lowers its cap to leave room for the rest of the
    process (and says so once), so 1,000 half-open connections never make accept() fail (the
    flood of tracebacks of issue 18): it still answers an update and the health check."""
    enough_files(1200)
    port = _free_port()
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    async with BotApiEmulator(TOKEN) as emulator:
        async with coach_run(tmp_path, webhook_env(tmp_path, emulator, port), files=256) as process:
            try:
                for start in range(0, 1000, 100):
                    held += await asyncio.gather(*(half_open(port, n) for n in range(start, start + 100)))
                assert len(os.listdir(f"/proc/{process.pid}/fd")) < 256
                async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
                    assert (await say(emulator, Hook(port, client), RUNNER, "/help", "Ada")) == [UI.general.help]
                    assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
            finally:
                for _, writer in held:
                    writer.close()
        assert process.returncode == 0
    lines = log_lines(tmp_path)
    assert len(lines) <= MAX_LOG_LINES, f"{len(lines)} log lines"
    (lowered,) = [line for line in lines if line["event"] == "webhook.connection_cap_lowered"]
    assert lowered["max_connections"] == 256 - 64
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in output
