"""The webhook server's limits, served on 127.0.0.1 in this process with short timeouts: slow
clients are cut after their timeouts, clients beyond the connection cap make room or are turned
away, each counted (never a line each), and ``GET /readyz`` tells whether the bot can serve."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import structlog
from test_coach_run import _free_port

from bot.app import build_application, prepare_database, start, stop
from bot.clock import FakeClock
from bot.config import Settings
from bot.console.transport import OfflineBotApi
from bot.entry.health import HealthCheck
from bot.entry.http_limits import ConnectionLogs, LimitedHTTPServer, Limits
from bot.entry.webhook import webhook_server
from bot.telegram.context import CoachApplication

SECRET = "limits-Secret-0123456789abcdefghijklmn"
PATH = "hook"
RUNNER = 4242
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@dataclass
class Served:
    port: int
    server: LimitedHTTPServer
    app: CoachApplication
    api: OfflineBotApi

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, head: str, body: bytes = b"") -> tuple[int, bytes]:
        """One request on a fresh connection; the status and body of the answer."""
        reader, writer = await self.connect()
        try:
            writer.write(head.encode() + b"\r\n" + body)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 10)
        finally:
            writer.close()
        status_line, _, rest = answer.partition(b"\r\n")
        return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]

    async def update(self, text: str) -> int:
        body = json.dumps(self.api.text(RUNNER, text, "Ada")).encode()
        status, _ = await self.request(
            f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n",
            body,
        )
        return status

    async def health(self, path: str = "/healthz") -> tuple[int, bytes]:
        return await self.request(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")


@asynccontextmanager
async def serving(
    tmp_path: Path, limits: Limits, ping: Callable[[], Awaitable[None]] | None = None
) -> AsyncIterator[Served]:
    """The real application (offline Bot API) behind the webhook server, listening on 127.0.0.1."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    await prepare_database(url)
    api = OfflineBotApi(clock=FakeClock(START))
    settings = Settings(_env_file=None, database_url=url, telegram_bot_token=None)  # type: ignore[call-arg]
    app = build_application(settings, clock=FakeClock(START), request=api)

    async def answers() -> None:
        return None

    await start(app)
    await app.start()
    server = webhook_server(
        app, f"https://coach.example/{PATH}", SECRET, health=HealthCheck(app, ping or answers), limits=limits
    )
    quiet = ConnectionLogs(server.report)
    quiet.install()
    port = _free_port()
    server.listen(port, address="127.0.0.1")
    try:
        yield Served(port, server, app, api)
    finally:
        server.stop()
        await server.close_all_connections()
        quiet.remove()
        await app.stop()
        await stop(app)


async def closed_after(reader: asyncio.StreamReader, within: float) -> tuple[float, bytes]:
    """Seconds until the server closes the connection, and what it sent before."""
    began = time.monotonic()
    with contextlib.suppress(ConnectionError):
        sent = await asyncio.wait_for(reader.read(), within)
        return time.monotonic() - began, sent
    return time.monotonic() - began, b""


async def trickle(writer: asyncio.StreamWriter, pieces: list[bytes], every: float) -> None:
    """Send ``pieces`` one at a time, ``every`` seconds apart, until the server hangs up."""
    with contextlib.suppress(ConnectionError):
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(every)


@pytest.mark.timeout(60)
async def test_a_slowloris_is_cut_after_the_header_timeout(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A client that trickles its headers a line every 0.2 s is cut when the 1 s header timeout
    runs out (not later), counted as one header_timeout; the server goes on answering."""
    async with serving(tmp_path, Limits(header_timeout=1.0)) as served:
        reader, writer = await served.connect()
        lines = [f"POST /{PATH} HTTP/1.1\r\n".encode()] + [f"X-Slow-{n}: x\r\n".encode() for n in range(100)]
        sending = asyncio.create_task(trickle(writer, lines, 0.2))
        seconds, sent = await closed_after(reader, 10)
        sending.cancel()
        writer.close()
        assert 0.9 <= seconds < 3.0, seconds
        assert sent == b""
        assert served.server.report.totals["header_timeout"] == 1
        assert await served.update("/help") == 200
        assert (await served.health()) == (200, b"ok\n")


@pytest.mark.timeout(60)
async def test_a_slow_body_is_cut_after_the_body_timeout(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An authenticated post whose body trickles in a byte every 0.2 s is cut when the 1 s body
    timeout runs out, counted as one body_timeout, and tornado's own line for it is not written."""
    caplog.set_level(logging.INFO)
    async with serving(tmp_path, Limits(body_timeout=1.0)) as served:
        reader, writer = await served.connect()
        writer.write(
            f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n".encode()
        )
        sending = asyncio.create_task(trickle(writer, [b" "] * 100, 0.2))
        seconds, sent = await closed_after(reader, 10)
        sending.cancel()
        writer.close()
        assert 0.9 <= seconds < 3.0, seconds
        assert not sent.startswith(b"HTTP/1.1 200")
        assert served.server.report.totals["body_timeout"] == 1
        assert "Timeout reading body" not in caplog.text
        assert await served.update("/help") == 200


@pytest.mark.timeout(60)
async def test_oversized_and_malformed_heads_are_cut_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A request head over 16 KiB is cut unanswered, a head that is not HTTP gets 400; each is
    counted under its kind (header_too_large, malformed_request) and tornado's line is not written."""
    caplog.set_level(logging.INFO)
    async with serving(tmp_path, Limits()) as served:
        reader, writer = await served.connect()
        writer.write(f"POST /{PATH} HTTP/1.1\r\nX-Big: {'x' * 20_000}\r\n\r\n".encode())
        assert (await closed_after(reader, 5))[1] == b""
        writer.close()
        reader, writer = await served.connect()
        writer.write(b"HELLO\r\n\r\n")
        assert (await closed_after(reader, 5))[1].startswith(b"HTTP/1.1 400")
        writer.close()
        assert served.server.report.totals["header_too_large"] == 1
        assert served.server.report.totals["malformed_request"] == 1
        assert [r for r in caplog.records if r.name.startswith("tornado")] == []
        assert await served.update("/help") == 200


@pytest.mark.timeout(60)
async def test_beyond_the_cap_the_idlest_connection_makes_room(tmp_path: Path) -> None:
    """With a cap of 8 connections, 40 clients that connect and say nothing do not lock the bot
    out: each newcomer beyond the cap closes the one that has waited longest, so an update and a
    health check still get their answers at once; the cuts are counted, not logged one by one."""
    async with serving(tmp_path, Limits(max_connections=8)) as served:
        held = [await served.connect() for _ in range(40)]
        await asyncio.sleep(0.1)
        assert len(served.server.open) <= 8
        assert await served.update("/help") == 200
        assert (await served.health()) == (200, b"ok\n")
        assert served.server.report.totals["too_many_connections"] >= 32
        for _, writer in held:
            writer.close()


@pytest.mark.timeout(60)
async def test_a_request_in_progress_is_never_cut_to_make_room(tmp_path: Path) -> None:
    """When every connection under the cap is mid-request, a newcomer is turned away instead."""
    async with serving(tmp_path, Limits(max_connections=2, body_timeout=30.0)) as served:
        head = (
            f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
            "Content-Length: 10\r\n\r\n"
        ).encode()
        busy = [await served.connect() for _ in range(2)]
        for _, writer in busy:
            writer.write(head)
            await writer.drain()
        await asyncio.sleep(0.2)
        assert not served.server.waiting
        newcomer, late = await served.connect()
        assert (await closed_after(newcomer, 5))[1] == b""
        late.close()
        for reader, writer in busy:
            writer.write(b'{"a": 1}  ')
            await writer.drain()
            assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"HTTP/1.1 400")
            writer.close()


@pytest.mark.timeout(120)
async def test_refused_posts_are_counted_and_written_as_one_line(tmp_path: Path) -> None:
    """200 posts with a wrong secret are each refused 403, and written as one webhook.abuse line
    (kind wrong_secret, count 200) when the interval ends, not as 200 lines."""
    with structlog.testing.capture_logs() as logs:
        async with serving(tmp_path, Limits()) as served:
            for _ in range(200):
                status, _ = await served.request(
                    f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Telegram-Bot-Api-Secret-Token: guess\r\n"
                    "Content-Length: 2\r\n",
                    b"{}",
                )
                assert status == 403
            served.server.report.flush()
    abuse = [line for line in logs if line["event"] == "webhook.abuse"]
    assert abuse == [
        {"event": "webhook.abuse", "kind": "wrong_secret", "count": 200, "interval": "60s", "log_level": "warning"}
    ]
    assert len(logs) < 20, logs


async def test_health_says_ok_while_the_database_answers(tmp_path: Path) -> None:
    """GET /healthz is 200 "ok" and /readyz 200 "ready" with no secret, while the application runs and
    the database answers."""
    async with serving(tmp_path, Limits()) as served:
        assert (await served.health()) == (200, b"ok\n")
        assert (await served.health("/readyz")) == (200, b"ready\n")
        status, _ = await served.request("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
        assert status == 200


async def test_ready_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    """A database that fails (or takes longer than the check's timeout) makes GET /readyz 503; the
    process itself is up (/healthz 200)."""

    async def fails() -> None:
        raise OSError("connection refused")

    async with serving(tmp_path, Limits(), ping=fails) as served:
        assert (await served.health("/readyz")) == (503, b"not ready: database unreachable\n")
        assert (await served.health()) == (200, b"ok\n")


async def test_ready_is_503_once_the_application_stops(tmp_path: Path) -> None:
    """Once the application has stopped taking updates, GET /readyz is 503."""
    async with serving(tmp_path, Limits()) as served:
        await served.app.stop()
        assert (await served.health("/readyz"))[0] == 503
        await served.app.start()
