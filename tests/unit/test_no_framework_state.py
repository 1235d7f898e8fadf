"""The bot keeps no state in python-telegram-bot: no persistence, no ``user_data`` or ``chat_data``,
no conversation states, and ``bot_data`` only for the wiring (``bot_data.deps``).

Every fact lives in the app's own tables, written through the unit of work, so any process can
serve any update and a restart forgets nothing. Something kept in the framework's dicts would be
lost at a restart and invisible to the other processes; this test reads the code for it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_ATTRIBUTES = {"user_data", "chat_data", "drop_user_data", "drop_chat_data", "persistence"}
FORBIDDEN_NAMES = {"BasePersistence", "PicklePersistence", "DictPersistence", "ConversationHandler", "PersistenceInput"}


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{where} .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "bot_data":
            parent = parents.get(node)
            if not (isinstance(parent, ast.Attribute) and parent.attr == "deps"):
                found.append(f"{where} bot_data other than .deps")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{where} {node.id}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"{where} imports {a.name}" for a in node.names if a.name in FORBIDDEN_NAMES]
    return found


def test_the_bot_keeps_nothing_in_the_chat_framework() -> None:
    """No module of bot/ reads or writes python-telegram-bot's user, chat or bot data (beyond the
    wiring), its conversation states or its persistence."""
    offences = [offence for path in sorted((ROOT / "bot").rglob("*.py")) for offence in _offences(path)]
    assert offences == []
