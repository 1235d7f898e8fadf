"""The worked examples in the README and `examples/` are what `coach plan` prints today."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.__main__ import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = "2026-11-23"


@pytest.mark.parametrize("name", ["beginner", "club-half", "marathon-race-week"])
def test_example_plan_is_current(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each example plan file equals a fresh `coach plan --start 2026-11-23` of its profile."""
    code = main(["plan", "--profile", str(EXAMPLES / f"{name}.json"), "--start", START])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    stored = json.loads((EXAMPLES / f"{name}.plan.json").read_text(encoding="utf-8"))
    assert printed == stored, f"regenerate examples/{name}.plan.json (see README)"
    assert printed["weeks"][0]["start"] == START
    assert dt.date.fromisoformat(printed["weeks"][0]["days"][-1]["date"]) == dt.date(2026, 11, 29)
