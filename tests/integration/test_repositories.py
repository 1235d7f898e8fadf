"""What the SQL repositories do in the database itself, on SQLite and PostgreSQL: rows replaced rather than
added, constraints, stored instants, and forgetting a runner in every table. What every backend of the
services' ports does alike (the fakes too) is in test_repository_contract.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

# the same runners, calendar and profile as the repository contract suite
from test_repository_contract import ADA, BERLIN, BOB, NOW, WEEK, a_week, full_profile

from bot.coach.model import (
    BodyArea,
    Profile,
    Reason,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekNote,
)
from bot.coach.wording import note_text, reason_text
from bot.content.loader import default_library
from bot.db.models import (
    CalendarOverride,
    CheckinRow,
    InboxRow,
    OnboardingAnswer,
    PlanDayRow,
    PlanRow,
    RaceRow,
    RunDay,
    Runner,
    TrainingStateRow,
)
from bot.db.repositories import RunnerAccount
from bot.db.uow import UnitOfWorkFactory
from bot.services.forget import forget_runner
from bot.services.inbox_rows import Incoming
from bot.services.records import Attempt, DeliveryRecord
from bot.services.schedule import DueKind


async def onboard(uow_factory: UnitOfWorkFactory, telegram_id: int, profile: Profile) -> RunnerAccount:
    async with uow_factory() as uow:
        await uow.runners.ensure(telegram_id, telegram_id, f"runner {telegram_id}")
        account = await uow.runners.save_profile(
            telegram_id, profile, timezone="Europe/Berlin", reminder_time=dt.time(7, 30), now=NOW
        )
        await uow.commit()
    return account


async def fill_everything(uow_factory: UnitOfWorkFactory, engine: AsyncEngine, telegram_id: int) -> None:
    """Give a runner a row in every table that can hold their data."""
    await onboard(uow_factory, telegram_id, full_profile())
    async with uow_factory() as uow:
        await uow.runners.save_state(telegram_id, TrainingState(step=2, pain={BodyArea.KNEE: dt.date(2026, 12, 1)}))
        await uow.answers.put(telegram_id, "level", "some", NOW)
        await uow.plans.save_week(telegram_id, a_week(dt.date(2026, 11, 23)), NOW)
        await uow.checkins.set_status(
            telegram_id, dt.date(2026, 11, 23), session_kind=SessionKind.STRENGTH, status="done", now=NOW
        )
        await uow.checkins.set_details(telegram_id, dt.date(2026, 11, 23), rpe=6, now=NOW)
        words = {"update_id": telegram_id, "message": {"text": "did it, rpe 7"}}
        await uow.inbox.store([Incoming(telegram_id, telegram_id, words)], NOW)  # an update not handled yet
        await uow.commit()


async def count_rows(engine: AsyncEngine, telegram_id: int) -> dict[str, int]:
    """How many rows of each table belong to the runner with this Telegram id."""
    counts: dict[str, int] = {}
    async with engine.connect() as connection:
        runner_id = (
            await connection.execute(select(Runner.id).where(Runner.telegram_id == telegram_id))
        ).scalar_one_or_none()
        counts["runners"] = 0 if runner_id is None else 1
        for model in (RunDay, CalendarOverride, RaceRow, TrainingStateRow, PlanRow, PlanDayRow, CheckinRow):
            stmt = select(func.count()).select_from(model).where(model.runner_id == runner_id)
            counts[model.__tablename__] = (await connection.execute(stmt)).scalar_one()
        answers = select(func.count()).select_from(OnboardingAnswer).where(OnboardingAnswer.telegram_id == telegram_id)
        counts["onboarding_answers"] = (await connection.execute(answers)).scalar_one()
        inbox = select(func.count()).select_from(InboxRow).where(InboxRow.user_id == telegram_id)
        counts["inbox"] = (await connection.execute(inbox)).scalar_one()
    return counts


async def snapshot(uow_factory: UnitOfWorkFactory, telegram_id: int) -> tuple[Any, ...]:
    async with uow_factory() as uow:
        return (
            await uow.runners.get(telegram_id),
            await uow.answers.get_all(telegram_id),
            await uow.plans.week(telegram_id, dt.date(2026, 11, 23)),
            await uow.checkins.between(telegram_id, dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
        )


async def test_saving_again_replaces_the_calendar(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """A second save replaces template, one-off dates and race, and keeps the first onboarding time."""
    await onboard(uow_factory, ADA, full_profile())
    changed = full_profile().model_copy(
        update={
            "week": {**WEEK, Weekday.SAT: RunKind.EASY, Weekday.SUN: RunKind.LONG},
            "overrides": {dt.date(2026, 12, 31): RunKind.QUALITY},
            "race": None,
            "injuries": frozenset(),
        }
    )
    async with uow_factory() as uow:
        await uow.runners.save_profile(
            ADA, changed, timezone="America/New_York", reminder_time=dt.time(6, 0), now=NOW + dt.timedelta(days=3)
        )
        await uow.commit()

    async with uow_factory() as uow:
        account = await uow.runners.get(ADA)
    assert account is not None and account.profile == changed
    assert account.timezone == "America/New_York"
    async with engine.connect() as connection:
        onboarded_at = (await connection.execute(select(Runner.onboarded_at))).scalar_one()
        races = (await connection.execute(select(func.count()).select_from(RaceRow))).scalar_one()
        overrides = (await connection.execute(select(func.count()).select_from(CalendarOverride))).scalar_one()
    assert onboarded_at == NOW
    assert (races, overrides) == (0, 1)


async def test_checkin_upsert_updates_instead_of_duplicating(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """Logging the same date again updates one check-in field by field, keeping the first creation time:
    a new status keeps the effort and soreness already given."""
    await onboard(uow_factory, ADA, full_profile())
    day = dt.date(2026, 11, 24)
    async with uow_factory() as uow:
        first = await uow.checkins.set_status(ADA, day, session_kind=SessionKind.STRENGTH, status="done", now=NOW)
        await uow.checkins.set_details(ADA, day, rpe=8, now=NOW)
        await uow.checkins.set_details(ADA, day, soreness="a_bit", now=NOW)
        await uow.commit()
    later = NOW + dt.timedelta(hours=10)
    async with uow_factory() as uow:
        await uow.checkins.set_status(
            ADA, day, session_kind=SessionKind.STRENGTH, status="partial", note="knee twinge on lunges", now=later
        )
        second = await uow.checkins.set_details(ADA, day, pain_area=BodyArea.KNEE, now=later)
        assert await uow.checkins.set_details(ADA, day + dt.timedelta(days=1), rpe=5, now=later) is None
        await uow.commit()

    async with engine.connect() as connection:
        rows = (await connection.execute(select(func.count()).select_from(CheckinRow))).scalar_one()
    assert rows == 1
    assert first.status == "done" and first.rpe is None
    assert second is not None
    assert (second.status, second.rpe, second.soreness, second.pain_area) == ("partial", 8, "a_bit", BodyArea.KNEE)
    assert second.note == "knee twinge on lunges"
    assert second.created_at == NOW and second.updated_at == later


async def test_checkin_values_are_checked(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """An unknown status or an RPE outside 1 to 10 is refused, by the repository and by the database."""
    await onboard(uow_factory, ADA, full_profile())
    async with uow_factory() as uow:
        with pytest.raises(ValueError, match="status"):
            await uow.checkins.set_status(ADA, NOW.date(), session_kind="strength", status="maybe", now=NOW)  # type: ignore[arg-type]
        await uow.checkins.set_status(ADA, NOW.date(), session_kind="strength", status="done", now=NOW)
        with pytest.raises(ValueError, match="rpe"):
            await uow.checkins.set_details(ADA, NOW.date(), rpe=11, now=NOW)
    for status, rpe, constraint in (("done", 11, "ck_checkins_rpe_range"), ("maybe", 5, "ck_checkins_status_known")):
        with pytest.raises(IntegrityError, match=constraint):
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO checkins (runner_id, date, session_kind, status, rpe, created_at, updated_at)"
                        " SELECT id, '2026-11-23', 'strength', :status, :rpe, :now, :now FROM runners"
                    ),
                    {"now": NOW, "status": status, "rpe": rpe},
                )


async def test_datetimes_come_back_aware_utc(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """An instant written with any UTC offset is read back as the same instant, aware and in UTC."""
    await onboard(uow_factory, ADA, full_profile())
    local = dt.datetime(2026, 11, 23, 20, 15, tzinfo=BERLIN)
    async with uow_factory() as uow:
        record = await uow.checkins.set_status(ADA, local.date(), session_kind="strength", status="done", now=local)
        await uow.answers.put(ADA, "level", "new", local)
        await uow.commit()

    async with engine.connect() as connection:
        answered_at = (await connection.execute(select(OnboardingAnswer.answered_at))).scalar_one()
        created_at = (await connection.execute(select(Runner.created_at))).scalar_one()
    for value in (record.created_at, record.updated_at, answered_at):
        assert value == local
        assert value.tzinfo is dt.UTC
    assert created_at.tzinfo is dt.UTC


async def test_clock_stamps_runner_creation(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """Without an explicit now, ensure stamps the runner with the unit of work's clock."""
    async with uow_factory() as uow:
        await uow.runners.ensure(ADA, ADA, "Ada")
        await uow.commit()
    async with engine.connect() as connection:
        created_at = (await connection.execute(select(Runner.created_at))).scalar_one()
    assert created_at == dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)


async def test_one_runner_never_changes_another(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """Everything done for one runner, deleting them included, leaves another runner's rows as they were."""
    await fill_everything(uow_factory, engine, BOB)
    before = await snapshot(uow_factory, BOB)
    counts_before = await count_rows(engine, BOB)

    await fill_everything(uow_factory, engine, ADA)
    async with uow_factory() as uow:
        await uow.runners.save_profile(
            ADA, full_profile().model_copy(update={"race": None}), timezone="UTC", reminder_time=dt.time(6), now=NOW
        )
        await uow.runners.set_settings(ADA, active=False, timezone="Asia/Tokyo")
        await uow.runners.save_state(ADA, TrainingState(step=9))
        await uow.answers.clear(ADA)
        await uow.checkins.set_status(ADA, dt.date(2026, 11, 23), session_kind="rest", status="skipped", now=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        await forget_runner(uow, ADA)
        await uow.commit()

    assert await snapshot(uow_factory, BOB) == before
    assert await count_rows(engine, BOB) == counts_before


async def test_forget_runner_removes_everything(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """Forgetting a runner erases their rows in every table, onboarding answers included."""
    await fill_everything(uow_factory, engine, ADA)
    assert all(await count_rows(engine, ADA))

    async with uow_factory() as uow:
        assert await forget_runner(uow, ADA)
        await uow.commit()

    assert set((await count_rows(engine, ADA)).values()) == {0}
    async with uow_factory() as uow:
        assert await uow.runners.get(ADA) is None
        assert not await forget_runner(uow, ADA)


async def test_a_week_stored_with_its_reasons_in_words_still_reads_back(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """Plans stored before reasons were data (the note and each reason as text) read back as
    stored and show the same words; nothing else about them changes."""
    await onboard(uow_factory, ADA, full_profile())
    monday = dt.date(2026, 11, 23)
    week = a_week(monday)
    messages = default_library().messages
    async with uow_factory() as uow:
        await uow.plans.save_week(ADA, week, NOW)
        await uow.commit()
    # rewrite the rows into the shape earlier versions stored: words where the data is now
    old_note = note_text(messages, week.note) + " (worded by an older version)"
    old_reasons = {day.date: f"{reason_text(messages, day.session.reason)} (old)" for day in week.days}
    async with engine.begin() as conn:
        header = (await conn.execute(select(PlanRow.payload).where(PlanRow.week_start == monday))).scalar_one()
        await conn.execute(
            update(PlanRow).where(PlanRow.week_start == monday).values(payload={**header, "note": old_note})
        )
        for day in week.days:
            payload = (await conn.execute(select(PlanDayRow.payload).where(PlanDayRow.date == day.date))).scalar_one()
            assert isinstance(payload["session"]["reason"], dict), "reasons are stored as data now"
            old = {**payload, "session": {**payload["session"], "reason": old_reasons[day.date]}}
            await conn.execute(update(PlanDayRow).where(PlanDayRow.date == day.date).values(payload=old))

    async with uow_factory() as uow:
        stored = await uow.plans.week(ADA, monday)
        one_day = await uow.plans.day(ADA, monday + dt.timedelta(days=2))
    assert stored is not None and one_day is not None
    assert stored.note == WeekNote(text=old_note) and note_text(messages, stored.note) == old_note
    assert [reason_text(messages, d.session.reason) for d in stored.days] == list(old_reasons.values())
    assert one_day == stored.days[2]
    for old, new in zip(stored.days, week.days, strict=True):
        assert old.session.reason == Reason(key=None, text=old_reasons[old.date])
        assert replace(old, session=replace(old.session, reason=new.session.reason)) == new
    assert replace(stored, note=week.note, days=week.days) == week


async def test_an_attempt_and_its_confirmation_are_stored_as_a_recorded_delivery(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """The recorder's attempt and confirmation hand the driver their values themselves: the row
    they leave holds what ``record`` (SQLAlchemy's own conversion) stores for the same delivery,
    to the byte on SQLite, whatever the instant's UTC offset and however many rows go at once."""
    ada = (await onboard(uow_factory, ADA, full_profile())).id
    bob = (await onboard(uow_factory, BOB, full_profile())).id
    monday, local = dt.date(2026, 11, 23), dt.datetime(2026, 11, 23, 7, 0, 0, 1234, tzinfo=BERLIN)
    async with uow_factory() as work:
        stored = await work.deliveries.attempt(
            [Attempt(ada, monday, DueKind.PROMPT, local), Attempt(bob, monday, DueKind.PROMPT, NOW)]
        )
        await work.deliveries.confirm([DeliveryRecord(ada, monday, DueKind.PROMPT, local, 41)])
        await work.deliveries.record([DeliveryRecord(ada, monday, DueKind.NUDGE, local, 41)])
        await work.commit()
    assert stored == {(ada, monday, DueKind.PROMPT), (bob, monday, DueKind.PROMPT)}
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT kind, runner_id, date, sent_at, message_id, state, attempts FROM deliveries "
                    "WHERE runner_id = :ada ORDER BY kind"
                ),
                {"ada": ada},
            )
        ).all()
    nudge, prompt = (tuple(row) for row in rows)
    assert nudge[0] == "nudge" and prompt[0] == "prompt"
    assert prompt[1:] == nudge[1:]  # runner, date and instant stored alike; state 'sent', one attempt
