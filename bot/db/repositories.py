"""Repositories: the only place where database rows turn into domain objects and back.

Every method is keyed by the runner's Telegram id and resolves the internal row id itself, so
no caller can reach another runner's rows by passing a wrong id. Nothing here commits: the
:class:`bot.db.uow.UnitOfWork` that owns the session does.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, get_args

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.clock import Clock
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Distance,
    Equipment,
    Level,
    Profile,
    Race,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekPlan,
)
from bot.db.codec import WEEK_LENGTH, day_from_json, day_to_json, week_from_json, week_header_to_json
from bot.db.engine import insert_ignore, upsert
from bot.db.models import (
    CalendarOverride,
    CheckinRow,
    DeliveryRow,
    DueMessageRow,
    OnboardingAnswer,
    PlanDayRow,
    PlanRow,
    PtbChatData,
    PtbConversation,
    PtbUserData,
    RaceRow,
    ReviewRow,
    RunDay,
    Runner,
    TrainingStateRow,
    decode_conversation_key,
)

CheckinStatus = Literal["done", "partial", "skipped", "swapped", "later"]
CHECKIN_STATUSES: tuple[CheckinStatus, ...] = get_args(CheckinStatus)

FIRST_NAME_MAX = 64


def printable(text: str) -> str:
    """``text`` without control characters (NUL, escapes...): PostgreSQL refuses NUL in text, and
    none of them belongs in a name shown back in the chat."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()
NOTE_MAX = 500


class UnknownRunner(LookupError):
    """No runner has this Telegram id (``runners.ensure`` was never called for them)."""

    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"no runner with telegram id {telegram_id}")
        self.telegram_id = telegram_id


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""Marks a ``set_settings`` argument that was not given (``None`` is a real value there)."""


@dataclass(frozen=True, slots=True)
class RunnerAccount:
    """A runner as the services see them: identity, delivery settings, profile and state.

    ``profile`` is None until onboarding has finished; ``reminder_time`` is a wall time in
    ``timezone``; ``paused_from`` is set while a pause runs (``paused_until`` is its last day,
    or None for an open-ended pause); ``state`` is the default ``TrainingState()`` until a weekly review saved one.
    """

    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    timezone: str | None
    reminder_time: dt.time | None
    active: bool
    paused_until: dt.date | None
    paused_from: dt.date | None
    onboarded: bool
    profile: Profile | None
    onboarded_at: dt.datetime | None
    state: TrainingState


@dataclass(frozen=True, slots=True)
class RunnerBrief:
    """A runner's identity and delivery settings without their calendar: one cheap query, enough
    to answer most everyday questions from the stored plan."""

    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    timezone: str | None
    reminder_time: dt.time | None
    active: bool
    paused_until: dt.date | None
    paused_from: dt.date | None
    onboarded: bool
    shown_date: dt.date | None = None
    shown_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    """How the session of one date went, as the runner reported it."""

    date: dt.date
    session_kind: SessionKind
    status: CheckinStatus
    rpe: int | None
    soreness: str | None
    pain_area: BodyArea | None
    note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


# ---------------------------------------------------------------------------------------------
# helpers


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


def _profile_of(row: Runner) -> Profile | None:
    if (
        row.onboarded_at is None
        or row.strength_level is None
        or row.equipment is None
        or row.session_minutes is None
        or not row.run_days
    ):
        return None
    race = None
    if row.race is not None:
        race = Race(distance=Distance(row.race.distance), date=row.race.date)
    return Profile(
        strength_level=Level(row.strength_level),
        week={Weekday(day.weekday): RunKind(day.kind) for day in row.run_days},
        race=race,
        equipment=Equipment(row.equipment),
        session_minutes=row.session_minutes,
        sessions_per_week=row.sessions_per_week,
        injuries=frozenset(BodyArea(area) for area in row.injuries),
        overrides={override.date: RunKind(override.kind) for override in row.overrides},
        hard_days_hard=row.hard_days_hard,
        preferred_days=frozenset(Weekday(day) for day in row.preferred_days),
        mobility_off_days=frozenset(Weekday(day) for day in row.mobility_off_days),
    )


def _state_of(row: TrainingStateRow | None) -> TrainingState:
    if row is None:
        return TrainingState()
    return TrainingState(
        step=row.step,
        set_cut=row.set_cut,
        weeks_trained=row.weeks_trained,
        backoff_weeks=row.backoff_weeks,
        fewer_sessions=row.fewer_sessions,
        minutes_cut=row.minutes_cut,
        recovery_week=row.recovery_week,
        pain={BodyArea(area): dt.date.fromisoformat(until) for area, until in row.pain.items()},
    )


def _account_of(row: Runner) -> RunnerAccount:
    return RunnerAccount(
        id=row.id,
        telegram_id=row.telegram_id,
        chat_id=row.chat_id,
        first_name=row.first_name,
        timezone=row.timezone,
        reminder_time=row.reminder_time,
        active=row.active,
        paused_until=row.paused_until,
        paused_from=row.paused_from,
        onboarded=row.onboarded_at is not None,
        profile=_profile_of(row),
        onboarded_at=row.onboarded_at,
        state=_state_of(row.training_state),
    )


def _checkin_of(row: CheckinRow) -> CheckinRecord:
    status = row.status
    if status not in CHECKIN_STATUSES:  # pragma: no cover - only written through upsert
        raise ValueError(f"unknown check-in status {status!r} in the database")
    return CheckinRecord(
        date=row.date,
        session_kind=SessionKind(row.session_kind),
        status=status,
        rpe=row.rpe,
        soreness=row.soreness,
        pain_area=BodyArea(row.pain_area) if row.pain_area is not None else None,
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class _Repository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def _now(self, now: dt.datetime | None) -> dt.datetime:
        return _aware(now if now is not None else self._clock.now())

    async def _runner_id(self, telegram_id: int) -> int:
        runner_id = await self._session.scalar(select(Runner.id).where(Runner.telegram_id == telegram_id))
        if runner_id is None:
            raise UnknownRunner(telegram_id)
        return runner_id


# ---------------------------------------------------------------------------------------------
# runners


class RunnerRepository(_Repository):
    """Runners, their calendar (weekly template, one-off dates, goal race) and training state."""

    async def _row(self, telegram_id: int) -> Runner | None:
        stmt = (
            select(Runner)
            .where(Runner.telegram_id == telegram_id)
            .options(
                selectinload(Runner.run_days),
                selectinload(Runner.overrides),
                selectinload(Runner.race),
                selectinload(Runner.training_state),
            )
            .execution_options(populate_existing=True)
        )
        row: Runner | None = await self._session.scalar(stmt)
        return row

    async def _require(self, telegram_id: int) -> Runner:
        row = await self._row(telegram_id)
        if row is None:
            raise UnknownRunner(telegram_id)
        return row

    async def get(self, telegram_id: int) -> RunnerAccount | None:
        """The runner with this Telegram id, or None if they never talked to the coach."""
        row = await self._row(telegram_id)
        return _account_of(row) if row is not None else None

    async def brief(self, telegram_id: int) -> RunnerBrief | None:
        """The runner's identity and settings in one query (no calendar, no state)."""
        row = (
            await self._session.execute(
                select(
                    Runner.id,
                    Runner.telegram_id,
                    Runner.chat_id,
                    Runner.first_name,
                    Runner.timezone,
                    Runner.reminder_time,
                    Runner.active,
                    Runner.paused_until,
                    Runner.paused_from,
                    Runner.onboarded_at,
                    Runner.shown_date,
                    Runner.shown_at,
                ).where(Runner.telegram_id == telegram_id)
            )
        ).one_or_none()
        if row is None:
            return None
        return RunnerBrief(
            id=row.id,
            telegram_id=row.telegram_id,
            chat_id=row.chat_id,
            first_name=row.first_name,
            timezone=row.timezone,
            reminder_time=row.reminder_time,
            active=row.active,
            paused_until=row.paused_until,
            paused_from=row.paused_from,
            onboarded=row.onboarded_at is not None,
            shown_date=row.shown_date,
            shown_at=row.shown_at,
        )

    async def census(self, today: dt.date) -> tuple[int, int, int, int]:
        """Runners who talked to the bot, onboarded, active (onboarded, not blocked, not paused
        on ``today``) and paused, for the operator's /stats."""
        onboarded = Runner.onboarded_at.is_not(None)
        paused = Runner.paused_from.is_not(None) & (Runner.paused_until.is_(None) | (Runner.paused_until >= today))
        row = (
            await self._session.execute(
                select(
                    func.count(),
                    func.count().filter(onboarded),
                    func.count().filter(onboarded & Runner.active & ~paused),
                    func.count().filter(onboarded & paused),
                ).select_from(Runner)
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])

    async def set_shown(self, telegram_id: int, day: dt.date, at: dt.datetime) -> None:
        """Remember the day just shown to the runner, so "why?" can explain it from any process."""
        await self._session.execute(
            update(Runner).where(Runner.telegram_id == telegram_id).values(shown_date=day, shown_at=_aware(at))
        )

    async def by_ids(self, runner_ids: Sequence[int]) -> dict[int, RunnerAccount]:
        """Many runners by internal id, loaded together (the dispatcher's batches)."""
        if not runner_ids:
            return {}
        rows = await self._session.scalars(
            select(Runner)
            .where(Runner.id.in_(sorted(set(runner_ids))))
            .options(
                selectinload(Runner.run_days),
                selectinload(Runner.overrides),
                selectinload(Runner.race),
                selectinload(Runner.training_state),
            )
            .execution_options(populate_existing=True)
        )
        return {row.id: _account_of(row) for row in rows}

    async def ensure(
        self, telegram_id: int, chat_id: int, first_name: str, *, now: dt.datetime | None = None
    ) -> RunnerAccount:
        """The runner with this Telegram id, created if new; chat id and first name kept current."""
        moment = self._now(now)
        first_name = printable(first_name)[:FIRST_NAME_MAX]
        await insert_ignore(
            self._session,
            Runner,
            {
                "telegram_id": telegram_id,
                "chat_id": chat_id,
                "first_name": first_name,
                "injuries": [],
                "preferred_days": [],
                "mobility_off_days": [],
                "hard_days_hard": False,
                "active": True,
                "created_at": moment,
                "updated_at": moment,
            },
            keys=["telegram_id"],
        )
        row = await self._require(telegram_id)
        if row.chat_id != chat_id or row.first_name != first_name:
            row.chat_id = chat_id
            row.first_name = first_name
            row.updated_at = moment
            await self._session.flush()
        return _account_of(row)

    async def save_profile(
        self,
        telegram_id: int,
        profile: Profile,
        *,
        timezone: str,
        reminder_time: dt.time,
        now: dt.datetime,
    ) -> RunnerAccount:
        """Store a complete profile: runner fields, and a fresh calendar and race in place of the old.

        The first call marks onboarding as finished at ``now``; later calls keep that instant.
        """
        _check_wall_time(reminder_time)
        moment = _aware(now)
        row = await self._require(telegram_id)
        row.strength_level = profile.strength_level.value
        row.equipment = profile.equipment.value
        row.session_minutes = profile.session_minutes
        row.sessions_per_week = profile.sessions_per_week
        row.injuries = sorted(area.value for area in profile.injuries)
        row.hard_days_hard = profile.hard_days_hard
        row.preferred_days = _days(profile.preferred_days)
        row.mobility_off_days = _days(profile.mobility_off_days)
        row.timezone = timezone
        row.reminder_time = reminder_time
        row.updated_at = moment
        if row.onboarded_at is None:
            row.onboarded_at = moment

        session = self._session
        await session.execute(delete(RunDay).where(RunDay.runner_id == row.id))
        await session.execute(delete(CalendarOverride).where(CalendarOverride.runner_id == row.id))
        await session.execute(delete(RaceRow).where(RaceRow.runner_id == row.id))
        await session.execute(
            insert(RunDay),
            [{"runner_id": row.id, "weekday": day.value, "kind": kind.value} for day, kind in profile.week.items()],
        )
        if profile.overrides:
            await session.execute(
                insert(CalendarOverride),
                [
                    {"runner_id": row.id, "date": day, "kind": kind.value}
                    for day, kind in sorted(profile.overrides.items())
                ],
            )
        if profile.race is not None:
            await session.execute(
                insert(RaceRow).values(runner_id=row.id, distance=profile.race.distance.value, date=profile.race.date)
            )
        await session.flush()
        return _account_of(await self._require(telegram_id))

    async def set_settings(
        self,
        telegram_id: int,
        *,
        timezone: str | _Unset | None = UNSET,
        reminder_time: dt.time | _Unset | None = UNSET,
        active: bool | _Unset = UNSET,
        paused_until: dt.date | _Unset | None = UNSET,
        paused_from: dt.date | _Unset | None = UNSET,
        now: dt.datetime | None = None,
    ) -> RunnerAccount:
        """Change the given delivery settings and leave the others as they are."""
        row = await self._require(telegram_id)
        if not isinstance(timezone, _Unset):
            row.timezone = timezone
        if not isinstance(reminder_time, _Unset):
            if reminder_time is not None:
                _check_wall_time(reminder_time)
            row.reminder_time = reminder_time
        if not isinstance(active, _Unset):
            row.active = active
        if not isinstance(paused_until, _Unset):
            row.paused_until = paused_until
        if not isinstance(paused_from, _Unset):
            row.paused_from = paused_from
        row.updated_at = self._now(now)
        await self._session.flush()
        return _account_of(row)

    async def save_state(self, telegram_id: int, state: TrainingState) -> None:
        """Store the runner's place on the progression ladder."""
        runner_id = await self._runner_id(telegram_id)
        values: dict[str, Any] = {
            "step": state.step,
            "set_cut": state.set_cut,
            "weeks_trained": state.weeks_trained,
            "backoff_weeks": state.backoff_weeks,
            "fewer_sessions": state.fewer_sessions,
            "minutes_cut": state.minutes_cut,
            "recovery_week": state.recovery_week,
            "pain": {BodyArea(area).value: until.isoformat() for area, until in sorted(state.pain.items())},
        }
        await upsert(
            self._session,
            TrainingStateRow,
            {"runner_id": runner_id, **values},
            keys=["runner_id"],
            update=list(values),
        )

    async def delete(self, telegram_id: int) -> bool:
        """Erase everything stored about this runner; False if there was nothing to erase.

        Covers the runner's rows, onboarding answers, and python-telegram-bot's stored data and
        conversations for their user id and private chat. (The running ``Application`` keeps its
        own in-memory copy: call ``application.drop_user_data``/``drop_chat_data`` as well.)
        """
        session = self._session
        found = False
        runner = await session.scalar(select(Runner).where(Runner.telegram_id == telegram_id))
        chat_ids = {telegram_id}
        if runner is not None:
            found = True
            if runner.chat_id > 0:  # a private chat; a group's data is not the runner's alone
                chat_ids.add(runner.chat_id)
            for model in (
                RunDay,
                CalendarOverride,
                RaceRow,
                TrainingStateRow,
                PlanRow,
                PlanDayRow,
                ReviewRow,
                CheckinRow,
                DueMessageRow,
                DeliveryRow,
            ):
                await session.execute(delete(model).where(model.runner_id == runner.id))
            await session.execute(delete(Runner).where(Runner.id == runner.id))
        answers = await session.scalar(
            select(func.count()).select_from(OnboardingAnswer).where(OnboardingAnswer.telegram_id == telegram_id)
        )
        found = found or bool(answers)
        await session.execute(delete(OnboardingAnswer).where(OnboardingAnswer.telegram_id == telegram_id))
        await session.execute(delete(PtbUserData).where(PtbUserData.user_id == telegram_id))
        await session.execute(delete(PtbChatData).where(PtbChatData.chat_id.in_(chat_ids)))
        ids_text = {str(i) for i in chat_ids}
        conversations = await session.execute(
            select(PtbConversation.name, PtbConversation.key).where(PtbConversation.key.contains(str(telegram_id)))
        )
        for name, key in conversations.all():
            if ids_text & {str(part) for part in decode_conversation_key(key)}:
                await session.execute(
                    delete(PtbConversation).where(PtbConversation.name == name, PtbConversation.key == key)
                )
        session.expunge_all()
        return found


def _days(days: frozenset[Weekday]) -> list[str]:
    order = list(Weekday)
    return [day.value for day in sorted(days, key=order.index)]


def _check_wall_time(value: dt.time) -> None:
    if value.tzinfo is not None:
        raise ValueError("reminder_time is a wall time in the runner's timezone: pass a naive time")


# ---------------------------------------------------------------------------------------------
# onboarding answers


class AnswerRepository(_Repository):
    """Onboarding answers given so far, so onboarding resumes where it stopped."""

    async def get_all(self, telegram_id: int) -> dict[str, Any]:
        rows = await self._session.execute(
            select(OnboardingAnswer.question, OnboardingAnswer.value).where(OnboardingAnswer.telegram_id == telegram_id)
        )
        return {question: value for question, value in rows.all()}

    async def put(self, telegram_id: int, question: str, value: Any, now: dt.datetime) -> None:
        """Record (or replace) the answer to one question; ``value`` must be JSON-serialisable."""
        json.dumps(value)  # fail here, with the caller on the stack, rather than at commit
        await upsert(
            self._session,
            OnboardingAnswer,
            {"telegram_id": telegram_id, "question": question, "value": value, "answered_at": _aware(now)},
            keys=["telegram_id", "question"],
            update=["value", "answered_at"],
        )

    async def discard(self, telegram_id: int, questions: Iterable[str]) -> None:
        """Forget the answers to some questions (drafts that a final answer replaced)."""
        await self._session.execute(
            delete(OnboardingAnswer).where(
                OnboardingAnswer.telegram_id == telegram_id, OnboardingAnswer.question.in_(list(questions))
            )
        )

    async def clear(self, telegram_id: int) -> None:
        await self._session.execute(delete(OnboardingAnswer).where(OnboardingAnswer.telegram_id == telegram_id))


# ---------------------------------------------------------------------------------------------
# plans


class PlanRepository(_Repository):
    """What was prescribed: one row per runner and date, plus the week's note and target.

    The stored plan is the record: prompts, check-ins, ``/today`` and the weekly review read it.
    Writing a week again only replaces the dates from ``from_date`` on, so a date already past
    keeps what was prescribed on it.
    """

    async def save_week(
        self, telegram_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        runner_id = await self._runner_id(telegram_id)
        await self.save_week_for(runner_id, week, now, from_date=from_date)

    async def save_week_for(
        self, runner_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        """``save_week`` by the internal runner id (for services that already hold it)."""
        moment = _aware(now)
        await upsert(
            self._session,
            PlanRow,
            {
                "runner_id": runner_id,
                "week_start": week.start,
                "phase": week.phase.value,
                "payload": week_header_to_json(week),
                "created_at": moment,
            },
            keys=["runner_id", "week_start"],
            update=["phase", "payload", "created_at"],
        )
        for day in week.days:
            if from_date is not None and day.date < from_date:
                continue
            await upsert(
                self._session,
                PlanDayRow,
                {
                    "runner_id": runner_id,
                    "date": day.date,
                    "week_start": week.start,
                    "phase": day.phase.value,
                    "session_kind": day.session.kind.value,
                    "payload": day_to_json(day),
                    "planned_at": moment,
                },
                keys=["runner_id", "date"],
                update=["week_start", "phase", "session_kind", "payload", "planned_at"],
            )

    async def week(self, telegram_id: int, week_start: dt.date) -> WeekPlan | None:
        """The stored week starting ``week_start``, or None unless all seven days are stored."""
        runner_id = await self._runner_id(telegram_id)
        return (await self.weeks_for([(runner_id, week_start)])).get((runner_id, week_start))

    async def weeks_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], WeekPlan]:
        """Stored weeks for many (runner id, week start) pairs in two queries; incomplete ones left out."""
        if not keys:
            return {}
        runner_ids = sorted({runner_id for runner_id, _ in keys})
        starts = sorted({start for _, start in keys})
        wanted = set(keys)
        headers = await self._session.execute(
            select(PlanRow.runner_id, PlanRow.week_start, PlanRow.payload).where(
                PlanRow.runner_id.in_(runner_ids), PlanRow.week_start.in_(starts)
            )
        )
        days: dict[tuple[int, dt.date], list[DayPlan]] = {}
        rows = await self._session.execute(
            select(PlanDayRow.runner_id, PlanDayRow.week_start, PlanDayRow.payload)
            .where(PlanDayRow.runner_id.in_(runner_ids), PlanDayRow.week_start.in_(starts))
            .order_by(PlanDayRow.runner_id, PlanDayRow.date)
        )
        for runner_id, start, payload in rows.all():
            if (runner_id, start) in wanted:
                days.setdefault((runner_id, start), []).append(day_from_json(payload))
        found: dict[tuple[int, dt.date], WeekPlan] = {}
        for runner_id, start, payload in headers.all():
            week_days = days.get((runner_id, start), [])
            if (runner_id, start) in wanted and len(week_days) == WEEK_LENGTH:
                found[(runner_id, start)] = week_from_json(payload, start, week_days)
        return found

    async def day(self, telegram_id: int, date: dt.date) -> DayPlan | None:
        payload = await self._session.scalar(
            select(PlanDayRow.payload)
            .join(Runner, Runner.id == PlanDayRow.runner_id)
            .where(Runner.telegram_id == telegram_id, PlanDayRow.date == date)
        )
        return day_from_json(payload) if payload is not None else None


# ---------------------------------------------------------------------------------------------
# check-ins


class CheckinRepository(_Repository):
    """One check-in per runner and date; logging the same date again updates it."""

    async def upsert(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        session_kind: SessionKind | str,
        status: CheckinStatus,
        rpe: int | None = None,
        soreness: str | None = None,
        pain_area: BodyArea | str | None = None,
        note: str | None = None,
        now: dt.datetime,
    ) -> CheckinRecord:
        """Record how the session of ``date`` went, replacing an earlier check-in of that date."""
        if status not in CHECKIN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CHECKIN_STATUSES)}, not {status!r}")
        if rpe is not None and not 1 <= rpe <= 10:
            raise ValueError(f"rpe must be 1 to 10, not {rpe}")
        moment = _aware(now)
        runner_id = await self._runner_id(telegram_id)
        values: dict[str, Any] = {
            "session_kind": SessionKind(session_kind).value,
            "status": status,
            "rpe": rpe,
            "soreness": soreness,
            "pain_area": BodyArea(pain_area).value if pain_area is not None else None,
            "note": note[:NOTE_MAX] if note is not None else None,
            "updated_at": moment,
        }
        await upsert(
            self._session,
            CheckinRow,
            {"runner_id": runner_id, "date": date, "created_at": moment, **values},
            keys=["runner_id", "date"],
            update=list(values),
        )
        record = await self.get(telegram_id, date)
        assert record is not None
        return record

    async def set_status(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        session_kind: SessionKind | str,
        status: CheckinStatus,
        note: str | None = None,
        now: dt.datetime,
    ) -> CheckinRecord:
        """Record the status of ``date``'s session, keeping any effort and soreness already given."""
        if status not in CHECKIN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CHECKIN_STATUSES)}, not {status!r}")
        moment = _aware(now)
        runner_id = await self._runner_id(telegram_id)
        values: dict[str, Any] = {
            "session_kind": SessionKind(session_kind).value,
            "status": status,
            "note": note[:NOTE_MAX] if note is not None else None,
            "updated_at": moment,
        }
        await upsert(
            self._session,
            CheckinRow,
            {"runner_id": runner_id, "date": date, "created_at": moment, **values},
            keys=["runner_id", "date"],
            update=list(values),
        )
        record = await self.get(telegram_id, date)
        assert record is not None
        return record

    async def set_details(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        rpe: int | _Unset | None = UNSET,
        soreness: str | _Unset | None = UNSET,
        pain_area: BodyArea | _Unset | None = UNSET,
        now: dt.datetime,
    ) -> CheckinRecord | None:
        """Add effort, soreness or a painful area to an existing check-in, one field at a time.

        Returns None when ``date`` has no check-in yet (effort follows a status, never alone).
        """
        values: dict[str, Any] = {"updated_at": _aware(now)}
        if not isinstance(rpe, _Unset):
            if rpe is not None and not 1 <= rpe <= 10:
                raise ValueError(f"rpe must be 1 to 10, not {rpe}")
            values["rpe"] = rpe
        if not isinstance(soreness, _Unset):
            values["soreness"] = soreness
        if not isinstance(pain_area, _Unset):
            values["pain_area"] = BodyArea(pain_area).value if pain_area is not None else None
        runner_id = await self._runner_id(telegram_id)
        await self._session.execute(
            update(CheckinRow).where(CheckinRow.runner_id == runner_id, CheckinRow.date == date).values(**values)
        )
        return await self.get(telegram_id, date)

    async def for_runners(
        self, runner_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[tuple[int, dt.date], CheckinRecord]:
        """Check-ins of many runners (by internal id) dated ``start`` to ``end``, in one query."""
        if not runner_ids:
            return {}
        rows = await self._session.scalars(
            select(CheckinRow).where(
                CheckinRow.runner_id.in_(sorted(set(runner_ids))), CheckinRow.date >= start, CheckinRow.date <= end
            )
        )
        return {(row.runner_id, row.date): _checkin_of(row) for row in rows}

    async def get(self, telegram_id: int, date: dt.date) -> CheckinRecord | None:
        row = await self._session.scalar(
            select(CheckinRow)
            .join(Runner, Runner.id == CheckinRow.runner_id)
            .where(Runner.telegram_id == telegram_id, CheckinRow.date == date)
            .execution_options(populate_existing=True)
        )
        return _checkin_of(row) if row is not None else None

    async def between(self, telegram_id: int, start: dt.date, end: dt.date) -> list[CheckinRecord]:
        """Check-ins dated ``start`` to ``end``, both included, oldest first."""
        rows = await self._session.scalars(
            select(CheckinRow)
            .join(Runner, Runner.id == CheckinRow.runner_id)
            .where(Runner.telegram_id == telegram_id, CheckinRow.date >= start, CheckinRow.date <= end)
            .order_by(CheckinRow.date)
            .execution_options(populate_existing=True)
        )
        return [_checkin_of(row) for row in rows]


# ---------------------------------------------------------------------------------------------
# weekly reviews


class ReviewRepository(_Repository):
    """One weekly review per runner and week: written once, read again if it is sent again."""

    async def get(self, telegram_id: int, week_start: dt.date) -> dict[str, Any] | None:
        payload: dict[str, Any] | None = await self._session.scalar(
            select(ReviewRow.payload)
            .join(Runner, Runner.id == ReviewRow.runner_id)
            .where(Runner.telegram_id == telegram_id, ReviewRow.week_start == week_start)
        )
        return payload

    async def add(
        self, telegram_id: int, week_start: dt.date, rule: str, payload: dict[str, Any], now: dt.datetime
    ) -> bool:
        """Store the review of a week; False (and nothing written) if that week was reviewed already."""
        json.dumps(payload)
        runner_id = await self._runner_id(telegram_id)
        row = {"runner_id": runner_id, "week_start": week_start, "rule": rule, "payload": payload}
        return await insert_ignore(
            self._session, ReviewRow, {**row, "created_at": _aware(now)}, keys=["runner_id", "week_start"]
        )

    async def recent(self, telegram_id: int, before: dt.date, count: int) -> list[dict[str, Any]]:
        """The payloads of the ``count`` reviews of weeks starting before ``before``, newest first."""
        rows = await self._session.scalars(
            select(ReviewRow.payload)
            .join(Runner, Runner.id == ReviewRow.runner_id)
            .where(Runner.telegram_id == telegram_id, ReviewRow.week_start < before)
            .order_by(ReviewRow.week_start.desc())
            .limit(count)
        )
        return list(rows)
