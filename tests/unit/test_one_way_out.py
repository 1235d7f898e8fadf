"""Every message leaves through one port: no handler calls Telegram's reply or edit methods or builds
Telegram's keyboards; ``bot/telegram/sender.py`` (``BotSender``, the ``Chat`` port on the Bot API)
is the one module that does."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "bot" / "telegram" / "sender.py"
# the offline Bot API answers these methods rather than calling them: it is Telegram, not a sender
TELEGRAM_ITSELF = ROOT / "bot" / "console"
# calls that send, edit or answer a chat, and the classes of Telegram's keyboards
SENDING = frozenset(
    {
        "reply_text",
        "reply_html",
        "reply_markdown",
        "reply_markdown_v2",
        "edit_message_text",
        "edit_text",
        "edit_message_reply_markup",
        "edit_reply_markup",
        "answer_callback_query",
    }
)
KEYBOARDS = frozenset(
    {"InlineKeyboardMarkup", "InlineKeyboardButton", "ReplyKeyboardMarkup", "ReplyKeyboardRemove", "KeyboardButton"}
)


def called(path: Path) -> list[str]:
    """The sending calls and keyboard constructions in one module, as ``line: name``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in SENDING or name in KEYBOARDS:
            found.append(f"{node.lineno}: {name}")
    return found


def test_only_the_sender_sends_edits_or_builds_keyboards() -> None:
    """``reply_text(``, ``edit_message_text(``, ``InlineKeyboardMarkup(`` and their kin appear in
    ``bot/telegram/sender.py`` only; handlers hand an ``Outgoing`` (or ``Keys``) to ``deps.sender``."""
    offenders = {
        str(path.relative_to(ROOT)): calls
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path != OWNER and TELEGRAM_ITSELF not in path.parents and (calls := called(path))
    }
    assert offenders == {}


def test_the_sender_is_where_they_are() -> None:
    """The check looks in the right place: the sender does build keyboards and edit messages."""
    names = {entry.split(": ")[1] for entry in called(OWNER)}
    assert {"InlineKeyboardMarkup", "ReplyKeyboardMarkup", "edit_message_text"} <= names
