"""`coach chat`: a newcomer pipes a whole onboarding into the terminal chat and reads the coach's answers."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

TODAY_HEADER = re.compile(r"^coach> (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]{2} · ")
SCRIPT = [
    "/start",
    "2",  # button 2: "Now and then"
    "mon wed fri sun",
    "#sun",
    "#wed",
    "#done",
    "#no race",
    "#a gym",
    "#done",
    "[3]",  # button 3: 30 minutes
    "#all good",
    "Europe/Berlin",
    "2",  # button 2: 07:00
    "#none of these",
    "/today",
    ":clock +1d",
    "/today",
]
ONBOARDING = SCRIPT[: SCRIPT.index("/today")]  # the whole onboarding, up to the summary
# the chat starts on the machine's clock: a script that prints dates moves it to a fixed instant first
FIXED_CLOCK = ":clock 2030-01-07T07:00"  # a Monday, 08:00 in Berlin (UTC, before a timezone is given)
FIXED_DAY = dt.date(2030, 1, 7)


def clean_env() -> dict[str, str]:
    """The environment without any bot token or database setting of the machine running the tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def chat(tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--db", str(tmp_path / "chat.db"), *extra],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=60,
        check=False,
    )


def header(day: dt.date) -> str:
    """How /today's first line starts for ``day``: "coach> Tuesday 1 Dec · "."""
    return f"coach> {day:%A} {day.day} {day:%b} · "


def test_piped_onboarding_prints_summary_plan_and_moves_the_clock(tmp_path: Path) -> None:
    """A piped onboarding prints the summary and first week; numbered buttons work; :clock +1d moves /today
    (and delivers what fell due on the way)."""
    result = chat(tmp_path, [FIXED_CLOCK, *SCRIPT], "--fresh")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr

    assert "you> [Now and then]" in out
    assert "you> [30]" in out
    assert "you> [07:00]" in out
    assert "coach> All set, Runner! Here's what I have:" in out
    assert "• Runs: Mon easy run, Wed quality session, Fri easy run, Sun long run" in out
    assert "• Equipment: A gym · 30 min sessions" in out
    assert "• Daily message at 07:00 (Europe/Berlin)" in out
    assert "coach> Your plan, from today:" in out
    assert "Week of " in out.split("Your plan, from today:")[1]

    todays = [line for line in out.splitlines() if TODAY_HEADER.match(line)]
    assert len(todays) >= 2, todays  # /today before and after the move, and any daily prompt between
    first, second = todays[0], todays[-1]
    assert first.startswith(header(FIXED_DAY)), first
    assert second.startswith(header(FIXED_DAY + dt.timedelta(days=1))), second
    assert "clock: Tue 2030-01-08 08:00 Europe/Berlin" in out


def test_chat_remembers_the_runner_without_fresh(tmp_path: Path) -> None:
    """Run again on the same file without --fresh, the runner is remembered and /start shows the menu."""
    assert chat(tmp_path, ONBOARDING, "--fresh").returncode == 0
    result = chat(tmp_path, ["/start"])
    assert result.returncode == 0, result.stderr
    assert "coach> Hi Runner! What would you like?" in result.stdout
    fresh = chat(tmp_path, ["/start"], "--fresh")
    assert "1/11 · How much strength training" in fresh.stdout
