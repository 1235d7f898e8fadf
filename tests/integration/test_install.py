"""The project's wheel, installed (not editable) into a fresh virtual environment as the image installs
it, gives a `coach` that works from any directory, without the source tree: its content and
migrations ride inside the wheel."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from test_cli_chat import FIXED_CLOCK, ONBOARDING

from bot.content.ui import default_ui
from bot.db.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "beginner.json"
CHAT = ["chat", "--fresh", "--db"]
SHIPPED = {"pyproject.toml", "setup.py", "README.md", "bot", "content", "migrations"}


def _outside_env() -> dict[str, str]:
    """The machine's environment with no tree on the path and no coach setting."""
    dropped = ("PYTHONPATH", "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL")
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built by `pip wheel` (as the Dockerfile's first stage does) from a copy of
    the tree, the copy deleted afterwards."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=lambda folder, names: {"__pycache__"} & set(names) if folder != str(ROOT) else set(names) - SHIPPED,
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(base), str(source)],
        capture_output=True,
        text=True,
        env=_outside_env(),
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    shutil.rmtree(source)
    (found,) = base.glob("runner_strength_coach-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment the wheel was installed into offline (`--no-index`,
    as the image's second stage does); the dependencies come from the test run's own site-packages
    rather than their wheels (building those is the image's job, and takes minutes)."""
    venv = tmp_path_factory.mktemp("install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    # the wheel's file, not its name: by name, pip would take the test run's own editable install as it
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        env=_outside_env(),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


def _run(argv: list[str], cwd: Path, stdin: str = "") -> str:
    done = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, cwd=cwd, env=_outside_env(), timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_the_installed_coach_reads_its_own_content_and_migrations(installed: Path, tmp_path: Path) -> None:
    """The installed package finds its content and migrations inside itself, not in any source tree."""
    where = _run(
        [str(installed / "python"), "-c", "import bot.resources as r; print(r.CONTENT_DIR); print(r.MIGRATIONS_DIR)"],
        cwd=tmp_path,
    ).splitlines()
    packaged = installed.parent.resolve()
    assert all(Path(line).resolve().is_relative_to(packaged) for line in where), where
    assert all(not Path(line).resolve().is_relative_to(ROOT) for line in where), where


@pytest.mark.slow
def test_the_installed_coach_plans_from_another_directory(installed: Path, tmp_path: Path) -> None:
    """`coach plan --profile ...` run from an unrelated folder prints the plan the source tree prints."""
    args = ["plan", "--profile", str(PROFILE), "--start", "2026-11-23", "--weeks", "3"]
    from_wheel = _run([str(installed / "coach"), *args], cwd=tmp_path)
    from_tree = _run([sys.executable, "-m", "bot", *args], cwd=ROOT)
    assert from_wheel == from_tree
    assert '"start": "2026-11-23"' in from_wheel


@pytest.mark.slow
def test_the_installed_coach_chats_from_another_directory(installed: Path, tmp_path: Path) -> None:
    """A piped `coach chat` from an unrelated folder migrates its own database and answers as the tree does
    (both on the same fixed clock: the summary and plan print dates, and times with the minute)."""
    stdin = "".join(f"{line}\n" for line in [FIXED_CLOCK, *ONBOARDING])
    (tmp_path / "wheel").mkdir()
    from_wheel = _run([str(installed / "coach"), *CHAT, "chat.db"], cwd=tmp_path / "wheel", stdin=stdin)
    from_tree = _run([sys.executable, "-m", "bot", *CHAT, str(tmp_path / "tree.db")], cwd=ROOT, stdin=stdin)
    assert (tmp_path / "wheel" / "chat.db").is_file()
    assert from_wheel == from_tree
    assert default_ui().onboarding.summary.format_map(defaultdict(str, name="Runner")).splitlines()[0] in from_wheel


@pytest.mark.slow
def test_the_wheel_carries_the_content_and_every_migration(wheel: Path) -> None:
    """The wheel holds the YAML content, the Alembic environment and every migration of the tree."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    migrations = {f"bot/_migrations/versions/{path.name}" for path in (ROOT / "migrations" / "versions").glob("*.py")}
    content = {f"bot/_content/{path.name}" for path in (ROOT / "content").glob("*.yaml")}
    assert migrations and content
    assert migrations | content | {"bot/_migrations/env.py", "bot/_migrations/script.py.mako"} <= names


@pytest.mark.slow
def test_the_wheel_carries_every_file_of_the_content(wheel: Path) -> None:
    """Beside the YAML, the data the process reads at start or on first use (the intent model, the city
    index) is in the wheel, whatever its format."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {f"bot/_content/{path.name}" for path in (ROOT / "content").iterdir() if path.is_file()}
    assert "bot/_content/intent_model.bin.gz" in shipped
    assert shipped <= names


@pytest.mark.slow
def test_the_installed_coach_serves_help_and_migrates_as_the_image_would(installed: Path, tmp_path: Path) -> None:
    """From the fresh environment, in a container (COACH_CONTAINER=1, as the image sets): `coach run --help`
    and `coach dispatch --help` (the Fly worker's `--loop`) answer, and `coach migrate` (the release
    command) brings a new SQLite file to the newest migration."""
    assert "usage: coach run" in _run([str(installed / "coach"), "run", "--help"], cwd=tmp_path)
    assert "--loop" in _run([str(installed / "coach"), "dispatch", "--help"], cwd=tmp_path)
    database = tmp_path / "data" / "coach.db"
    database.parent.mkdir()
    env = {**_outside_env(), "COACH_CONTAINER": "1", "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    done = subprocess.run(
        [str(installed / "coach"), "migrate"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"database is at migration {head_revision()}"
    assert database.is_file()
