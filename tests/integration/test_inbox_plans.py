"""The inbox keeps an update's claim cheap however much history it holds, and its rows survive 0015.

Every update claims its row and marks the previous one handled in one commit, and SQLite's WAL
writes every page that commit changed: each index of the table is a page more. On SQLite the key is
the table's own row id (no index of its own), and the only index the claim's ordering check and the
sweep for pending updates need holds the updates not handled yet (``ix_inbox_waiting``). These tests
read SQLite's plan of the statements as they are sent (``EXPLAIN QUERY PLAN``) with two days of a
busy runner's handled updates in the table, and move rows through the migration on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from queryplans import planned
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine, session_factory
from bot.db.migrate import downgrade, upgrade
from bot.db.uow import unit_of_work_factory
from bot.db.update_work import UpdateClaims
from bot.services.inbox import Inbox
from bot.services.inbox_rows import Incoming

ADA = 1001
HANDLED = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
BIG = 2**40  # Telegram's update ids are 64-bit: SQLite's row id holds them as they are


@pytest.fixture
async def engine(sqlite_migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(sqlite_migrated_url)
    yield engine
    await engine.dispose()


async def _history(engine: AsyncEngine, handled: int, waiting: list[int]) -> None:
    """``handled`` of Ada's updates handled already (ids 1..handled), and the ``waiting`` ones not."""
    rows = [
        {"id": n, "user": ADA, "at": HANDLED.isoformat(" ").replace("+00:00", ""), "handled": n <= handled}
        for n in [*range(1, handled + 1), *waiting]
    ]
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO inbox (update_id, user_id, received_at, handled_at) "
                "VALUES (:id, :user, :at, CASE WHEN :handled THEN :at END)"
            ),
            rows,
        )


def _on_inbox(statement: str) -> bool:
    return "inbox" in statement


async def test_a_claim_checks_only_the_runners_waiting_updates_not_their_history(engine: AsyncEngine) -> None:
    """With 3,000 of Ada's updates handled, her next update's claim (with the last one's mark) finds
    "no earlier update of hers waits" in ``ix_inbox_waiting`` and writes by the row id: no step
    scans the table or her handled rows."""
    await _history(engine, 3_000, [3_001])
    uow = unit_of_work_factory(session_factory(engine))
    inbox = Inbox(uow, "worker", lambda _error: False, UpdateClaims(engine))
    assert (await inbox.claim_briefed(Incoming(3_001, ADA, {"update_id": 3_001}), brief=False))[0]
    await inbox.done(3_001)

    async def claim_next() -> None:
        assert (await inbox.claim_briefed(Incoming(3_002, ADA, {"update_id": 3_002}), brief=False))[0]

    plans = await planned(engine, claim_next, _on_inbox)
    claim = next(plan for statement, plan in plans.items() if statement.lstrip().startswith("INSERT"))
    mark = next(plan for statement, plan in plans.items() if statement.lstrip().startswith("UPDATE"))
    assert any("ix_inbox_waiting" in step for step in claim), claim
    assert not any(step.startswith("SCAN") or "ix_inbox_user_id" in step for step in claim), claim
    # "SEARCH inbox USING INTEGER PRIMARY KEY" (SQLite before 3.36: "SEARCH TABLE inbox ...")
    assert len(mark) == 1 and "USING INTEGER PRIMARY KEY" in mark[0], mark


async def test_the_sweep_reads_the_waiting_updates_off_their_index(engine: AsyncEngine) -> None:
    """The sweep for pending updates (every 5 s) reads the 2 waiting rows off ``ix_inbox_waiting``
    and sorts them, not the 3,000 handled ones in row id order."""
    await _history(engine, 3_000, [3_001, 3_002])
    uow = unit_of_work_factory(session_factory(engine))

    async def sweep() -> None:
        async with uow() as work:
            await work.inbox.pending("worker", HANDLED, 100)

    (plan,) = (await planned(engine, sweep, _on_inbox)).values()
    assert plan[0].startswith("SCAN") and plan[0].endswith("USING INDEX ix_inbox_waiting"), plan


async def test_the_key_is_sqlites_row_id_with_no_index_of_its_own(engine: AsyncEngine) -> None:
    """``update_id`` is the table's row id on SQLite: no separate key index to write on every claim."""
    async with engine.connect() as connection:
        indexes = {row[1] for row in await connection.exec_driver_sql("PRAGMA index_list(inbox)")}
    assert indexes == {"ix_inbox_user_id", "ix_inbox_waiting"}


async def test_rows_go_through_0015_and_back_unchanged(db_url: str) -> None:
    """Handled and waiting rows, with ids past 32 bits, are the same after 0015 and after its
    downgrade, and an update stored before 0015 is claimed after it as before."""
    await upgrade(db_url, "0014")
    engine = create_engine(db_url)
    columns = "update_id, user_id, payload, received_at, claimed_by, lease_until, handled_at"
    read = text(f"SELECT {columns} FROM inbox ORDER BY update_id")
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO inbox (update_id, user_id, payload, received_at, handled_at) "
                    "VALUES (:id, :user, :payload, :at, :handled)"
                ),
                [
                    {"id": BIG + 1, "user": ADA, "payload": None, "at": HANDLED, "handled": HANDLED},
                    {"id": BIG + 2, "user": ADA, "payload": '{"update_id": 2}', "at": HANDLED, "handled": None},
                ],
            )
            before = (await connection.execute(read)).all()
        await upgrade(db_url)
        async with engine.connect() as connection:
            assert (await connection.execute(read)).all() == before
        uow = unit_of_work_factory(session_factory(engine))
        inbox = Inbox(uow, "worker", lambda _error: False, UpdateClaims(engine))
        # Ada's update stored before 0015 waits: her next one, stored after, waits for it
        await inbox.store([Incoming(BIG + 3, ADA, {"update_id": 3})])
        assert not (await inbox.claim_briefed(Incoming(BIG + 3, ADA, {"update_id": 3}), brief=False))[0]
        assert (await inbox.claim_briefed(Incoming(BIG + 2, ADA, {"update_id": 2}), brief=False))[0]
        await inbox.done(BIG + 2)
        assert (await inbox.claim_briefed(Incoming(BIG + 3, ADA, {"update_id": 3}), brief=False))[0]
        async with engine.connect() as connection:
            after = (await connection.execute(read)).all()
        assert [row.update_id for row in after] == [BIG + 1, BIG + 2, BIG + 3]
        assert after[1].handled_at is not None and after[1].payload is None and after[2].handled_at is None
        await downgrade(db_url, "0014")
        async with engine.connect() as connection:
            assert (await connection.execute(read)).all() == after
    finally:
        await engine.dispose()


async def test_the_waiting_index_holds_only_updates_not_handled_on_both_databases(migrated_url: str) -> None:
    """``ix_inbox_waiting`` is partial on both databases (PostgreSQL's predicate is the migration's
    alone: the models leave it out so a SQLite coach never loads PostgreSQL's dialect)."""
    engine = create_engine(migrated_url)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                found = text("SELECT sql FROM sqlite_master WHERE name = 'ix_inbox_waiting'")
            else:
                found = text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_inbox_waiting'")
            definition = (await connection.execute(found)).scalar_one()
    finally:
        await engine.dispose()
    assert "handled_at IS NULL" in definition.replace("(", "").replace(")", ""), definition
