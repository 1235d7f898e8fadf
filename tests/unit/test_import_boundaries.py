"""Dependencies point inward: what each package may import is read from its source files.

Every import counts, wherever it is written: ``import x``, ``from x import y`` (``y`` may itself be
a module), relative imports, imports inside functions, and ``importlib.import_module("x")``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> what no module in it may import (a module or anything below it); one line per rule
RULES: dict[str, tuple[str, ...]] = {
    "bot.coach": (
        "bot.content",
        "bot.db",
        "bot.telegram",
        "bot.console",
        "bot.services",
        "bot.app",
        "telegram",
        "sqlalchemy",
        "apscheduler",
    ),
    "bot.services": ("bot.db", "bot.telegram", "bot.console", "bot.app", "sqlalchemy", "telegram", "alembic"),
    # the edge reaches the database only through the use cases (``deps.coach``), never a repository
    # or a unit of work of its own
    "bot.telegram": ("bot.db", "sqlalchemy", "alembic"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, *, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """Every module name ``source`` (the text of ``module``) imports, with its line number.

    ``from x import y`` yields both ``x`` and ``x.y``, since ``y`` may be a submodule.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            first = node.args[0]
            literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if name in ("import_module", "__import__") and literal is not None:
                yield node.lineno, literal


def _inside(name: str, forbidden: str) -> bool:
    return name == forbidden or name.startswith(forbidden + ".")


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    directory = ROOT.joinpath(*package.split("."))
    found = []
    for path in sorted(directory.rglob("*.py")):
        module = _module_name(path)
        for line, name in imported(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"):
            if any(_inside(name, bad) for bad in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return sorted(set(found))


@pytest.mark.parametrize(("package", "forbidden"), list(RULES.items()), ids=list(RULES))
def test_a_package_imports_nothing_it_must_not(package: str, forbidden: tuple[str, ...]) -> None:
    """No module of the package imports a package outside its boundary, not even lazily."""
    assert ROOT.joinpath(*package.split(".")).is_dir(), f"no package {package}"
    assert violations(package, forbidden) == []


def test_the_reader_sees_every_way_of_importing() -> None:
    """The check would catch a forbidden import written in any of the usual ways."""
    source = """
import bot.db.uow
from bot.content.loader import default_library
from bot import telegram
from ..console import chat
import json

def later():
    from bot.db import codec
    import importlib
    return importlib.import_module("bot.services.plans")
"""
    names = {name for _, name in imported(source, "bot.coach.planner")}
    assert {"bot.db.uow", "bot.content.loader", "bot.telegram", "bot.console.chat", "bot.db.codec"} <= names
    assert "bot.services.plans" in names
    lines = {name: line for line, name in imported(source, "bot.coach.planner")}
    assert lines["bot.db.codec"] == 9  # the lazy import inside a function


def test_only_the_entry_points_import_the_composition_root() -> None:
    """``bot.app`` builds everything; only ``bot/entry`` may import it (``__main__`` calls the entry
    points), so no handler, service or transport can reach for the whole application."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT / "bot")
        if relative.parts[0] == "entry" or relative == Path("app.py"):
            continue
        module = _module_name(path)
        for line, name in imported(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"):
            if _inside(name, "bot.app"):
                found.append(f"{relative}:{line} imports {name}")
    assert found == []


def test_no_handler_opens_a_unit_of_work() -> None:
    """Every use case owns its transaction: nothing in ``bot/telegram`` opens a unit of work (it
    calls ``deps.coach``, whose methods open, commit and return a domain value)."""
    found = []
    for path in sorted((ROOT / "bot" / "telegram").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "deps.uow()" in line or ("async with" in line and "uow" in line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
