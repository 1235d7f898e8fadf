"""The services depend on their ports, never on what plugs into them: ``bot/services`` imports nothing
from the database layer, Telegram, the console, or the libraries behind them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "bot" / "services"
FORBIDDEN = ("bot.db", "bot.telegram", "bot.console", "bot.app", "sqlalchemy", "telegram", "alembic")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (lazy imports too), absolute names."""
    package = "bot.services"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..db import y
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def forbidden(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f"{f}.") for f in FORBIDDEN))


@pytest.mark.parametrize("path", sorted(SERVICES.rglob("*.py")), ids=lambda p: p.name)
def test_services_import_nothing_from_the_edges(path: Path) -> None:
    """No module of bot/services imports bot.db, bot.telegram, bot.console (or SQLAlchemy, Telegram)."""
    assert forbidden(imported(path)) == []


def test_the_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The check reads imports inside functions and relative ones, so neither slips past it."""
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from bot.db.uow import UnitOfWork\n    import sqlalchemy.exc\n"
        "from ..db import models\nfrom . import ports\n",
        encoding="utf-8",
    )
    assert forbidden(imported(module)) == [
        "bot.db",
        "bot.db.models",
        "bot.db.uow",
        "bot.db.uow.UnitOfWork",
        "sqlalchemy.exc",
    ]
