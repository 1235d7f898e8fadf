"""Issue 18: during a database outage a runner gets ONE "I'm having trouble, I'll catch up" and
nothing is lost: the update is handled once the database is back. The real `coach run` on
PostgreSQL behind a proxy the test cuts, in webhook mode (503 until the update can be stored, so
Telegram delivers it again) and in polling mode (the offset is not confirmed; asked again with
backoff)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from dbproxy import DatabaseProxy
from test_coach_run import REPLY_WITHIN, RUNNER, TOKEN, WEBHOOK_SECRET, _free_port, clean_env, coach_run

from bot.app import prepare_database
from bot.console.emulator import BotApiEmulator
from bot.content.ui import default_ui

pytestmark = pytest.mark.slow
UI = default_ui()
CAUGHT_UP_WITHIN = 60.0  # polling backs off up to 30 s between tries


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[DatabaseProxy]:
    await prepare_database(postgres_url)  # `coach migrate`, as the README says to run first
    proxy = DatabaseProxy(postgres_url)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


@pytest.mark.timeout(240)
async def test_a_webhook_update_met_by_an_outage_gets_1_trouble_message_and_is_handled_after(
    tmp_path: Path, proxy: DatabaseProxy
) -> None:
    """While the database is away the webhook answers 503 to /help (3 deliveries: Telegram's
    retries) and the runner gets exactly 1 trouble message; once it is back the next delivery is
    answered 200 and the runner gets the help, once."""
    port = _free_port()
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=proxy.url,
            WEBHOOK_URL="https://coach.example/hook",
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            PORT=str(port),
        )
        async with coach_run(tmp_path, env), httpx.AsyncClient(timeout=60) as client:

            async def deliver(update: dict[str, object]) -> int:
                headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
                return (await client.post(f"http://127.0.0.1:{port}/hook", json=update, headers=headers)).status_code

            update = emulator.api.text(RUNNER, "/help", "Ada")
            await proxy.cut()
            assert [await deliver(update) for _ in range(3)] == [503, 503, 503]
            assert emulator.api.texts_since(RUNNER) == [UI.general.trouble]

            await proxy.restore()
            assert await deliver(update) == 200
            assert await emulator.api.wait_for(lambda: len(emulator.api.texts_since(RUNNER)) >= 2, REPLY_WITHIN)
            assert await deliver(update) == 200  # one more redelivery: a no-op
            assert emulator.api.texts_since(RUNNER) == [UI.general.trouble, UI.general.help]


@pytest.mark.timeout(240)
async def test_a_polled_update_met_by_an_outage_gets_1_trouble_message_and_is_handled_after(
    tmp_path: Path, proxy: DatabaseProxy
) -> None:
    """While the database is away `coach run` keeps asking Telegram for the same /help and /week
    (offset not confirmed) and the runner gets exactly 1 trouble message; once it is back both are
    answered, once each, in order."""
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emulator.base_url, DATABASE_URL=proxy.url)
        async with coach_run(tmp_path, env):
            await proxy.cut()
            emulator.send_text(RUNNER, "/help", "Ada")
            emulator.send_text(RUNNER, "/help", "Ada")
            assert await emulator.api.wait_for(lambda: bool(emulator.api.texts_since(RUNNER)), REPLY_WITHIN)
            polls = len(emulator.api.calls_to("getUpdates"))
            assert await emulator.api.wait_for(lambda: len(emulator.api.calls_to("getUpdates")) > polls + 1, 30)
            assert emulator.api.texts_since(RUNNER) == [UI.general.trouble]
            assert len(emulator.api.updates) == 2, "not confirmed: Telegram still holds both"

            await proxy.restore()
            assert await emulator.api.wait_for(lambda: len(emulator.api.texts_since(RUNNER)) >= 3, CAUGHT_UP_WITHIN)
            emulator.send_text(RUNNER, "/help", "Ada")  # the bot serves on
            assert await emulator.api.wait_for(lambda: len(emulator.api.texts_since(RUNNER)) >= 4, CAUGHT_UP_WITHIN)
            assert emulator.api.texts_since(RUNNER) == [UI.general.trouble] + [UI.general.help] * 3
