"""The database keeps runners' data to itself: private SQLite files, no bound values in errors."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.db.uow import UnitOfWorkFactory

PAIN = "sharp pain in my left knee since Tuesday"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets every user read new files (as on many servers and containers)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
async def test_sqlite_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """The SQLite database the bot creates, and its -wal and -shm files, are 0600, not world-readable."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:  # the WAL files exist while a connection is open
            await connection.execute(text("CREATE TABLE probe (x TEXT)"))
            await connection.execute(text("INSERT INTO probe VALUES ('x')"))
            files = sorted(tmp_path.glob("coach.db*"))  # noqa: ASYNC240 (a test, a tiny directory)
            assert [f.name for f in files] == ["coach.db", "coach.db-shm", "coach.db-wal"]
            assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        await engine.dispose()
    assert mode(tmp_path / "coach.db") == 0o600


async def test_a_database_error_does_not_quote_the_values(engine: AsyncEngine) -> None:
    """When a statement fails, the error (and so the log) shows the SQL but not the runner's data."""
    with pytest.raises(DBAPIError) as caught:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO no_such_table (note) VALUES (:note)"), {"note": PAIN})
    assert PAIN not in str(caught.value)
    assert "no_such_table" in str(caught.value)


async def test_a_name_with_control_characters_is_stored_without_them(uow_factory: UnitOfWorkFactory) -> None:
    """A first name with a NUL or other control characters is stored (on PostgreSQL too) without them."""
    async with uow_factory() as work:
        await work.runners.ensure(4242, 4242, "A\x00d\x1ba\x07")
        await work.commit()
    async with uow_factory() as work:
        account = await work.runners.get(4242)
    assert account is not None and account.first_name == "Ada"
