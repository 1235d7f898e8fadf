"""The unit and services tiers run without a database: their tests import no database code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
DATABASE_MODULES = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic", "bot.db", "bot.app", "pgtools")
DATABASE_FIXTURES = {"postgres_url", "db_url", "any_db_url", "migrated_url", "sqlite_url", "engine", "uow_factory"}


def _imports_and_parameters(path: Path) -> tuple[set[str], set[str]]:
    """The modules a file imports and the parameter names of its functions (fixtures asked for)."""
    nodes = list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    names = {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    functions = (node for node in nodes if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))
    return names, {arg.arg for function in functions for arg in function.args.args}


@pytest.mark.parametrize("tier", ["unit", "services"])
def test_the_fast_tiers_touch_no_database(tier: str) -> None:
    """No test or fixture of the unit or services tier imports database code or asks for a database fixture."""
    offenders = {}
    for path in sorted((TESTS / tier).glob("*.py")):
        imports, parameters = _imports_and_parameters(path)
        modules = {m for m in imports if any(m == d or m.startswith(f"{d}.") for d in DATABASE_MODULES)}
        fixtures = parameters & DATABASE_FIXTURES
        if modules or fixtures:
            offenders[path.name] = sorted(modules | fixtures)
    assert offenders == {}
