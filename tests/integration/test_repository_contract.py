"""One contract for the services' ports (``bot.services.ports``), held by three backends: the in-memory
fakes the services tier runs on (``tests/fakes.py``), and the SQLAlchemy repositories on SQLite and on
PostgreSQL (skipped without COACH_TEST_POSTGRES_URL). Every repository method a service calls is
covered here, so the fakes cannot drift from the database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from fakes import FakeDatabase
from fakes import ReviewRow as FakeReviewRow
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.coach.model import (
    BodyArea,
    Distance,
    Equipment,
    Level,
    NiggleState,
    Profile,
    Race,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekNote,
    WeekPlan,
)
from bot.coach.planner import plan_week
from bot.content.loader import default_library
from bot.db.engine import create_engine, session_factory
from bot.db.models import ReviewRow, metadata
from bot.db.uow import unit_of_work_factory
from bot.services.feed_sources import FeedSource
from bot.services.feeds import token_hash
from bot.services.forget import forget_runner
from bot.services.inbox_rows import Incoming
from bot.services.ports import UnitOfWorkFactory
from bot.services.records import (
    Advance,
    Attempt,
    Delivered,
    DeliveryRecord,
    DeliveryState,
    DueRecord,
    ReviewPayload,
    UnknownRunner,
)
from bot.services.schedule import LATER, NUDGE, PAIN_CHECK, PROMPT, REVIEW, DueKind

ADA = 111_222_333_444
BOB = 555_666_777_888
GROUP = -1_009_990_001  # a group chat: no runner's id is in it
CAL = 999_000_111_222
NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 23)
LEASE = dt.timedelta(minutes=2)  # a claim's lease, on the database's clock
SECOND = dt.timedelta(seconds=1)
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
    return plan_week(profile or full_profile(), monday, default_library(), state)


def at(hour: int, minute: int = 0, day: int = 23) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def a_review(week_start: dt.date = MONDAY, **changes: Any) -> ReviewPayload:
    """A week's review payload, ``changes`` set over a held week with one lifting session done."""
    fields: dict[str, Any] = {
        "week_start": week_start,
        "rules": ("A2",),
        "key": "A2",
        "planned": 2,
        "done": 1,
        "partial": 0,
        "mean_rpe": 6.5,
        "very_sore": 0,
        "pain": (),
        "step_before": 1,
        "step_after": 1,
    }
    return ReviewPayload(**{**fields, **changes})


# --- the three backends ---------------------------------------------------------------------------


@dataclass
class Backend:
    """A unit-of-work factory, and what a test needs underneath it: finding any trace of a Telegram
    id in any table."""

    name: str
    uow: UnitOfWorkFactory
    engine: AsyncEngine | None = None
    fake: FakeDatabase | None = None

    async def traces(self, telegram_id: int, runner_id: int) -> dict[str, int]:
        """Rows in each table that hold the Telegram id anywhere, or belong to the internal runner id."""
        found: dict[str, int] = {}

        def holds(runner: Any, *values: Any) -> bool:
            return runner == runner_id or any(str(telegram_id) in str(v) for v in values)

        if self.fake is not None:
            t = self.fake.tables
            tables: dict[str, dict[Any, Any]] = {
                "runners": {k: v for k, v in t.runners.items()},
                **{name: getattr(t, name) for name in ("weeks", "days", "checkins", "reviews", "due", "deliveries")},
            }
            for name, rows in tables.items():
                found[name] = sum(
                    1 for key, value in rows.items() if holds(key if name == "runners" else key[0], value)
                )
            found["answers"] = sum(1 for key, value in t.answers.items() if holds(None, key, value))
            found["told_groups"] = sum(1 for chat_id in t.told_groups if holds(None, chat_id))
            found["inbox"] = sum(1 for key, entry in t.inbox.items() if holds(None, key, entry))
            found["calendar_feeds"] = sum(1 for key in t.feeds if holds(key))
            found["calendar_sources"] = sum(1 for key in t.sources if key == runner_id)
            return {name: count for name, count in found.items() if count}
        assert self.engine is not None
        async with self.engine.connect() as connection:
            for table in metadata.sorted_tables:
                rows = (await connection.execute(select(table))).mappings().all()
                owner = "id" if table.name == "runners" else "runner_id"
                count = sum(1 for row in rows if holds(row.get(owner), *row.values()))
                if count:
                    found[table.name] = count
        return found

    async def store_review_as_is(self, runner_id: int, week_start: dt.date, payload: dict[str, Any]) -> None:
        """Write a review's stored JSON straight into the table, past the repositories (a row of an older version)."""
        if self.fake is not None:
            self.fake.tables.reviews[(runner_id, week_start)] = FakeReviewRow("hold", json.dumps(payload), NOW)
            return
        assert self.engine is not None
        async with self.engine.begin() as connection:
            row = {"runner_id": runner_id, "week_start": week_start, "rule": "hold", "payload": payload}
            await connection.execute(insert(ReviewRow).values(**row, created_at=NOW))


@pytest.fixture(params=["fake", "sqlite", "postgres"])
def backend_url(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    if request.param == "fake":
        return ("fake", None)
    url: str = request.getfixturevalue(f"{request.param}_migrated_url")
    return (request.param, url)


@pytest.fixture
async def backend(backend_url: tuple[str, str | None], clock: FakeClock) -> AsyncIterator[Backend]:
    name, url = backend_url
    if url is None:
        fake = FakeDatabase(clock)
        yield Backend(name, fake, fake=fake)
        return
    engine = create_engine(url)
    try:
        yield Backend(name, unit_of_work_factory(session_factory(engine), clock=clock), engine=engine)
    finally:
        await engine.dispose()


async def onboard(uow: UnitOfWorkFactory, telegram_id: int, profile: Profile | None = None) -> int:
    """An onboarded runner (Berlin, 07:30); their internal id."""
    async with uow() as work:
        await work.runners.ensure(telegram_id, telegram_id, f"runner {telegram_id}", now=NOW)
        account = await work.runners.save_profile(
            telegram_id, profile or full_profile(), timezone="Europe/Berlin", reminder_time=dt.time(7, 30), now=NOW
        )
        await work.commit()
    return account.id


# --- the unit of work -----------------------------------------------------------------------------


async def test_nothing_is_stored_without_commit(backend: Backend) -> None:
    """Work not committed, interrupted by an exception, or rolled back is not stored; committed work is."""
    uow = backend.uow
    async with uow() as work:
        await work.runners.ensure(ADA, ADA, "Ada")
    with pytest.raises(RuntimeError):
        async with uow() as work:
            await work.runners.ensure(BOB, BOB, "Bob")
            raise RuntimeError("boom")
    async with uow() as work:
        await work.runners.ensure(BOB, BOB, "Bob")
        await work.answers.put(BOB, "level", "new", NOW)
        await work.rollback()
        assert await work.runners.get(BOB) is None
        await work.answers.put(BOB, "level", "some", NOW)
        await work.commit()
        await work.answers.put(BOB, "minutes", 30, NOW)  # after the commit, and never committed

    async with uow() as work:
        assert await work.runners.get(ADA) is None
        assert await work.runners.get(BOB) is None
        assert await work.answers.get_all(BOB) == {"level": "some"}


async def test_a_unit_of_work_sees_its_own_writes_before_commit(backend: Backend) -> None:
    """Inside one unit of work a write is read back at once, before anything is committed."""
    async with backend.uow() as work:
        await work.runners.ensure(ADA, ADA, "Ada")
        brief = await work.runners.brief(ADA)
        assert brief is not None and brief.first_name == "Ada"


# --- runners --------------------------------------------------------------------------------------


async def test_a_runner_who_only_said_hello(backend: Backend) -> None:
    """ensure stores an active runner with no profile, settings or state; unknown ids read as None."""
    async with backend.uow() as work:
        assert await work.runners.get(ADA) is None and await work.runners.brief(ADA) is None
        account = await work.runners.ensure(ADA, ADA, "Ada")
        await work.commit()
    async with backend.uow() as work:
        stored = await work.runners.get(ADA)
        brief = await work.runners.brief(ADA)
    assert stored == account
    assert (stored.telegram_id, stored.chat_id, stored.first_name) == (ADA, ADA, "Ada")
    assert stored.active and not stored.onboarded and stored.onboarded_at is None
    assert stored.profile is None and stored.timezone is None and stored.reminder_time is None
    assert stored.state == TrainingState()
    assert brief is not None and (brief.id, brief.onboarded, brief.shown_date) == (stored.id, False, None)


async def test_ensure_again_keeps_the_runner_and_cleans_the_name(backend: Backend) -> None:
    """A second ensure keeps the id and takes the new chat and name, without control characters, cut to 64."""
    async with backend.uow() as work:
        first = await work.runners.ensure(ADA, ADA, "Ada")
        second = await work.runners.ensure(ADA, 42, "  Ada\x00 L.\x1b" + "x" * 100)
        await work.commit()
    assert second.id == first.id
    assert second.chat_id == 42
    assert second.first_name == ("Ada L." + "x" * 100)[:64]


async def test_a_profile_reads_back_whole_and_onboarding_time_is_kept(backend: Backend) -> None:
    """A profile with race, one-off dates and niggles reads back equal; a second save replaces it
    and keeps the first onboarding instant."""
    await onboard(backend.uow, ADA)
    changed = full_profile().model_copy(
        update={"week": {**WEEK, Weekday.SAT: RunKind.EASY}, "overrides": {}, "race": None, "injuries": frozenset()}
    )
    async with backend.uow() as work:
        first = await work.runners.get(ADA)
        await work.runners.save_profile(
            ADA, changed, timezone="America/New_York", reminder_time=dt.time(6), now=NOW + dt.timedelta(days=3)
        )
        await work.commit()
    async with backend.uow() as work:
        second = await work.runners.get(ADA)
    assert first is not None and first.profile == full_profile() and first.onboarded
    assert (first.timezone, first.reminder_time, first.onboarded_at) == ("Europe/Berlin", dt.time(7, 30), NOW)
    assert second is not None and second.profile == changed
    assert (second.timezone, second.reminder_time, second.onboarded_at) == ("America/New_York", dt.time(6), NOW)


async def test_writing_for_an_unknown_runner_raises(backend: Backend) -> None:
    """Writes and whole-week reads for a Telegram id nobody created raise UnknownRunner; lookups give nothing."""
    async with backend.uow() as work:
        with pytest.raises(UnknownRunner):
            await work.runners.save_profile(ADA, full_profile(), timezone="UTC", reminder_time=dt.time(7), now=NOW)
        with pytest.raises(UnknownRunner):
            await work.runners.set_settings(ADA, active=False)
        with pytest.raises(UnknownRunner):
            await work.runners.save_state(ADA, TrainingState())
        with pytest.raises(UnknownRunner):
            await work.plans.save_week(ADA, a_week(MONDAY), NOW)
        with pytest.raises(UnknownRunner):
            await work.plans.week(ADA, MONDAY)
        with pytest.raises(UnknownRunner):
            await work.checkins.set_status(ADA, MONDAY, session_kind="strength", status="done", now=NOW)
        with pytest.raises(UnknownRunner):
            await work.checkins.set_details(ADA, MONDAY, rpe=5, now=NOW)
        with pytest.raises(UnknownRunner):
            await work.reviews.add(ADA, MONDAY, "hold", a_review(), NOW)
        assert await work.plans.day(ADA, MONDAY) is None
        assert await work.checkins.get(ADA, MONDAY) is None
        assert await work.checkins.between(ADA, MONDAY, MONDAY) == []
        assert await work.reviews.get(ADA, MONDAY) is None
        assert await work.reviews.recent(ADA, MONDAY, 2) == []
        assert await work.deliveries.get(ADA, MONDAY, "prompt") is None
        assert await work.due.settings(ADA) is None


async def test_set_settings_changes_only_what_is_given(backend: Backend) -> None:
    """Settings not passed keep their values; None clears one; a wall time with a zone is refused."""
    await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        await work.runners.set_settings(ADA, paused_from=MONDAY, paused_until=dt.date(2026, 12, 10), active=False)
        await work.commit()
    async with backend.uow() as work:
        paused = await work.runners.get(ADA)
        resumed = await work.runners.set_settings(ADA, paused_until=None, reminder_time=dt.time(18, 15), now=NOW)
        with pytest.raises(ValueError, match="wall time"):
            await work.runners.set_settings(ADA, reminder_time=dt.time(7, tzinfo=dt.UTC))
        await work.commit()
    async with backend.uow() as work:
        stored = await work.runners.get(ADA)
    assert paused is not None
    assert (paused.active, paused.paused_from, paused.paused_until) == (False, MONDAY, dt.date(2026, 12, 10))
    assert stored == resumed
    assert (stored.active, stored.paused_from, stored.paused_until) == (False, MONDAY, None)
    assert (stored.reminder_time, stored.timezone, stored.profile) == (dt.time(18, 15), "Europe/Berlin", full_profile())


async def test_the_whole_training_state_reads_back_as_saved(backend: Backend) -> None:
    """Every field of the state is kept, and saving again replaces it."""
    await onboard(backend.uow, ADA)
    state = TrainingState(
        step=3,
        set_cut=1,
        weeks_trained=5,
        backoff_weeks=1,
        fewer_sessions=1,
        minutes_cut=10,
        recovery_week=True,
        pain={BodyArea.KNEE: dt.date(2026, 12, 1), BodyArea.BACK: dt.date(2026, 11, 30)},
        weeks_coached=7,
        needs_clearance=True,
        good_weeks="1101101",
        niggles={
            BodyArea.ANKLE: NiggleState(
                rung=4,
                since=7,
                at_top=2,
                tested=True,
                failed=(dt.date(2026, 11, 20), dt.date(2026, 11, 27)),
                pending=dt.date(2026, 11, 29),
                returning=True,
                asked=dt.date(2026, 11, 29),
            ),
            BodyArea.HIP: NiggleState(rung=2),
        },
    )
    for saved in (TrainingState(step=1, weeks_trained=5), state):
        async with backend.uow() as work:
            await work.runners.save_state(ADA, saved)
            await work.commit()
    async with backend.uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.state == state


async def test_progression_counters_read_back_as_saved(backend: Backend) -> None:
    """The week-level progression counters (lifting weeks, jump stage, eccentric week, reduced
    weeks in a row, a pending step) are kept, and a state without them reads back as it was."""
    await onboard(backend.uow, ADA)
    counted = TrainingState(
        step=2,
        weeks_coached=9,
        lifting_weeks=8,
        restart_weeks=3,
        jump_stage=2,
        stage_weeks=1,
        last_jumps=dt.date(2026, 11, 26),
        last_lift=dt.date(2026, 11, 28),
        eccentric_weeks=4,
        eccentric_out=True,
        reduced_in_row=2,
        step_pending=True,
        stepped=True,
        step_lower=True,
        back_on=dt.date(2026, 11, 26),
        back_gap=10,
    )
    for saved in (counted, TrainingState(weeks_coached=3)):
        async with backend.uow() as work:
            await work.runners.save_state(ADA, saved)
            await work.commit()
        async with backend.uow() as work:
            account = await work.runners.get(ADA)
        assert account is not None and account.state == saved


async def test_many_runners_by_internal_id(backend: Backend) -> None:
    """briefs and by_ids read many runners by internal id at once, leaving out ids nobody has."""
    ada, bob = await onboard(backend.uow, ADA), await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        briefs = await work.runners.briefs([bob, ada, ada, 999_999])
        accounts = await work.runners.by_ids([ada, 999_999])
        assert await work.runners.briefs([]) == {} and await work.runners.by_ids([]) == {}
        assert briefs == {ada: await work.runners.brief(ADA), bob: await work.runners.brief(BOB)}
        assert accounts == {ada: await work.runners.get(ADA)}


async def test_delete_erases_the_runner_and_their_rows_only(backend: Backend) -> None:
    """runners.delete erases the runner with everything keyed by them, and nothing of another runner."""
    await fill_everything(backend, ADA)
    await fill_everything(backend, BOB)
    async with backend.uow() as work:
        bob_before = await snapshot(work, BOB)
        ada_id = (await work.runners.get(ADA) or pytest.fail("no Ada")).id
        assert await work.runners.delete(ADA)
        assert not await work.runners.delete(ADA)
        await work.commit()
    async with backend.uow() as work:
        assert await work.runners.get(ADA) is None
        assert await work.due.of_runner(ada_id) == {}
        assert await work.deliveries.last_dates(ada_id) == {}
        assert await work.plans.days_for([(ada_id, MONDAY)]) == {}
        assert await work.checkins.for_runners([ada_id], MONDAY, MONDAY) == {}
        assert await snapshot(work, BOB) == bob_before


# --- onboarding answers ---------------------------------------------------------------------------


async def test_several_answers_are_put_at_once(backend: Backend) -> None:
    """put_all stores several answers in one go, replacing those given before, as put would one by one."""
    async with backend.uow() as work:
        await work.answers.put(ADA, "level", "new", NOW)
        await work.answers.put_all(ADA, {"level": "some", "minutes": 30, "draft:x": ["mon"]}, NOW)
        await work.answers.put_all(ADA, {}, NOW)
        await work.answers.put_all(BOB, {"level": "new"}, NOW)
        await work.commit()
    async with backend.uow() as work:
        assert await work.answers.get_all(ADA) == {"level": "some", "minutes": 30, "draft:x": ["mon"]}
        assert await work.answers.get_all(BOB) == {"level": "new"}


async def test_writing_settings_changes_only_what_is_given_and_refuses_an_unknown_runner(backend: Backend) -> None:
    """write_settings is set_settings without the account read back: the same write, the same refusal."""
    await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        await work.runners.write_settings(ADA, reminder_time=dt.time(6, 45), timezone="Asia/Tokyo", now=NOW)
        with pytest.raises(UnknownRunner):
            await work.runners.write_settings(BOB, active=False)
        with pytest.raises(ValueError, match="wall time"):
            await work.runners.write_settings(ADA, reminder_time=dt.time(7, tzinfo=dt.UTC))
        await work.commit()
    async with backend.uow() as work:
        stored = await work.runners.get(ADA)
    assert stored is not None
    assert (stored.reminder_time, stored.timezone, stored.active) == (dt.time(6, 45), "Asia/Tokyo", True)
    assert (stored.paused_from, stored.paused_until, stored.profile) == (None, None, full_profile())


async def test_answers_are_stored_replaced_discarded_and_cleared(backend: Backend) -> None:
    """Answers are kept per question as JSON gives them back, replaced when given again, dropped
    one by one or all together, and never another runner's."""
    async with backend.uow() as work:
        await work.answers.put(ADA, "level", "new", NOW)
        await work.answers.put(ADA, "run_days", ("mon", "wed"), NOW)
        await work.answers.put(ADA, "race", {"distance": "10k", "date": "2027-04-01"}, NOW)
        await work.answers.put(ADA, "draft:x", [1], NOW)
        await work.answers.put(ADA, "level", "some", NOW)
        await work.answers.put(BOB, "level", "new", NOW)
        await work.commit()
    async with backend.uow() as work:
        answers = await work.answers.get_all(ADA)
        await work.answers.discard(ADA, ["draft:x", "never-asked"])
        discarded = await work.answers.get_all(ADA)
        await work.answers.clear(ADA)
        await work.commit()
    async with backend.uow() as work:
        assert await work.answers.get_all(ADA) == {}
        assert await work.answers.get_all(BOB) == {"level": "new"}
    assert answers == {
        "level": "some",
        "run_days": ["mon", "wed"],
        "race": {"distance": "10k", "date": "2027-04-01"},
        "draft:x": [1],
    }
    assert set(discarded) == {"level", "run_days", "race"}


async def test_answers_must_be_json_and_now_aware(backend: Backend) -> None:
    """What JSON cannot hold is refused when it is put, and so is a naive ``now``."""
    await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        with pytest.raises(TypeError):
            await work.answers.put(ADA, "race_date", dt.date(2027, 1, 1), NOW)
        with pytest.raises(ValueError, match="aware"):
            await work.answers.put(ADA, "level", "new", dt.datetime(2026, 11, 23, 7))  # noqa: DTZ001
        with pytest.raises(ValueError, match="aware"):
            await work.checkins.set_status(
                ADA,
                MONDAY,
                session_kind="strength",
                status="done",
                now=dt.datetime(2026, 11, 23, 7),  # noqa: DTZ001
            )


# --- plans ----------------------------------------------------------------------------------------


async def test_a_stored_week_reads_back_exactly(backend: Backend) -> None:
    """A week reads back as prescribed, day by day, whole or by keys; saved again, the newest is kept."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    first, second, following = (
        a_week(MONDAY),
        a_week(MONDAY, state=TrainingState(step=1)),
        a_week(dt.date(2026, 11, 30)),
    )
    async with backend.uow() as work:
        await work.plans.save_week(ADA, first, NOW)
        await work.plans.save_week(ADA, second, NOW)
        await work.plans.save_week(ADA, following, NOW)
        await work.plans.save_week(BOB, first, NOW)
        await work.commit()
    async with backend.uow() as work:
        assert await work.plans.week(ADA, MONDAY) == second
        assert await work.plans.week(ADA, dt.date(2026, 11, 30)) == following
        assert await work.plans.week(ADA, dt.date(2026, 11, 16)) is None
        assert await work.plans.day(ADA, dt.date(2026, 11, 25)) == second.days[2]
        assert await work.plans.day(ADA, dt.date(2026, 11, 22)) is None
        assert await work.plans.weeks_for([(ada, MONDAY), (bob, MONDAY), (bob, dt.date(2026, 11, 30))]) == {
            (ada, MONDAY): second,
            (bob, MONDAY): first,
        }
        assert await work.plans.weeks_for([]) == {}
        assert await work.plans.days_for(
            [(ada, dt.date(2026, 11, 30)), (bob, MONDAY), (bob, dt.date(2026, 12, 1))]
        ) == {
            (ada, dt.date(2026, 11, 30)): following.days[0],
            (bob, MONDAY): first.days[0],
        }
        assert await work.plans.days_for([]) == {}


async def test_saving_a_week_from_a_date_leaves_earlier_days_as_prescribed(backend: Backend) -> None:
    """Re-planning from Thursday rewrites Thursday to Sunday and never a day before it."""
    await onboard(backend.uow, ADA)
    first = a_week(MONDAY)
    later = a_week(MONDAY, profile=full_profile().model_copy(update={"week": {**WEEK, Weekday.MON: RunKind.LONG}}))
    note = WeekNote(text="the later note")
    later = WeekPlan(later.start, later.phase, note, later.days, later.lifting_target + 1, True)
    async with backend.uow() as work:
        await work.plans.save_week(ADA, first, NOW)
        await work.plans.save_week(ADA, later, NOW, from_date=MONDAY + dt.timedelta(days=3))
        await work.commit()
    async with backend.uow() as work:
        stored = await work.plans.week(ADA, MONDAY)
    assert stored is not None
    assert stored.days == first.days[:3] + later.days[3:]
    assert (stored.note, stored.lifting_target, stored.deload) == (note, later.lifting_target, True)


async def test_a_week_with_days_missing_is_not_a_week(backend: Backend) -> None:
    """A week stored only from Thursday on (never whole) reads as no week; its days still read."""
    ada = await onboard(backend.uow, ADA)
    week = a_week(MONDAY)
    async with backend.uow() as work:
        await work.plans.save_week(ADA, week, NOW, from_date=MONDAY + dt.timedelta(days=3))
        assert await work.plans.week(ADA, MONDAY) is None
        assert await work.plans.weeks_for([(ada, MONDAY)]) == {}
        assert await work.plans.day(ADA, MONDAY + dt.timedelta(days=3)) == week.days[3]


# --- check-ins ------------------------------------------------------------------------------------


async def test_niggle_answers_add_up_per_area_and_the_brief_names_the_niggles(backend: Backend) -> None:
    """Each niggle area's pain-monitoring answer is kept beside the others; answering an area again
    replaces only that area's answer; the runner's brief lists the areas they work around."""
    await onboard(backend.uow, ADA, full_profile())  # working around the knee and the ankle
    day = dt.date(2026, 11, 24)
    async with backend.uow() as work:
        await work.checkins.set_status(ADA, day, session_kind=SessionKind.STRENGTH, status="done", now=NOW)
        await work.checkins.set_details(ADA, day, niggle=(BodyArea.KNEE, True), now=NOW)
        await work.checkins.set_details(ADA, day, niggle=(BodyArea.ANKLE, True), now=NOW)
        await work.checkins.set_details(ADA, day, niggle=(BodyArea.ANKLE, False), now=NOW)
        unlogged = day + dt.timedelta(days=1)
        assert await work.checkins.set_details(ADA, unlogged, niggle=(BodyArea.KNEE, True), now=NOW) is None
        await work.commit()
    async with backend.uow() as work:
        stored = await work.checkins.get(ADA, day)
        brief = await work.runners.brief(ADA)
    assert stored is not None and dict(stored.niggles) == {BodyArea.KNEE: True, BodyArea.ANKLE: False}
    assert brief is not None and brief.niggles == frozenset({BodyArea.KNEE, BodyArea.ANKLE})


async def test_a_checkin_is_written_field_by_field(backend: Backend) -> None:
    """A status, then effort, soreness and pain, one at a time, on one check-in; a new status keeps the
    details and the first creation time; details for a date without a check-in write nothing."""
    await onboard(backend.uow, ADA)
    day = dt.date(2026, 11, 24)
    later = NOW + dt.timedelta(hours=10)
    async with backend.uow() as work:
        first = await work.checkins.set_status(ADA, day, session_kind=SessionKind.STRENGTH, status="done", now=NOW)
        await work.checkins.set_details(ADA, day, rpe=8, now=NOW)
        await work.checkins.set_details(ADA, day, soreness="a_bit", now=NOW)
        await work.commit()
    async with backend.uow() as work:
        await work.checkins.set_status(
            ADA, day, session_kind="strength", status="partial", note="twinge " + "x" * 600, now=later
        )
        second = await work.checkins.set_details(ADA, day, pain_area=BodyArea.KNEE, now=later)
        assert await work.checkins.set_details(ADA, day + dt.timedelta(days=1), rpe=5, now=later) is None
        assert await work.checkins.get(ADA, day + dt.timedelta(days=1)) is None
        cleared = await work.checkins.set_details(ADA, day, rpe=None, pain_area=None, now=later)
        await work.commit()
    async with backend.uow() as work:
        stored = await work.checkins.get(ADA, day)
    assert (first.status, first.rpe, first.soreness, first.pain_area, first.note) == ("done", None, None, None, None)
    assert second is not None
    assert (second.status, second.rpe, second.soreness, second.pain_area) == ("partial", 8, "a_bit", BodyArea.KNEE)
    assert second.note == ("twinge " + "x" * 600)[:500]
    assert (second.session_kind, second.created_at, second.updated_at) == (SessionKind.STRENGTH, NOW, later)
    assert cleared is not None and (cleared.rpe, cleared.soreness, cleared.pain_area) == (None, "a_bit", None)
    assert stored == cleared


async def test_checkin_values_are_checked(backend: Backend) -> None:
    """An unknown status, an effort outside 1 to 10, or an unknown session kind is refused."""
    await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        with pytest.raises(ValueError, match="status"):
            await work.checkins.set_status(ADA, MONDAY, session_kind="strength", status="maybe", now=NOW)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            await work.checkins.set_status(ADA, MONDAY, session_kind="yoga", status="done", now=NOW)
        await work.checkins.set_status(ADA, MONDAY, session_kind="strength", status="done", now=NOW)
        for rpe in (0, 11):
            with pytest.raises(ValueError, match="rpe"):
                await work.checkins.set_details(ADA, MONDAY, rpe=rpe, now=NOW)


async def test_checkins_by_dates_and_by_runners(backend: Backend) -> None:
    """between includes both ends, oldest first; for_runners reads many runners' check-ins by internal id."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        for day in (26, 23, 25, 30):
            await work.checkins.set_status(ADA, dt.date(2026, 11, day), session_kind="mobility", status="done", now=NOW)
        await work.checkins.set_status(BOB, dt.date(2026, 11, 24), session_kind="strength", status="skipped", now=NOW)
        await work.commit()
    async with backend.uow() as work:
        found = await work.checkins.between(ADA, dt.date(2026, 11, 23), dt.date(2026, 11, 26))
        many = await work.checkins.for_runners([ada, bob], dt.date(2026, 11, 24), dt.date(2026, 11, 26))
        assert await work.checkins.for_runners([], MONDAY, MONDAY) == {}
    assert [c.date for c in found] == [dt.date(2026, 11, d) for d in (23, 25, 26)]
    assert {c.session_kind for c in found} == {SessionKind.MOBILITY}
    assert sorted(many) == sorted(
        [(ada, dt.date(2026, 11, 25)), (ada, dt.date(2026, 11, 26)), (bob, dt.date(2026, 11, 24))]
    )
    assert many[(bob, dt.date(2026, 11, 24))].status == "skipped"


async def test_instants_come_back_aware_in_utc(backend: Backend) -> None:
    """An instant written with any UTC offset reads back as the same instant, in UTC."""
    local = dt.datetime(2026, 11, 23, 20, 15, tzinfo=BERLIN)
    runner_id = await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        record = await work.checkins.set_status(ADA, MONDAY, session_kind="strength", status="done", now=local)
        await work.due.put(runner_id, "later", local, MONDAY)
        await work.deliveries.record([DeliveryRecord(runner_id, MONDAY, "prompt", local, 7)])
        await work.commit()
    async with backend.uow() as work:
        stored = await work.checkins.get(ADA, MONDAY)
        due = (await work.due.of_runner(runner_id))["later"]
        delivery = await work.deliveries.get(ADA, MONDAY, "prompt")
        account = await work.runners.get(ADA)
    assert stored == record and account is not None and delivery is not None
    for value in (record.created_at, record.updated_at, due.due_at, delivery.sent_at, account.onboarded_at):
        assert value in (local, NOW)
        assert value is not None and value.tzinfo is dt.UTC


# --- reviews --------------------------------------------------------------------------------------


async def test_a_week_is_reviewed_once_and_recent_reviews_come_newest_first(backend: Backend) -> None:
    """The first review of a week is kept and a second is refused; recent reads earlier weeks, newest first."""
    await onboard(backend.uow, ADA)
    await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        for weeks_ago in (3, 2, 1):
            start = MONDAY - dt.timedelta(days=7 * weeks_ago)
            assert await work.reviews.add(ADA, start, "hold", a_review(start, step_after=weeks_ago), NOW)
        first = a_review(rules=("A1", "A5"), key="A1", step_after=2, deload_next=True, niggles_ask=("knee",))
        assert await work.reviews.add(ADA, MONDAY, "progress", first, NOW)
        assert not await work.reviews.add(ADA, MONDAY, "back_off", a_review(key="A3"), NOW)
        await work.reviews.add(BOB, MONDAY - dt.timedelta(days=7), "pain", a_review(key="A4", pain=("knee",)), NOW)
        await work.commit()
    async with backend.uow() as work:
        assert await work.reviews.get(ADA, MONDAY) == first
        assert await work.reviews.get(ADA, MONDAY + dt.timedelta(days=7)) is None
        recent = await work.reviews.recent(ADA, MONDAY, 2)
        assert await work.reviews.recent(ADA, MONDAY - dt.timedelta(days=21), 2) == []
    assert recent == [
        a_review(dt.date(2026, 11, 16), step_after=1),
        a_review(dt.date(2026, 11, 9), step_after=2),
    ]


async def test_a_review_is_stored_as_the_json_of_its_fields(backend: Backend) -> None:
    """The stored JSON is the payload's fields by name, dates as ISO text and tuples as lists."""
    ada = await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        await work.reviews.add(ADA, MONDAY, "hold", a_review(pain=("knee",), level="some"), NOW)
        await work.commit()
    if backend.fake is not None:
        stored = json.loads(backend.fake.tables.reviews[(ada, MONDAY)].payload)
    else:
        assert backend.engine is not None
        async with backend.engine.connect() as connection:
            stored = (await connection.execute(select(ReviewRow.payload))).scalar_one()
    assert list(stored) == list(ReviewPayload.model_fields)
    assert stored["week_start"] == "2026-11-23" and stored["rules"] == ["A2"] and stored["pain"] == ["knee"]
    assert stored["mean_rpe"] == 6.5 and stored["level"] == "some" and stored["niggles_ask"] == []


async def test_a_review_stored_before_newer_fields_still_reads(backend: Backend) -> None:
    """A payload stored by the first version (without A3's offer, N4's niggles or the level question)
    reads with those fields at their defaults; a key no longer known is ignored."""
    ada = await onboard(backend.uow, ADA)
    old: dict[str, Any] = {
        "week_start": "2026-11-16",
        "rules": ["A2"],
        "key": "A2_no_answers",
        "planned": 2,
        "done": 0,
        "partial": 0,
        "mean_rpe": None,
        "very_sore": 0,
        "pain": [],
        "silent": True,
        "ask_still_lifting": False,
        "step_before": 1,
        "step_after": 1,
        "deload_next": False,
        "retired": "a key this version does not know",
    }
    await backend.store_review_as_is(ada, dt.date(2026, 11, 16), old)
    async with backend.uow() as work:
        read = await work.reviews.get(ADA, dt.date(2026, 11, 16))
        recent = await work.reviews.recent(ADA, MONDAY, 2)
    assert read is not None and recent == [read]
    assert read.week_start == dt.date(2026, 11, 16) and read.key == "A2_no_answers" and read.silent
    assert not (read.eased_next or read.step_later or read.offer_lighter or read.ask_level_up)
    assert read.niggles_down == read.niggles_ask == () and read.level is None and read.mean_rpe is None


# --- due messages and deliveries ------------------------------------------------------------------


async def test_due_rows_are_set_replaced_and_removed(backend: Backend) -> None:
    """put sets one row per runner and kind (replacing the last), remove drops kinds or all; the
    schedule settings read from the runner."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        await work.runners.set_settings(BOB, active=False, paused_from=MONDAY)
        await work.due.put(ada, PROMPT, at(6, 30), MONDAY)
        await work.due.put(ada, PROMPT, at(7), MONDAY)
        await work.due.put(ada, NUDGE, at(18), MONDAY)
        await work.due.put(ada, LATER, at(9), MONDAY, "prompt")
        await work.due.put(bob, REVIEW, at(18, 30, day=29), dt.date(2026, 11, 29))
        rows = await work.due.of_runner(ada)
        await work.due.remove(ada, [NUDGE, PAIN_CHECK])
        some = set(await work.due.of_runner(ada))
        await work.due.remove(ada)
        settings = await work.due.settings(ADA)
        many = await work.due.settings_of([bob, ada, 999_999])
        assert await work.due.settings_of([]) == {}
        assert set(await work.due.of_runner(bob)) == {"review"}
    assert {k: (r.runner_id, r.due_at, r.local_date, r.detail) for k, r in rows.items()} == {
        "prompt": (ada, at(7), MONDAY, None),
        "nudge": (ada, at(18), MONDAY, None),
        "later": (ada, at(9), MONDAY, "prompt"),
    }
    assert some == {"prompt", "later"}
    assert settings is not None and settings == many[ada]
    assert (settings.runner_id, settings.telegram_id, settings.chat_id) == (ada, ADA, ADA)
    assert (settings.timezone, settings.reminder_time, settings.schedulable) == ("Europe/Berlin", dt.time(7, 30), True)
    assert (many[bob].active, many[bob].paused_from, many[bob].schedulable) == (False, MONDAY, False)
    assert set(many) == {ada, bob}


async def test_claims_lease_and_release_due_rows(backend: Backend) -> None:
    """A claim takes due rows whose lease is free or over, earliest first, up to the limit; a claimed
    row is not due to anyone else until its lease ends on the database's clock, whatever instant
    the caller's clock says."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        await work.due.begin_write()  # first in the transaction, as the dispatcher does
        await work.due.put(ada, PROMPT, at(7), MONDAY)
        await work.due.put(bob, PROMPT, at(6), MONDAY)
        await work.due.put(ada, NUDGE, at(18), MONDAY)
        assert not await work.due.any_due(at(5))
        assert await work.due.earliest_after(at(5)) == at(6)
        assert await work.due.earliest_after(at(6)) == at(7)
        assert await work.due.earliest_after(at(18)) is None
        first = await work.due.claim(at(8), "w1", SECOND, 1)
        rest = await work.due.claim(at(8), "w2", SECOND, 10)
        assert await work.due.claim(at(9), "w3", LEASE, 10) == []  # a later app clock frees no lease
        assert not await work.due.any_due(at(9))
        await work.due.extend("w1", LEASE)
        await asyncio.sleep(1.2)  # the database's clock ends w2's lease
        assert await work.due.any_due(at(8))
        again = await work.due.claim(at(8), "w3", LEASE, 10)
        await work.commit()
    assert [(r.runner_id, r.kind, r.due_at) for r in first] == [(bob, "prompt", at(6))]
    assert [(r.runner_id, r.kind, r.local_date) for r in rest] == [(ada, "prompt", MONDAY)]
    assert [(r.runner_id, r.kind) for r in again] == [(ada, "prompt")]  # w1 extended its lease, w2 did not
    async with backend.uow() as work:
        await work.due.release_all("w1", [bob])
        assert [r.runner_id for r in await work.due.claim(at(8, 4), "w4", LEASE, 10)] == [bob]


async def test_claimed_rows_move_on_only_when_unchanged(backend: Backend) -> None:
    """advance moves a claimed row to its next date (or deletes it) only if it is still the row that was
    claimed; postpone and release free rows with a new due time or a short lease; put keeps a claim."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    tuesday = MONDAY + dt.timedelta(days=1)
    async with backend.uow() as work:
        for runner in (ada, bob):
            await work.due.put(runner, PROMPT, at(7), MONDAY)
            await work.due.put(runner, LATER, at(7), MONDAY)
            await work.due.put(runner, NUDGE, at(7), MONDAY)
        await work.due.put(ada, REVIEW, at(7), MONDAY)
        claimed = await work.due.claim(at(7), "w", LEASE, 10)
        await work.due.put(bob, PROMPT, at(7, 30), MONDAY)  # rescheduled while claimed
        await work.due.advance(
            "w",
            [
                Advance(ada, PROMPT, MONDAY, at(7), tuesday, at(7, day=24)),
                Advance(bob, PROMPT, MONDAY, at(7), tuesday, at(7, day=24)),
                Advance(ada, LATER, MONDAY, at(7), None, None),
                Advance(bob, LATER, MONDAY, at(7), None, None),
            ],
        )
        await work.due.advance("other", [Advance(ada, NUDGE, MONDAY, at(7), None, None)])
        await work.due.postpone("w", [(ada, NUDGE, at(8))])
        await work.due.release("w", [(bob, NUDGE)], at(7, 1))
        await work.due.release_all("w", [ada, bob])
        ada_rows, bob_rows = await work.due.of_runner(ada), await work.due.of_runner(bob)
        free_at_7_1 = [(r.runner_id, r.kind) for r in await work.due.claim(at(7, 1), "x", LEASE, 10)]
        await work.commit()
    assert len(claimed) == 7
    assert {k: (r.local_date, r.due_at) for k, r in ada_rows.items()} == {
        "prompt": (tuesday, at(7, day=24)),
        "nudge": (MONDAY, at(8)),
        "review": (MONDAY, at(7)),
    }
    assert {k: (r.local_date, r.due_at) for k, r in bob_rows.items()} == {
        "prompt": (MONDAY, at(7, 30)),  # the new values stay: it was not the row claimed
        "nudge": (MONDAY, at(7)),
    }
    # released as failed at 07:01, Bob's nudge is not free at 07:01; Ada's review was freed by release_all
    assert free_at_7_1 == [(ada, "review")]


async def test_stopping_runners_who_blocked_the_bot(backend: Backend) -> None:
    """stop_runners marks the runners inactive and deletes their due rows, and only theirs."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        for runner in (ada, bob):
            await work.due.put(runner, PROMPT, at(7), MONDAY)
        await work.due.stop_runners([ada], at(7))
        await work.due.stop_runners([], at(7))
        await work.commit()
    async with backend.uow() as work:
        account, other = await work.runners.get(ADA), await work.runners.get(BOB)
        assert await work.due.of_runner(ada) == {} and set(await work.due.of_runner(bob)) == {"prompt"}
    assert account is not None and not account.active
    assert other is not None and other.active


async def test_deliveries_are_recorded_once(backend: Backend) -> None:
    """A delivery is recorded once per runner, date and kind; sent, last_dates and get read them back."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    tuesday = MONDAY + dt.timedelta(days=1)
    async with backend.uow() as work:
        await work.deliveries.record([])
        await work.deliveries.record(
            [
                DeliveryRecord(ada, MONDAY, PROMPT, at(7), 11),
                DeliveryRecord(ada, tuesday, PROMPT, at(7, day=24), 12),
                DeliveryRecord(ada, MONDAY, REVIEW, at(19), None),
                DeliveryRecord(bob, MONDAY, PROMPT, at(7), 13),
            ]
        )
        await work.deliveries.record([DeliveryRecord(ada, MONDAY, PROMPT, at(9), 99)])
        await work.commit()
    async with backend.uow() as work:
        sent = await work.deliveries.sent(
            [(ada, MONDAY, PROMPT), (ada, MONDAY, NUDGE), (bob, tuesday, PROMPT), (bob, MONDAY, PROMPT)]
        )
        assert await work.deliveries.sent([]) == set()
        assert await work.deliveries.last_dates(ada) == {"prompt": tuesday, "review": MONDAY}
        assert await work.deliveries.last_dates(999_999) == {}
        first = await work.deliveries.get(ADA, MONDAY, PROMPT)
        assert await work.deliveries.get(ADA, MONDAY, NUDGE) is None
    assert sent == {(ada, MONDAY, PROMPT), (bob, MONDAY, PROMPT)}
    assert first == DeliveryRecord(ada, MONDAY, PROMPT, at(7), 11)


async def test_a_due_row_removed_for_a_date_goes_only_if_it_is_for_that_date(backend: Backend) -> None:
    """``due.remove`` with a date deletes the runner's row of that kind only when it is for that
    date; another date's row, another kind's and another runner's stay."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    tuesday = MONDAY + dt.timedelta(days=1)
    async with backend.uow() as work:
        await work.due.put(ada, LATER, at(9), MONDAY)
        await work.due.put(ada, PROMPT, at(7), MONDAY)
        await work.due.put(bob, LATER, at(9), MONDAY)
        await work.due.remove(ada, [LATER], tuesday)  # another date: kept
        await work.commit()
    async with backend.uow() as work:
        assert set(await work.due.of_runner(ada)) == {LATER, PROMPT}
        await work.due.remove(ada, [LATER], MONDAY)
        await work.commit()
    async with backend.uow() as work:
        assert set(await work.due.of_runner(ada)) == {PROMPT}
        assert set(await work.due.of_runner(bob)) == {LATER}


async def test_due_rows_with_the_last_dates_sent_read_as_the_two_reads_do(backend: Backend) -> None:
    """``due.with_sent`` (a reschedule's one read) gives what ``due.of_runner`` and
    ``deliveries.last_dates`` give, kinds as ``DueKind``s and instants aware, for a runner with rows
    and deliveries, and for one with neither."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    tuesday = MONDAY + dt.timedelta(days=1)
    async with backend.uow() as work:
        await work.due.put(ada, PROMPT, at(7, day=24), tuesday)
        await work.due.put(ada, PAIN_CHECK, at(9), MONDAY, "knee")
        await work.deliveries.record(
            [
                DeliveryRecord(ada, MONDAY, PROMPT, at(7), 11),
                DeliveryRecord(ada, tuesday, PROMPT, at(7, day=24), 12),
                DeliveryRecord(ada, MONDAY, REVIEW, at(19), None),
                DeliveryRecord(bob, tuesday, NUDGE, at(8, day=24), 13),
            ]
        )
        await work.commit()
    async with backend.uow() as work:
        both = await work.due.with_sent(ada)
        apart = (await work.due.of_runner(ada), await work.deliveries.last_dates(ada))
        nothing = await work.due.with_sent(999_999)
    assert both == apart
    assert both[1] == {"prompt": tuesday, "review": MONDAY}
    assert both[0]["pain_check"] == DueRecord(ada, PAIN_CHECK, at(9), MONDAY, "knee")
    assert all(isinstance(kind, DueKind) for part in both for kind in part)
    assert all(record.due_at.tzinfo is not None for record in both[0].values())
    assert nothing == ({}, {})


async def test_an_attempt_is_stored_before_the_send_and_confirmed_after(backend: Backend) -> None:
    """attempt stores a send about to be made once (a second dispatcher's same attempt is refused),
    confirm stores the message id, withdraw undoes a refused send, a re-send moves on only from the
    count it was decided on, give_up marks one never confirmed; states reads them back."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    a_prompt, a_nudge, b_prompt = (ada, MONDAY, PROMPT), (ada, MONDAY, NUDGE), (bob, MONDAY, PROMPT)
    async with backend.uow() as work:
        first = await work.deliveries.attempt([Attempt(ada, MONDAY, PROMPT, at(7)), Attempt(ada, MONDAY, NUDGE, at(7))])
        again = await work.deliveries.attempt(
            [Attempt(ada, MONDAY, PROMPT, at(7)), Attempt(bob, MONDAY, PROMPT, at(7))]
        )
        await work.deliveries.confirm([DeliveryRecord(ada, MONDAY, PROMPT, at(7, 1), 41)])
        await work.deliveries.withdraw([b_prompt])
        resent = await work.deliveries.attempt([Attempt(ada, MONDAY, NUDGE, at(8), before=1)])
        late = await work.deliveries.attempt([Attempt(ada, MONDAY, NUDGE, at(8), before=1)])
        await work.deliveries.give_up([a_nudge, a_prompt])
        await work.commit()
    async with backend.uow() as work:
        states = await work.deliveries.states([a_prompt, a_nudge, b_prompt])
        prompt = await work.deliveries.get(ADA, MONDAY, PROMPT)
        assert await work.deliveries.states([]) == {}
    assert (first, again, resent, late) == ({a_prompt, a_nudge}, {b_prompt}, {a_nudge}, set())
    assert states == {
        a_prompt: Delivered(DeliveryState.SENT, 1),
        a_nudge: Delivered(DeliveryState.UNSURE, 2),
    }
    assert prompt == DeliveryRecord(ada, MONDAY, PROMPT, at(7, 1), 41)


async def test_a_one_off_sent_is_reopened_for_a_new_promise_but_not_while_being_sent(backend: Backend) -> None:
    """reopen forgets a "later" that was sent (a new one for its date can go out) and one given up,
    never one still being sent; another runner's is untouched."""
    ada = await onboard(backend.uow, ADA)
    bob = await onboard(backend.uow, BOB)
    a_later, b_later, a_pain = (ada, MONDAY, LATER), (bob, MONDAY, LATER), (ada, MONDAY, PAIN_CHECK)
    async with backend.uow() as work:
        await work.deliveries.attempt([Attempt(*key, at(9)) for key in (a_later, b_later, a_pain)])
        await work.deliveries.confirm(
            [DeliveryRecord(ada, MONDAY, LATER, at(9), 7), DeliveryRecord(bob, MONDAY, LATER, at(9), 8)]
        )
        await work.deliveries.reopen(a_later)
        await work.deliveries.reopen(a_pain)  # still being sent: kept
        await work.commit()
    async with backend.uow() as work:
        states = await work.deliveries.states([a_later, b_later, a_pain])
        again = await work.deliveries.attempt([Attempt(*a_later, at(11))])
    assert set(states) == {b_later, a_pain} and again == {a_later}


async def test_kinds_read_back_as_due_kinds_stored_as_their_values(backend: Backend) -> None:
    """Every read of a due row or a delivery hands back a ``DueKind``; the database column holds the
    enum's value, the plain string rows always held (no migration)."""
    ada = await onboard(backend.uow, ADA)
    async with backend.uow() as work:
        await work.due.put(ada, PAIN_CHECK, at(7), MONDAY, "knee")
        await work.deliveries.record([DeliveryRecord(ada, MONDAY, NUDGE, at(7), 5)])
        due = await work.due.of_runner(ada)
        claimed = await work.due.claim(at(8), "w", LEASE, 10)
        sent = await work.deliveries.sent([(ada, MONDAY, NUDGE)])
        last = await work.deliveries.last_dates(ada)
        one = await work.deliveries.get(ADA, MONDAY, NUDGE)
        await work.commit()
    kinds = [*due, *(r.kind for r in due.values()), *(r.kind for r in claimed), *(k for _, _, k in sent), *last]
    assert one is not None
    kinds.append(one.kind)
    assert kinds and all(type(kind) is DueKind for kind in kinds)
    if backend.engine is not None:
        async with backend.engine.connect() as connection:
            stored = {
                *(await connection.execute(text("SELECT kind FROM due_messages"))).scalars(),
                *(await connection.execute(text("SELECT kind FROM deliveries"))).scalars(),
            }
        assert stored == {"pain_check", "nudge"} and all(type(kind) is str for kind in stored)


# --- groups told the coach serves private chats only ----------------------------------------------


async def test_a_group_is_marked_told_once(backend: Backend) -> None:
    """The first mark of a group says so, every later one (in any unit of work) does not; another
    group is its own; a mark that is not committed is not remembered."""
    async with backend.uow() as work:
        assert await work.groups.mark_told(GROUP)  # never committed
    async with backend.uow() as work:
        assert await work.groups.mark_told(GROUP)
        assert not await work.groups.mark_told(GROUP)
        await work.commit()
    async with backend.uow() as work:
        assert not await work.groups.mark_told(GROUP)
        assert await work.groups.mark_told(GROUP - 1)


# --- forgetting a runner --------------------------------------------------------------------------


async def fill_everything(backend: Backend, telegram_id: int) -> None:
    """Give a runner rows in every table that can hold their data."""
    runner_id = await onboard(backend.uow, telegram_id)
    async with backend.uow() as work:
        await work.runners.save_state(telegram_id, TrainingState(step=2, pain={BodyArea.KNEE: dt.date(2026, 12, 1)}))
        await work.answers.put(telegram_id, "level", "some", NOW)
        await work.plans.save_week(telegram_id, a_week(MONDAY), NOW)
        await work.checkins.set_status(telegram_id, MONDAY, session_kind="strength", status="done", now=NOW)
        await work.checkins.set_details(telegram_id, MONDAY, rpe=6, now=NOW)
        await work.reviews.add(telegram_id, MONDAY, "hold", a_review(), NOW)
        await work.due.put(runner_id, "prompt", at(7, day=24), MONDAY + dt.timedelta(days=1))
        await work.deliveries.record([DeliveryRecord(runner_id, MONDAY, "prompt", at(7), 5)])
        words = {"update_id": telegram_id, "message": {"text": "did it, rpe 7"}}
        await work.inbox.store([Incoming(telegram_id, telegram_id, words)], NOW)  # not handled yet
        await work.feeds.replace(telegram_id, token_hash(f"token of {telegram_id}"), NOW)
        await work.sources.put(telegram_id, f"https://plans.example/{telegram_id}.ics", "ab" * 32, NOW)
        await work.commit()


async def snapshot(work: Any, telegram_id: int) -> tuple[Any, ...]:
    account = await work.runners.get(telegram_id)
    return (
        account,
        await work.answers.get_all(telegram_id),
        await work.plans.week(telegram_id, MONDAY),
        await work.checkins.between(telegram_id, dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
        await work.reviews.get(telegram_id, MONDAY),
        await work.due.of_runner(account.id),
        await work.deliveries.last_dates(account.id),
        await work.sources.get(telegram_id),
    )


async def test_forget_runner_leaves_nothing_of_them_in_any_table(backend: Backend) -> None:
    """After forget_runner nothing about the Telegram id remains in any table, another runner's data
    is as it was, a group told the coach serves private chats only stays told, and forgetting again
    finds nothing."""
    await fill_everything(backend, BOB)
    await fill_everything(backend, ADA)
    async with backend.uow() as work:
        assert await work.groups.mark_told(GROUP)
        await work.commit()
    async with backend.uow() as work:
        ada = (await work.runners.get(ADA) or pytest.fail("no Ada")).id
        bob = (await work.runners.get(BOB) or pytest.fail("no Bob")).id
        bob_before = await snapshot(work, BOB)
    assert len(await backend.traces(ADA, ada)) >= 8

    async with backend.uow() as work:
        assert await forget_runner(work, ADA)
        await work.commit()

    assert await backend.traces(ADA, ada) == {}
    assert len(await backend.traces(BOB, bob)) >= 8
    async with backend.uow() as work:
        assert await snapshot(work, BOB) == bob_before
        assert not await forget_runner(work, ADA)
        assert not await work.groups.mark_told(GROUP), "the group was told already"


async def test_forget_runner_erases_the_answers_of_someone_never_onboarded(backend: Backend) -> None:
    """Someone who stopped half-way through onboarding has answers but no account: forgetting them
    erases those too."""
    async with backend.uow() as work:
        await work.answers.put(ADA, "level", "new", NOW)
        await work.commit()
    async with backend.uow() as work:
        assert await forget_runner(work, ADA)
        await work.commit()
    assert await backend.traces(ADA, -1) == {}


async def test_forgetting_without_commit_forgets_nothing(backend: Backend) -> None:
    """forget_runner in a unit of work that is not committed leaves every row in place."""
    await fill_everything(backend, ADA)
    async with backend.uow() as work:
        ada = (await work.runners.get(ADA) or pytest.fail("no Ada")).id
    before = await backend.traces(ADA, ada)
    async with backend.uow() as work:
        assert await forget_runner(work, ADA)
    assert await backend.traces(ADA, ada) == before


async def test_the_census_the_sent_counts_and_the_day_shown(backend: Backend) -> None:
    """/stats' census counts runners, onboarded, active and paused on a day; the sent counts take
    deliveries from an instant on; the day shown last reads back on the runner's brief."""
    ada = await onboard(backend.uow, ADA)
    await onboard(backend.uow, BOB)
    async with backend.uow() as work:
        await work.runners.ensure(CAL, CAL, "Cal", now=at(7))  # said hello, never onboarded
        await work.runners.set_settings(BOB, paused_from=MONDAY, paused_until=MONDAY + dt.timedelta(days=2), now=at(7))
        await work.deliveries.record(
            [DeliveryRecord(ada, MONDAY - dt.timedelta(days=1), "prompt", at(7, day=22), 1)]
            + [DeliveryRecord(ada, MONDAY, kind, at(7), n) for n, kind in enumerate((PROMPT, NUDGE), start=2)]
        )
        await work.runners.set_shown(ADA, MONDAY + dt.timedelta(days=1), at(8))
        await work.commit()
    async with backend.uow() as work:
        assert await work.runners.census(MONDAY) == (3, 2, 1, 1)
        assert await work.runners.census(MONDAY + dt.timedelta(days=3)) == (3, 2, 2, 0)  # the pause is over
        assert await work.deliveries.counts_since(at(0)) == {"prompt": 1, "nudge": 1}
        brief = await work.runners.brief(ADA)
    assert brief is not None and (brief.shown_date, brief.shown_at) == (MONDAY + dt.timedelta(days=1), at(8))


# --- calendar feeds -------------------------------------------------------------------------------


async def test_a_feed_token_serves_its_runners_lifting_days_until_replaced_or_revoked(backend: Backend) -> None:
    """A token's hash finds its runner's stored days with a session (rest days left out, none before
    ``since``); a new token replaces the old one, revoking ends it, and another runner's token serves
    only their own days."""
    ada_id, bob_id = await onboard(backend.uow, ADA), await onboard(backend.uow, BOB)
    week = a_week(MONDAY)
    async with backend.uow() as work:
        await work.plans.save_week(ADA, week, NOW)
        await work.plans.save_week(BOB, a_week(MONDAY + dt.timedelta(days=7)), NOW)
        await work.feeds.replace(ADA, token_hash("first"), NOW)
        await work.feeds.replace(BOB, token_hash("bob's"), NOW)
        await work.commit()
    lifting = [day for day in week.days if day.session.kind is not SessionKind.REST]
    async with backend.uow() as work:
        plan = await work.feeds.plan(token_hash("first"), MONDAY + dt.timedelta(days=1))
        bobs = await work.feeds.plan(token_hash("bob's"), MONDAY)
        assert await work.feeds.plan(token_hash("nobody's"), MONDAY) is None
    assert plan is not None and plan.runner_id == ada_id
    assert [d.day for d in plan.days] == [day for day in lifting if day.date > MONDAY]
    assert bobs is not None and bobs.runner_id == bob_id and all(d.day.date > week.days[-1].date for d in bobs.days)

    async with backend.uow() as work:
        await work.feeds.replace(ADA, token_hash("second"), NOW)
        await work.commit()
    async with backend.uow() as work:
        assert await work.feeds.plan(token_hash("first"), MONDAY) is None
        assert await work.feeds.plan(token_hash("second"), MONDAY) is not None
        assert await work.feeds.revoke(ADA)
        await work.commit()
    async with backend.uow() as work:
        assert await work.feeds.plan(token_hash("second"), MONDAY) is None
        assert not await work.feeds.revoke(ADA)
        mine = await work.feeds.plan_of(ADA, MONDAY)
        assert mine is not None and [d.day for d in mine.days] == lifting
        assert await work.feeds.plan(token_hash("bob's"), MONDAY) is not None


# --- imported calendar feeds -----------------------------------------------------------------------------------


async def test_a_calendar_feed_is_stored_stamped_by_its_reads_and_removed(backend: Backend) -> None:
    """put stores a feed read well; a failed read counts and keeps the fingerprint; a good one
    stamps it; another runner never sees it; remove forgets it."""
    ada, bob = await onboard(backend.uow, ADA), await onboard(backend.uow, BOB)
    later = NOW + dt.timedelta(days=1)
    async with backend.uow() as work:
        assert await work.sources.get(ADA) is None
        await work.sources.put(ADA, "https://plans.example/secret-token.ics", "a" * 64, NOW)
        await work.commit()
    async with backend.uow() as work:
        found = await work.sources.get(ADA)
        assert found == FeedSource("https://plans.example/secret-token.ics", "a" * 64, NOW, 0)
        assert "secret-token" not in repr(found), "the link is a secret: never in a repr"
        await work.sources.record(ADA, digest=None, failures=2, now=later)
        await work.commit()
    async with backend.uow() as work:
        assert await work.sources.of_runners([ada, bob]) == {
            ada: FeedSource("https://plans.example/secret-token.ics", "a" * 64, NOW, 2)
        }
        await work.sources.record(ADA, digest="b" * 64, failures=0, now=later)
        assert (await work.sources.get(ADA)) == FeedSource("https://plans.example/secret-token.ics", "b" * 64, later, 0)
        assert await work.sources.get(BOB) is None
        assert await work.sources.remove(ADA)
        assert not await work.sources.remove(ADA)
        await work.commit()
    async with backend.uow() as work:
        assert await work.sources.get(ADA) is None


async def test_last_heard_is_set_at_onboarding_moved_only_when_stale_and_the_prompts_choice_reads_back(
    backend: Backend,
) -> None:
    """Onboarding counts as heard; a later word moves the time only once the stored one is older than
    the given step; the lifting-days-only choice reads back on the brief."""
    await onboard(backend.uow, ADA)
    hour = dt.timedelta(hours=1)
    async with backend.uow() as work:
        brief = await work.runners.brief(ADA)
        assert brief is not None and (brief.last_heard_at, brief.lifting_prompts_only) == (NOW, False)
        await work.runners.heard(ADA, NOW + dt.timedelta(minutes=30), hour)  # within the hour: kept
        await work.runners.set_preferences(ADA, lifting_prompts_only=True)
        await work.commit()
    async with backend.uow() as work:
        brief = await work.runners.brief(ADA)
        assert brief is not None and (brief.last_heard_at, brief.lifting_prompts_only) == (NOW, True)
        await work.runners.heard(ADA, NOW + dt.timedelta(hours=2), hour)
        await work.commit()
    async with backend.uow() as work:
        brief = await work.runners.brief(ADA)
        assert brief is not None and brief.last_heard_at == NOW + dt.timedelta(hours=2)
        assert not brief.review_chart
        await work.runners.set_preferences(ADA, review_chart=True)
        await work.commit()
    async with backend.uow() as work:
        brief = await work.runners.brief(ADA)
    assert brief is not None and (brief.review_chart, brief.lifting_prompts_only) == (True, True)


# --- a stored day or week read with its check-ins (/today, /week) ------------------------------------


async def test_a_day_and_a_week_read_back_with_their_check_ins_and_the_day_before(backend: Backend) -> None:
    """A stored day reads back as saved, with its own check-in and the status logged the day before;
    a week with each day's status and the day before its Monday's; an unstored day or week is None
    or left out."""
    ada = await onboard(backend.uow, ADA)
    week = a_week(MONDAY)
    sunday = MONDAY - dt.timedelta(days=1)
    async with backend.uow() as work:
        await work.plans.save_week(ADA, week, NOW)
        await work.checkins.set_status(ADA, sunday, session_kind=SessionKind.STRENGTH, status="skipped", now=NOW)
        await work.checkins.set_status(ADA, MONDAY, session_kind=SessionKind.STRENGTH, status="done", now=NOW)
        await work.checkins.set_details(ADA, MONDAY, rpe=7, now=NOW)
        await work.commit()
    tuesday = MONDAY + dt.timedelta(days=1)
    async with backend.uow() as work:
        monday = await work.plans.day_logged(ADA, MONDAY)
        second = await work.plans.day_logged(ADA, tuesday)
        missing = await work.plans.day_logged(ADA, MONDAY + dt.timedelta(days=7))
        weeks, logged = await work.plans.weeks_logged(ada, [MONDAY, MONDAY + dt.timedelta(days=7)])
        checkin = await work.checkins.get(ADA, MONDAY)
    assert monday == (week.days[0], checkin, "skipped")
    assert checkin is not None and checkin.rpe == 7
    assert second == (week.days[1], None, "done")
    assert missing is None
    assert weeks == {MONDAY: week}  # the week after is not stored
    assert logged == {sunday: "skipped", MONDAY: "done"}
