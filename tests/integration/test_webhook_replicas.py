"""Issue 21, point 3: two `coach run` webhook processes behind one URL on one PostgreSQL database.
Telegram may deliver an update to either, or (retrying) to both: each update is handled once."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import pytest
from test_coach_run import TOKEN, _free_port, coach_run
from test_inbox_crash import all_welcomed, folder, welcomes
from test_webhook_security import Hook, webhook_env

from bot.console.emulator import BotApiEmulator

pytestmark = pytest.mark.slow
FIRST_RUNNER = 60_000


@pytest.mark.timeout(180)
async def test_two_webhook_processes_given_the_same_updates_welcome_each_runner_once(
    postgres_migrated_url: str, tmp_path: Path
) -> None:
    """20 runners' /start, each posted to both processes at the same moment: both answer 200 every
    time, and every runner gets exactly one welcome."""
    runners = list(range(FIRST_RUNNER, FIRST_RUNNER + 20))
    ports = [_free_port(), _free_port()]
    async with BotApiEmulator(TOKEN) as emulator:
        envs = [{**webhook_env(tmp_path, emulator, port), "DATABASE_URL": postgres_migrated_url} for port in ports]
        async with contextlib.AsyncExitStack() as stack:
            # both start at once: a start takes seconds
            await asyncio.gather(
                *(
                    stack.enter_async_context(coach_run(folder(tmp_path, n), env))
                    for n, env in zip("ab", envs, strict=True)
                )
            )
            client = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
            hooks = [Hook(port, client) for port in ports]
            updates = [emulator.api.text(runner, "/start", f"Runner {runner}") for runner in runners]
            statuses = await asyncio.gather(*(hook.post(update) for update in updates for hook in hooks))
            assert statuses == [200] * 40
            await all_welcomed(emulator, runners)
            assert welcomes(emulator, runners) == [1] * 20
