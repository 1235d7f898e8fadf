"""Issue 22: what an everyday update costs SQLite's thread. A read-only unit of work commits
nothing; a statement marked ``COMMIT_AFTER`` (the inbox claim) commits in its own trip; the
handled marks go out in one statement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.sqlite_trips import COMMIT_AFTER
from bot.services.ports import UnitOfWorkFactory


def commits(engine: AsyncEngine) -> list[str]:
    """The commits SQLAlchemy makes on ``engine`` from now on, one "commit" each."""
    seen: list[str] = []

    def commit(*_args: Any) -> None:
        seen.append("commit")

    event.listen(engine.sync_engine, "commit", commit)
    return seen


async def test_a_unit_of_work_that_only_read_commits_nothing(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """A question reads and commits: on SQLite nothing was written, so no commit goes out; a unit
    of work that wrote commits (and another reads what it wrote). On PostgreSQL both commit."""
    seen = commits(engine)
    async with uow_factory() as work:
        assert await work.runners.brief(4242) is None
        await work.commit()
    sqlite = engine.dialect.name == "sqlite"
    assert seen == ([] if sqlite else ["commit"])
    async with uow_factory() as work:
        await work.runners.ensure(4242, 4242, "Ada")
        await work.commit()
    assert seen == (["commit"] if sqlite else ["commit", "commit"])
    async with uow_factory() as work:
        brief = await work.runners.brief(4242)
    assert brief is not None and brief.first_name == "Ada"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/trips.db"


async def test_a_statement_marked_commit_after_is_committed_in_its_trip(url: str) -> None:
    """The rows come back, the transaction is committed before the connection's own commit (which
    then has nothing to send), and another connection sees the row at once."""
    engine = create_engine(url)
    other = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            insert = text("INSERT INTO t (name) VALUES (:n) RETURNING id")
            rows = (await conn.execute(insert, {"n": "ada"}, execution_options=COMMIT_AFTER)).all()
            assert [tuple(row) for row in rows] == [(1,)]
            assert not driver.in_transaction
            async with other.connect() as reader:
                assert (await reader.execute(text("SELECT name FROM t"))).scalars().all() == ["ada"]
            await conn.commit()
    finally:
        await engine.dispose()
        await other.dispose()
