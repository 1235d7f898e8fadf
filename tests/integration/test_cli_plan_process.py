"""`python -m bot plan` as its own process: the JSON plan on stdout, one line per problem on stderr."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
START = dt.date(2026, 11, 23)  # a Monday


def _plan(tmp_path: Path, profile: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot", "plan", "--profile", str(path), "--start", START.isoformat(), "--weeks", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def _beginner() -> dict[str, Any]:
    profile: dict[str, Any] = json.loads((ROOT / "examples" / "beginner.json").read_text(encoding="utf-8"))
    return profile


def test_a_separate_process_prints_the_plan_as_json(tmp_path: Path) -> None:
    """From its own process, `plan` prints two weeks of seven days from the Monday given, and nothing on stderr."""
    done = _plan(tmp_path, _beginner())
    assert (done.returncode, done.stderr) == (0, "")
    weeks = json.loads(done.stdout)["weeks"]
    days = [dt.date.fromisoformat(day["date"]) for week in weeks for day in week["days"]]
    assert days == [START + dt.timedelta(days=n) for n in range(14)]


def test_a_separate_process_reports_each_problem_on_its_own_line(tmp_path: Path) -> None:
    """From its own process, a profile with two mistakes exits 2 with two stderr lines naming them, no traceback."""
    broken = {**_beginner(), "equipment": "kettlebell", "week": {**_beginner()["week"], "mon": "jog"}}
    done = _plan(tmp_path, broken)
    assert (done.returncode, done.stdout) == (2, "")
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert any("kettlebell" in line for line in lines) and any("jog" in line for line in lines)
