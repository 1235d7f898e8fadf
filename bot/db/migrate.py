"""Run the Alembic migrations shipped with the package (``migrations/``) programmatically (no alembic.ini).

Alembic's command API is synchronous and its ``env.py`` starts its own event loop, so the
async helpers here run it in a worker thread: they are safe to await from a running loop
(``coach migrate``, the app's start-up, tests).
"""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from bot.db.engine import create_engine
from bot.resources import MIGRATIONS_DIR


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` whose scripts are the shipped ``migrations/`` (see ``bot.resources``).

    The URL travels in ``config.attributes`` rather than the ini options, so passwords with
    ``%`` need no escaping. Works from any working directory.
    """
    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise RuntimeError(f"migrations folder not found at {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema of ``url`` to ``revision`` (the newest migration by default)."""
    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


async def downgrade(url: str, revision: str = "base") -> None:
    """Take the schema of ``url`` back to ``revision`` (an empty database by default)."""
    await asyncio.to_thread(command.downgrade, alembic_config(url), revision)


def _current(connection: Connection) -> str | None:
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
    """The newest revision in ``migrations/``."""
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def known_revisions(url: str = "sqlite://") -> tuple[str | None, frozenset[str]]:
    """The newest revision in ``migrations/`` and every revision there."""
    scripts = ScriptDirectory.from_config(alembic_config(url))
    return scripts.get_current_head(), frozenset(script.revision for script in scripts.walk_revisions())
