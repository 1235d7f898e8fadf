"""What the log keeps out whatever LOG_LEVEL says: the libraries' chatter below INFO, what an
exception quotes of a runner's input, and the runner's ids on a line about their body."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from pydantic import BaseModel, ValidationError

from bot.config import load_settings
from bot.failures import debug_wanted
from bot.logs import REDACTED, configure_logging, forget_private, format_exception, hold_private, is_health

SAID = "my knee hurts at night and I feel dizzy"
LIBRARIES = (
    "telegram",
    "telegram.ext",
    "telegram.ext.Application",
    "telegram.ext.ExtBot",
    "telegram.Bot",
    "httpx",
    "httpcore",
    "sqlalchemy",
    "sqlalchemy.engine",
    "sqlalchemy.engine.Engine",
    "sqlalchemy.pool",
    "aiosqlite",
    "asyncpg",
    "apscheduler",
)


@pytest.fixture
def restore() -> Iterator[None]:
    """Whatever a test configures, the logging of the session is put back afterwards."""
    root = logging.getLogger()
    handlers, level, config = list(root.handlers), root.level, structlog.get_config()
    levels = {name: logging.getLogger(name).level for name in (*LIBRARIES, "tornado", "alembic", "asyncio", "hpack")}
    try:
        yield
    finally:
        forget_private()
        structlog.contextvars.clear_contextvars()
        structlog.configure(**config)
        root.handlers, root.level = handlers, level
        for name, was in levels.items():
            logging.getLogger(name).setLevel(was)


def _lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_library_loggers_stay_at_info_or_above_at_any_log_level(restore: None, level: str) -> None:
    """python-telegram-bot, httpx, SQLAlchemy and aiosqlite log what runners say below INFO (whole
    updates, Bot API calls, SQL with its values): none of them is let below INFO, even at DEBUG."""
    out = io.StringIO()
    configure_logging(level, stream=out)
    for name in LIBRARIES:
        assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO, name
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    assert logging.getLogger("sqlalchemy.engine.Engine").getEffectiveLevel() >= logging.WARNING, "SQL is INFO"
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING, "request URLs hold the token"
    if level == "DEBUG":
        assert logging.getLogger("bot.anything").isEnabledFor(logging.DEBUG), "the coach's own DEBUG still shows"


def test_a_library_record_below_its_floor_is_dropped_even_if_its_level_was_lowered_again(restore: None) -> None:
    """A library set back to DEBUG after start-up (a plugin, a debugger) still writes nothing below INFO."""
    out = io.StringIO()
    configure_logging("DEBUG", stream=out)
    logging.getLogger("telegram.ext.Application").setLevel(logging.DEBUG)
    logging.getLogger("aiosqlite").setLevel(logging.DEBUG)
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", {"text": SAID})
    logging.getLogger("aiosqlite").debug("executing %s", ("INSERT INTO checkins VALUES (?)", SAID))
    logging.getLogger("telegram.ext.Application").info("Application started")
    assert [line["event"] for line in _lines(out)] == ["Application started"]


def test_an_exception_is_logged_with_its_traceback_but_not_what_it_quotes(restore: None) -> None:
    """At ERROR the traceback is there, frames and exception types; the values its messages quote
    (a ValueError's literal, a pydantic error's input_value) are redacted."""

    class Answer(BaseModel):
        minutes: int

    out = io.StringIO()
    configure_logging("INFO", stream=out)
    try:
        try:
            Answer.model_validate({"minutes": SAID})
        except ValidationError as exc:
            raise ValueError(f"invalid literal for int() with base 10: {SAID!r}") from exc
    except ValueError:
        structlog.get_logger("test").exception("handler.error")
    (line,) = _lines(out)
    trace = line["exception"]
    assert "Traceback (most recent call last)" in trace and "test_log_privacy.py" in trace
    assert "ValidationError" in trace and "ValueError: invalid literal for int() with base 10: '[redacted]'" in trace
    assert "input_value='[redacted]'" in trace
    assert "knee" not in trace and "dizzy" not in trace


def test_a_library_traceback_is_scrubbed_as_well(restore: None) -> None:
    """A library's own error line (asyncio's, python-telegram-bot's) goes through the same scrubbing."""
    out = io.StringIO()
    configure_logging("WARNING", stream=out)
    try:
        int(SAID)
    except ValueError:
        logging.getLogger("asyncio").exception("Task exception was never retrieved: ValueError(%r)", SAID)
    (line,) = _lines(out)
    assert "Traceback" in line["event"] and "knee" not in line["event"] and REDACTED in line["event"]


def test_the_words_of_the_update_being_handled_are_redacted_even_unquoted(restore: None) -> None:
    """An error that quotes the runner without quotes (a time zone that was not found, say) loses
    every word of what the runner sent with the update being handled, and their name."""
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    zone, name = "Europe/Dizzyland", "Philippa"
    hold_private(zone, name, None)
    try:
        raise LookupError(f"No time zone found with key {zone} for {name}")
    except LookupError:
        structlog.get_logger("test").exception("handler.error")
    logging.getLogger("telegram.ext").warning("a library quotes Dizzyland")
    forget_private()
    logging.getLogger("telegram.ext").warning("the next update: Dizzyland is nobody's word now")
    first, second, third = _lines(out)
    assert "Dizzyland" not in first["exception"] and "Philippa" not in first["exception"]
    assert first["exception"].endswith(f"No time zone found with key {REDACTED} for {REDACTED}")
    assert second["event"] == f"a library quotes {REDACTED}"
    assert "Dizzyland" in third["event"]


def test_class_names_and_apostrophes_survive_the_scrubbing() -> None:
    """What says where an error is stays readable: ``<class 'x.Y'>`` and an apostrophe in a word."""
    try:
        raise TypeError("can't compare <class 'bot.coach.model.BodyArea'> with a 'string'")
    except TypeError as exc:
        text = format_exception(exc)
    assert text.endswith("TypeError: can't compare <class 'bot.coach.model.BodyArea'> with a '[redacted]'")


def test_postgresql_key_values_are_redacted() -> None:
    """PostgreSQL's detail on a unique violation quotes the key's values."""
    error = RuntimeError('duplicate key value violates unique constraint "uq"\nDETAIL: Key (name)=(Philippa) exists.')
    assert "Philippa" not in format_exception(error)


@pytest.mark.parametrize(
    "event",
    [
        {"event": "health.red_flag"},
        {"event": "text.intent", "intent": "pain", "also": []},
        {"event": "text.intent", "intent": "done", "also": ["ill"]},
        {"event": "dispatch.send_failed", "kind": "pain_check"},
        {"event": "onboarding.answer", "question": "niggle_flags"},
        {"event": "onboarding.not_an_answer", "urgent": True},
    ],
)
def test_an_event_about_the_runners_body_is_written_without_their_ids(restore: None, event: dict[str, Any]) -> None:
    """Ids bound to the update or given to the call are dropped from a health event."""
    assert is_health(event)
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    structlog.contextvars.bind_contextvars(update_id=7, user_id=4242, chat_id=4242)
    name = event.pop("event")
    structlog.get_logger("test").info(name, runner_id=12, message_id=3, **event)
    (line,) = _lines(out)
    assert line["event"] == name
    assert not {"update_id", "user_id", "chat_id", "runner_id", "message_id"} & line.keys(), line


def test_other_events_keep_their_ids(restore: None) -> None:
    """An event that says nothing about the body keeps the update's ids, for following an update."""
    out = io.StringIO()
    configure_logging("INFO", stream=out)
    structlog.contextvars.bind_contextvars(update_id=7, user_id=4242, chat_id=4242)
    structlog.get_logger("test").info("onboarding.answer", question="timezone")
    structlog.get_logger("test").info("text.intent", intent="done", also=["tomorrow"])
    assert all(line["user_id"] == 4242 and line["update_id"] == 7 for line in _lines(out))


@pytest.mark.parametrize(("name", "value", "wanted"), [("LOG_TRACEBACKS", "1", True), ("LOG_TRACEBACKS", "0", False)])
def test_log_tracebacks_asks_for_tracebacks_without_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, wanted: bool
) -> None:
    """An operator gets the command line's tracebacks with LOG_TRACEBACKS=1, at LOG_LEVEL=INFO."""
    monkeypatch.chdir(tmp_path)  # (no .env of the machine's)
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    monkeypatch.setenv(name, value)
    assert debug_wanted() is wanted
    assert load_settings().log_tracebacks is wanted
