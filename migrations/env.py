"""Alembic environment: async, on the app's own engine factory, configured without alembic.ini.

The database URL comes from ``config.attributes["url"]`` (set by ``bot.db.migrate``) or the
``DATABASE_URL`` environment variable. A caller may instead hand in an open synchronous
connection as ``config.attributes["connection"]`` (e.g. from ``AsyncConnection.run_sync``).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from bot.db.engine import async_url, create_engine
from bot.db.models import metadata

config = context.config

MIGRATION_LOCK_KEY = 0x636F616368  # "coach": the advisory lock every migration of this schema takes
MIGRATION_LOCK_WAIT_S = 300  # how long a migration waits for another one to finish before failing


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("no database URL: set DATABASE_URL or config.attributes['url']")
    return str(url)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render app-defined column types (``AwareDateTime``) as their plain SQLAlchemy impl.

    Migrations then never import app code, which keeps old revisions runnable as models change.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _configure_options(dialect_name: str) -> dict[str, Any]:
    return {
        "target_metadata": metadata,
        "compare_type": True,
        "render_as_batch": dialect_name == "sqlite",
        "render_item": _render_item,
    }


def run_migrations_offline() -> None:
    """Emit the SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    url = async_url(_url())
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_configure_options(url.get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def _take_turns(connection: Connection) -> None:
    """Open the migration's transaction holding a lock only one migration at a time can hold.

    Two `coach migrate` started together would otherwise both see an empty database and both
    create its tables. The lock lasts until the transaction ends (PostgreSQL: an advisory lock;
    SQLite: ``BEGIN EXCLUSIVE``), so the second one waits, then finds the schema at the newest
    migration and does nothing. Alembic sees the transaction already open and leaves it to us.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_WAIT_S}s'")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout={MIGRATION_LOCK_WAIT_S * 1000}")
        connection.exec_driver_sql("BEGIN EXCLUSIVE")


def do_run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds tables; with foreign keys enforced, dropping the old copy of a
        # parent table would cascade-delete its children. The pragma is a no-op inside a
        # transaction, so it is set (and later restored) outside one.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        if not connection.in_transaction():  # a caller's own open transaction is theirs to order
            _take_turns(connection)
        context.configure(connection=connection, **_configure_options(connection.dialect.name))
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


async def run_async_migrations() -> None:
    # no bound on a statement: a migration may rebuild a big table, or wait its turn (see _take_turns)
    engine = create_engine(_url(), poolclass=pool.NullPool, command_timeout=None)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
