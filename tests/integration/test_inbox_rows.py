"""The inbox table on SQLite and PostgreSQL: a claim is taken once, a runner's updates in order, a
lease runs out, the words go once handled, old rows are pruned."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import InboxRow
from bot.db.outage import database_unavailable
from bot.db.uow import UnitOfWorkFactory
from bot.db.update_work import UpdateClaims
from bot.services.inbox import KEEP_HANDLED, LEASE, Inbox, wall_clock
from bot.services.inbox_rows import Incoming

ADA, BOB = 1001, 1002


def words(update_id: int, user_id: int) -> Incoming:
    return Incoming(update_id, user_id, {"update_id": update_id, "message": {"text": "did it, rpe 7"}})


async def claim(
    uow_factory: UnitOfWorkFactory, incoming: Incoming, worker: str, now: dt.datetime, lease: dt.timedelta = LEASE
) -> bool:
    async with uow_factory() as work:
        claimed = await work.inbox.claim(incoming, worker, now, lease)
        await work.commit()
    return claimed


async def test_an_update_is_claimed_by_1_of_2_workers_and_again_only_when_its_lease_ran_out(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Of two workers claiming the same update, one gets it; the other gets it only once the
    lease (1 s here, on the database's clock) ran out (its holder died), and nobody once it is handled."""
    now, lease = wall_clock(), dt.timedelta(seconds=1)
    assert await claim(uow_factory, words(10, ADA), "a", now, lease)
    assert not await claim(uow_factory, words(10, ADA), "b", now, lease)
    await asyncio.sleep(1.2)
    assert await claim(uow_factory, words(10, ADA), "b", now, lease)
    async with uow_factory() as work:
        await work.inbox.done([10], now)
        await work.commit()
    await asyncio.sleep(1.2)
    assert not await claim(uow_factory, words(10, ADA), "c", now, lease)


async def test_a_worker_whose_clock_is_an_hour_ahead_does_not_take_a_live_lease(uow_factory: UnitOfWorkFactory) -> None:
    """Leases run on the database's clock: a second process whose own clock is 1 hour ahead (or a
    week behind) still finds the first one's 30 s lease held, and takes 0 of its 3 updates."""
    now = wall_clock()
    for update_id in (30, 31, 32):
        assert await claim(uow_factory, words(update_id, 2000 + update_id), "a", now)
    for skew in (dt.timedelta(hours=1), -dt.timedelta(days=7)):
        for update_id in (30, 31, 32):
            assert not await claim(uow_factory, words(update_id, 2000 + update_id), "b", now + skew)
        async with uow_factory() as work:
            assert await work.inbox.pending("b", now + skew, 10) == []


async def test_a_runners_later_update_waits_for_the_earlier_one(uow_factory: UnitOfWorkFactory) -> None:
    """While a runner's update 20 is stored and not handled, their update 21 (stored, as the webhook
    and the polling loop store every update before claiming it) is not claimed (another runner's
    is); once 20 is handled, 21 is."""
    now = wall_clock()
    async with uow_factory() as work:
        await work.inbox.store([words(20, ADA), words(21, ADA)], now)
        await work.commit()
    assert not await claim(uow_factory, words(21, ADA), "a", now)
    assert await claim(uow_factory, words(22, BOB), "a", now)
    assert await claim(uow_factory, words(20, ADA), "a", now)
    async with uow_factory() as work:
        await work.inbox.done([20], now)
        await work.commit()
    assert await claim(uow_factory, words(21, ADA), "a", now)


async def test_handled_updates_keep_no_words_and_go_after_2_days(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """Through the Inbox service: a handled update's row keeps its id and time but not its payload
    (SQL NULL); pending() offers only the unhandled one; pruning drops rows handled over 2 days ago."""
    inbox = Inbox(uow_factory, "bot@test", database_unavailable)
    await inbox.store([words(30, ADA), words(31, BOB)])
    assert await inbox.claim(words(30, ADA))
    await inbox.done(30)
    assert not await inbox.claim(words(30, ADA)), "handled here: a replay is a no-op before the mark is written"
    await inbox.flush()
    assert [p["update_id"] for p in await inbox.pending()] == [31]
    async with engine.connect() as connection:
        rows = (
            await connection.execute(select(InboxRow.update_id, InboxRow.payload.is_(None), InboxRow.handled_at))
        ).all()
    handled = {update_id: (cleared, at) for update_id, cleared, at in rows}
    assert handled[30][0] is True and handled[30][1] is not None
    assert handled[31] == (False, None)
    async with uow_factory() as work:
        assert await work.inbox.prune(wall_clock() + KEEP_HANDLED + dt.timedelta(minutes=1)) == 1
        await work.commit()
    assert [p["update_id"] for p in await inbox.pending()] == [31]


async def test_a_claim_on_its_own_connection_brings_the_senders_brief_and_the_marks_ride_with_it(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """With the one-transaction claims (``bot.db.update_work``): a won claim comes with its sender as
    stored (none for someone never seen), a refused one with nothing; the runner's later update
    waits for the earlier as before; a handled mark goes out with the next claim, no flush needed."""
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada")
        await work.commit()
    inbox = Inbox(uow_factory, "bot@test", database_unavailable, UpdateClaims(engine))
    other = Inbox(uow_factory, "bot@other", database_unavailable, UpdateClaims(engine))
    await inbox.store([words(40, ADA), words(41, ADA)])
    assert await inbox.claim_briefed(words(41, ADA), brief=True) == (False, None)
    claimed, brief = await inbox.claim_briefed(words(40, ADA), brief=True)
    assert claimed and brief is not None and brief.runner is not None
    assert (brief.runner.telegram_id, brief.runner.first_name) == (ADA, "Ada")
    assert await other.claim_briefed(words(40, ADA), brief=True) == (False, None)
    await inbox.done(40)
    assert (await inbox.claim_briefed(words(41, ADA), brief=False)) == (True, None)
    async with engine.connect() as connection:
        handled = (await connection.execute(select(InboxRow.handled_at).where(InboxRow.update_id == 40))).scalar()
    assert handled is not None
    claimed, brief = await inbox.claim_briefed(words(42, BOB), brief=True)
    assert claimed and brief is not None and brief.runner is None


async def test_one_handled_mark_and_several_write_the_same_rows(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """A handled mark of one update (the usual case, its own statement) and of three at once, through
    the claims and through a unit of work: each marked row keeps its id with its handled time, its
    words, claimer and lease gone; the rows not marked are left as they were."""
    now = wall_clock()
    claims = UpdateClaims(engine)
    for update_id in range(50, 58):
        assert (await claims([], words(update_id, 3000 + update_id), "a", now, LEASE, False))[0]
    assert (await claims([50], words(58, 3058), "a", now, LEASE, False))[0]
    assert (await claims([51, 52, 53], words(59, 3059), "a", now, LEASE, False))[0]
    async with uow_factory() as work:
        await work.inbox.done([54], now)
        await work.inbox.done([55, 56], now)
        await work.commit()
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(
                    InboxRow.update_id,
                    InboxRow.payload.is_(None),
                    InboxRow.claimed_by,
                    InboxRow.lease_until.is_(None),
                    InboxRow.handled_at,
                ).where(InboxRow.update_id.between(50, 59))
            )
        ).all()
    found = {row[0]: row[1:] for row in rows}
    for update_id in range(50, 57):
        assert found[update_id] == (True, None, True, now), update_id
    for update_id in (57, 58, 59):
        assert found[update_id][:3] == (False, "a", False) and found[update_id][3] is None, update_id
