"""The dispatcher on SQLite and PostgreSQL: each message once, at its local time, never in quiet
hours or a pause, never to a runner who blocked the bot, and never dropped for a failed send."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dispatching import EchoComposer, add_many, add_runner
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.db.engine import create_engine, session_factory
from bot.db.models import Runner
from bot.db.schedule_repo import DeliveryRecord
from bot.db.uow import UnitOfWork, UnitOfWorkFactory, unit_of_work_factory
from bot.services.dispatch import Due, dispatch_due, dispatch_through
from bot.services.recording import RecordingSender
from bot.services.scheduling import cancel, reschedule, set_one_off

BERLIN = ZoneInfo("Europe/Berlin")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
MONDAY = dt.date(2026, 11, 23)
ADA = 4242


def berlin(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


async def deliveries(uow: UnitOfWorkFactory, telegram_id: int) -> list[DeliveryRecord]:
    async with uow() as work:
        return await work.deliveries.of_runner(telegram_id)


async def sweep(
    uow: UnitOfWorkFactory, sender: RecordingSender, composer: EchoComposer, now: dt.datetime, **kwargs: object
) -> dict[str, int]:
    report = await dispatch_due(uow=uow, sender=sender, composer=composer, now=now, worker_id="test", **kwargs)  # type: ignore[arg-type]
    return {k: getattr(report, k) for k in ("sent", "dropped", "deferred", "silent", "failed", "blocked")}


NOTHING = {"sent": 0, "dropped": 0, "deferred": 0, "silent": 0, "failed": 0, "blocked": 0}


def only(**counts: int) -> dict[str, int]:
    return {**NOTHING, **counts}


async def test_the_daily_prompt_goes_out_once_at_the_reminder_time(uow_factory: UnitOfWorkFactory) -> None:
    """At 07:00 the prompt is sent and recorded; a second sweep sends nothing; tomorrow's is next."""
    sender, composer = RecordingSender(), EchoComposer()
    runner_id = await add_runner(uow_factory, ADA, now=berlin(23, 6, 0))
    assert await sweep(uow_factory, sender, composer, berlin(23, 6, 59)) == NOTHING
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 0)) == only(sent=1)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 1)) == NOTHING
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23"]
    [record] = await deliveries(uow_factory, ADA)
    assert (record.runner_id, record.date, record.kind, record.message_id) == (runner_id, MONDAY, "prompt", 1)
    async with uow_factory() as work:
        rows = await work.due.of_runner(runner_id)
    assert (rows["prompt"].local_date, rows["prompt"].due_at) == (dt.date(2026, 11, 24), berlin(24, 7))


async def test_a_week_arrives_at_local_times_in_berlin_and_kathmandu(uow_factory: UnitOfWorkFactory) -> None:
    """Over a week: 7 prompts at 07:00, 7 nudges at 19:00 and the Sunday review at 19:30, in each runner's zone."""
    sender, composer = RecordingSender(), EchoComposer()
    start = dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.UTC)
    await add_runner(uow_factory, ADA, timezone="Europe/Berlin", now=start)
    await add_runner(uow_factory, 777, timezone="Asia/Kathmandu", now=start)
    report = await dispatch_through(
        uow=uow_factory,
        sender=sender,
        composer=composer,
        since=start,
        until=start + dt.timedelta(days=7),
        worker_id="t",
    )
    assert report.sent == 30
    for telegram_id, zone in ((ADA, BERLIN), (777, KATHMANDU)):
        seen = [
            (d.kind, d.sent_at.astimezone(zone).strftime("%a %H:%M"))
            for d in await deliveries(uow_factory, telegram_id)
        ]
        assert [s for s in seen if s[0] == "prompt"] == [
            ("prompt", f"{day} 07:00") for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        ]
        assert [s for s in seen if s[0] == "nudge"] == [
            ("nudge", f"{day} 19:00") for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        ]
        assert [s for s in seen if s[0] == "review"] == [("review", "Sun 19:30")]


async def test_a_prompt_missed_until_the_evening_is_dropped_without_a_message(uow_factory: UnitOfWorkFactory) -> None:
    """The bot was down from 06:00 to 20:00: the 07:00 prompt is dropped, the 19:00 nudge still goes."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    assert await sweep(uow_factory, sender, composer, berlin(23, 20)) == only(sent=1, dropped=1)
    assert [m.text for m in sender.to(ADA)] == ["nudge 2026-11-23"]
    assert await sweep(uow_factory, sender, composer, berlin(24, 7)) == only(sent=1)
    assert [m.text for m in sender.to(ADA)][-1] == "prompt 2026-11-24"


async def test_after_days_of_downtime_only_todays_prompt_goes_out(uow_factory: UnitOfWorkFactory) -> None:
    """Back at noon after three days down, the runner gets today's prompt only, not three old ones."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    assert (await sweep(uow_factory, sender, composer, berlin(26, 12)))["sent"] == 1
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-26"]


async def test_a_missed_review_waits_for_morning(uow_factory: UnitOfWorkFactory) -> None:
    """Sunday's review, missed until 01:00 Monday, is held through quiet hours and sent at 06:00."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(29, 19))
    assert (await sweep(uow_factory, sender, composer, berlin(30, 1)))["deferred"] == 1
    assert "review 2026-11-29" not in [m.text for m in sender.to(ADA)]
    assert await sweep(uow_factory, sender, composer, berlin(30, 5, 59)) == NOTHING
    await sweep(uow_factory, sender, composer, berlin(30, 6))
    assert [m.text for m in sender.to(ADA)] == ["review 2026-11-29"]


async def test_nothing_is_sent_during_a_pause(uow_factory: UnitOfWorkFactory) -> None:
    """Paused Monday to Tuesday, the runner hears nothing those days and gets Wednesday's prompt."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    async with uow_factory() as work:
        await work._require().execute(
            update(Runner)
            .where(Runner.telegram_id == ADA)
            .values(paused_from=MONDAY, paused_until=dt.date(2026, 11, 24))
        )
        await work.commit()
    await dispatch_through(
        uow=uow_factory, sender=sender, composer=composer, since=berlin(23, 6), until=berlin(25, 12), worker_id="t"
    )
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-25"]


async def test_an_open_ended_pause_holds_until_resume(uow_factory: UnitOfWorkFactory) -> None:
    """Paused with no end date, nothing goes out; after resume (reschedule) the next prompt does."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    async with uow_factory() as work:
        await work._require().execute(update(Runner).where(Runner.telegram_id == ADA).values(paused_from=MONDAY))
        await reschedule(work, ADA, berlin(23, 6))
        await work.commit()
    await dispatch_through(
        uow=uow_factory, sender=sender, composer=composer, since=berlin(23, 6), until=berlin(26, 8), worker_id="t"
    )
    assert sender.to(ADA) == []
    async with uow_factory() as work:
        await work._require().execute(update(Runner).where(Runner.telegram_id == ADA).values(paused_from=None))
        await reschedule(work, ADA, berlin(26, 8))
        await work.commit()
    await dispatch_through(
        uow=uow_factory, sender=sender, composer=composer, since=berlin(26, 8), until=berlin(27, 8), worker_id="t"
    )
    assert [m.text for m in sender.to(ADA)] == ["nudge 2026-11-26", "prompt 2026-11-27"]


async def test_a_runner_who_blocked_the_bot_is_stopped(uow_factory: UnitOfWorkFactory) -> None:
    """A blocked bot marks the runner inactive, deletes their due messages, and sends them nothing more."""
    sender, composer = RecordingSender(), EchoComposer()
    runner_id = await add_runner(uow_factory, ADA, now=berlin(23, 6))
    await add_runner(uow_factory, 777, now=berlin(23, 6))
    sender.gone.add(ADA)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7)) == only(sent=1, blocked=1)
    async with uow_factory() as work:
        account = await work.runners.get(ADA)
        assert account is not None and not account.active
        assert await work.due.of_runner(runner_id) == {}
    sender.gone.clear()
    await dispatch_through(
        uow=uow_factory, sender=sender, composer=composer, since=berlin(23, 7), until=berlin(25, 7), worker_id="t"
    )
    assert sender.to(ADA) == []
    assert len(sender.to(777)) == 5


async def test_a_failing_send_is_retried_on_the_next_sweep_never_dropped(uow_factory: UnitOfWorkFactory) -> None:
    """A send that fails (network, rate limit) leaves the prompt due; the next sweep sends it, once."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    sender.failing[ADA] = ConnectionRefusedError("network")
    assert await sweep(uow_factory, sender, composer, berlin(23, 7)) == only(failed=1)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7)) == NOTHING  # not in a loop
    assert await deliveries(uow_factory, ADA) == []
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 1)) == only(failed=1)
    del sender.failing[ADA]
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 2)) == only(sent=1)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 3)) == NOTHING
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23"]


async def test_a_dead_workers_claim_is_taken_over_after_its_lease(uow_factory: UnitOfWorkFactory) -> None:
    """Rows claimed by a worker that died are left alone until the lease ends (on the database's
    clock, whatever instant the sweeps think it is), then sent by another."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    async with uow_factory() as work:
        await work.due.begin_write()
        claimed = await work.due.claim(berlin(23, 7), "dead-worker", dt.timedelta(seconds=1), 10)
        await work.commit()
    assert [row.kind for row in claimed] == ["prompt"]
    assert await sweep(uow_factory, sender, composer, berlin(23, 9)) == NOTHING  # a later app clock changes nothing
    await asyncio.sleep(1.1)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 1)) == only(sent=1)
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23"]


async def test_nothing_to_say_advances_without_a_message(uow_factory: UnitOfWorkFactory) -> None:
    """When the composer has nothing to say (a rest day), no message and no delivery; tomorrow's is next."""
    sender, composer = RecordingSender(), EchoComposer()
    runner_id = await add_runner(uow_factory, ADA, now=berlin(23, 6))
    composer.silent.add(ADA)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7)) == only(silent=1)
    assert sender.sent == [] and await deliveries(uow_factory, ADA) == []
    async with uow_factory() as work:
        assert (await work.due.of_runner(runner_id))["prompt"].local_date == dt.date(2026, 11, 24)


async def test_one_runner_the_composer_cannot_render_does_not_hold_back_the_rest(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """A composer error for one runner: the others get their prompt; that one is retried next sweep."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    await add_runner(uow_factory, 777, now=berlin(23, 6))
    composer.broken.add(ADA)
    assert await sweep(uow_factory, sender, composer, berlin(23, 7)) == only(sent=1, failed=1)
    composer.broken.clear()
    assert await sweep(uow_factory, sender, composer, berlin(23, 7, 1)) == only(sent=1)
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23"]


async def test_moving_the_reminder_after_todays_prompt_waits_for_tomorrow(uow_factory: UnitOfWorkFactory) -> None:
    """Today's 07:00 prompt went out; moving the reminder to 09:00 at 08:00 sends nothing more today."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    await sweep(uow_factory, sender, composer, berlin(23, 7))
    async with uow_factory() as work:
        await work.runners.set_settings(ADA, reminder_time=dt.time(9, 0), now=berlin(23, 8))
        await reschedule(work, ADA, berlin(23, 8))
        await work.commit()
    await dispatch_through(
        uow=uow_factory, sender=sender, composer=composer, since=berlin(23, 8), until=berlin(24, 10), worker_id="t"
    )
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23", "nudge 2026-11-23", "prompt 2026-11-24"]
    assert [d.sent_at for d in await deliveries(uow_factory, ADA)][-1] == berlin(24, 9)


async def test_later_goes_out_once_and_can_be_cancelled(uow_factory: UnitOfWorkFactory) -> None:
    """A Later set for 09:00 is sent once at 09:00; set again for the same day it is not sent twice;
    a cancelled one is not sent at all."""
    sender, composer = RecordingSender(), EchoComposer()
    await add_runner(uow_factory, ADA, now=berlin(23, 6))
    async with uow_factory() as work:
        await set_one_off(work, ADA, "later", berlin(23, 9), MONDAY, detail="prompt")
        await work.commit()
    assert (await sweep(uow_factory, sender, composer, berlin(23, 9)))["sent"] == 2  # prompt (late) and later
    async with uow_factory() as work:
        await set_one_off(work, ADA, "later", berlin(23, 11), MONDAY)
        await set_one_off(work, ADA, "pain_check", berlin(23, 12), MONDAY)
        await cancel(work, ADA, "pain_check")
        await work.commit()
    assert await sweep(uow_factory, sender, composer, berlin(23, 12)) == only(dropped=1)
    assert [m.text for m in sender.to(ADA)] == ["prompt 2026-11-23", "later 2026-11-23"]


async def test_an_inactive_runner_has_no_due_rows(uow_factory: UnitOfWorkFactory) -> None:
    """Reschedule for a runner made inactive removes every due row; reactivated, they come back."""
    runner_id = await add_runner(uow_factory, ADA, now=berlin(23, 6))
    async with uow_factory() as work:
        await work.runners.set_settings(ADA, active=False, now=berlin(23, 6))
        await reschedule(work, ADA, berlin(23, 6))
        assert await work.due.of_runner(runner_id) == {}
        await work.runners.set_settings(ADA, active=True, now=berlin(23, 6))
        await reschedule(work, ADA, berlin(23, 6))
        assert set(await work.due.of_runner(runner_id)) == {"prompt", "nudge", "review"}


@pytest.mark.slow
async def test_two_dispatchers_send_each_prompt_exactly_once(migrated_url: str, clock: FakeClock) -> None:
    """Two dispatchers with their own engines sweep 2,000 due runners at once: every prompt goes out once."""
    engines: list[AsyncEngine] = [create_engine(migrated_url), create_engine(migrated_url)]
    try:
        uows = [unit_of_work_factory(session_factory(e), clock=clock) for e in engines]
        ids = await add_many(uows[0], 2000, now=berlin(23, 6), kinds=["prompt"])
        senders = [RecordingSender(), RecordingSender()]

        async def run(i: int) -> int:
            report = await dispatch_due(
                uow=uows[i],
                sender=senders[i],
                composer=EchoComposer(),
                now=berlin(23, 7),
                worker_id=f"w{i}",
                batch_size=100,
            )
            return report.sent

        sent = await asyncio.gather(run(0), run(1))
        chats = [s.chat_id for sender in senders for s in sender.sent]
        assert sum(sent) == 2000 and sorted(chats) == ids
        assert all(n > 0 for n in sent), f"one dispatcher did all the work: {sent}"
        async with uows[0]() as work:
            assert not await work.due.any_due(berlin(23, 7, 5))
    finally:
        for e in engines:
            await e.dispose()


async def test_a_composer_that_meets_a_locked_sqlite_is_rerun_as_the_writer(
    sqlite_migrated_url: str, clock: FakeClock
) -> None:
    """On SQLite, a compose that fails with "database is locked" is rolled back and run again holding
    the write lock (no other process can write meanwhile): its write is stored once, the message sent once."""
    engine, other = create_engine(sqlite_migrated_url), create_engine(sqlite_migrated_url)
    try:
        uow = unit_of_work_factory(session_factory(engine), clock=clock)
        await add_runner(uow, ADA, now=berlin(23, 6))
        others_could_write: list[bool] = []

        class WritingComposer(EchoComposer):
            async def compose(self, work: UnitOfWork, dues: Sequence[Due], now: dt.datetime) -> Any:
                if self.calls == 0:
                    await work._require().execute(update(Runner).values(first_name="lost"))
                    self.calls += 1
                    raise OperationalError("UPDATE runners", {}, sqlite3.OperationalError("database is locked"))
                async with other.connect() as connection:  # before this compose writes anything
                    await connection.exec_driver_sql("PRAGMA busy_timeout=0")
                    try:
                        await connection.exec_driver_sql("BEGIN IMMEDIATE")
                        others_could_write.append(True)
                    except OperationalError:
                        others_could_write.append(False)
                    await connection.rollback()
                await work._require().execute(update(Runner).values(first_name=f"seen {self.calls}"))
                return await super().compose(work, dues, now)

        composer, sender = WritingComposer(), RecordingSender()
        report = await dispatch_due(uow=uow, sender=sender, composer=composer, now=berlin(23, 7), worker_id="t")
        assert (report.sent, composer.calls, others_could_write) == (1, 2, [False])
        async with uow() as work:
            account = await work.runners.get(ADA)
        assert account is not None and account.first_name == "seen 1"
    finally:
        await engine.dispose()
        await other.dispose()
