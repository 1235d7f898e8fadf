"""The SQLite file never disappears silently: a new one is announced, a container without DATABASE_URL is
refused, and a file deleted or replaced under the running bot stops it with one line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_coach_run import TOKEN, WEBHOOK_SECRET, _free_port, clean_env, coach_run

from bot.app import FILE_WATCH_SECONDS
from bot.config import load_settings
from bot.console.emulator import BotApiEmulator
from bot.db.storage import FileWatch, new_database_line, refuse_ephemeral
from bot.failures import CommandFailed

STOPS_WITHIN = FILE_WATCH_SECONDS + 25  # one look, then a clean shutdown on a loaded machine


def events(tmp_path: Path) -> list[dict[str, object]]:
    """The JSON log lines `coach run` wrote to stdout."""
    found = []
    for line in (tmp_path / "stdout.txt").read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            found.append(json.loads(line))
    return found


@pytest.mark.timeout(10)
def test_a_new_sqlite_file_is_announced_with_its_absolute_path(tmp_path: Path) -> None:
    """A SQLite URL naming a file not there yet gets 1 line with the absolute path; an existing file, 0."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    assert new_database_line(url) == (
        f"creating a new database at {tmp_path}/coach.db: runners stored before are not here"
    )
    (tmp_path / "coach.db").touch()
    assert new_database_line(url) is None
    assert new_database_line("postgresql+asyncpg://db.example/coach") is None
    assert new_database_line("sqlite+aiosqlite://") is None


@pytest.mark.timeout(10)
def test_the_watch_sees_1_file_deleted_and_1_replaced(tmp_path: Path) -> None:
    """The watch is quiet while the file is the one opened, and names a deleted file and a replaced one."""
    path = tmp_path / "coach.db"
    path.write_bytes(b"x")
    watch = FileWatch(path)
    path.write_bytes(b"written in place")  # the same file, changed: fine
    assert watch.check() is None
    other = tmp_path / "other.db"
    shutil.copyfile(path, other)
    os.replace(other, path)
    assert "was replaced by another file" in (watch.check() or "")
    path.unlink()
    assert "was deleted while the bot ran" in (watch.check() or "")


@pytest.mark.timeout(10)
@pytest.mark.parametrize("marker", ["COACH_CONTAINER", "FLY_APP_NAME"])
def test_in_a_container_without_database_url_start_up_is_refused_naming_it(
    marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a container (the image's COACH_CONTAINER, or Fly's FLY_APP_NAME) an unset DATABASE_URL is refused in
    1 line naming it and the volume; a set one is used."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    with pytest.raises(CommandFailed) as caught:
        refuse_ephemeral(load_settings(), {marker: "1"})
    assert str(caught.value).startswith(f"DATABASE_URL is not set: in a container ({marker} is set)")
    assert "mounted volume" in str(caught.value) and "\n" not in str(caught.value)
    refuse_ephemeral(load_settings(), {})  # not in a container: the default file is fine
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:////data/coach.db")
    refuse_ephemeral(load_settings(), {marker: "1"})


@pytest.mark.timeout(60)
@pytest.mark.parametrize("verb", ["run", "migrate", "dispatch"])
def test_a_container_without_database_url_exits_2_with_1_line_and_creates_nothing(tmp_path: Path, verb: str) -> None:
    """`coach run`, `migrate` and `dispatch` in the image (COACH_CONTAINER=1) without DATABASE_URL exit 2 with
    1 line naming DATABASE_URL, and create no database file."""
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, COACH_CONTAINER="1")
    result = subprocess.run(
        [sys.executable, "-m", "bot", verb], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=50
    )
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("DATABASE_URL is not set: in a container"), lines
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(60)
def test_coach_migrate_on_a_new_file_says_1_line_about_it(tmp_path: Path) -> None:
    """`coach migrate` creating a SQLite file says so in 1 line on stderr (with the absolute path); a second
    run, on the file now there, says nothing of the kind."""
    env = clean_env(DATABASE_URL="sqlite+aiosqlite:///relative.db")
    run = [sys.executable, "-m", "bot", "migrate"]
    first = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=50)
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == [
        f"creating a new database at {tmp_path}/relative.db: runners stored before are not here"
    ]
    second = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=50)
    assert second.returncode == 0 and second.stderr == ""


async def _serve_then(tmp_path: Path, change: str, mode: str) -> tuple[int | None, list[str], list[dict[str, object]]]:
    """`coach run` (polling, or webhook) on a new SQLite file, which is then deleted or replaced; its exit
    status, stderr lines and log events."""
    database = tmp_path / "bot.db"
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        )
        if mode == "webhook":
            env.update(WEBHOOK_URL="https://coach.example/hook", WEBHOOK_SECRET=WEBHOOK_SECRET, PORT=str(_free_port()))
        async with coach_run(tmp_path, env) as process:
            started = time.monotonic()
            if change == "deleted":
                database.unlink()
            else:
                copy = tmp_path / "copy.db"
                shutil.copyfile(database, copy)
                os.replace(copy, database)
            await asyncio.wait_for(process.wait(), STOPS_WITHIN)
            print(f"{change} ({mode}): stopped {time.monotonic() - started:.1f} s later")
    stderr = (tmp_path / "stderr.txt").read_text().splitlines()
    return process.returncode, stderr, events(tmp_path)


@pytest.mark.timeout(180)
@pytest.mark.parametrize(("change", "mode"), [("deleted", "polling"), ("replaced", "webhook")])
async def test_the_sqlite_file_deleted_or_replaced_under_coach_run_stops_it_with_1_line(
    tmp_path: Path, change: str, mode: str
) -> None:
    """`coach run` whose SQLite file is deleted, or replaced by another file, notices within a few seconds
    (polling or webhook mode): 1 ERROR log line, then it stops by itself with exit status 1 and 1 line on
    stderr naming the file."""
    status, stderr, logged = await _serve_then(tmp_path, change, mode)
    assert status == 1
    assert len(stderr) == 1 and stderr[0].startswith(f"DATABASE_URL: the database file {tmp_path}/bot.db was ")
    assert ("was deleted" if change == "deleted" else "was replaced") in stderr[0]
    # a sweep or an update that opened a connection in the seconds before the watch looked fails (the
    # file is never created again), and may log its own error; the stop itself is said once
    errors = [event for event in logged if event.get("event") == "database.lost"]
    assert len(errors) == 1 and errors[0]["level"] == "error"
    assert errors[0]["problem"] == stderr[0]
    new = [event for event in logged if event.get("event") == "database.new"]
    assert len(new) == 1 and new[0]["level"] == "warning"
    assert new[0]["note"] == f"creating a new database at {tmp_path}/bot.db: runners stored before are not here"
