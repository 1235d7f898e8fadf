"""The SQLite file `coach chat` keeps its runner in, and the one rule for wiping it.

A file the chat creates carries a mark in its SQLite header (``application_id``), so
``--fresh`` can tell the chat's own file from anything else: it removes only a marked file and
refuses everything else, a text file or the bot's database alike. The chat never opens the
bot's own database file (``DATABASE_URL``). Also the file ``:file PATH`` sends as a document.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.failures import CommandFailed

CHAT_APPLICATION_ID = 0x43484154  # "CHAT" in the SQLite header, offset 68
_HEADER = b"SQLite format 3\x00"
_SUFFIXES = ("", "-wal", "-shm", "-journal")


def made_by_chat(path: Path) -> bool:
    """Whether ``path`` is a SQLite database that `coach chat` created (its header carries the mark)."""
    try:
        with path.open("rb") as file:
            header = file.read(72)
    except OSError:
        return False
    return header.startswith(_HEADER) and len(header) == 72 and int.from_bytes(header[68:72]) == CHAT_APPLICATION_ID


def bot_database_file(database_url: str) -> Path | None:
    """The file of the bot's own SQLite database, if ``DATABASE_URL`` names one."""
    try:
        url = make_url(database_url)
    except Exception:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def prepare_chat_file(path: Path, *, fresh: bool, bot_database_url: str) -> str | None:
    """Make ``path`` ready for the chat; returns a line to tell the operator, if any.

    Raises ``CommandFailed`` for the bot's own database, a folder, or ``--fresh`` on a file the
    chat did not create.
    """
    if path.resolve() == bot_database_file(bot_database_url):
        raise CommandFailed(
            f"--db: {path} is the bot's own database (DATABASE_URL); the chat keeps its runner in another file"
        )
    if path.is_dir():
        raise CommandFailed(f"--db: {path} is a folder; name a file, like {path / 'coach-chat.db'}")
    notice = None
    if fresh and path.exists():
        if not made_by_chat(path):
            raise CommandFailed(
                f"--fresh: {path} was not created by `coach chat`, so it stays as it is: "
                "pick another --db, or remove the file yourself"
            )
        for suffix in _SUFFIXES:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        notice = f"(--fresh: removed the chat's earlier conversation in {path})"
    if not path.exists():
        _create(path)
    elif path.stat().st_size and not _is_sqlite(path):
        raise CommandFailed(f"--db: {path} is not a SQLite database: pick another file")
    return notice


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(_HEADER)) == _HEADER
    except OSError:
        return False


def _create(path: Path) -> None:
    """A new, empty SQLite file carrying the chat's mark."""
    if not path.parent.is_dir():
        raise CommandFailed(f"--db: the folder {path.parent} does not exist: create it, or pick another file")
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute(f"PRAGMA application_id = {CHAT_APPLICATION_ID}")
            connection.commit()
        finally:
            connection.close()
    except sqlite3.Error:
        raise CommandFailed(f"--db: cannot create {path}: make sure its folder is writable") from None


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # what Telegram lets a bot download; the bot refuses far less


def read_document(argument: str) -> tuple[str, bytes] | str:
    """The name and contents of the file ``:file PATH`` sends as a document, or why it cannot."""
    if not argument:
        return "use :file PATH, e.g. :file plan.ics"
    path = Path(argument).expanduser()
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return f":file: {path} is over 20 MB, more than Telegram lets a bot download"
        return path.name, path.read_bytes()
    except OSError as exc:
        return f":file: cannot read {path} ({exc.strerror or exc})"
