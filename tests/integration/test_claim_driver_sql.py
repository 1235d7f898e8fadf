"""The update's claim and brief sent as driver SQL (``bot.db.update_work``, ``bot.db.briefs``) on
SQLite and PostgreSQL: the brief a claim brings is the runner as a Core read gives them, every
field set or empty; the claim's values reach the database as SQLAlchemy's own statement stores them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import InboxRow, Runner
from bot.db.uow import UnitOfWorkFactory
from bot.db.update_work import UpdateClaims
from bot.services.inbox import LEASE, wall_clock
from bot.services.inbox_rows import Incoming

ADA, BOB = 1101, 1102
UTC = dt.UTC


async def test_a_claims_brief_is_the_runner_a_core_read_gives_every_field_set_or_empty(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """Ada with every field of the brief set (dates, instants, a time, niggles, both flags), Bob with
    them all empty: the brief each claim brings equals the runners repository's brief of them."""
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada")
        await work.runners.ensure(BOB, BOB, "Bob")
        await work.commit()
    async with engine.begin() as connection:
        await connection.execute(
            update(Runner)
            .where(Runner.telegram_id == ADA)
            .values(
                timezone="Europe/Paris",
                reminder_time=dt.time(6, 45),
                active=False,
                paused_until=dt.date(2026, 12, 20),
                paused_from=dt.date(2026, 12, 1),
                onboarded_at=dt.datetime(2026, 11, 2, 8, 30, 15, 123456, tzinfo=UTC),
                shown_date=dt.date(2026, 12, 7),
                shown_at=dt.datetime(2026, 12, 7, 5, 0, tzinfo=UTC),
                injuries=["knee", "ankle"],
                last_heard_at=dt.datetime(2026, 12, 7, 6, 1, 2, tzinfo=UTC),
                lifting_prompts_only=True,
                review_chart=True,
            )
        )
    claims, now = UpdateClaims(engine), wall_clock()
    for update_id, who in ((70, ADA), (71, BOB)):
        claimed, brief = await claims([], Incoming(update_id, who, {"update_id": update_id}), "a", now, LEASE, True)
        async with uow_factory() as work:
            expected = await work.runners.brief(who)
        assert claimed and brief is not None and expected is not None
        assert brief.runner == expected
        assert brief.answers == {}
    assert brief.runner is not None and not brief.runner.onboarded  # Bob: his answers were read (none)


async def test_a_claims_values_are_stored_as_sqlalchemy_stores_them(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """The words (JSON) and the received time stored by a claim read back as given, and a handled
    mark of one update stores its time as a unit of work's mark of another does."""
    claims, now = UpdateClaims(engine), dt.datetime(2026, 12, 7, 20, 0, 1, 250000, tzinfo=UTC)
    payload = {"update_id": 80, "message": {"text": "did it, rpe 7 — é", "n": [1, 2.5, None]}}
    assert (await claims([], Incoming(80, ADA, payload), "a", now, LEASE, False))[0]
    assert (await claims([], Incoming(81, BOB, {"update_id": 81}), "a", now, LEASE, False))[0]
    async with engine.connect() as connection:
        stored = (
            await connection.execute(select(InboxRow.payload, InboxRow.received_at).where(InboxRow.update_id == 80))
        ).one()
    assert stored.payload == payload and stored.received_at == now
    later = now + dt.timedelta(seconds=3)
    assert (await claims([80], Incoming(82, 1103, {"update_id": 82}), "a", later, LEASE, False))[0]
    async with uow_factory() as work:
        await work.inbox.done([81], later)
        await work.commit()
    async with engine.connect() as connection:
        handled = dict(
            (
                await connection.execute(
                    select(InboxRow.update_id, InboxRow.handled_at).where(InboxRow.update_id.in_([80, 81]))
                )
            ).all()
        )
    assert handled == {80: later, 81: later}
