"""Where the runners' data lives, said out loud: a database never appears empty or disappears silently.

Three checks, for an operator who would otherwise find out from runners asked to /start again:

- a SQLite file about to be created is announced (``new_database_line``): a wrong path or a lost
  volume shows on the first start, not weeks later;
- in a container, no ``DATABASE_URL`` means a SQLite file in the container's own filesystem, gone
  with the container: refused (``refuse_ephemeral``) rather than warned about, since a warning in a
  deploy log is read after the runners are lost, and the fix (a setting) takes a minute;
- while the bot runs, ``FileWatch`` notices the SQLite file deleted or replaced under it (the pool
  would go on writing into the unlinked file, or a new connection would create an empty one).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.config import Settings
from bot.db.engine import async_url, is_sqlite_file
from bot.failures import CommandFailed

# Set by the coach's Dockerfile (COACH_CONTAINER) and by Fly.io on every machine (FLY_APP_NAME). Not
# /.dockerenv: development containers have it too, with the working folder mounted from the host.
CONTAINER_MARKERS = ("COACH_CONTAINER", "FLY_APP_NAME")


def sqlite_path(url: str) -> Path | None:
    """The absolute path of the SQLite file ``url`` names; None for PostgreSQL, memory or a URI filename."""
    try:
        parsed = async_url(url)
    except Exception:
        return None
    database = parsed.database or ""
    if not is_sqlite_file(parsed) or database.startswith("file:"):
        return None
    return Path(os.path.abspath(database))


def new_database_line(url: str) -> str | None:
    """One line when ``url`` names a SQLite file that does not exist yet (it is about to be created)."""
    path = sqlite_path(url)
    if path is None or path.exists():
        return None
    return f"creating a new database at {path}: runners stored before are not here"


def refuse_ephemeral(settings: Settings, environ: Mapping[str, str] = os.environ) -> None:
    """In a container, refuse to start without DATABASE_URL (see the module's docstring); ``CommandFailed``."""
    marker = next((name for name in CONTAINER_MARKERS if environ.get(name)), None)
    if marker is None or "database_url" in settings.model_fields_set:
        return
    raise CommandFailed(
        f"DATABASE_URL is not set: in a container ({marker} is set) the default SQLite file would live in the "
        "container's own filesystem and vanish with it, every runner with it; set DATABASE_URL to a PostgreSQL "
        "URL, or to a file on a mounted volume (e.g. sqlite+aiosqlite:////data/coach.db)"
    )


class FileWatch:
    """The SQLite file the bot opened at start: whether its path still names that same file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        status = path.stat()
        self.identity = (status.st_dev, status.st_ino)
        self.problem: str | None = None

    @classmethod
    def of(cls, url: str) -> FileWatch | None:
        """A watch on the SQLite file ``url`` names (it must exist), or None when there is no file to watch."""
        path = sqlite_path(url)
        return cls(path) if path is not None else None

    def check(self) -> str | None:
        """None while the path names the file opened at start; else one line saying what happened, kept in
        ``problem``."""
        try:
            status = self.path.stat()
        except FileNotFoundError:
            self.problem = (
                f"DATABASE_URL: the database file {self.path} was deleted while the bot ran: stopped, so nothing "
                "more is written to it; put it back (from a backup) before starting again, or the bot starts empty"
            )
        except OSError as exc:
            self.problem = (
                f"DATABASE_URL: the database file {self.path} can no longer be checked ({exc.strerror}): stopped; "
                "make it and its folder readable again"
            )
        else:
            if (status.st_dev, status.st_ino) != self.identity:
                self.problem = (
                    f"DATABASE_URL: the database file {self.path} was replaced by another file while the bot ran: "
                    "stopped, so nothing is written to the wrong one; start again to use the file there now"
                )
        return self.problem
