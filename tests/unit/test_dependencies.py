"""What the code imports is declared, what is declared is pinned, and CI installs what the README says."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): "SQLAlchemy[asyncio]>=2" -> "sqlalchemy"."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


RUNTIME = {_name(r) for r in PROJECT["dependencies"]}
DEV = {_name(r) for r in PROJECT["optional-dependencies"]["dev"]}


def _imports(folder: Path) -> tuple[set[str], set[str]]:
    """The top-level modules imported by the files under ``folder``: at module level, and anywhere."""
    module_level: set[str] = set()
    anywhere: set[str] = set()
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = {node.module.split(".")[0]}
            else:
                continue
            anywhere |= names
            if node in tree.body:
                module_level |= names
    third_party = {name for name in anywhere if name not in sys.stdlib_module_names and name != "bot"}
    return module_level & third_party, third_party


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """The distributions (normalised names) that provide each module."""
    provided = packages_distributions()
    return {module: {_name(d) for d in provided.get(module, [])} for module in modules}


def test_every_module_the_bot_imports_is_a_declared_dependency() -> None:
    """Each third-party module `bot/` imports comes from a dependency pyproject.toml names: a runtime one
    for an import at the top of a file, a runtime or dev one for a lazy import (the training tools)."""
    module_level, anywhere = _imports(ROOT / "bot")
    undeclared = {m: d for m, d in _distributions(module_level).items() if not d & RUNTIME}
    assert undeclared == {}, "import at module level, but not a runtime dependency"
    undeclared = {m: d for m, d in _distributions(anywhere).items() if not d & (RUNTIME | DEV)}
    assert undeclared == {}


def test_every_module_the_tests_import_is_declared() -> None:
    """Each third-party module the tests import comes from a runtime or dev dependency."""
    _, anywhere = _imports(ROOT / "tests")
    local = {path.stem for path in (ROOT / "tests").rglob("*.py")}
    undeclared = {m: d for m, d in _distributions(anywhere - local).items() if not d & (RUNTIME | DEV)}
    assert undeclared == {}


def test_constraints_pin_every_declared_dependency_and_the_linters_are_bounded() -> None:
    """constraints.txt pins one version of each runtime and dev dependency, and ruff and mypy have an
    upper bound in the dev extra, so a new release cannot change CI unasked."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, equals, version = line.partition("==")
            assert equals and version, f"not a pin: {line!r}"
            pins[_name(name)] = version
    assert sorted((RUNTIME | DEV) - pins.keys()) == []
    for linter in ("ruff", "mypy"):
        (requirement,) = [r for r in PROJECT["optional-dependencies"]["dev"] if _name(r) == linter]
        assert "<" in requirement, requirement


def test_ci_runs_the_readme_test_command_with_the_constraints() -> None:
    """The README's test command is one line that `.ci/run` runs exactly, and it installs with the constraints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = [line for line in readme.splitlines() if line.endswith(".venv/bin/python -m pytest")]
    assert "-c constraints.txt" in command
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
