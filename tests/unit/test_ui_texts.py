"""The chat texts in content/ui.yaml are checked at start-up like the rest of the library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import ContentError
from bot.content.ui import load_ui
from bot.resources import CONTENT_DIR


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copy(CONTENT_DIR / "ui.yaml", tmp_path / "ui.yaml")
    path = tmp_path / "ui.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_shipped_texts_load() -> None:
    """Every text the bot sends is present and formats with the fields the bot gives it."""
    ui = load_ui()
    assert "Ada" in ui.onboarding.fmt("welcome", name="Ada")
    assert ui.onboarding.fmt("ask_race_date", distance="10k").count("10k") == 1


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('  ask_level: "', '  ask_levl: "', "onboarding.ask_level"),  # a key renamed away
        ('ask_minutes: "7/11 ·', 'ask_minutes: "7/11 {runner} ·', "onboarding.ask_minutes"),  # unknown field
        ('ask_minutes: "7/11 ·', 'ask_minutes: "7/11 { ·', "onboarding.ask_minutes"),  # stray brace
    ],
)
def test_broken_texts_fail_naming_the_key(tmp_path: Path, old: str, new: str, named: str) -> None:
    """A missing key, an unknown placeholder or a stray brace stops start-up, naming group.key."""
    with pytest.raises(ContentError) as caught:
        load_ui(_copy(tmp_path, old, new))
    assert any(named in problem and problem.startswith("ui.yaml:") for problem in caught.value.problems)
