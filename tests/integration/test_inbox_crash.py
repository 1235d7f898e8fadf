"""Issue 18: `coach run` killed with SIGKILL loses no update it acknowledged, in webhook and in
polling mode, and a second poller on the same token stops with one line. The real process against
the emulated Bot API over HTTP; what counts is what the runners see (one welcome each)."""

from __future__ import annotations

import asyncio
import collections
import signal
import sys
from pathlib import Path

import httpx
import pytest
from test_coach_run import TOKEN, WEBHOOK_SECRET, Chat, _free_port, clean_env, coach_run, started

from bot.console.emulator import BotApiEmulator
from bot.entry.polling import NEWCOMER_SECONDS

pytestmark = pytest.mark.slow
FIRST_RUNNER = 50_000
RECOVERED_WITHIN = 120.0  # an update the killed process was handling waits out its 30 s lease


def welcomes(emulator: BotApiEmulator, runners: list[int]) -> list[int]:
    """How many welcomes each runner got."""
    return [sum(1 for m in emulator.api.messages(r) if m.plain_text.startswith("Hi ")) for r in runners]


async def all_welcomed(emulator: BotApiEmulator, runners: list[int]) -> None:
    """Wait until every runner has a welcome, then a moment more for any duplicate to show up."""
    done = await emulator.api.wait_for(lambda: 0 not in welcomes(emulator, runners), RECOVERED_WITHIN)
    counts = welcomes(emulator, runners)
    assert done, f"{counts.count(0)} of {len(runners)} updates lost"
    await asyncio.sleep(2)


def assert_none_lost(counts: list[int]) -> None:
    """Every runner welcomed; twice at most for the one update being handled when the process was
    killed (its welcome went out, the mark "handled" did not: handled again, at least once)."""
    assert counts.count(0) == 0, f"{counts.count(0)} lost"
    assert sum(1 for c in counts if c > 1) <= 1 and max(counts) <= 2, counts


def folder(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


@pytest.mark.timeout(300)
async def test_sigkill_after_200_webhook_updates_acknowledged_loses_0(tmp_path: Path) -> None:
    """200 runners' /start posted to the webhook, all answered 200, the process SIGKILLed at once:
    after a restart on the same database each of the 200 has a welcome (0 lost), one each but for
    at most the one update that was being handled when the process died."""
    port = _free_port()
    runners = [FIRST_RUNNER + n for n in range(200)]
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            WEBHOOK_URL="https://coach.example/hook",
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            PORT=str(port),
        )
        updates = [emulator.api.text(r, "/start", "Ada") for r in runners]
        async with coach_run(folder(tmp_path, "first"), env) as process:
            gate = asyncio.Semaphore(40)  # Telegram's default max_connections for a webhook
            async with httpx.AsyncClient(timeout=60) as client:

                async def post(update: dict[str, object]) -> int:
                    async with gate:
                        response = await client.post(
                            f"http://127.0.0.1:{port}/hook",
                            json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                        )
                        return response.status_code

                statuses = await asyncio.gather(*(post(u) for u in updates))
            process.send_signal(signal.SIGKILL)
            await process.wait()
        errors = [line for line in (tmp_path / "first" / "stdout.txt").read_text().splitlines() if "error" in line]
        assert statuses == [200] * 200, (collections.Counter(statuses), errors[:3])
        unanswered = welcomes(emulator, runners).count(0)
        print(f"acknowledged 200, unanswered when killed: {unanswered}", file=sys.stderr)

        async with coach_run(folder(tmp_path, "second"), env):
            await all_welcomed(emulator, runners)
        assert_none_lost(welcomes(emulator, runners))


@pytest.mark.timeout(300)
async def test_sigkill_after_100_polled_updates_fetched_loses_0(tmp_path: Path) -> None:
    """100 runners' /start fetched in one getUpdates, the process SIGKILLed as soon as it answered
    the first: after a restart each of the 100 has a welcome (0 lost), one each but for at most the
    one being handled when the process died."""
    runners = [FIRST_RUNNER + n for n in range(100)]
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        )
        async with coach_run(folder(tmp_path, "first"), env) as process:
            polls = len(emulator.api.calls_to("getUpdates"))
            for runner in runners:
                emulator.send_text(runner, "/start", "Ada")
            assert await emulator.api.wait_for(lambda: 1 in welcomes(emulator, runners), 60)
            process.send_signal(signal.SIGKILL)
            await process.wait()
        fetched = emulator.api.calls_to("getUpdates")[polls:]
        assert len(fetched) == 1, "all 100 came in one getUpdates, which was never confirmed"
        unanswered = welcomes(emulator, runners).count(0)
        assert unanswered > 0, "the kill came before the batch was handled"
        print(f"fetched 100, unanswered when killed: {unanswered}", file=sys.stderr)

        async with coach_run(folder(tmp_path, "second"), env):
            await all_welcomed(emulator, runners)
        assert_none_lost(welcomes(emulator, runners))


@pytest.mark.timeout(300)
async def test_a_second_poller_on_the_token_exits_1_with_one_line(tmp_path: Path) -> None:
    """A second `coach run` polling with the same token is told by Telegram's 409 Conflict: it exits
    with status 1 and one line on stderr (no traceback), and the first goes on answering, once."""
    async with BotApiEmulator(TOKEN) as emulator:
        first_env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/first.db",
        )
        second_env = {**first_env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/second.db"}
        async with coach_run(folder(tmp_path, "first"), first_env) as first:
            await asyncio.sleep(NEWCOMER_SECONDS + 1)  # the first has been polling a while
            where = folder(tmp_path, "second")
            with (where / "stdout.txt").open("wb") as out, (where / "stderr.txt").open("wb") as err:
                second = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=where, env=second_env, stdout=out, stderr=err
                )
                await started(where, second)
                assert await asyncio.wait_for(second.wait(), 60) == 1
            lines = (where / "stderr.txt").read_text().strip().splitlines()
            assert len(lines) == 1, lines
            assert "another bot is already polling" in lines[0] and TOKEN not in lines[0]
            assert "Traceback" not in (where / "stdout.txt").read_text()

            chat = Chat(emulator, first)
            (welcome,) = await chat.say("/start")
            assert welcome.startswith("Hi Ada!")
            await asyncio.sleep(1)
            assert first.returncode is None
        assert first.returncode == 0
