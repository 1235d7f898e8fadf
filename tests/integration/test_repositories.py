"""Repositories store and give back domain objects, one runner at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.coach.model import (
    BodyArea,
    Distance,
    Equipment,
    Level,
    Profile,
    Race,
    Reason,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekNote,
    WeekPlan,
)
from bot.coach.planner import plan_week
from bot.coach.wording import note_text, reason_text
from bot.content.loader import default_library
from bot.db.models import (
    CalendarOverride,
    CheckinRow,
    OnboardingAnswer,
    PlanDayRow,
    PlanRow,
    PtbChatData,
    PtbConversation,
    PtbUserData,
    RaceRow,
    RunDay,
    Runner,
    TrainingStateRow,
    encode_conversation_key,
)
from bot.db.repositories import RunnerAccount, UnknownRunner
from bot.db.uow import UnitOfWorkFactory

ADA = 111_222_333_444
BOB = 555_666_777_888
NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
BERLIN = dt.timezone(dt.timedelta(hours=1))

WEEK = {
    Weekday.MON: RunKind.EASY,
    Weekday.TUE: RunKind.QUALITY,
    Weekday.WED: RunKind.REST,
    Weekday.THU: RunKind.QUALITY,
    Weekday.FRI: RunKind.REST,
    Weekday.SAT: RunKind.LONG,
    Weekday.SUN: RunKind.EASY,
}


def full_profile() -> Profile:
    return Profile(
        strength_level=Level.SOME,
        week=WEEK,
        race=Race(distance=Distance.HALF, date=dt.date(2027, 3, 14)),
        equipment=Equipment.DUMBBELLS,
        session_minutes=30,
        sessions_per_week=2,
        injuries=frozenset({BodyArea.KNEE, BodyArea.ANKLE}),
        overrides={dt.date(2026, 12, 5): RunKind.RACE, dt.date(2026, 12, 24): RunKind.REST},
        hard_days_hard=True,
        preferred_days=frozenset({Weekday.MON, Weekday.THU}),
        mobility_off_days=frozenset({Weekday.SUN}),
    )


def a_week(monday: dt.date, *, profile: Profile | None = None, state: TrainingState | None = None) -> WeekPlan:
    """A real planned week, as the services store it."""
    return plan_week(profile or full_profile(), monday, default_library(), state)


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
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(insert(PtbUserData).values(user_id=telegram_id, data={"a": 1}))
        await connection.execute(insert(PtbChatData).values(chat_id=telegram_id, data={"b": 2}))
        await connection.execute(
            insert(PtbConversation).values(
                name="onboarding", key=encode_conversation_key((telegram_id, telegram_id)), state=3
            )
        )


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
        for name, stmt in {
            "onboarding_answers": select(func.count())
            .select_from(OnboardingAnswer)
            .where(OnboardingAnswer.telegram_id == telegram_id),
            "ptb_user_data": select(func.count()).select_from(PtbUserData).where(PtbUserData.user_id == telegram_id),
            "ptb_chat_data": select(func.count()).select_from(PtbChatData).where(PtbChatData.chat_id == telegram_id),
            "ptb_conversations": select(func.count())
            .select_from(PtbConversation)
            .where(PtbConversation.key == encode_conversation_key((telegram_id, telegram_id))),
        }.items():
            counts[name] = (await connection.execute(stmt)).scalar_one()
    return counts


async def snapshot(uow_factory: UnitOfWorkFactory, telegram_id: int) -> tuple[Any, ...]:
    async with uow_factory() as uow:
        return (
            await uow.runners.get(telegram_id),
            await uow.answers.get_all(telegram_id),
            await uow.plans.week(telegram_id, dt.date(2026, 11, 23)),
            await uow.checkins.between(telegram_id, dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
        )


async def test_new_runner_has_no_profile_until_onboarded(uow_factory: UnitOfWorkFactory) -> None:
    """A runner who only said hello is stored active, not onboarded, with no profile and a fresh state."""
    async with uow_factory() as uow:
        account = await uow.runners.ensure(ADA, ADA, "Ada")
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.runners.get(ADA)
    assert stored == account
    assert stored.telegram_id == ADA and stored.first_name == "Ada"
    assert stored.active and not stored.onboarded
    assert stored.profile is None and stored.timezone is None and stored.reminder_time is None
    assert stored.state == TrainingState()


async def test_unknown_runner_is_none(uow_factory: UnitOfWorkFactory) -> None:
    """Looking up a Telegram id nobody used gives None; writing for it raises UnknownRunner."""
    async with uow_factory() as uow:
        assert await uow.runners.get(ADA) is None
        with pytest.raises(UnknownRunner):
            await uow.plans.save_week(ADA, a_week(dt.date(2026, 11, 23)), NOW)


async def test_ensure_twice_keeps_one_runner_and_updates_name(uow_factory: UnitOfWorkFactory) -> None:
    """Calling ensure again keeps the same runner and picks up a new chat id and first name."""
    async with uow_factory() as uow:
        first = await uow.runners.ensure(ADA, ADA, "Ada")
        await uow.commit()
    async with uow_factory() as uow:
        second = await uow.runners.ensure(ADA, 42, "Ada L.")
        await uow.commit()

    assert second.id == first.id
    assert (second.chat_id, second.first_name) == (42, "Ada L.")


async def test_profile_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    """A profile with a race, one-off dates and niggles comes back equal, with its settings."""
    profile = full_profile()
    await onboard(uow_factory, ADA, profile)

    async with uow_factory() as uow:
        account = await uow.runners.get(ADA)
    assert account is not None
    assert account.onboarded
    assert account.profile == profile
    assert account.timezone == "Europe/Berlin"
    assert account.reminder_time == dt.time(7, 30)


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


async def test_set_settings_changes_only_what_is_given(uow_factory: UnitOfWorkFactory) -> None:
    """Settings not passed to set_settings keep their values; None clears a setting."""
    await onboard(uow_factory, ADA, full_profile())
    async with uow_factory() as uow:
        await uow.runners.set_settings(ADA, paused_until=dt.date(2026, 12, 10), active=False)
        await uow.commit()
    async with uow_factory() as uow:
        paused = await uow.runners.get(ADA)
        await uow.runners.set_settings(ADA, paused_until=None, reminder_time=dt.time(18, 15))
        await uow.commit()
    async with uow_factory() as uow:
        resumed = await uow.runners.get(ADA)

    assert paused is not None and resumed is not None
    assert (paused.active, paused.paused_until, paused.reminder_time) == (False, dt.date(2026, 12, 10), dt.time(7, 30))
    assert (resumed.active, resumed.paused_until, resumed.reminder_time) == (False, None, dt.time(18, 15))
    assert resumed.timezone == "Europe/Berlin" and resumed.profile == full_profile()


async def test_reminder_time_must_be_a_wall_time(uow_factory: UnitOfWorkFactory) -> None:
    """A reminder time carrying a timezone is refused: the runner's timezone is stored apart."""
    async with uow_factory() as uow:
        await uow.runners.ensure(ADA, ADA, "Ada")
        with pytest.raises(ValueError, match="wall time"):
            await uow.runners.set_settings(ADA, reminder_time=dt.time(7, 0, tzinfo=dt.UTC))


async def test_training_state_round_trip(uow_factory: UnitOfWorkFactory) -> None:
    """A saved training state, rested areas included, comes back equal; saving again replaces it."""
    await onboard(uow_factory, ADA, full_profile())
    first = TrainingState(step=1, weeks_trained=5)
    second = TrainingState(
        step=3,
        set_cut=1,
        weeks_trained=7,
        backoff_weeks=1,
        fewer_sessions=1,
        minutes_cut=5,
        recovery_week=True,
        pain={BodyArea.KNEE: dt.date(2026, 12, 1), BodyArea.BACK: dt.date(2026, 11, 30)},
    )
    for state in (first, second):
        async with uow_factory() as uow:
            await uow.runners.save_state(ADA, state)
            await uow.commit()

    async with uow_factory() as uow:
        account = await uow.runners.get(ADA)
    assert account is not None and account.state == second


async def test_answers_put_get_clear(uow_factory: UnitOfWorkFactory) -> None:
    """Onboarding answers are stored per question, replaced when answered again, and cleared together."""
    async with uow_factory() as uow:
        await uow.answers.put(ADA, "level", "new", NOW)
        await uow.answers.put(ADA, "run_days", ["mon", "wed", "sat"], NOW)
        await uow.answers.put(ADA, "race", {"distance": "10k", "date": "2027-04-01"}, NOW)
        await uow.answers.put(ADA, "level", "some", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        answers = await uow.answers.get_all(ADA)
        await uow.answers.clear(ADA)
        await uow.commit()
    async with uow_factory() as uow:
        cleared = await uow.answers.get_all(ADA)

    assert answers == {
        "level": "some",
        "run_days": ["mon", "wed", "sat"],
        "race": {"distance": "10k", "date": "2027-04-01"},
    }
    assert cleared == {}


async def test_answers_must_be_json(uow_factory: UnitOfWorkFactory) -> None:
    """An answer that JSON cannot hold is refused when it is put, not at commit."""
    async with uow_factory() as uow:
        with pytest.raises(TypeError):
            await uow.answers.put(ADA, "race_date", dt.date(2027, 1, 1), NOW)


async def test_a_stored_week_reads_back_exactly_and_other_weeks_are_separate(uow_factory: UnitOfWorkFactory) -> None:
    """A week's plan reads back as prescribed, day by day; saving it again keeps one, the newest."""
    await onboard(uow_factory, ADA, full_profile())
    monday = dt.date(2026, 11, 23)
    first, second = a_week(monday), a_week(monday, state=TrainingState(step=1))
    async with uow_factory() as uow:
        await uow.plans.save_week(ADA, first, NOW)
        await uow.plans.save_week(ADA, second, NOW)
        await uow.plans.save_week(ADA, a_week(monday + dt.timedelta(days=7)), NOW)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.plans.week(ADA, monday) == second
        assert await uow.plans.day(ADA, monday + dt.timedelta(days=2)) == second.days[2]
        assert await uow.plans.week(ADA, monday + dt.timedelta(days=7)) == a_week(monday + dt.timedelta(days=7))
        assert await uow.plans.week(ADA, monday - dt.timedelta(days=7)) is None


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


async def test_saving_a_week_from_a_date_leaves_earlier_days_as_prescribed(uow_factory: UnitOfWorkFactory) -> None:
    """Re-planning from Thursday rewrites Thursday to Sunday and never a day already past."""
    await onboard(uow_factory, ADA, full_profile())
    monday = dt.date(2026, 11, 23)
    first = a_week(monday)
    moved = {**WEEK, Weekday.MON: RunKind.LONG, Weekday.THU: RunKind.LONG}
    later = a_week(monday, profile=full_profile().model_copy(update={"week": moved}))
    async with uow_factory() as uow:
        await uow.plans.save_week(ADA, first, NOW)
        await uow.plans.save_week(ADA, later, NOW, from_date=monday + dt.timedelta(days=3))
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.plans.week(ADA, monday)
    assert stored is not None
    assert stored.days[:3] == first.days[:3]
    assert stored.days[3:] == later.days[3:]
    assert stored.days[0] != later.days[0]


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


async def test_checkins_between_is_inclusive_and_ordered(uow_factory: UnitOfWorkFactory) -> None:
    """Check-ins between two dates include both ends and come oldest first."""
    await onboard(uow_factory, ADA, full_profile())
    days = [dt.date(2026, 11, d) for d in (26, 23, 25, 30)]
    async with uow_factory() as uow:
        for day in days:
            await uow.checkins.set_status(ADA, day, session_kind="mobility", status="done", now=NOW)
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.checkins.between(ADA, dt.date(2026, 11, 23), dt.date(2026, 11, 26))
    assert [c.date for c in found] == [dt.date(2026, 11, 23), dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
    assert {c.session_kind for c in found} == {SessionKind.MOBILITY}


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


async def test_naive_now_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    """Passing a naive datetime as now is an error, never a silently misplaced instant."""
    async with uow_factory() as uow:
        with pytest.raises(ValueError, match="aware"):
            await uow.answers.put(ADA, "level", "new", dt.datetime(2026, 11, 23, 7, 0))  # noqa: DTZ001


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
        await uow.runners.delete(ADA)
        await uow.commit()

    assert await snapshot(uow_factory, BOB) == before
    assert await count_rows(engine, BOB) == counts_before


async def test_delete_removes_everything(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    """Deleting a runner erases their rows in every table, onboarding answers and bot data included."""
    await fill_everything(uow_factory, engine, ADA)
    assert all(await count_rows(engine, ADA))

    async with uow_factory() as uow:
        assert await uow.runners.delete(ADA)
        await uow.commit()

    assert set((await count_rows(engine, ADA)).values()) == {0}
    async with uow_factory() as uow:
        assert await uow.runners.get(ADA) is None
        assert not await uow.runners.delete(ADA)


async def test_leaving_without_commit_rolls_back(uow_factory: UnitOfWorkFactory) -> None:
    """Work not committed, or interrupted by an exception, is not stored."""
    async with uow_factory() as uow:
        await uow.runners.ensure(ADA, ADA, "Ada")
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.runners.ensure(BOB, BOB, "Bob")
            raise RuntimeError("boom")

    async with uow_factory() as uow:
        assert await uow.runners.get(ADA) is None
        assert await uow.runners.get(BOB) is None


async def test_the_whole_training_state_reads_back_as_saved(uow_factory: UnitOfWorkFactory) -> None:
    """Every field of the state (ladder, pain, weeks coached, clearance, good weeks, niggle rungs) is kept."""
    await onboard(uow_factory, ADA, full_profile())
    state = TrainingState(
        step=3,
        set_cut=1,
        weeks_trained=5,
        backoff_weeks=1,
        fewer_sessions=1,
        minutes_cut=10,
        recovery_week=True,
        pain={BodyArea.KNEE: dt.date(2026, 12, 1)},
        weeks_coached=7,
        needs_clearance=True,
        good_weeks="1101101",
        niggle_rungs={BodyArea.ANKLE: 2},
        niggle_streaks={BodyArea.ANKLE: 1},
        niggle_failed={BodyArea.HIP: dt.date(2026, 11, 20)},
    )
    async with uow_factory() as uow:
        await uow.runners.save_state(ADA, state)
        await uow.commit()
    async with uow_factory() as uow:
        account = await uow.runners.get(ADA)
    assert account is not None and account.state == state
