"""Every `coach` verb over hostile arguments, settings and inputs: one clear line and exit 2, never a traceback."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pgtools import admin_url, create_database, drop_database

TOKEN = "987654321:hostile-Secret_token-XYZ"
FAR_AHEAD = "2099-01-01"  # more than two years ahead of any day this suite runs (the CLI reads the real clock)
NOTHING_LISTENS = "postgresql+asyncpg://postgres@127.0.0.1:1/coach"


def clean_env(**settings: str) -> dict[str, str]:
    """The machine's environment without any coach setting, plus ``settings``."""
    names = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL", "WEBHOOK_URL", "LOG_LEVEL")
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def coach(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env or clean_env(),
        timeout=90,
        check=False,
    )


def profile(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "strength_level": "some",
        "week": {
            "mon": "easy",
            "tue": "quality",
            "wed": "rest",
            "thu": "easy",
            "fri": "rest",
            "sat": "long",
            "sun": "rest",
        },
        "equipment": "none",
        "session_minutes": 30,
    }
    base.update(changes)
    return base


def write_json(tmp_path: Path, data: object) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def text_file(tmp_path: Path) -> str:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n" * 50, encoding="utf-8")
    return str(path)


@dataclass(frozen=True)
class Case:
    """A command line (``{tmp}`` is the test's folder; a callable builds an argument in it) and the words
    its one line must hold."""

    args: tuple[str | Callable[[Path], str], ...]
    says: str
    env: dict[str, str] = field(default_factory=dict)


S = "sqlite+aiosqlite:///"
CASES: dict[str, Case] = {
    # coach plan
    "plan without a profile": Case(("plan",), "--profile"),
    "plan of a missing file": Case(("plan", "--profile", "{tmp}/none.json"), "cannot read"),
    "plan of a folder": Case(("plan", "--profile", "{tmp}"), "cannot read"),
    "plan of binary bytes": Case(("plan", "--profile", lambda t: _bytes(t, b"\xff\xfe\x00\x81" * 64)), "UTF-8"),
    "plan of JSON 100,000 deep": Case(
        ("plan", "--profile", lambda t: _bytes(t, b"[" * 100_000 + b"]" * 100_000)), "nested too deeply"
    ),
    "plan of a 5,000-digit number": Case(("plan", "--profile", lambda t: _bytes(t, b"9" * 5000)), "too long"),
    "plan of a 2 MB file": Case(("plan", "--profile", lambda t: _bytes(t, b" " * 2_000_000 + b"{}")), "1 MB"),
    "plan of a list": Case(("plan", "--profile", lambda t: write_json(t, [1, 2])), "expected a JSON object"),
    "plan with true minutes": Case(
        ("plan", "--profile", lambda t: write_json(t, profile(session_minutes=True))),
        "session_minutes: true is not a whole number",
    ),
    "plan with injuries as text": Case(
        ("plan", "--profile", lambda t: write_json(t, profile(injuries="knee"))), 'injuries: "knee" is not a list'
    ),
    "plan of a week of seven races": Case(
        (
            "plan",
            "--profile",
            lambda t: write_json(
                t, profile(week=dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "race"))
            ),
        ),
        "week: mon, tue, wed, thu, fri, sat, sun say race, but a race is a date",
    ),
    "plan with a race ten years ahead": Case(
        (
            "plan",
            "--profile",
            lambda t: write_json(t, profile(race={"distance": "half", "date": FAR_AHEAD})),
        ),
        "more than two years away",
    ),
    "plan starting in 9999": Case(
        ("plan", "--profile", lambda t: write_json(t, profile()), "--start", "9999-12-31"), "out of range"
    ),
    "plan starting on no date": Case(("plan", "--profile", "x", "--start", "tomorrow"), "is not a date"),
    "plan of 0 weeks": Case(("plan", "--profile", "x", "--weeks", "0"), "from 1 to 52"),
    "plan of a huge number of weeks": Case(("plan", "--profile", "x", "--weeks", "9" * 40), "from 1 to 52"),
    "plan of Arabic-digit weeks": Case(("plan", "--profile", "x", "--weeks", "٣"), "from 1 to 52"),
    "plan with an unknown option": Case(("plan", "--profile", "x", "--colour"), "unrecognized arguments"),
    # coach chat and coach start (offline: no token)
    "chat in a missing folder": Case(("chat", "--db", "{tmp}/gone/chat.db"), "does not exist"),
    "chat on a text file": Case(("chat", "--db", text_file), "is not a SQLite database"),
    "chat --fresh on a text file": Case(("chat", "--fresh", "--db", text_file), "not created by `coach chat`"),
    "chat on a folder": Case(("chat", "--db", "{tmp}"), "is a folder"),
    "chat on the bot's database": Case(
        ("chat", "--db", "{tmp}/coach.db"), "the bot's own database", env={"DATABASE_URL": S + "{tmp}/coach.db"}
    ),
    "chat as a user id that is no number": Case(("chat", "--user-id", "abc"), "invalid int value"),
    "chat with a loud LOG_LEVEL": Case(("chat",), "LOG_LEVEL", env={"LOG_LEVEL": "LOUD"}),
    "start --fresh on a text file": Case(("start", "--fresh", "--db", text_file), "not created by `coach chat`"),
    "start in a missing folder": Case(("start", "--db", "{tmp}/gone/chat.db"), "does not exist"),
    # coach run (with a token of the right shape; nothing is started)
    "run without a token": Case(("run",), "TELEGRAM_BOT_TOKEN"),
    "run with a SQLite file in a missing folder": Case(
        ("run",), "DATABASE_URL: cannot open", env={"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": S + "/gone/bot.db"}
    ),
    "run on a text file": Case(
        ("run",), "is not a SQLite database", env={"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": S + "{tmp}/notes.txt"}
    ),
    "run with nothing listening": Case(
        ("run",),
        "DATABASE_URL: nothing is listening",
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": NOTHING_LISTENS},
    ),
    "run with an unknown option": Case(("run", "--turbo"), "unrecognized arguments"),
    # coach intent
    "intent from year 9999": Case(("intent", "--today", "9999-12-31"), "out of range"),
    "intent from no date": Case(("intent", "--today", "someday"), "is not a date"),
    "intent with an unknown option": Case(("intent", "--fast"), "unrecognized arguments"),
    # coach migrate
    "migrate a MySQL URL": Case(("migrate",), "DATABASE_URL: must be", env={"DATABASE_URL": "mysql://x"}),
    "migrate in a missing folder": Case(
        ("migrate",), "DATABASE_URL: cannot open", env={"DATABASE_URL": S + "/gone/bot.db"}
    ),
    "migrate a text file": Case(("migrate",), "is not a SQLite database", env={"DATABASE_URL": S + "{tmp}/notes.txt"}),
    "migrate with nothing listening": Case(("migrate",), "nothing is listening", env={"DATABASE_URL": NOTHING_LISTENS}),
    "migrate to an unknown host": Case(
        ("migrate",), "host", env={"DATABASE_URL": "postgresql://u@no-such-host.invalid/x"}
    ),
    # no verb at all
    "no verb": Case((), "COMMAND"),
    "an unknown verb": Case(("serve",), "invalid choice"),
}


def _bytes(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "profile.json"
    path.write_bytes(data)
    return str(path)


def _fill(value: str, tmp_path: Path) -> str:
    return value.replace("{tmp}", str(tmp_path))


def check_one_clear_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    """Exit 2, no traceback anywhere, and the last line on stderr says what is wrong."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-2000:]
    assert result.returncode == 2, (result.returncode, output[-2000:])
    lines = result.stderr.strip().splitlines()
    assert lines, "nothing was said"
    assert says in lines[-1], lines
    assert len(lines) <= 2, lines  # argparse's usage line, then the problem; otherwise just the problem


@pytest.mark.parametrize("name", list(CASES))
def test_every_verb_answers_hostile_input_in_one_line(tmp_path: Path, name: str) -> None:
    """Each verb over a hostile argument, setting or file ends in one clear line and exit status 2."""
    case = CASES[name]
    text_file(tmp_path)
    args = [arg(tmp_path) if callable(arg) else _fill(arg, tmp_path) for arg in case.args]
    env = clean_env(**{k: _fill(v, tmp_path) for k, v in case.env.items()})
    check_one_clear_line(coach(tmp_path, *args, env=env), case.says)


def test_a_traceback_only_at_log_level_debug(tmp_path: Path) -> None:
    """The same database trouble shows its traceback at LOG_LEVEL=DEBUG, and still ends in the one line."""
    env = clean_env(DATABASE_URL=S + "/gone/bot.db", LOG_LEVEL="DEBUG")
    result = coach(tmp_path, "migrate", env=env)
    assert result.returncode == 2
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("DATABASE_URL: cannot open")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_database_is_named_in_one_line(tmp_path: Path) -> None:
    """A SQLite file that cannot be written, or a folder that cannot take a new one, is named in one line."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = coach(tmp_path, "migrate", env=clean_env(DATABASE_URL=S + f"{locked}/bot.db"))
        check_one_clear_line(result, "is not writable")
    finally:
        locked.chmod(0o755)
    database = tmp_path / "bot.db"
    assert coach(tmp_path, "migrate", env=clean_env(DATABASE_URL=S + str(database))).returncode == 0
    database.chmod(0o444)
    check_one_clear_line(coach(tmp_path, "migrate", env=clean_env(DATABASE_URL=S + str(database))), "read-only")


def test_plan_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`coach plan ... | head -3` prints its three lines and no BrokenPipeError."""
    path = write_json(tmp_path, profile())
    result = subprocess.run(
        f"{sys.executable} -m bot plan --profile {path} --weeks 52 | head -3; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=90,
        check=False,
    )
    assert result.stdout.splitlines() == ["{", '  "weeks": [', "    {"]
    assert result.stderr == ""
    assert result.returncode != 0  # the plan was not all delivered


def test_intent_reads_hostile_lines_without_failing(tmp_path: Path) -> None:
    """Binary junk, a 100,000-character line and an empty line each get a JSON line, and intent ignores
    a broken DATABASE_URL it never uses."""
    junk = b"\xff\xfe\x00 rpe 7\n" + b"x" * 100_000 + b"\n\ndid it, rpe 7\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "intent", "--today", "2026-11-21"],
        input=junk,
        capture_output=True,
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=S + "/gone/bot.db"),
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(rows) == 4 and rows[-1]["intent"] == "done"


def test_chat_survives_a_clock_moved_beyond_the_calendar(tmp_path: Path) -> None:
    """`:clock +3000000d` and a clock in year 9999 are refused in one line; the chat goes on and answers."""
    result = coach(
        tmp_path, "chat", "--db", str(tmp_path / "chat.db"), stdin=":clock +3000000d\n:clock 9999-12-31T23:00\n/start\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    refusals = [line for line in result.stdout.splitlines() if line.startswith("! can't move the clock")]
    assert len(refusals) == 2
    assert "1/11 · How much strength training" in result.stdout


def test_fresh_never_removes_a_file_the_chat_did_not_create(tmp_path: Path) -> None:
    """`--fresh` leaves a text file and a bot database byte for byte as they were, and says why."""
    notes = Path(text_file(tmp_path))
    bot_db = tmp_path / "bot.db"
    with sqlite3.connect(bot_db) as db:
        db.execute("create table runners (id integer)")
        db.execute("insert into runners values (1)")
    before = {path: path.read_bytes() for path in (notes, bot_db)}
    for path in before:
        result = coach(tmp_path, "chat", "--fresh", "--db", str(path), stdin="/start\n")
        check_one_clear_line(result, "not created by `coach chat`")
    assert {path: path.read_bytes() for path in before} == before


def test_fresh_starts_the_chats_own_file_over(tmp_path: Path) -> None:
    """`--fresh` on the chat's own file forgets the runner and says it removed the earlier conversation."""
    db = str(tmp_path / "chat.db")
    assert coach(tmp_path, "chat", "--db", db, stdin="/start\n2\n").returncode == 0
    again = coach(tmp_path, "chat", "--db", db, stdin="/start\n")
    assert "Welcome back" in again.stdout
    fresh = coach(tmp_path, "chat", "--fresh", "--db", db, stdin="/start\n")
    assert fresh.returncode == 0
    assert "removed the chat's earlier conversation" in fresh.stderr
    assert "Welcome back" not in fresh.stdout and "1/11 · How much strength training" in fresh.stdout


def test_chat_default_file_is_not_the_bots(tmp_path: Path) -> None:
    """With the bot on its default `coach.db`, `coach chat` keeps its runner in `coach-chat.db` instead."""
    result = coach(tmp_path, "chat", stdin="/start\n")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "coach-chat.db").exists()
    assert not (tmp_path / "coach.db").exists()


def test_run_on_an_unreachable_bot_api_says_so_in_one_line(tmp_path: Path) -> None:
    """An unreachable Bot API ends `coach run` with one line naming the setting, and no traceback."""
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot", DATABASE_URL=S + f"{tmp_path}/bot.db"
    )
    result = coach(tmp_path, "run", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        "TELEGRAM_API_BASE_URL: cannot reach the Bot API at http://127.0.0.1:9/bot: check the network, or the URL"
    ]


@pytest.fixture
def empty_postgres() -> object:
    """A PostgreSQL database with no tables (skipped without PostgreSQL)."""
    admin = admin_url()
    url = asyncio.run(create_database(admin))
    yield url
    asyncio.run(drop_database(admin, url))


def test_run_on_a_postgres_database_never_migrated(tmp_path: Path, empty_postgres: str) -> None:
    """`coach run` on a PostgreSQL database never migrated says to run `coach migrate` first."""
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=empty_postgres)
    check_one_clear_line(coach(tmp_path, "run", env=env), "run `coach migrate` first")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"username": "nobody_at_all"}, "refused the login"),
        ({"database": "no_such_database_here"}, "does not exist"),
    ],
)
def test_migrate_names_postgres_trouble(tmp_path: Path, change: dict[str, str], says: str) -> None:
    """An unknown role or database ends `coach migrate` with one line saying what is wrong."""
    from sqlalchemy.engine import make_url

    url = make_url(admin_url()).set(**change).render_as_string(hide_password=False)
    check_one_clear_line(coach(tmp_path, "migrate", env=clean_env(DATABASE_URL=url)), says)


async def test_run_with_a_rejected_token_says_so_in_one_line(tmp_path: Path) -> None:
    """A token the Bot API rejects ends `coach run` with one line naming TELEGRAM_BOT_TOKEN, no traceback."""
    from bot.console.emulator import BotApiEmulator

    async with BotApiEmulator("111111111:the-token-the-server-knows") as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emulator.base_url, DATABASE_URL=S + f"{tmp_path}/bot.db"
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 90)
    output = (out + err).decode()
    assert process.returncode == 2, output[-2000:]
    assert "Traceback" not in output
    assert TOKEN not in output
    assert err.decode().strip().splitlines() == [
        "TELEGRAM_BOT_TOKEN was rejected by the Bot API: check it with @BotFather"
    ]
