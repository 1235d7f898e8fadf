"""Structured logging to stdout, with the update and user bound to every line, and secrets redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, TextIO

import structlog

REDACTED = "[redacted]"


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


class _RedactingFilter(logging.Filter):
    """Redacts a stdlib record whole: its message with any traceback and stack formatted into it.

    A traceback formatted later (by the renderer) would never pass the redactor, and a library's
    exception can quote a secret (python-telegram-bot's ``InvalidToken`` quotes the token).
    """

    _formatter = logging.Formatter()

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self._formatter.formatException(record.exc_info)}"
        elif record.exc_text:
            message = f"{message}\n{record.exc_text}"
        if record.stack_info:
            message = f"{message}\n{self._formatter.formatStack(record.stack_info)}"
        record.msg, record.args = self.redactor.scrub(message), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def configure_logging(
    level: str = "INFO", secrets: Iterable[str] = (), *, json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Route stdlib and structlog logging to stdout; secrets never reach the output.

    Lines are JSON, one object a line, unless ``stream`` is a terminal (a person reading it), where
    they are human-readable; ``json`` forces either.
    """
    stream = stream or sys.stdout  # looked up now, not at import, so a redirected stdout is honoured
    if json is None:
        json = not _is_terminal(stream)
    redactor = Redactor(secrets)
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, redactor, renderer],
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
    # httpx logs every request URL at INFO, and Bot API URLs contain the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
