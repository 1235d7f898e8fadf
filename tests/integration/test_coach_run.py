"""`coach run`: the real bot process, polling an emulated Bot API over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.console.emulator import BotApiEmulator
from bot.console.transport import OfflineBotApi

TOKEN = "987654321:emulated-Secret_token-XYZ"
WEBHOOK_SECRET = "webhook-Secret-0123456789abcdefghijkl"  # 36 characters
RUNNER = 777
REPLY_WITHIN = 15.0  # seconds for one answer once the bot serves
# seconds for `coach run` to serve: waited for as an event (its "bot.start" log line), this bound
# only catches a hang, so it is generous for a loaded machine
STARTED_WITHIN = 120.0


def clean_env(**settings: str) -> dict[str, str]:
    """The test machine's environment without any coach setting, plus ``settings``."""
    names = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "PORT")
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


@asynccontextmanager
async def coach_run(
    tmp_path: Path, env: dict[str, str], command: str = "run", *, files: int | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`coach run` as a subprocess (output to files), yielded once it serves; interrupted with SIGINT at
    the end, killed if it hangs. ``files``: the most open files it may hold (soft and hard limit)."""

    def limit() -> None:
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    with (tmp_path / "stdout.txt").open("wb") as out, (tmp_path / "stderr.txt").open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", command, cwd=tmp_path, env=env, stdout=out, stderr=err, preexec_fn=limit
        )
        try:
            await started(tmp_path, process)
            yield process
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()


def logged(tmp_path: Path, event: str) -> bool:
    """Whether `coach run` (started by ``coach_run`` in ``tmp_path``) wrote a JSON log line for ``event``."""
    for line in (tmp_path / "stdout.txt").read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            if json.loads(line).get("event") == event:
                return True
    return False


async def until_logged(tmp_path: Path, process: asyncio.subprocess.Process, event: str) -> None:
    """Wait until `coach run` logs ``event``, or fail at once if it exited."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTED_WITHIN
    while not logged(tmp_path, event):
        assert process.returncode is None, "coach run exited: " + (tmp_path / "stderr.txt").read_text()
        assert loop.time() < deadline, f"coach run did not log {event} within {STARTED_WITHIN}s"
        await asyncio.sleep(0.05)


async def started(tmp_path: Path, process: asyncio.subprocess.Process) -> None:
    """Wait until `coach run` says it serves (logged after its webhook server listens, or as polling starts)."""
    await until_logged(tmp_path, process, "bot.start")


class Chat:
    """The runner's side of the emulated Telegram: act, then wait (bounded) for the bot's answer."""

    def __init__(self, emulator: BotApiEmulator, process: asyncio.subprocess.Process) -> None:
        self.emulator = emulator
        self.api: OfflineBotApi = emulator.api
        self.process = process

    async def _await(self, act: Callable[[], object], count: int) -> list[str]:
        marker = self.api.marker()
        act()

        def arrived() -> bool:
            return len(self.api.sent_since(RUNNER, marker)) >= count or self.process.returncode is not None

        assert await self.api.wait_for(arrived, REPLY_WITHIN), f"no answer within {REPLY_WITHIN}s"
        assert self.process.returncode is None, "coach run exited"
        return self.api.texts_since(RUNNER, marker)

    async def say(self, text: str, count: int = 1) -> list[str]:
        return await self._await(lambda: self.emulator.send_text(RUNNER, text, "Ada"), count)

    async def press(self, label: str, count: int = 1) -> list[str]:
        return await self._await(lambda: self.emulator.press_label(RUNNER, label), count)


async def test_coach_run_onboards_a_runner_over_http(tmp_path: Path) -> None:
    """Against an emulated Bot API, `coach run` registers its commands, onboards a runner to the
    summary and first week's plan, never prints its token nor, even at DEBUG,
    the runner's messages, and stops cleanly on Ctrl-C."""
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            LOG_LEVEL="DEBUG",
        )
        async with coach_run(tmp_path, env) as process:
            chat = Chat(emulator, process)
            (welcome,) = await chat.say("/start")
            assert welcome.startswith("Hi Ada!")
            assert (await chat.press("Now and then")) == [
                "2/11 · Which days do you usually run? Tap each one, then Done. (Or type them, like: mon wed fri sun)"
            ]
            assert (await chat.say("mon wed fri sun"))[0].startswith("3/11")
            assert (await chat.press("Sun"))[0].startswith("4/11")
            assert (await chat.say("wed"))[0].startswith("5/11")
            assert (await chat.press("No race"))[0].startswith("6/11")
            assert (await chat.say("gym"))[0].startswith("7/11")
            assert (await chat.press("30"))[0].startswith("8/11")
            assert (await chat.say("none"))[0].startswith("9/11")
            assert (await chat.say("UTC+1", count=2))[1].startswith("10/11")
            assert (await chat.say("07:00"))[0].startswith("11/11")
            summary, plan, why = await chat.say("no", count=3)
            assert summary.startswith("All set, Ada!")
            assert "• Runs: Mon easy run, Wed quality session, Fri easy run, Sun long run" in summary
            assert plan.startswith("Your plan, from today:") and "Week of " in plan
            assert why.startswith("Why bother?")
            assert (await chat.say("/start"))[0].startswith("Hi Ada! What would you like?")

            commands = [c["command"] for c in emulator.api.commands()]
            assert commands == [
                *("start", "today", "tomorrow", "week", "log", "pause", "resume", "cleared", "calendar"),
                *("settings", "race", "history", "stats", "export", "delete", "help", "cancel"),
            ]

        assert process.returncode == 0
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    # even at DEBUG, python-telegram-bot's updates and Bot API calls (the runner's messages) stay out
    assert "getUpdates" not in output and "sendMessage" not in output
    assert "mon wed fri sun" not in output and "All set" not in output
    assert TOKEN not in output
    assert TOKEN.partition(":")[2] not in output
    assert "Traceback" not in output


@pytest.mark.parametrize("token", [None, "not-a-token", "12345:short"])
def test_coach_run_without_a_usable_token_exits_2_naming_it(tmp_path: Path, token: str | None) -> None:
    """Without a token, or with a malformed one, `coach run` exits 2 with one line naming TELEGRAM_BOT_TOKEN."""
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    if token is not None:
        assert token not in lines[0]
    assert not (tmp_path / "bot.db").exists(), "nothing is started without a token"


def test_coach_run_with_a_plain_http_webhook_url_exits_2_naming_it(tmp_path: Path) -> None:
    """WEBHOOK_URL must be https (Telegram's rule): `coach run` says so in one line, before starting anything."""
    env = clean_env(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        TELEGRAM_BOT_TOKEN=TOKEN,
        WEBHOOK_URL="http://coach.example/hook",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert result.returncode == 2
    assert (result.stdout + result.stderr).strip().splitlines() == [
        "WEBHOOK_URL: must be an https:// URL (Telegram delivers webhooks over HTTPS only), "
        "e.g. https://coach.example/telegram"
    ]
    assert not (tmp_path / "bot.db").exists()


def _free_port() -> int:
    """A port free now for `coach run` to listen on, picked below the range the OS hands out for
    port 0 and for outgoing connections' local ports: a port the OS picked, once released, can be
    handed straight back to another test's emulator, client or database connection (CI met
    "Address already in use" that way). Random, so concurrent test workers rarely try the same."""
    import random
    import socket

    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range")  # Linux; elsewhere IANA's 49152 and up
    first_ephemeral = int(ephemeral.read_text().split()[0]) if ephemeral.exists() else 49_152
    low, high = 10_000, min(first_ephemeral, 32_768)
    for port in random.sample(range(low, high), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


async def _get(port: int, path: str) -> tuple[int, str]:
    import httpx

    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{port}{path}")
        return response.status_code, response.text


async def _post_update(port: int, path: str, update: dict[str, object], secret: str | None) -> int:
    """POST one update to the bot's webhook the way Telegram does; returns the HTTP status."""
    import httpx

    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with httpx.AsyncClient() as client:  # (``coach_run`` yields once the server listens)
        response = await client.post(f"http://127.0.0.1:{port}/{path}", json=update, headers=headers)
        return response.status_code


async def test_coach_run_serves_a_webhook_when_webhook_url_is_set(tmp_path: Path) -> None:
    """With WEBHOOK_URL set, `coach run` registers that webhook, answers updates posted with the
    secret and refuses ones without it, and says it is up and ready on /healthz and /readyz."""
    port, secret = _free_port(), WEBHOOK_SECRET
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            WEBHOOK_URL="https://coach.example/telegram-hook",
            WEBHOOK_SECRET=secret,
            PORT=str(port),
        )
        async with coach_run(tmp_path, env) as process:
            update = emulator.api.text(RUNNER, "/start", "Ada")
            assert await _post_update(port, "telegram-hook", update, secret=None) == 403
            marker = emulator.api.marker()
            assert await _post_update(port, "telegram-hook", update, secret=secret) == 200
            assert await emulator.api.wait_for(lambda: bool(emulator.api.sent_since(RUNNER, marker)), REPLY_WITHIN)
            assert emulator.api.texts_since(RUNNER, marker)[0].startswith("Hi Ada!")
            assert emulator.api.webhook_url == "https://coach.example/telegram-hook"
            assert await _get(port, "/healthz") == (200, "ok\n")
            assert await _get(port, "/readyz") == (200, "ready\n")
        assert process.returncode == 0
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert secret not in output and TOKEN not in output


async def test_coach_start_with_a_token_runs_the_real_bot(tmp_path: Path) -> None:
    """The README's start command, given a token, starts the real bot (not the offline chat)."""
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        )
        async with coach_run(tmp_path, env, command="start") as process:
            chat = Chat(emulator, process)
            (welcome,) = await chat.say("/start")
            assert welcome.startswith("Hi Ada!")
        assert process.returncode == 0


def test_coach_start_without_a_token_is_the_offline_chat(tmp_path: Path) -> None:
    """The README's start command with no token talks offline in the terminal."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "start", "--db", str(tmp_path / "chat.db")],
        input="/start\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "coach> Hi Runner!" in result.stdout
