"""`coach dispatch --loop`: a dispatch worker sweeping every DISPATCH_INTERVAL over the real Bot API
(emulated over HTTP here) until SIGTERM, then stopping cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import structlog
from dispatching import EchoComposer, add_runner
from test_cli_dispatch import ADA
from test_coach_run import TOKEN, clean_env, until_logged

from bot.__main__ import main
from bot.clock import FakeClock
from bot.config import load_settings
from bot.console.emulator import BotApiEmulator
from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory
from bot.entry.dispatch_loop import sweep_until

ELEVEN_IN_BERLIN = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


async def until(holds: Callable[[], bool], within: float = 10.0) -> bool:
    """Whether ``holds()`` comes true within ``within`` seconds (looked at every 10 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not holds() and loop.time() < deadline:  # noqa: ASYNC110 - a log line is no event to wait on
        await asyncio.sleep(0.01)
    return holds()


async def test_the_worker_sweeps_again_and_again_and_sends_what_falls_due_once(sqlite_migrated_url: str) -> None:
    """Sweeps keep coming at the interval: a prompt that falls due between two of them goes out at the
    next one, once however many follow; stopping ends the loop after the sweep under way."""
    url = sqlite_migrated_url
    clock = FakeClock(ELEVEN_IN_BERLIN - dt.timedelta(minutes=5))
    engine = create_engine(url)
    try:
        await add_runner(unit_of_work_factory(session_factory(engine)), ADA, now=clock.now(), reminder=dt.time(11, 0))
    finally:
        await engine.dispose()
    stopping = asyncio.Event()
    async with BotApiEmulator(TOKEN) as emulator:
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url, database_url=url)
        with structlog.testing.capture_logs() as logs:

            def sweeps() -> int:
                return sum(1 for line in logs if line["event"] == "dispatch.loop.sweep")

            worker = asyncio.create_task(
                sweep_until(settings, stopping, clock=clock, composer=EchoComposer(), interval=0.05)
            )
            assert await until(lambda: sweeps() >= 2)
            assert emulator.sent_messages(ADA) == []
            clock.set(ELEVEN_IN_BERLIN)
            assert await emulator.api.wait_for(lambda: bool(emulator.sent_messages(ADA)), 10)
            seen = sweeps()
            assert await until(lambda: sweeps() >= seen + 3)
            stopping.set()
            made = await asyncio.wait_for(worker, 10)
        assert [m.plain_text for m in emulator.sent_messages(ADA)] == ["prompt 2026-11-23"]
    assert made == sweeps() >= 5
    assert logs[-1]["event"] == "dispatch.loop.stopped"


def test_loop_and_at_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A worker sweeps at the time it is: --loop with --at is a usage error naming both."""
    with pytest.raises(SystemExit) as exited:
        main(["dispatch", "--loop", "--at", "2026-11-23T07:00:00+01:00"])
    assert exited.value.code == 2
    assert "not allowed with argument --loop" in capsys.readouterr().err


@pytest.mark.slow
async def test_the_command_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """`coach dispatch --loop` (DISPATCH_INTERVAL=1) sweeps, and on SIGTERM logs that it stopped and exits 0."""
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            DISPATCH_INTERVAL="1",
        )
        with (tmp_path / "stdout.txt").open("wb") as out, (tmp_path / "stderr.txt").open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "dispatch", "--loop", cwd=tmp_path, env=env, stdout=out, stderr=err
            )
            try:
                await until_logged(tmp_path, process, "dispatch.loop.sweep")
                process.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(process.wait(), 15) == 0
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
    events = [json.loads(line)["event"] for line in (tmp_path / "stdout.txt").read_text().splitlines()]
    assert events[-1] == "dispatch.loop.stopped"
    assert (tmp_path / "stderr.txt").read_text() == ""
