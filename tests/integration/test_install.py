"""`pip install .` (not editable) gives a `coach` that works from any directory, without the source tree."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from test_cli_chat import FIXED_CLOCK, ONBOARDING

from bot.content.ui import default_ui

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "beginner.json"
CHAT = ["chat", "--fresh", "--db"]
SHIPPED = {"pyproject.toml", "setup.py", "README.md", "bot", "content", "migrations"}


def _outside_env() -> dict[str, str]:
    """The machine's environment with no tree on the path and no coach setting."""
    dropped = ("PYTHONPATH", "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL")
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment that `pip install` filled from a copy of the tree,
    the copy deleted afterwards; the dependencies come from the test run's own site-packages."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=lambda folder, names: [] if folder != str(ROOT) else set(names) - SHIPPED)
    venv = base / "venv"
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
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(source)],
        capture_output=True,
        text=True,
        env=_outside_env(),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(source)
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
