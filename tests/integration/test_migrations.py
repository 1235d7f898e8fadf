"""The Alembic migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, BigInteger, column, inspect, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import async_url, create_engine
from bot.db.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from bot.db.models import OnboardingAnswer, metadata
from bot.resources import MIGRATIONS_DIR


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _run(url: str, fn: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(fn)
    finally:
        await engine.dispose()


async def test_upgrade_to_head_matches_the_models(db_url: str) -> None:
    """After upgrading to head, autogenerate finds no difference between database and models."""
    await upgrade(db_url)

    assert await current_revision(db_url) == head_revision()
    assert await _run(db_url, _diff) == []


async def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    """Downgrading to base leaves no app tables, and upgrading again rebuilds the same schema."""
    await upgrade(db_url)
    await downgrade(db_url, "base")

    assert await current_revision(db_url) is None
    assert await _run(db_url, _tables) <= {"alembic_version"}

    await upgrade(db_url)
    assert await current_revision(db_url) == head_revision()
    assert await _run(db_url, _diff) == []


async def test_a_new_database_has_no_revision(db_url: str) -> None:
    """current_revision is None for a database that was never migrated."""
    assert await current_revision(db_url) is None


async def test_migrations_run_from_any_working_directory(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migrations folder is found from the package, not from the current directory."""
    monkeypatch.chdir(tmp_path)
    config = alembic_config(sqlite_url)

    assert Path(str(config.get_main_option("script_location"))) == MIGRATIONS_DIR
    await upgrade(sqlite_url)
    assert await current_revision(sqlite_url) == head_revision()


async def test_migrations_use_database_url_when_no_url_is_given(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """env.py falls back to DATABASE_URL when the config carries no URL."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    config = alembic_config(sqlite_url)
    config.attributes.pop("url")

    await asyncio.to_thread(command.upgrade, config, "head")
    assert await current_revision(sqlite_url) == head_revision()


async def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    """Every SQLite connection of the app's engine has WAL, foreign keys on and a busy timeout."""
    await upgrade(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
            assert (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        await engine.dispose()


async def test_sqlite_enforces_foreign_keys(sqlite_url: str) -> None:
    """A row pointing at a runner that does not exist is refused by SQLite."""
    await upgrade(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        async with engine.begin() as connection:
            with pytest.raises(IntegrityError):
                await connection.execute(
                    text("INSERT INTO run_days (runner_id, weekday, kind) VALUES (42, 'mon', 'easy')")
                )
    finally:
        await engine.dispose()


async def test_sqlite_memory_database_works_without_wal() -> None:
    """An in-memory SQLite database gets foreign keys but is left out of WAL mode."""
    engine = create_engine("sqlite://")
    try:
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar() == "memory"
            assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///coach.db", "sqlite+aiosqlite:///coach.db"),
        ("sqlite+aiosqlite:///coach.db", "sqlite+aiosqlite:///coach.db"),
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_sync_urls_are_rewritten_to_async_drivers(given: str, expected: str) -> None:
    """Plain SQLite and PostgreSQL URLs get the aiosqlite and asyncpg drivers."""
    assert async_url(given).render_as_string(hide_password=False) == expected


async def test_aware_datetime_column_refuses_naive_values(sqlite_url: str) -> None:
    """Writing a naive datetime into a *_at column fails instead of storing an ambiguous time."""
    await upgrade(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        async with AsyncSession(engine) as session:
            session.add(
                OnboardingAnswer(
                    telegram_id=1,
                    question="q",
                    value=1,
                    answered_at=dt.datetime(2026, 1, 1),  # noqa: DTZ001
                )
            )
            with pytest.raises(StatementError, match="naive datetime"):
                await session.flush()
    finally:
        await engine.dispose()


def test_offline_mode_renders_sql(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`alembic upgrade --sql` writes the DDL instead of touching a database."""
    command.upgrade(alembic_config(sqlite_url), "head", sql=True)

    out = capsys.readouterr().out
    assert "CREATE TABLE runners" in out and "CREATE TABLE told_groups" in out


async def test_groups_told_before_0005_stay_told(db_url: str) -> None:
    """0005 moves the one flag python-telegram-bot's chat_data held (a group was told the coach
    serves private chats only) into told_groups, and its downgrade writes it back."""
    chat_data = table("ptb_chat_data", column("chat_id", BigInteger), column("data", JSON))
    told = {"told_private_only": True}
    await upgrade(db_url, "0004")
    engine = create_engine(db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                chat_data.insert(),
                [
                    {"chat_id": -100123, "data": told},
                    {"chat_id": -100456, "data": {"told_private_only": False}},
                    {"chat_id": 4242, "data": {}},
                ],
            )
        await upgrade(db_url)
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT chat_id FROM told_groups"))).scalars().all() == [-100123]
        await downgrade(db_url, "0004")
        async with engine.connect() as connection:
            rows = (await connection.execute(select(chat_data.c.chat_id, chat_data.c.data))).all()
        assert [tuple(row) for row in rows] == [(-100123, told)]
    finally:
        await engine.dispose()
