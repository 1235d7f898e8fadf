"""Handlers stay thin (ARCHITECTURE.md, principle 3): parse the update, call a use case, render the
result, send it. A handler's body, its docstring left out, is at most ``MAX_LINES`` source lines.

A handler is a function of ``bot/telegram`` that is registered with python-telegram-bot (given to a
``CommandHandler``, ``CallbackQueryHandler``, ``MessageHandler`` or ``TypeHandler`` here or in
``bot/app.py``) or that is named like one (``*_tap``, ``*_command``, ``on_*``). What a longer one
needs goes into a helper with a name, a route table, a renderer, or a use case below the edge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 15  # source lines of the body, from its first statement after the docstring to its end
REGISTRARS = frozenset({"CommandHandler", "CallbackQueryHandler", "MessageHandler", "TypeHandler"})
SOURCES = [*sorted((ROOT / "bot" / "telegram").rglob("*.py")), ROOT / "bot" / "app.py"]


def _trees() -> Iterator[tuple[Path, ast.Module]]:
    for path in SOURCES:
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def registered() -> set[str]:
    """The names of the functions handed to python-telegram-bot's handler classes."""
    names = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REGISTRARS:
                names |= {arg.id for arg in node.args if isinstance(arg, ast.Name)}
    return names


def is_handler(name: str, handlers: set[str]) -> bool:
    return name in handlers or name.endswith(("_tap", "_command")) or name.startswith("on_")


def body_lines(function: ast.AsyncFunctionDef | ast.FunctionDef) -> int:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if not body:
        return 0
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def handler_lengths() -> dict[str, int]:
    """``module:function`` -> body length, for every handler of ``bot/telegram`` and ``bot/app.py``."""
    handlers = registered()
    return {
        f"{path.stem}:{node.name}": body_lines(node)
        for path, tree in _trees()
        for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and is_handler(node.name, handlers)
    }


def test_every_handler_body_is_at_most_fifteen_lines() -> None:
    """Parse, act, render, send: no handler body runs past ``MAX_LINES`` lines."""
    long = {name: lines for name, lines in handler_lengths().items() if lines > MAX_LINES}
    assert long == {}


def test_the_handlers_are_found() -> None:
    """The check sees the handlers it is about (registered ones and gates among them)."""
    found = handler_lengths()
    assert {"loop_handlers:checkin_tap", "onboarding:onboarding_gate", "settings_handlers:settings_tap"} <= set(found)
    assert {"handlers:today", "handlers:free_text", "app:bind_update"} <= set(found)
