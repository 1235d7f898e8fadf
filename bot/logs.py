"""Structured logging to stdout, with the update and user bound to every line, and what a runner says
about themselves kept out of it.

What the log never holds, at any level:

- secrets (the token, the webhook secret, the database password): :class:`Redactor`;
- a runner's words, name or the health replies they got: libraries that log them below INFO
  (python-telegram-bot logs whole updates and every Bot API call at DEBUG, SQLAlchemy its SQL at
  INFO, aiosqlite every statement with its values at DEBUG) are held at INFO or above whatever
  ``LOG_LEVEL`` says (:data:`LIBRARY_FLOORS`); and an exception's message, which can quote input
  (``invalid literal for int() with base 10: 'my knee hurts'``, a pydantic error's
  ``input_value=...``), is written with its quoted values and the current update's words redacted
  (:func:`format_exception`);
- a health event tied to a runner: an event about the runner's body (named ``health.*``, or carrying
  a pain, illness, niggle or red-flag marker, :func:`is_health`) is written without the update's,
  chat's, user's or runner's id (:func:`anonymise_health`).
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import traceback
from collections.abc import Iterable, Mapping, MutableMapping
from contextvars import ContextVar
from types import TracebackType
from typing import Any, TextIO

import structlog

REDACTED = "[redacted]"

# A library's logger is held at this level or above, whatever LOG_LEVEL says: below it, each logs
# what the runners say or are told (updates, Bot API calls and their parameters, SQL with its values)
LIBRARY_FLOORS = {
    "telegram": logging.INFO,  # DEBUG: every update and Bot API call, with the text
    "httpx": logging.WARNING,  # INFO: every request URL, and Bot API URLs contain the token
    "httpcore": logging.INFO,  # DEBUG: request and response events
    "hpack": logging.INFO,
    "sqlalchemy": logging.WARNING,  # INFO: every statement; DEBUG: the rows
    "aiosqlite": logging.INFO,  # DEBUG: every statement with its bound values
    "asyncpg": logging.INFO,
    "alembic": logging.INFO,
    "apscheduler": logging.WARNING,  # INFO: every run of the dispatch job
    "tornado": logging.INFO,
    "asyncio": logging.INFO,
}

HEALTH_PREFIX = "health."
# the ids that tie a line to a runner; a health event is written without them
IDENTIFYING = frozenset({"user_id", "chat_id", "update_id", "runner_id", "telegram_id", "message_id", "query_id"})
# a field with a true value that says something about the runner's body
HEALTH_FLAGS = frozenset({"urgent", "pain", "ill", "flag", "niggle", "red_flag", "injured"})
# values that say it (an intent, a due message's kind, an onboarding question only niggles get)
HEALTH_VALUES = frozenset(
    {"pain", "ill", "sore_or_tired", "pain_check", "niggle_morning", "niggles", "niggle_flags", "health"}
)


class Redactor:
    """Replaces each secret wherever it appears in a log event (a token inside a URL, an error...)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = [s for s in secrets if s]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def __call__(self, _logger: Any, _name: str, event: MutableMapping[str, Any]) -> Mapping[str, Any]:
        return {key: self.scrub(value) if isinstance(value, str) else value for key, value in event.items()}


# -- health events ---------------------------------------------------------------------------------


def is_health(event: Mapping[str, Any]) -> bool:
    """Whether a log event is about a runner's body: named ``health.*``, or carrying a pain, illness
    or niggle marker (``urgent=True``, ``intent="pain"``, ``kind="pain_check"``...)."""
    if str(event.get("event", "")).startswith(HEALTH_PREFIX):
        return True
    for key, value in event.items():
        if key in HEALTH_FLAGS and value:
            return True
        values = value if isinstance(value, list | tuple | set | frozenset) else (value,)
        if any(isinstance(v, str) and v in HEALTH_VALUES for v in values):
            return True
    return False


def anonymise_health(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A health event loses every id that ties it to a runner (bound to the update or given)."""
    if is_health(event):
        for key in IDENTIFYING & event.keys():
            del event[key]
    return event


# -- the runner's words of the update being handled ------------------------------------------------

_private: ContextVar[tuple[str, ...]] = ContextVar("coach_private_words", default=())
_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")  # four letters or more: "knee", "dizzy", "Philippa"


def hold_private(*texts: str | None) -> None:
    """What the runner sent with the update being handled (its text, their names): redacted from
    every exception message and library line written while it is handled. Replaces the last
    update's; nothing of it is logged. (A text or name under three characters, "no", "30", is
    left: redacting it would blank out half of every message.) Only kept here: the pattern is built
    when a line needs scrubbing, which most updates never write."""
    _private.set(tuple(text.strip() for text in texts if text and len(text.strip()) > 2))


def forget_private() -> None:
    _private.set(())


@functools.lru_cache(maxsize=64)
def _private_pattern(wholes: tuple[str, ...]) -> re.Pattern[str] | None:
    words = {word for text in wholes for word in _WORD.findall(text)}
    parts = sorted(set(wholes) | words, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(part) for part in parts) + r")(?!\w)", re.IGNORECASE)


def scrub_private(text: str) -> str:
    """``text`` without the words of the update being handled."""
    pattern = _private_pattern(_private.get())
    return pattern.sub(REDACTED, text) if pattern is not None else text


# -- exception messages ------------------------------------------------------------------------------

# a quoted value ('...' or "..."), not an apostrophe inside a word, nor the class in "<class 'x.Y'>"
_QUOTED = re.compile(r"""(?<![\w<])(?<!<class )('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")(?!\w)""")
_KEY_VALUES = re.compile(r"\)=\([^)\n]*\)")  # PostgreSQL's "Key (telegram_id)=(4242) already exists"


def scrub_message(text: str) -> str:
    """An exception message without what it may quote of the input: quoted values, a key's values,
    and the words of the update being handled."""
    text = _QUOTED.sub(lambda m: f"{m.group(0)[0]}{REDACTED}{m.group(0)[0]}", text)
    text = _KEY_VALUES.sub(f")=({REDACTED})", text)
    return scrub_private(text)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def format_exception(exc_info: ExcInfo | BaseException) -> str:
    """The traceback as Python prints it, chained exceptions included, with each exception's message
    (and notes) passed through :func:`scrub_message`: the frames say where, never what was said."""
    exc = exc_info if isinstance(exc_info, BaseException) else exc_info[1]
    lines: list[str] = []
    _format_chain(exc, lines, set())
    return "".join(lines).rstrip("\n")


def _format_chain(exc: BaseException, lines: list[str], seen: set[int]) -> None:
    seen.add(id(exc))
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        _format_chain(cause, lines, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        _format_chain(context, lines, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(exc.__traceback__))
    kind = type(exc)
    name = (
        kind.__qualname__ if kind.__module__ in ("builtins", "__main__") else f"{kind.__module__}.{kind.__qualname__}"
    )
    try:
        message = str(exc)
    except Exception:  # a broken __str__ says nothing
        message = "<unprintable>"
    lines.append(f"{name}: {scrub_message(message)}\n" if message else f"{name}\n")
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list | tuple):
        lines.extend(f"{scrub_message(str(note))}\n" for note in notes)
    if isinstance(exc, BaseExceptionGroup):
        for number, inner in enumerate(exc.exceptions, 1):
            lines.append(f"+---------------- {number} ----------------\n")
            _format_chain(inner, lines, seen)


def _scrub_error_fields(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """An ``error=str(exc)`` given to a log call is an exception message too."""
    for key in ("error", "reason"):
        if isinstance(event.get(key), str):
            event[key] = scrub_message(event[key])
    return event


class _RedactingFilter(logging.Filter):
    """Redacts a library's record whole: its message with any traceback and stack formatted into it.

    A traceback formatted later (by the renderer) would never pass the redactor, and a library's
    exception can quote a secret (python-telegram-bot's ``InvalidToken`` quotes the token) or what
    a runner said (asyncio's "Task exception was never retrieved" quotes the exception).
    """

    _formatter = logging.Formatter()

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        floor = _floor(record.name)
        if floor is not None and record.levelno < floor:
            return False  # (a record a library wrote below its floor, had someone lowered it again)
        message = scrub_message(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}\n{format_exception(record.exc_info[1])}"
        elif record.exc_text:
            message = f"{message}\n{scrub_message(record.exc_text)}"
        if record.stack_info:
            message = f"{message}\n{self._formatter.formatStack(record.stack_info)}"
        record.msg, record.args = self.redactor.scrub(message), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def _floor(name: str) -> int | None:
    root = name.partition(".")[0]
    return LIBRARY_FLOORS.get(root)


def configure_logging(
    level: str = "INFO", secrets: Iterable[str] = (), *, json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Route stdlib and structlog logging to stdout; secrets and the runners' words never reach it.

    Lines are JSON, one object a line, unless ``stream`` is a terminal (a person reading it), where
    they are human-readable; ``json`` forces either. An error carries its traceback at any level.
    """
    stream = stream or sys.stdout  # looked up now, not at import, so a redirected stdout is honoured
    if json is None:
        json = not _is_terminal(stream)
    redactor = Redactor(secrets)
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        anonymise_health,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.ExceptionRenderer(format_exception),
            _scrub_error_fields,
            redactor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(stream)
    handler.addFilter(_RedactingFilter(redactor))
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, redactor, renderer],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name, floor in LIBRARY_FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelNamesMapping()[level]))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
