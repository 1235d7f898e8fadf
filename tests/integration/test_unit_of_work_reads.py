"""A unit of work's Core reads and writes (each in one crossing of SQLAlchemy's greenlet bridge with
its flush) on SQLite and PostgreSQL: what the same unit of work wrote is read back as written, a
write's RETURNING row comes back, a read-only unit of work commits nothing, and leaving without a
commit keeps nothing."""

from __future__ import annotations

import datetime as dt

from bot.db.uow import UnitOfWorkFactory

ADA = 5150
DAY = dt.date(2026, 11, 23)


async def test_what_a_unit_of_work_wrote_is_read_back_and_kept_only_once_committed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    now = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=now)
        await work.runners.write_settings(ADA, timezone="Europe/Berlin", reminder_time=dt.time(6, 45), now=now)
        account = await work.runners.get(ADA)
        assert account is not None and (account.timezone, account.reminder_time) == ("Europe/Berlin", dt.time(6, 45))
        await work.runners.set_shown(ADA, DAY, now)
        briefs = await work.runners.briefs([account.id])
        assert briefs[account.id].shown_date == DAY
        written = await work.checkins.set_status(ADA, DAY, session_kind="strength", status="done", now=now)
        assert written.status == "done"
        changed = await work.checkins.set_details(ADA, DAY, rpe=7, now=now)
        assert changed is not None and changed.rpe == 7
        # left without a commit: nothing of it is kept
    async with uow_factory() as work:
        assert await work.runners.get(ADA) is None
        await work.commit()  # a read: nothing to commit
    async with uow_factory() as work:
        await work.runners.ensure(ADA, ADA, "Ada", now=now)
        await work.runners.write_settings(ADA, reminder_time=dt.time(7, 15), now=now)
        await work.commit()
    async with uow_factory() as work:
        account = await work.runners.get(ADA)
        assert account is not None and account.reminder_time == dt.time(7, 15)
