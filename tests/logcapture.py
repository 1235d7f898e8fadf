"""Logging configured as `coach run` configures it, into a buffer, and put back afterwards: the
handlers, levels and structlog settings a test changed are restored."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator, Sequence

import structlog

from bot.logs import configure_logging


@contextlib.contextmanager
def captured_logs(level: str, secrets: Sequence[str] = (), *, json: bool | None = None) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, root_level, config = list(root.handlers), root.level, structlog.get_config()
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    out = io.StringIO()
    configure_logging(level, list(secrets), json=json, stream=out)
    structlog.contextvars.clear_contextvars()
    try:
        yield out
    finally:
        structlog.contextvars.clear_contextvars()
        structlog.configure(**config)
        root.handlers, root.level = handlers, root_level
        for name, was in levels.items():
            logging.getLogger(name).setLevel(was)
