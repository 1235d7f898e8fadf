"""`coach dispatch [--at ISO-8601]`: one sweep over the real Bot API (emulated over HTTP here)."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dispatching import EchoComposer, add_runner
from telegram.error import NetworkError
from test_coach_run import TOKEN, clean_env

from bot.config import load_settings
from bot.console.emulator import BotApiEmulator
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade
from bot.db.uow import unit_of_work_factory
from bot.entry.dispatch import sweep
from bot.entry.start_up import starting
from bot.failures import CommandFailed, database_problem

ADA = 4242
SEVEN_IN_BERLIN = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def coach_dispatch(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "dispatch", *args],
        capture_output=True,
        text=True,
        env=clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db", **env),
        cwd=tmp_path,
        timeout=120,
    )


def test_without_a_token_dispatch_exits_2_naming_it(tmp_path: Path) -> None:
    """`coach dispatch` needs TELEGRAM_BOT_TOKEN and says so in one line."""
    result = coach_dispatch(tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("TELEGRAM_BOT_TOKEN")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("at", ["2026-11-23T07:00", "tomorrow"])
def test_an_instant_without_offset_or_not_iso_is_refused(tmp_path: Path, at: str) -> None:
    """--at must be an ISO-8601 instant with a UTC offset; anything else is a usage error naming it."""
    result = coach_dispatch(tmp_path, "--at", at, TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert at in result.stderr and "Traceback" not in result.stderr


async def _database_with_ada(tmp_path: Path) -> str:
    """A migrated SQLite file holding Ada, her prompt due at seven in Berlin; its URL."""
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    await upgrade(url)
    engine = create_engine(url)
    try:
        await add_runner(
            unit_of_work_factory(session_factory(engine)), ADA, now=SEVEN_IN_BERLIN - dt.timedelta(hours=1)
        )
    finally:
        await engine.dispose()
    return url


async def test_one_sweep_sends_what_is_due_once(tmp_path: Path) -> None:
    """Two sweeps at the same instant through the HTTP Bot API: the runner gets the prompt once."""
    url = await _database_with_ada(tmp_path)
    async with BotApiEmulator(TOKEN) as emulator:
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url, database_url=url)
        first = await sweep(settings, SEVEN_IN_BERLIN, composer=EchoComposer())
        second = await sweep(settings, SEVEN_IN_BERLIN + dt.timedelta(seconds=30), composer=EchoComposer())
        assert (first.sent, second.sent) == (1, 0)
        assert [m.plain_text for m in emulator.sent_messages(ADA)] == ["prompt 2026-11-23"]


async def test_a_sweep_lets_the_collector_run_again_once_it_is_built(tmp_path: Path) -> None:
    """`coach dispatch` starts as `coach run` does (the collector held off while it imports and builds):
    once the sweep has built its application, collections run again, start-up's objects frozen out of
    them, before the first prompt is sent (a worker sweeps for days on that collector)."""
    url = await _database_with_ada(tmp_path)
    seen: list[bool] = []

    class Watching(EchoComposer):
        async def compose(self, *args: Any, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return await super().compose(*args, **kwargs)

    if not gc.isenabled():
        pytest.skip("the collector is off in this test process")
    async with BotApiEmulator(TOKEN) as emulator:
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url, database_url=url)
        with starting():
            assert not gc.isenabled()
            report = await sweep(settings, SEVEN_IN_BERLIN, composer=Watching())
            assert gc.isenabled() and gc.get_freeze_count() > 0
    assert report.sent == 1 and seen and all(seen)


async def test_the_command_prints_one_line_of_counts(tmp_path: Path) -> None:
    """`coach dispatch --at ...` migrates a new SQLite file, sweeps, and prints what it did in one line."""
    async with BotApiEmulator(TOKEN) as emulator:
        result = await asyncio.to_thread(
            coach_dispatch,
            tmp_path,
            "--at",
            "2026-11-23T07:00:00+01:00",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sent 0, dropped 0, deferred 0, nothing to say 0, failed 0, blocked 0"
    assert TOKEN.partition(":")[2] not in result.stdout + result.stderr


@pytest.mark.slow  # a process: about 3 s of CPU
def test_an_unreachable_bot_api_is_named_not_the_database(sqlite_migrated_url: str, tmp_path: Path) -> None:
    """Nothing listening at the Bot API's address: `coach dispatch` exits 1, its last line naming
    TELEGRAM_API_BASE_URL and the address (it used to blame DATABASE_URL), no traceback, no token."""
    (tmp_path / "coach.db").rename(tmp_path / "bot.db")  # migrated already: only the Bot API is missing
    result = coach_dispatch(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot")
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert (
        last
        == "TELEGRAM_API_BASE_URL: cannot reach the Bot API at http://127.0.0.1:9/bot: check the network, or the URL"
    )
    assert "DATABASE_URL" not in result.stderr and "Traceback" not in result.stderr
    assert TOKEN.partition(":")[2] not in result.stderr


async def test_a_bot_api_host_that_does_not_resolve_is_named_not_the_database(sqlite_migrated_url: str) -> None:
    """An unknown Bot API host fails the sweep as one line naming TELEGRAM_API_BASE_URL (it used to
    read "DATABASE_URL: the host of the file coach.db is unknown"), and nothing is sent."""
    base = "http://bot-api.invalid/bot"
    settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=base, database_url=sqlite_migrated_url)
    with pytest.raises(CommandFailed) as failed:
        await sweep(settings, SEVEN_IN_BERLIN, composer=EchoComposer())
    assert str(failed.value).startswith(f"TELEGRAM_API_BASE_URL: cannot reach the Bot API at {base}")
    assert failed.value.status == 1


def test_a_bot_api_error_is_never_read_as_a_database_one() -> None:
    """The Bot API's connection errors look like a database's (refused, unknown host): the database
    classifier leaves them alone, so they are never worded as a DATABASE_URL problem."""
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except OSError as cause:
            raise NetworkError("httpx.ConnectError: [Errno -2] Name or service not known") from cause
    except NetworkError as error:
        assert database_problem(error, url="sqlite+aiosqlite:///coach.db") is None
        assert database_problem(error.__cause__, url="sqlite+aiosqlite:///coach.db") is not None  # type: ignore[arg-type]
