"""Telegram's errors are told apart by type: the text of one is read in one place only.

``bot.telegram.sender.telegram_error`` maps python-telegram-bot's errors to the bot's own types
(``RecipientGone``, ``NotModified``, ``StaleQuery``); everything else catches those types. Read
from the source: outside that function, no code that handles a Telegram error reads its message,
and no Telegram error description is written anywhere but the sender (and the offline Bot API,
which plays Telegram and so must say what Telegram says).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import telegram.error

ROOT = Path(__file__).resolve().parents[2]
SENDER = ROOT / "bot" / "telegram" / "sender.py"
MAPPING = "telegram_error"
PLAYS_TELEGRAM = ROOT / "bot" / "console" / "transport"
ERRORS = {name for name in dir(telegram.error) if isinstance(getattr(telegram.error, name), type)}
# fragments of the descriptions Telegram gives its errors, as the sender matches them
DESCRIPTIONS = (
    "not modified",
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "chat_write_forbidden",
    "query is too old",
    "query id is invalid",
    "blocked by the user",
)


def _sources() -> Iterator[Path]:
    for path in sorted((ROOT / "bot").rglob("*.py")):
        if not path.is_relative_to(PLAYS_TELEGRAM):
            yield path


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _names_an_error(node: ast.expr | None) -> bool:
    return node is not None and any(
        (isinstance(n, ast.Name) and n.id in ERRORS) or (isinstance(n, ast.Attribute) and n.attr in ERRORS)
        for n in ast.walk(node)
    )


def _error_variables(function: ast.AST) -> set[str]:
    """Names bound to a Telegram error: ``except BadRequest as exc``, ``isinstance(error, Forbidden)``."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.ExceptHandler) and node.name and _names_an_error(node.type):
            names.add(node.name)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "isinstance"
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Name)
            and _names_an_error(node.args[1])
        ):
            names.add(node.args[0].id)
    return names


def text_readers(source: str, allowed: str | None = None) -> list[str]:
    """Where code reads the text of a Telegram error (outside the function named ``allowed``): its
    ``.message`` or ``.args``, or its ``str()`` looked into (compared, searched, lower-cased)."""
    found: list[str] = []
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for function in _functions(tree):
        if function.name == allowed:
            continue
        errors = _error_variables(function)
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in errors
                and node.attr in ("message", "args")
            ):
                found.append(f"{function.name}:{node.lineno}: {node.value.id}.{node.attr}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("str", "repr")
                and any(isinstance(arg, ast.Name) and arg.id in errors for arg in node.args)
                and isinstance(parents.get(node), ast.Compare | ast.Attribute)
            ):
                found.append(f"{function.name}:{node.lineno}: {node.func.id}() of an error, looked into")
    return found


def test_only_the_senders_mapping_reads_a_telegram_errors_text() -> None:
    """Every module but the sender's one mapping function works with the error's type alone."""
    found = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in _sources()
        for where in text_readers(path.read_text(), allowed=MAPPING if path == SENDER else None)
    ]
    assert found == []


def test_telegrams_error_descriptions_are_written_in_the_sender_only() -> None:
    """No module but the sender names a Telegram error description to match it."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in _sources()
        if path != SENDER
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(fragment in node.value.lower() for fragment in DESCRIPTIONS)
    ]
    assert found == []


def test_the_check_finds_text_read_by_message_or_by_str() -> None:
    """The check itself sees both ways the text used to be read (a sender retry loop reading
    ``exc.message``, an error handler searching ``str(error)``), and lets logging be."""
    by_message = (
        "async def call():\n"
        "    try:\n        pass\n"
        "    except BadRequest as exc:\n"
        "        if 'chat not found' in exc.message.lower():\n            raise Gone() from exc\n"
    )
    by_str = (
        "def late(error):\n    text = str(error).casefold()\n    return isinstance(error, BadRequest) and 'x' in text\n"
    )
    logged = (
        "def run():\n    try:\n        pass\n"
        "    except NetworkError as exc:\n        log.error('down', error=str(exc))\n"
    )
    assert len(text_readers(by_message)) == 1
    assert len(text_readers(by_str)) == 1
    assert text_readers(logged) == []
    assert text_readers(by_message, allowed="call") == []
