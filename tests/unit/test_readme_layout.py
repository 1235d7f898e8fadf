"""The README's layout section matches the tree: it names every module of ``bot/``, and every
module file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def layout_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## How the code is laid out")
    return text[start : text.index("\n## ", start + 1)]


def modules() -> set[str]:
    """The file names of bot/'s modules (not packages' __init__, nor the wheel's copied data)."""
    return {
        path.name
        for path in (ROOT / "bot").rglob("*.py")
        if path.name != "__init__.py" and not str(path.parent.relative_to(ROOT / "bot")).startswith("_")
    }


def test_every_module_of_the_tree_is_named_in_the_layout() -> None:
    section = layout_section()
    assert sorted(name for name in modules() if f"`{name}`" not in section and f"/{name}`" not in section) == []


def test_every_module_the_layout_names_exists() -> None:
    named = set(re.findall(r"[`/]([a-z_]+\.py)`", layout_section())) - {"setup.py"}
    assert sorted(named - modules()) == []
