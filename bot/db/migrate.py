"""Run the Alembic migrations shipped with the package (``migrations/``) programmatically (no alembic.ini).

Alembic's command API is synchronous and its ``env.py`` starts its own event loop, so the
async helpers here run it in a worker thread: they are safe to await from a running loop
(``coach migrate``, the app's start-up, tests).

Alembic (with Mako and Pygments) costs a start-up 10 MiB and a fifth of a second, for a database
that is nearly always at the newest migration already: :func:`current_revision` and
:func:`head_revision` read the stored revision and the scripts' own without it, so the bot
imports Alembic only when there is something to migrate.
"""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from bot.db.engine import create_engine
from bot.resources import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` whose scripts are the shipped ``migrations/`` (see ``bot.resources``).

    The URL travels in ``config.attributes`` rather than the ini options, so passwords with
    ``%`` need no escaping. Works from any working directory.
    """
    from alembic.config import Config

    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise RuntimeError(f"migrations folder not found at {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema of ``url`` to ``revision`` (the newest migration by default)."""
    from alembic import command

    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


async def downgrade(url: str, revision: str = "base") -> None:
    """Take the schema of ``url`` back to ``revision`` (an empty database by default)."""
    from alembic import command

    await asyncio.to_thread(command.downgrade, alembic_config(url), revision)


def _current(connection: Connection) -> str | None:
    """The one revision stored in Alembic's table, None without the table; Alembic itself answers
    (and refuses) when the table holds several heads."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) <= 1:
        return str(rows[0]) if rows else None
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None for a database never migrated."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current)
    finally:
        await engine.dispose()


def head_revision(url: str = "sqlite://") -> str | None:
    """The newest revision in ``migrations/``: read from the scripts when they form one line, else
    Alembic's own answer (which refuses several heads)."""
    head = _only_head(MIGRATIONS_DIR / "versions")
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def known_revisions(url: str = "sqlite://") -> tuple[str | None, frozenset[str]]:
    """The newest revision in ``migrations/`` and every revision there."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(url))
    return scripts.get_current_head(), frozenset(script.revision for script in scripts.walk_revisions())


def is_newer(current: str | None, url: str = "sqlite://") -> bool:
    """Whether a database at migration ``current`` was migrated by a newer release: a revision that is
    none of the shipped ones (None, a database never migrated, is not)."""
    return current is not None and current not in known_revisions(url)[1]


_ASSIGNED = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _only_head(folder: Path) -> str | None:
    """The one revision no script names as its ``down_revision``; None when that is not clear-cut.

    Each script's two top-level lines are read as literals (parsing whole scripts would cost more than
    the import this saves); anything else (a value over several lines, a name) gives None."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in folder.glob("*.py"):
        found: dict[str, object] = {}
        for name, value in _ASSIGNED.findall(script.read_text(encoding="utf-8")):
            try:
                found.setdefault(name, ast.literal_eval(value))
            except (ValueError, SyntaxError):
                return None
        revision, down = found.get("revision"), found.get("down_revision", ValueError)
        if not isinstance(revision, str) or not (down is None or isinstance(down, str | tuple)):
            return None
        revisions.add(revision)
        downs.update((down,) if isinstance(down, str) else down or ())
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None
