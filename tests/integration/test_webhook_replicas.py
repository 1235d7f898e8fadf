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
from bot.console.transport import JSONDict

pytestmark = pytest.mark.slow
FIRST_RUNNER = 60_000


async def deliver(hook: Hook, update: JSONDict) -> None:
    """Post as Telegram does: again after a moment until the answer is 200 (a busy server may say 503)."""
    for _ in range(20):
        if await hook.post(update) == 200:
            return
        await asyncio.sleep(0.5)
    raise AssertionError("never answered 200")


@pytest.mark.timeout(300)
async def test_two_webhook_processes_given_the_same_updates_welcome_each_runner_once(
    postgres_migrated_url: str, tmp_path: Path
) -> None:
    """20 runners' /start, each posted to both processes at the same moment (and again, as Telegram
    does, until it is answered 200): every runner gets exactly one welcome."""
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
            await asyncio.gather(*(deliver(hook, update) for update in updates for hook in hooks))
            await all_welcomed(emulator, runners)
            assert welcomes(emulator, runners) == [1] * 20
