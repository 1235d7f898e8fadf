"""`coach migrate`: brings a database to the newest migration, and is safe to run again."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pgtools import admin_url, create_database, drop_database

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


def _three_migrates_at_once(tmp_path: Path, url: str) -> list[subprocess.CompletedProcess[str]]:
    """Three `coach migrate` processes started together on the same database; their results."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL")}
    env["DATABASE_URL"] = url
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "migrate"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for _ in range(3)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=150)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.timeout(240)
def test_three_concurrent_migrates_all_succeed_on_sqlite(tmp_path: Path) -> None:
    """Three `coach migrate` started at once on a new SQLite file all succeed (they take turns), and
    the file ends at the newest migration."""
    results = _three_migrates_at_once(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/coach.db")
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert {r.stdout.strip() for r in results} == {f"database is at migration {head_revision()}"}


@pytest.mark.timeout(240)
def test_three_concurrent_migrates_all_succeed_on_postgres(tmp_path: Path) -> None:
    """Three `coach migrate` started at once on a new PostgreSQL database all succeed (they take turns)."""
    admin = admin_url()
    url = asyncio.run(create_database(admin))
    try:
        results = _three_migrates_at_once(tmp_path, url)
        assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
        assert {r.stdout.strip() for r in results} == {f"database is at migration {head_revision()}"}
    finally:
        asyncio.run(drop_database(admin, url))


@pytest.mark.slow
def test_migrate_takes_the_url_fly_hands_out(tmp_path: Path) -> None:
    """`coach migrate` (Fly's release command) with DATABASE_URL as `fly postgres attach` sets it,
    ``postgres://...?sslmode=disable``, migrates that PostgreSQL database."""
    admin = admin_url()
    url = asyncio.run(create_database(admin))
    try:
        as_fly_gives_it = "postgres://" + url.partition("://")[2] + "?sslmode=disable"
        result = _migrate(tmp_path, as_fly_gives_it)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"database is at migration {head_revision()}"
    finally:
        asyncio.run(drop_database(admin, url))
