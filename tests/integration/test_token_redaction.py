"""The bot token never reaches the output of `coach run`, even when the Bot API rejects it and
python-telegram-bot logs a traceback that quotes it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from test_coach_run import TOKEN, WEBHOOK_SECRET, _free_port, clean_env

from bot.console.emulator import BotApiEmulator
from bot.logs import REDACTED

OTHER_TOKEN = "111111111:the-emulator-knows-another-token"


async def run_rejected(
    tmp_path: Path, level: str, answer: int, *, webhook: bool = False, **extra: str
) -> tuple[int, str]:
    """`coach run` whose getMe gets ``answer`` (401: unknown token, 404: a base URL without /bot);
    returns its exit status and everything it printed, stdout and stderr."""
    async with BotApiEmulator(OTHER_TOKEN) as emulator:
        base = emulator.base_url if answer == 401 else emulator.base_url.removesuffix("bot")
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=base,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            LOG_LEVEL=level,
            **extra,
        )
        if webhook:
            env.update(WEBHOOK_URL="https://coach.example/hook", WEBHOOK_SECRET=WEBHOOK_SECRET, PORT=str(_free_port()))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdout=-1, stderr=-1
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        if answer == 401:  # (a 404 never reaches the emulated API: the path has no /bot)
            assert [call.status for call in emulator.api.calls_to("getMe")] == [401]
    assert process.returncode is not None
    return process.returncode, (out + err).decode()


@pytest.mark.parametrize("answer", [401, 404])
@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
async def test_a_rejected_token_never_appears_in_the_output(tmp_path: Path, level: str, answer: int) -> None:
    """A token rejected with 401 or 404 exits 2 with a clear line; nowhere in the output, tracebacks
    included, is the token or its secret half."""
    status, output = await run_rejected(tmp_path, level, answer)
    assert status == 2
    assert "TELEGRAM_BOT_TOKEN was rejected" in output
    assert TOKEN not in output
    assert TOKEN.partition(":")[2] not in output
    if level != "DEBUG":  # tracebacks are for LOG_TRACEBACKS=1 or LOG_LEVEL=DEBUG (issue 9): there it is, redacted
        assert "Traceback" not in output
        return
    assert "Traceback" in output and REDACTED in output, "the traceback is logged, redacted"


@pytest.mark.parametrize("answer", [401, 404])
async def test_a_rejected_token_in_webhook_mode_never_appears_in_the_output(tmp_path: Path, answer: int) -> None:
    """In webhook mode too, a rejected token exits 2 and is nowhere in the output."""
    status, output = await run_rejected(tmp_path, "DEBUG", answer, webhook=True)
    assert status == 2
    assert TOKEN.partition(":")[2] not in output


async def test_log_tracebacks_shows_the_traceback_without_debug(tmp_path: Path) -> None:
    """LOG_TRACEBACKS=1 at LOG_LEVEL=INFO: the start-up traceback is there, redacted, without
    raising everything to DEBUG."""
    status, output = await run_rejected(tmp_path, "INFO", 401, LOG_TRACEBACKS="1")
    assert status == 2
    assert "Traceback" in output and REDACTED in output
    assert TOKEN.partition(":")[2] not in output
