"""`coach run` in webhook mode, probed as an attacker would: no secret, huge bodies, bad JSON,
forged updates. The real process serves HTTP on 127.0.0.1 against an emulated Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from test_coach_run import (
    REPLY_WITHIN,
    RUNNER,
    TOKEN,
    WEBHOOK_SECRET,
    _free_port,
    clean_env,
    coach_run,
)

from bot.console.emulator import BotApiEmulator
from bot.console.transport import JSONDict
from bot.content.ui import default_ui

UI = default_ui()
PATH = "telegram-hook"
ATTACKER = 666
BYSTANDER = 555  # whose /help, answered, shows that every update posted before it was handled
TEN_MB = 10 * 1024 * 1024
TYPED = (
    "/start",
    "some",
    "mon wed fri sun",
    "sun",
    "wed",
    "no race",
    "gym",
    "30",
    "knee",
    "no",
    "UTC+1",
    "07:00",
    "no",
)


def webhook_env(tmp_path: Path, emulator: BotApiEmulator, port: int, **extra: str) -> dict[str, str]:
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        WEBHOOK_URL=f"https://coach.example/{PATH}",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        PORT=str(port),
        **extra,
    )


class Hook:
    """Telegram's side of the webhook: posts updates to the bot's server, with or without the secret."""

    def __init__(self, port: int, client: httpx.AsyncClient) -> None:
        self.url = f"http://127.0.0.1:{port}/{PATH}"
        self.client = client

    async def post(self, update: JSONDict, secret: str | None = WEBHOOK_SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return (await self.client.post(self.url, json=update, headers=headers)).status_code

    async def raw(self, content: bytes, secret: str | None = WEBHOOK_SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        headers["Content-Type"] = "application/json"
        return (await self.client.post(self.url, content=content, headers=headers)).status_code


async def say(emulator: BotApiEmulator, hook: Hook, user_id: int, text: str, name: str) -> list[str]:
    """Post one typed message and return every answer to it.

    A step may answer with several messages. The bot handles updates one at a time, in order, and
    sends each answer before it takes the next update, so once a bystander's /help posted after the
    message is answered, every answer to the message has been sent: no guess at how long to wait.
    """
    api = emulator.api
    marker = api.marker()
    assert await hook.post(api.text(user_id, text, name)) == 200
    assert await hook.post(api.text(BYSTANDER, "/help", "Bystander")) == 200
    answered = await api.wait_for(lambda: bool(api.sent_since(BYSTANDER, marker)), REPLY_WITHIN)
    assert answered, f"no answer to {text!r} within {REPLY_WITHIN}s"
    return api.texts_since(user_id, marker)


async def settled_rss_kib(pid: int) -> int:
    """The resident memory once it stops moving (two readings half a second apart within 256 KiB)."""
    last = rss_kib(pid)
    for _ in range(60):
        await asyncio.sleep(0.5)
        now = rss_kib(pid)
        if abs(now - last) < 256:
            return now
        last = now
    raise AssertionError("memory never settled")


def rss_kib(pid: int) -> int:
    """The process's resident memory, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def status_after_headers(port: int, headers: dict[str, str]) -> bytes:
    """Send only a request's head announcing a 10 MB body, and read what the server answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(
            f"POST /{PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {TEN_MB}\r\n{head}\r\n".encode()
        )
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 10)
    finally:
        writer.close()


@pytest.mark.parametrize("secret", [None, "", "short-secret", "x" * 31])
def test_webhook_mode_without_a_long_secret_refuses_to_start(tmp_path: Path, secret: str | None) -> None:
    """Webhook mode with no WEBHOOK_SECRET, or one under 32 characters, exits non-zero with one
    line naming WEBHOOK_SECRET, and starts nothing."""
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        WEBHOOK_URL="https://coach.example/hook",
    )
    if secret is not None:
        env["WEBHOOK_SECRET"] = secret
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "WEBHOOK_SECRET" in lines[0]
    if secret:
        assert secret not in lines[0]
    assert not (tmp_path / "bot.db").exists(), "nothing is started"


async def test_a_huge_post_without_the_secret_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 10 MB post without the secret is refused (403 as soon as the headers are in, the body
    never read), the process does not grow, and the bot goes on serving."""
    port = _free_port()
    async with (
        BotApiEmulator(TOKEN) as emulator,
        coach_run(tmp_path, webhook_env(tmp_path, emulator, port)) as process,
        httpx.AsyncClient(timeout=30) as client,
    ):
        hook = Hook(port, client)
        assert (await say(emulator, hook, RUNNER, "/help", "Ada")) == [UI.general.help]
        assert (await status_after_headers(port, {})).startswith(b"HTTP/1.1 403")
        assert (await status_after_headers(port, {"X-Telegram-Bot-Api-Secret-Token": "wrong"})).startswith(
            b"HTTP/1.1 403"
        )
        # with the secret, a body over the 1 MB cap is refused just as early
        secret = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        assert (await status_after_headers(port, secret)).startswith(b"HTTP/1.1 413")

        before = await settled_rss_kib(process.pid)
        body = b'{"update_id": 1, "message": "' + b"x" * TEN_MB + b'"}'
        for _ in range(6):
            # the server may hang up on the unread body before the client reads the 403: refused just the same
            with contextlib.suppress(httpx.TransportError):
                assert await hook.raw(body, secret=None) == 403
        grown = await settled_rss_kib(process.pid) - before
        assert grown < 4 * 1024, f"the process grew by {grown} KiB"

        assert (await say(emulator, hook, RUNNER, "/help", "Ada")) == [UI.general.help]
    assert process.returncode == 0


async def test_malformed_json_with_the_secret_gets_400(tmp_path: Path) -> None:
    """A body that is not JSON, or JSON that is no update, gets 400 (not 500), and serving goes on."""
    port = _free_port()
    async with (
        BotApiEmulator(TOKEN) as emulator,
        coach_run(tmp_path, webhook_env(tmp_path, emulator, port)) as process,
        httpx.AsyncClient(timeout=30) as client,
    ):
        hook = Hook(port, client)
        for body in (b"{not json", b"[1, 2]", b'"text"', b'{"update_id": "x", "message": 5}', b"\xff\xfe"):
            assert await hook.raw(body) == 400, body
        assert (await say(emulator, hook, RUNNER, "/help", "Ada")) == [UI.general.help]
    assert process.returncode == 0
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in output


async def test_a_forged_update_for_another_runner_is_never_answered_with_their_data(tmp_path: Path) -> None:
    """Runner A onboards over the webhook; an update claiming to be A from another chat is refused
    without the secret, and even with it gets nothing of A's back (nor changes A's answers)."""
    port = _free_port()
    async with (
        BotApiEmulator(TOKEN) as emulator,
        coach_run(tmp_path, webhook_env(tmp_path, emulator, port)) as process,
        httpx.AsyncClient(timeout=30) as client,
    ):
        hook = Hook(port, client)
        api = emulator.api
        for text in TYPED:
            replies = await say(emulator, hook, RUNNER, text, "Ada")
        assert any(reply.startswith("All set, Ada!") and "knee" in reply for reply in replies)

        marker = api.marker()
        for text in ("/week", "/today", "why?", "/start"):
            forged = api.text(ATTACKER, text, "Mallory")
            forged["message"]["from"] = {"id": RUNNER, "is_bot": False, "first_name": "Ada"}
            assert await hook.post(forged, secret=None) == 403
            assert await hook.post(forged, secret="x" * 40) == 403
            assert await hook.post(forged) == 200  # as if the secret had leaked: still nothing of A's
        # updates are handled in order: once the attacker's own /help is answered, the forged ones are done
        assert await say(emulator, hook, ATTACKER, "/help", "Mallory") == [UI.general.help]
        assert api.texts_since(ATTACKER, marker) == [UI.general.help]
        assert api.texts_since(RUNNER, marker) == []
        assert await say(emulator, hook, RUNNER, "/start", "Ada") == [UI.general.fmt("menu", name="Ada")]
    assert process.returncode == 0
