"""The worked examples in the README and `examples/` are what `coach plan` prints today."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FakeClock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = "2026-11-23"
CLOCK = FakeClock(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))  # races are judged from this day, not the real one


WEEKS = {"beginner": 1, "club-half": 1, "marathon-race-week": 1, "achilles-marathon": 4}


@pytest.mark.parametrize("name", list(WEEKS))
def test_example_plan_is_current(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each example plan file equals a fresh `coach plan --start 2026-11-23` of its profile."""
    weeks = ["--weeks", str(WEEKS[name])]
    code = main(["plan", "--profile", str(EXAMPLES / f"{name}.json"), "--start", START, *weeks], clock=CLOCK)
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    stored = json.loads((EXAMPLES / f"{name}.plan.json").read_text(encoding="utf-8"))
    assert printed == stored, f"regenerate examples/{name}.plan.json (see README)"
    assert printed["weeks"][0]["start"] == START
    assert dt.date.fromisoformat(printed["weeks"][0]["days"][-1]["date"]) == dt.date(2026, 11, 29)
    assert len(printed["weeks"]) == WEEKS[name]


def test_readme_tables_match_the_plan_files() -> None:
    """The day-by-day tables in the README are the ones the example plan files give."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("digest", EXAMPLES / "digest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert module.digest().strip() in readme, "regenerate the README tables with examples/digest.py"
