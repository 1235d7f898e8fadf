"""`coach import FILE` as a command: one line on stderr and exit 2 for what cannot be imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_coach_run import clean_env


def coach_import(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "import", *args],
        capture_output=True,
        text=True,
        env=clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db"),
        cwd=tmp_path,
        timeout=120,
    )


def test_import_of_a_missing_file_or_one_that_is_no_export_says_why(tmp_path: Path) -> None:
    """A file that is not there, or not an export, is refused in one line, with exit status 2."""
    missing = coach_import(tmp_path, "nowhere.json")
    assert missing.returncode == 2 and missing.stderr.strip() == "nowhere.json: cannot read: No such file or directory"
    (tmp_path / "profile.json").write_text('{"level": "some"}', encoding="utf-8")
    other = coach_import(tmp_path, "profile.json")
    assert other.returncode == 2
    assert other.stderr.strip().endswith('not an export of this coach (no "kind": "runner-strength-coach export")')
