"""Issue 22: a unit of work makes its ORM session only when a repository needs one. Core statements
run first go on a connection of the unit's own; a session made after that is bound to the same
connection and takes its transaction over, so the unit stays one transaction: committed together,
or left without a commit and kept not at all (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine
from test_update_trips import commits

from bot.db.uow import UnitOfWorkFactory

ADA = 5151
DAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)


async def _ada(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=NOW)
        await work.commit()


async def test_a_question_builds_no_session_and_commits_nothing_on_sqlite(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    await _ada(uow_factory)
    seen = commits(engine)
    async with uow_factory() as work:
        assert await work.plans.day_logged(ADA, DAY) is None
        await work.commit()
        assert work._unit is not None and work._unit._session is None  # Core statements only
    assert seen == ([] if engine.dialect.name == "sqlite" else ["commit"])


async def test_core_then_orm_in_one_unit_is_one_transaction(uow_factory: UnitOfWorkFactory) -> None:
    await _ada(uow_factory)
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, DAY, NOW)  # Core, on the unit's own connection
        await work.runners.set_preferences(ADA, lifting_prompts_only=True)  # ORM session, bound to it
        brief = await work.runners.brief(ADA)
        assert brief is not None and brief.shown_date == DAY
        # left without a commit: neither is kept
    async with uow_factory() as work:
        brief = await work.runners.brief(ADA)
    assert brief is not None and brief.shown_date is None and not brief.lifting_prompts_only
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, DAY, NOW)
        await work.runners.set_preferences(ADA, lifting_prompts_only=True)
        await work.commit()
    async with uow_factory() as work:
        brief = await work.runners.brief(ADA)
    assert brief is not None and brief.shown_date == DAY and brief.lifting_prompts_only


async def test_a_core_write_alone_is_committed_and_a_rollback_undoes_it(uow_factory: UnitOfWorkFactory) -> None:
    await _ada(uow_factory)
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, DAY, NOW)
        await work.rollback()
        await work.commit()  # nothing left to commit
    async with uow_factory() as work:
        brief = await work.runners.brief(ADA)
    assert brief is not None and brief.shown_date is None
    async with uow_factory() as work:
        await work.runners.set_shown(ADA, DAY, NOW)
        await work.commit()
    async with uow_factory() as work:
        brief = await work.runners.brief(ADA)
    assert brief is not None and brief.shown_date == DAY
