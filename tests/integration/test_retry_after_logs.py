"""Telegram's flood wait (HTTP 429, ``RetryAfter``) in every place `coach run` can meet it, with
the real rate limiter in front of an emulated Bot API: each is one WARNING line with the wait in
seconds, never an ERROR, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from test_coach_run import RUNNER, TOKEN, _free_port, clean_env, coach_run
from test_webhook_security import BYSTANDER, Hook, say, webhook_env

from bot.console.emulator import BotApiEmulator
from bot.content.ui import default_ui

UI = default_ui()
WITHIN = 30.0  # seconds for an answer that comes after five one-second flood waits


def flood_wait(emulator: BotApiEmulator, method: str, times: int = 1) -> None:
    for _ in range(times):
        emulator.api.fail_next(method, error_code=429, description="Too Many Requests: retry after 1", retry_after=1)


def log_lines(tmp_path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (tmp_path / "stdout.txt").read_text().splitlines() if line.strip()]


def assert_waits_are_warnings(tmp_path: Path, expected: dict[str, int]) -> None:
    """Each expected event was written that many times, each a WARNING with its wait in seconds;
    nothing was logged as an error, and no traceback was written anywhere."""
    lines = log_lines(tmp_path)
    for event, times in expected.items():
        found = [line for line in lines if line["event"] == event]
        assert len(found) == times, (event, found)
        for line in found:
            assert line["level"] == "warning", line
            assert line["seconds"] == 1.0, line
    assert [line for line in lines if line["level"] in ("error", "critical")] == []
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in output
    assert "Rate limit hit" not in output


async def answered(emulator: BotApiEmulator, text: str) -> list[str]:
    """Send ``text`` as the runner and wait for the answer."""
    marker = emulator.api.marker()
    emulator.send_text(RUNNER, text, "Ada")
    assert await emulator.api.wait_for(lambda: bool(emulator.api.sent_since(RUNNER, marker)), WITHIN)
    return emulator.api.texts_since(RUNNER, marker)


@pytest.mark.timeout(180)
async def test_flood_waits_while_polling_are_warnings_with_their_wait(tmp_path: Path) -> None:
    """A 429 for the command menu at start, for getUpdates, for a tap's answer and for a reply
    (five times waited out, the sixth time given up) gives one WARNING with the wait each; the bot
    keeps serving."""
    async with BotApiEmulator(TOKEN) as emulator:
        flood_wait(emulator, "setMyCommands")
        flood_wait(emulator, "getUpdates")
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        )
        async with coach_run(tmp_path, env):
            (welcome,) = await answered(emulator, "/start")
            assert welcome.startswith("Hi Ada!")

            flood_wait(emulator, "answerCallbackQuery")
            emulator.press_label(RUNNER, "Now and then")  # its handler ends at the refused answer
            flood_wait(emulator, "sendMessage", times=6)
            emulator.send_text(RUNNER, "/help", "Ada")  # five waits, then given up: no answer
            assert await answered(emulator, "/help") == [UI.general.help]
    assert_waits_are_warnings(
        tmp_path,
        {
            "bot.commands.retry_after": 1,
            "sender.retry_after": 5,
            "sender.retry_after.gave_up": 1,
            "handler.retry_after": 2,
        },
    )


@pytest.mark.timeout(120)
async def test_a_flood_wait_when_setting_the_webhook_is_waited_out(tmp_path: Path) -> None:
    """A 429 for setWebhook at start is logged as a WARNING with its wait, waited out, and the
    webhook set on the second try: the bot serves."""
    port = _free_port()
    async with BotApiEmulator(TOKEN) as emulator:
        flood_wait(emulator, "setWebhook")
        async with (
            coach_run(tmp_path, webhook_env(tmp_path, emulator, port)),
            httpx.AsyncClient(timeout=30) as client,
        ):
            assert await say(emulator, Hook(port, client), BYSTANDER, "/help", "Bo") == [UI.general.help]
    assert_waits_are_warnings(tmp_path, {"webhook.set.retry_after": 1})
