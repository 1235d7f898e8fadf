"""`coach migrate`: brings a database to the newest migration, and is safe to run again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.db.migrate import head_revision


def _migrate(tmp_path: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL")}
    env["DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


def test_migrate_creates_the_schema_and_can_run_twice(tmp_path: Path) -> None:
    """An operator's `coach migrate` creates every table on a new SQLite file, and a second run changes nothing."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    first = _migrate(tmp_path, url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"database is at migration {head_revision()}"
    with sqlite3.connect(tmp_path / "coach.db") as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"runners", "run_days", "races", "plans", "checkins", "onboarding_answers", "told_groups"} <= tables
    again = _migrate(tmp_path, url)
    assert again.returncode == 0 and again.stdout == first.stdout


def test_migrate_with_a_bad_database_url_says_which_setting(tmp_path: Path) -> None:
    """A DATABASE_URL that is not SQLite or PostgreSQL stops `coach migrate` with one line naming it."""
    result = _migrate(tmp_path, "mysql://nope")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("DATABASE_URL:")
