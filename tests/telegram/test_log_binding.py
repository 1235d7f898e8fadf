"""Every log line written while handling an update carries that update's ids, and never a previous one's."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from chatdriver import OTHER_ID, RUNNER_ID, Runner
from logcapture import captured_logs

from bot.console.transport import JSONDict, OfflineBotApi
from bot.logs import configure_logging

GROUP = -100123


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Logs (DEBUG and up) written to a buffer, as `coach run` writes them to a pipe; reset afterwards."""
    with captured_logs("DEBUG") as out:
        yield out


def _parse(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def _sender(update: JSONDict) -> int:
    body = update.get("message") or update["callback_query"]
    sender: int = body["from"]["id"]
    return sender


async def test_a_forged_update_is_logged_with_its_own_ids_not_the_previous_runners(
    runner: Runner, api: OfflineBotApi, log_lines: io.StringIO
) -> None:
    """A runner's update, then one from another user forged into the runner's private chat, then one
    from that user in a group: no line written while handling an update names another update or
    sender, and the lines the private-chats gate writes name the intruder, never the runner before."""
    forged = api.text(RUNNER_ID, "/week", "Ada")
    forged["message"]["from"] = {"id": OTHER_ID, "is_bot": False, "first_name": "Bo"}
    updates = [api.text(RUNNER_ID, "/start", "Ada"), forged, api.text(OTHER_ID, "/start", "Bo", chat_id=GROUP)]
    written: list[list[dict[str, Any]]] = []
    for update in updates:
        seen = len(log_lines.getvalue())
        await api.deliver(runner.app, update)
        written.append([json.loads(line) for line in log_lines.getvalue()[seen:].splitlines() if line.strip()])

    for update, lines in zip(updates, written, strict=True):
        assert lines, "handling an update writes some lines at DEBUG"
        # (a line without ids comes from another thread: aiosqlite's worker logs its SQL calls)
        bound = [line for line in lines if "update_id" in line or "user_id" in line]
        assert bound, "the event loop's lines, python-telegram-bot's among them, carry the ids"
        for line in bound:
            assert (line.get("update_id"), line.get("user_id")) == (update["update_id"], _sender(update)), line
    dropped = [line for line in written[1] if line["event"] == "update.dropped"]
    assert [(d["update_id"], d["user_id"], d["chat_id"]) for d in dropped] == [
        (forged["update_id"], OTHER_ID, RUNNER_ID)
    ]
    told = [line for line in written[2] if line["event"] == "group.told_private_only"]
    assert [(t["update_id"], t["user_id"], t["chat_id"]) for t in told] == [(updates[2]["update_id"], OTHER_ID, GROUP)]


def test_logs_are_json_lines_when_not_a_terminal() -> None:
    """Written to a pipe or a file, each log line is one JSON object with the event, level and time."""
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    try:
        structlog.get_logger("test").info("runner.checked_in", rpe=6)
        logging.getLogger("some.library").warning("a library says %s", "hello")
    finally:
        configure_logging("INFO", stream=io.StringIO())
    first, second = _parse(out)
    assert first["event"] == "runner.checked_in" and first["rpe"] == 6 and first["level"] == "info"
    assert "timestamp" in first
    assert second["event"] == "a library says hello" and second["level"] == "warning"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_logs_are_readable_text_on_a_terminal() -> None:
    """On a terminal the same line is written for a person to read, not as JSON."""
    out = _Terminal()
    configure_logging("INFO", stream=out)
    try:
        structlog.get_logger("test").info("runner.checked_in", rpe=6)
    finally:
        configure_logging("INFO", stream=io.StringIO())
    (line,) = out.getvalue().splitlines()
    assert "runner.checked_in" in line and "rpe=6" in line
    assert not line.lstrip().startswith("{")
