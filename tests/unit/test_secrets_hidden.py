"""Secrets stay out of reprs, logs and the Docker build context."""

from __future__ import annotations

import fnmatch
import io
import logging
from pathlib import Path

from bot.config import Settings
from bot.logs import REDACTED, configure_logging

PASSWORD = "Pg-pass-word-0123"
URL = f"postgresql+asyncpg://coach:{PASSWORD}@db.internal:5432/coach"
TOKEN = "123456:AAHsecretsecretsecret"
ROOT = Path(__file__).resolve().parents[2]


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_database_url_is_not_shown_by_repr_or_str() -> None:
    """Printing the settings (a debugger, an error report) never shows the database password."""
    loaded = settings(database_url=URL, telegram_bot_token=TOKEN)
    assert PASSWORD not in repr(loaded) and PASSWORD not in str(loaded)
    assert loaded.database_url == URL, "the URL itself still works for the engine and migrations"


def test_database_password_and_token_are_redacted_from_logs() -> None:
    """A log line that quotes the database URL or the token's secret half shows neither."""
    loaded = settings(database_url=URL, telegram_bot_token=TOKEN)
    out = io.StringIO()
    configure_logging("INFO", loaded.secrets(), stream=out)
    try:
        logging.getLogger("some.library").warning("cannot connect to %s", URL)
        logging.getLogger("some.library").warning("bad url /bot%s/getMe", TOKEN.partition(":")[2])
    finally:
        configure_logging("INFO", stream=io.StringIO())
    text = out.getvalue()
    assert PASSWORD not in text and TOKEN.partition(":")[2] not in text
    assert text.count(REDACTED) == 2


def test_a_logged_traceback_is_redacted_whole() -> None:
    """An exception logged with its traceback has the secret removed from every line of it."""
    out = io.StringIO()
    configure_logging("INFO", [TOKEN], stream=out)
    try:
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            logging.getLogger("telegram.ext").exception("Invalid token")
    finally:
        configure_logging("INFO", stream=io.StringIO())
    text = out.getvalue()
    assert "Traceback" in text and f"The token `{REDACTED}` was rejected" in text
    assert TOKEN not in text


def test_env_file_is_kept_out_of_docker_images() -> None:
    """`.env` (with the token and secrets) is never sent to a Docker build, so never lands in an image."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for name in (".env", ".env.production"):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
