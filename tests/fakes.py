"""In-memory fakes of the services' ports (``bot.services.ports``): no database, same behaviour.

    uow = FakeDatabase(FakeClock(now))        # a UnitOfWorkFactory: uow() makes a unit of work
    async with uow() as work:
        await work.runners.ensure(42, 42, "Ada")
        await work.commit()

Each unit of work writes to its own copy of the tables; ``commit()`` publishes that copy, and
leaving the block without it (or through an exception) discards it, as a database transaction
would. Rows are immutable values, so copying the tables is copying a few dicts. The last commit
wins: the services tier has no concurrent writers (the integration tier tests those).

``tests/integration/test_repository_contract.py`` runs one suite against these fakes and the
SQLAlchemy repositories on SQLite and PostgreSQL, so the two cannot drift apart. The clock is
``bot.clock.FakeClock`` and the sender ``bot.services.recording.RecordingSender`` (re-exported here).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, Unpack

from bot.clock import Clock, FakeClock
from bot.coach.model import BodyArea, DayPlan, Profile, SessionKind, TrainingState, WeekPlan
from bot.services import ports
from bot.services.accounts import CHECKIN_STATUSES, CheckinRecord, CheckinStatus, RunnerAccount, RunnerBrief
from bot.services.feed_rows import FeedDay, FeedPlan
from bot.services.feed_sources import FeedSource
from bot.services.inbox_rows import Incoming
from bot.services.ready_prompts import ReadyPrompt, StoredDay
from bot.services.recording import RecordingSender
from bot.services.records import (
    UNSET,
    Advance,
    Attempt,
    Delivered,
    DeliveryRecord,
    DeliveryState,
    DueRecord,
    ReviewPayload,
    ScheduleSettings,
    SettingsChange,
    SweepLag,
    UnknownRunner,
    Unset,
)
from bot.services.schedule import DueKind

__all__ = ["FakeClock", "FakeDatabase", "FakeUnitOfWork", "RecordingSender"]

# the SQL repositories' limits (bot/db/repositories/base.py); the contract suite holds both to them
FIRST_NAME_MAX = 64
NOTE_MAX = 500


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def _json(value: Any) -> Any:
    """``value`` as a JSON column gives it back (tuples become lists); refuses what is not JSON."""
    return json.loads(json.dumps(value))


def _check_wall_time(value: dt.time) -> None:
    if value.tzinfo is not None:
        raise ValueError("reminder_time is a wall time in the runner's timezone: pass a naive time")


# --- the rows -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunnerRow:
    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    timezone: str | None = None
    reminder_time: dt.time | None = None
    active: bool = True
    paused_until: dt.date | None = None
    paused_from: dt.date | None = None
    onboarded_at: dt.datetime | None = None
    profile: Profile | None = None
    state: TrainingState | None = None
    shown_date: dt.date | None = None
    shown_at: dt.datetime | None = None
    last_heard_at: dt.datetime | None = None
    lifting_prompts_only: bool = False
    review_chart: bool = False

    def account(self) -> RunnerAccount:
        return RunnerAccount(
            id=self.id,
            telegram_id=self.telegram_id,
            chat_id=self.chat_id,
            first_name=self.first_name,
            timezone=self.timezone,
            reminder_time=self.reminder_time,
            active=self.active,
            paused_until=self.paused_until,
            paused_from=self.paused_from,
            profile=self.profile if self.onboarded_at is not None else None,
            onboarded_at=self.onboarded_at,
            state=self.state if self.state is not None else TrainingState(),
        )

    def brief(self) -> RunnerBrief:
        return RunnerBrief(
            id=self.id,
            telegram_id=self.telegram_id,
            chat_id=self.chat_id,
            first_name=self.first_name,
            timezone=self.timezone,
            reminder_time=self.reminder_time,
            active=self.active,
            paused_until=self.paused_until,
            paused_from=self.paused_from,
            onboarded=self.onboarded_at is not None,
            shown_date=self.shown_date,
            shown_at=self.shown_at,
            niggles=self.profile.injuries if self.profile is not None else frozenset(),
            onboarded_at=self.onboarded_at,
            last_heard_at=self.last_heard_at,
            lifting_prompts_only=self.lifting_prompts_only,
            review_chart=self.review_chart,
        )

    def schedule(self) -> ScheduleSettings:
        return ScheduleSettings(
            runner_id=self.id,
            telegram_id=self.telegram_id,
            chat_id=self.chat_id,
            timezone=self.timezone,
            reminder_time=self.reminder_time,
            active=self.active,
            onboarded=self.onboarded_at is not None,
            paused_from=self.paused_from,
            paused_until=self.paused_until,
        )


@dataclass(frozen=True, slots=True)
class DueRow:
    due_at: dt.datetime
    local_date: dt.date
    detail: str | None = None
    claimed_by: str | None = None
    lease_until: dt.datetime | None = None  # on the "database's" clock: the real one, as a server's
    failed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ReviewRow:
    rule: str
    payload: str  # as JSON text, so nobody can change a stored review in place
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InboxEntry:
    user_id: int | None
    payload: dict[str, Any] | None
    claimed_by: str | None = None
    lease_until: dt.datetime | None = None
    handled_at: dt.datetime | None = None


@dataclass
class Tables:
    """Everything stored, one dict per table; values are immutable, so a copy is a few dict copies."""

    runners: dict[int, RunnerRow] = field(default_factory=dict)  # by internal id
    answers: dict[tuple[int, str], str] = field(default_factory=dict)  # (telegram id, question): JSON
    weeks: dict[tuple[int, dt.date], WeekPlan] = field(default_factory=dict)  # headers (days not read)
    days: dict[tuple[int, dt.date], tuple[dt.date, DayPlan]] = field(default_factory=dict)  # (week start, day)
    checkins: dict[tuple[int, dt.date], CheckinRecord] = field(default_factory=dict)
    reviews: dict[tuple[int, dt.date], ReviewRow] = field(default_factory=dict)
    due: dict[tuple[int, DueKind], DueRow] = field(default_factory=dict)
    deliveries: dict[tuple[int, dt.date, DueKind], DeliveryRecord] = field(default_factory=dict)  # in insertion order
    delivery_states: dict[tuple[int, dt.date, DueKind], Delivered] = field(default_factory=dict)  # absent: sent once
    told_groups: frozenset[int] = frozenset()
    inbox: dict[int, InboxEntry] = field(default_factory=dict)  # by update_id
    feeds: dict[int, str] = field(default_factory=dict)  # runner id -> the live token's hash
    sources: dict[int, FeedSource] = field(default_factory=dict)  # calendar feeds, by internal id
    lags: tuple[SweepLag, ...] = ()  # how late each batch of prompts went out, oldest first
    next_id: int = 1

    def copy(self) -> Tables:
        return Tables(
            runners=dict(self.runners),
            answers=dict(self.answers),
            weeks=dict(self.weeks),
            days=dict(self.days),
            checkins=dict(self.checkins),
            reviews=dict(self.reviews),
            due=dict(self.due),
            deliveries=dict(self.deliveries),
            delivery_states=dict(self.delivery_states),
            told_groups=self.told_groups,
            inbox=dict(self.inbox),
            feeds=dict(self.feeds),
            sources=dict(self.sources),
            lags=self.lags,
            next_id=self.next_id,
        )

    def restore(self, other: Tables) -> None:
        for name, value in vars(other.copy()).items():
            setattr(self, name, value)

    def runner(self, telegram_id: int) -> RunnerRow | None:
        return next((row for row in self.runners.values() if row.telegram_id == telegram_id), None)

    def runner_id(self, telegram_id: int) -> int:
        row = self.runner(telegram_id)
        if row is None:
            raise UnknownRunner(telegram_id)
        return row.id


class _Repository:
    def __init__(self, tables: Tables, clock: Clock) -> None:
        self._t = tables
        self._clock = clock

    def _now(self, now: dt.datetime | None) -> dt.datetime:
        return _aware(now if now is not None else self._clock.now())

    def _require(self, telegram_id: int) -> RunnerRow:
        row = self._t.runner(telegram_id)
        if row is None:
            raise UnknownRunner(telegram_id)
        return row

    def _put(self, row: RunnerRow) -> RunnerRow:
        self._t.runners[row.id] = row
        return row


# --- the repositories -----------------------------------------------------------------------------


class FakeRunners(_Repository):
    async def get(self, telegram_id: int) -> RunnerAccount | None:
        row = self._t.runner(telegram_id)
        return row.account() if row is not None else None

    async def brief(self, telegram_id: int) -> RunnerBrief | None:
        row = self._t.runner(telegram_id)
        return row.brief() if row is not None else None

    async def briefs(self, runner_ids: Sequence[int]) -> dict[int, RunnerBrief]:
        return {i: self._t.runners[i].brief() for i in sorted(set(runner_ids)) if i in self._t.runners}

    async def by_ids(self, runner_ids: Sequence[int]) -> dict[int, RunnerAccount]:
        return {i: self._t.runners[i].account() for i in sorted(set(runner_ids)) if i in self._t.runners}

    async def ensure(
        self, telegram_id: int, chat_id: int, first_name: str, *, now: dt.datetime | None = None
    ) -> RunnerAccount:
        moment = self._now(now)
        first_name = _printable(first_name)[:FIRST_NAME_MAX]
        row = self._t.runner(telegram_id)
        if row is None:
            row = RunnerRow(self._t.next_id, telegram_id, chat_id, first_name, created_at=moment, updated_at=moment)
            self._t.next_id += 1
        elif (row.chat_id, row.first_name) != (chat_id, first_name):
            row = replace(row, chat_id=chat_id, first_name=first_name, updated_at=moment)
        return self._put(row).account()

    async def save_profile(
        self, telegram_id: int, profile: Profile, *, timezone: str, reminder_time: dt.time, now: dt.datetime
    ) -> RunnerAccount:
        _check_wall_time(reminder_time)
        moment = _aware(now)
        row = self._require(telegram_id)
        row = replace(
            row,
            profile=profile,
            timezone=timezone,
            reminder_time=reminder_time,
            updated_at=moment,
            onboarded_at=row.onboarded_at or moment,
            last_heard_at=row.last_heard_at if row.onboarded_at else moment,
        )
        return self._put(row).account()

    async def set_settings(self, telegram_id: int, **changes: Unpack[SettingsChange]) -> RunnerAccount:
        await self.write_settings(telegram_id, **changes)
        return self._require(telegram_id).account()

    async def write_settings(
        self,
        telegram_id: int,
        *,
        timezone: str | Unset | None = UNSET,
        reminder_time: dt.time | Unset | None = UNSET,
        active: bool | Unset = UNSET,
        paused_until: dt.date | Unset | None = UNSET,
        paused_from: dt.date | Unset | None = UNSET,
        now: dt.datetime | None = None,
    ) -> None:
        row = self._require(telegram_id)
        changes: dict[str, Any] = {}
        if not isinstance(timezone, Unset):
            changes["timezone"] = timezone
        if not isinstance(reminder_time, Unset):
            if reminder_time is not None:
                _check_wall_time(reminder_time)
            changes["reminder_time"] = reminder_time
        if not isinstance(active, Unset):
            changes["active"] = active
        if not isinstance(paused_until, Unset):
            changes["paused_until"] = paused_until
        if not isinstance(paused_from, Unset):
            changes["paused_from"] = paused_from
        self._put(replace(row, **changes, updated_at=self._now(now)))

    async def save_state(self, telegram_id: int, state: TrainingState) -> None:
        self._put(replace(self._require(telegram_id), state=state))

    async def delete(self, telegram_id: int) -> bool:
        row = self._t.runner(telegram_id)
        if row is None:
            return False
        del self._t.runners[row.id]
        t = self._t
        t.weeks = {key: value for key, value in t.weeks.items() if key[0] != row.id}
        t.days = {key: value for key, value in t.days.items() if key[0] != row.id}
        t.checkins = {key: value for key, value in t.checkins.items() if key[0] != row.id}
        t.reviews = {key: value for key, value in t.reviews.items() if key[0] != row.id}
        t.due = {key: value for key, value in t.due.items() if key[0] != row.id}
        t.deliveries = {key: value for key, value in t.deliveries.items() if key[0] != row.id}
        t.delivery_states = {key: value for key, value in t.delivery_states.items() if key[0] != row.id}
        return True

    async def census(self, today: dt.date) -> tuple[int, int, int, int]:
        rows = list(self._t.runners.values())
        onboarded = [r for r in rows if r.onboarded_at is not None]

        def paused(r: RunnerRow) -> bool:
            return r.paused_from is not None and (r.paused_until is None or r.paused_until >= today)

        active = [r for r in onboarded if r.active and not paused(r)]
        return len(rows), len(onboarded), len(active), sum(1 for r in onboarded if paused(r))

    async def set_shown(self, telegram_id: int, day: dt.date | None, at: dt.datetime, *, last: bool = False) -> None:
        row = self._t.runner(telegram_id)
        if row is not None:
            self._put(replace(row, shown_date=day, shown_at=_aware(at)))

    async def heard(self, telegram_id: int, at: dt.datetime, every: dt.timedelta) -> None:
        row = self._t.runner(telegram_id)
        if row is not None and (row.last_heard_at is None or row.last_heard_at < at - every):
            self._put(replace(row, last_heard_at=_aware(at)))

    async def set_preferences(self, telegram_id: int, **values: bool) -> None:
        row = self._t.runner(telegram_id)
        if row is not None:
            lifting = values.get("lifting_prompts_only", row.lifting_prompts_only)
            chart = values.get("review_chart", row.review_chart)
            self._put(replace(row, lifting_prompts_only=lifting, review_chart=chart))


class FakeAnswers(_Repository):
    async def get_all(self, telegram_id: int) -> dict[str, Any]:
        return {q: json.loads(v) for (t, q), v in self._t.answers.items() if t == telegram_id}

    async def put(self, telegram_id: int, question: str, value: Any, now: dt.datetime) -> None:
        text = json.dumps(value)
        _aware(now)
        self._t.answers[(telegram_id, question)] = text

    async def put_all(self, telegram_id: int, values: Mapping[str, Any], now: dt.datetime) -> None:
        for question, value in values.items():
            await self.put(telegram_id, question, value, now)

    async def discard(self, telegram_id: int, questions: Iterable[str]) -> None:
        for question in list(questions):
            self._t.answers.pop((telegram_id, question), None)

    async def clear(self, telegram_id: int) -> None:
        for key in [key for key in self._t.answers if key[0] == telegram_id]:
            del self._t.answers[key]


class FakePlans(_Repository):
    async def save_week(
        self, telegram_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        _aware(now)
        runner_id = self._t.runner_id(telegram_id)
        self._t.weeks[(runner_id, week.start)] = replace(week, days=())
        for day in week.days:
            if from_date is None or day.date >= from_date:
                self._t.days[(runner_id, day.date)] = (week.start, day)

    async def week(self, telegram_id: int, week_start: dt.date) -> WeekPlan | None:
        runner_id = self._t.runner_id(telegram_id)
        return (await self.weeks_for([(runner_id, week_start)])).get((runner_id, week_start))

    async def weeks_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], WeekPlan]:
        found = {}
        for key in set(keys):
            header = self._t.weeks.get(key)
            runner_id, start = key
            days = sorted(
                (day for (r, _), (s, day) in self._t.days.items() if r == runner_id and s == start),
                key=lambda day: day.date,
            )
            if header is not None and len(days) == 7:
                found[key] = replace(header, days=tuple(days))
        return found

    async def weeks_logged(
        self, runner_id: int, starts: Sequence[dt.date]
    ) -> tuple[dict[dt.date, WeekPlan], dict[dt.date, str]]:
        weeks = await self.weeks_for([(runner_id, start) for start in starts])
        first = min(starts) - dt.timedelta(days=1)
        last = max(starts) + dt.timedelta(days=6)
        logged: dict[dt.date, str] = {
            d: c.status for (r, d), c in self._t.checkins.items() if r == runner_id and first <= d <= last
        }
        return {start: week for (_, start), week in weeks.items()}, logged

    async def days_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], DayPlan]:
        return {key: self._t.days[key][1] for key in set(keys) if key in self._t.days}

    async def days_and_prompts(
        self, keys: Sequence[tuple[int, dt.date]]
    ) -> tuple[dict[tuple[int, dt.date], DayPlan], dict[tuple[int, dt.date], ReadyPrompt]]:
        """The days; none has a prompt stored ready (the fake keeps no drawer): all are drawn when sent."""
        return await self.days_for(keys), {}

    async def stored_days(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], StoredDay]:
        """The days as decoded, with no prompt nor facts: every decision reads the day."""
        return {key: StoredDay.decoded(day) for key, day in (await self.days_for(keys)).items()}

    async def day(self, telegram_id: int, date: dt.date) -> DayPlan | None:
        row = self._t.runner(telegram_id)
        stored = self._t.days.get((row.id, date)) if row is not None else None
        return stored[1] if stored is not None else None

    async def day_logged(
        self, telegram_id: int, date: dt.date
    ) -> tuple[DayPlan, CheckinRecord | None, str | None] | None:
        row = self._t.runner(telegram_id)
        stored = self._t.days.get((row.id, date)) if row is not None else None
        if row is None or stored is None:
            return None
        eve = self._t.checkins.get((row.id, date - dt.timedelta(days=1)))
        return stored[1], self._t.checkins.get((row.id, date)), eve.status if eve is not None else None


class FakeCheckins(_Repository):
    async def set_status(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        session_kind: SessionKind | str,
        status: CheckinStatus,
        note: str | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord:
        if status not in CHECKIN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CHECKIN_STATUSES)}, not {status!r}")
        moment = _aware(now)
        runner_id = self._t.runner_id(telegram_id)
        values: dict[str, Any] = {
            "session_kind": SessionKind(session_kind),
            "status": status,
            "note": note[:NOTE_MAX] if note is not None else None,
            "updated_at": moment,
        }
        old = self._t.checkins.get((runner_id, date))
        if old is None:
            record = CheckinRecord(date=date, rpe=None, soreness=None, pain_area=None, created_at=moment, **values)
        else:
            record = replace(old, **values)
        self._t.checkins[(runner_id, date)] = record
        return record

    async def set_details(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        rpe: int | Unset | None = UNSET,
        soreness: str | Unset | None = UNSET,
        pain_area: BodyArea | Unset | None = UNSET,
        niggle: tuple[BodyArea, bool] | None = None,
        morning: tuple[BodyArea, bool] | None = None,
        test: tuple[str, int] | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord | None:
        values: dict[str, Any] = {"updated_at": _aware(now)}
        if not isinstance(rpe, Unset):
            if rpe is not None and not 1 <= rpe <= 10:
                raise ValueError(f"rpe must be 1 to 10, not {rpe}")
            values["rpe"] = rpe
        if not isinstance(soreness, Unset):
            values["soreness"] = soreness
        if not isinstance(pain_area, Unset):
            values["pain_area"] = BodyArea(pain_area) if pain_area is not None else None
        runner_id = self._t.runner_id(telegram_id)
        old = self._t.checkins.get((runner_id, date))
        if old is None:
            return None
        if niggle is not None:
            values["niggles"] = {**old.niggles, BodyArea(niggle[0]): niggle[1]}
        if morning is not None:
            values["mornings"] = {**old.mornings, BodyArea(morning[0]): morning[1]}
        if test is not None:
            values["test"] = test
        record = self._t.checkins[(runner_id, date)] = replace(old, **values)
        return record

    async def for_runners(
        self, runner_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[tuple[int, dt.date], CheckinRecord]:
        wanted = set(runner_ids)
        return {(r, d): c for (r, d), c in self._t.checkins.items() if r in wanted and start <= d <= end}

    async def get(self, telegram_id: int, date: dt.date) -> CheckinRecord | None:
        row = self._t.runner(telegram_id)
        return self._t.checkins.get((row.id, date)) if row is not None else None

    async def between(self, telegram_id: int, start: dt.date, end: dt.date) -> list[CheckinRecord]:
        row = self._t.runner(telegram_id)
        if row is None:
            return []
        found = [c for (r, d), c in self._t.checkins.items() if r == row.id and start <= d <= end]
        return sorted(found, key=lambda c: c.date)


class FakeReviews(_Repository):
    async def get(self, telegram_id: int, week_start: dt.date) -> ReviewPayload | None:
        row = self._t.runner(telegram_id)
        review = self._t.reviews.get((row.id, week_start)) if row is not None else None
        return ReviewPayload.model_validate(json.loads(review.payload)) if review is not None else None

    async def add(
        self, telegram_id: int, week_start: dt.date, rule: str, payload: ReviewPayload, now: dt.datetime
    ) -> bool:
        text = json.dumps(payload.model_dump(mode="json"))
        runner_id = self._t.runner_id(telegram_id)
        if (runner_id, week_start) in self._t.reviews:
            return False
        self._t.reviews[(runner_id, week_start)] = ReviewRow(rule, text, _aware(now))
        return True

    async def recent(self, telegram_id: int, before: dt.date, count: int) -> list[ReviewPayload]:
        row = self._t.runner(telegram_id)
        if row is None:
            return []
        starts = sorted((s for (r, s) in self._t.reviews if r == row.id and s < before), reverse=True)
        return [ReviewPayload.model_validate(json.loads(self._t.reviews[(row.id, s)].payload)) for s in starts[:count]]


class FakeDueMessages(_Repository):
    async def begin_write(self, *, with_next: bool = False) -> None:
        """Nothing to lock: one process, one event loop."""

    async def settings(self, telegram_id: int) -> ScheduleSettings | None:
        row = self._t.runner(telegram_id)
        return row.schedule() if row is not None else None

    async def settings_of(self, runner_ids: Iterable[int]) -> dict[int, ScheduleSettings]:
        return {i: self._t.runners[i].schedule() for i in sorted(set(runner_ids)) if i in self._t.runners}

    async def of_runner(self, runner_id: int) -> dict[DueKind, DueRecord]:
        return {kind: _record(runner_id, kind, row) for (r, kind), row in self._t.due.items() if r == runner_id}

    async def with_sent(self, runner_id: int) -> tuple[dict[DueKind, DueRecord], dict[DueKind, dt.date]]:
        latest: dict[DueKind, dt.date] = {}
        for r, date, kind in self._t.deliveries:
            if r == runner_id and (kind not in latest or date > latest[kind]):
                latest[kind] = date
        return await self.of_runner(runner_id), latest

    async def put(
        self, runner_id: int, kind: DueKind, due_at: dt.datetime, local_date: dt.date, detail: str | None = None
    ) -> None:
        if runner_id not in self._t.runners:
            raise ValueError(f"no runner with id {runner_id}")  # the database's foreign key
        kind = DueKind(kind)  # the column holds the enum's values
        old = self._t.due.get((runner_id, kind))
        row = DueRow(_aware(due_at), local_date, detail)
        if old is not None:
            row = replace(row, claimed_by=old.claimed_by, lease_until=old.lease_until)
        self._t.due[(runner_id, kind)] = row

    async def remove(
        self, runner_id: int, kinds: Iterable[DueKind] | None = None, local_date: dt.date | None = None
    ) -> None:
        wanted = set(kinds) if kinds is not None else None
        for key in [k for k in self._t.due if k[0] == runner_id and (wanted is None or k[1] in wanted)]:
            if local_date is None or self._t.due[key].local_date == local_date:
                del self._t.due[key]

    def _free_due(self, now: dt.datetime) -> list[tuple[int, DueKind]]:
        server = _server_now()
        due = [
            key
            for key, row in self._t.due.items()
            if row.due_at <= now
            and (row.failed_at is None or row.failed_at < now)
            and (row.lease_until is None or row.lease_until < server)
        ]
        return sorted(due, key=lambda key: (self._t.due[key].due_at, key))

    async def any_due(self, now: dt.datetime) -> bool:
        return bool(self._free_due(_aware(now)))

    async def earliest_after(self, after: dt.datetime) -> dt.datetime | None:
        return min((row.due_at for row in self._t.due.values() if row.due_at > after), default=None)

    async def claim(self, now: dt.datetime, token: str, lease: dt.timedelta, limit: int) -> list[DueRecord]:
        claimed = []
        for key in self._free_due(_aware(now))[:limit]:
            row = self._t.due[key] = replace(self._t.due[key], claimed_by=token, lease_until=_server_now() + lease)
            claimed.append(_record(*key, row))
        return claimed

    async def extend(self, token: str, lease: dt.timedelta) -> None:
        self._update(token, None, lease_until=_server_now() + lease)

    async def advance(self, token: str, moves: Sequence[Advance]) -> None:
        for m in moves:
            row = self._t.due.get((m.runner_id, m.kind))
            if row is None or (row.claimed_by, row.local_date, row.due_at) != (token, m.claimed_date, m.claimed_due):
                continue
            if m.date is None or m.due is None:
                del self._t.due[(m.runner_id, m.kind)]
            else:
                self._t.due[(m.runner_id, m.kind)] = DueRow(_aware(m.due), m.date, row.detail)

    async def postpone(self, token: str, rows: Sequence[tuple[int, DueKind, dt.datetime]]) -> None:
        for runner_id, kind, due in rows:
            self._update(token, [(runner_id, kind)], due_at=_aware(due), claimed_by=None, lease_until=None)

    async def release(self, token: str, keys: Sequence[tuple[int, DueKind]], failed_at: dt.datetime) -> None:
        self._update(token, keys, claimed_by=None, lease_until=None, failed_at=_aware(failed_at))

    async def release_all(self, token: str, runner_ids: Iterable[int]) -> None:
        ids = set(runner_ids)
        self._update(token, [key for key in self._t.due if key[0] in ids], claimed_by=None, lease_until=None)

    async def stop_runners(self, runner_ids: Iterable[int], now: dt.datetime) -> None:
        for runner_id in set(runner_ids):
            row = self._t.runners.get(runner_id)
            if row is not None:
                self._put(replace(row, active=False, updated_at=_aware(now)))
            await self.remove(runner_id)

    def _update(self, token: str, keys: Iterable[tuple[int, DueKind]] | None, **changes: Any) -> None:
        for key in list(keys) if keys is not None else list(self._t.due):
            row = self._t.due.get(key)
            if row is not None and row.claimed_by == token:
                self._t.due[key] = replace(row, **changes)


def _server_now() -> dt.datetime:
    """The fake database's own clock, which leases run on: the real one, as a database server's."""
    return dt.datetime.now(dt.UTC)


def _record(runner_id: int, kind: DueKind, row: DueRow) -> DueRecord:
    return DueRecord(runner_id, kind, row.due_at, row.local_date, row.detail)


class FakeDeliveries(_Repository):
    async def record_lag(self, lag: SweepLag, forget_before: dt.datetime) -> None:
        self._t.lags = (*(kept for kept in self._t.lags if kept.at >= forget_before), lag)

    async def latest_lag(self) -> SweepLag | None:
        return max(reversed(self._t.lags), key=lambda lag: lag.at, default=None)  # ties: the newest

    async def record(self, rows: Sequence[DeliveryRecord]) -> None:
        for r in rows:
            key = (r.runner_id, r.date, DueKind(r.kind))  # the column holds the enum's values
            if r.runner_id not in self._t.runners:
                raise ValueError(f"no runner with id {r.runner_id}")  # the database's foreign key
            if key not in self._t.deliveries:
                self._t.deliveries[key] = replace(r, sent_at=_aware(r.sent_at))

    async def sent(self, keys: Iterable[tuple[int, dt.date, DueKind]]) -> set[tuple[int, dt.date, DueKind]]:
        return {key for key in keys if key in self._t.deliveries}

    async def states(
        self, keys: Iterable[tuple[int, dt.date, DueKind]]
    ) -> dict[tuple[int, dt.date, DueKind], Delivered]:
        return {key: self._state(key) for key in keys if key in self._t.deliveries}

    def _state(self, key: tuple[int, dt.date, DueKind]) -> Delivered:
        return self._t.delivery_states.get(key, Delivered(DeliveryState.SENT, 1))

    async def attempt(self, attempts: Sequence[Attempt]) -> set[tuple[int, dt.date, DueKind]]:
        if any(a.runner_id not in self._t.runners for a in attempts):
            raise ValueError("no such runner")  # the database's foreign key fails the statement
        stored = set()
        for a in attempts:
            state = self._state(a.key) if a.key in self._t.deliveries else None
            if a.before == 0 and state is None:
                self._t.deliveries[a.key] = DeliveryRecord(a.runner_id, a.date, a.kind, _aware(a.at), None)
            elif a.before > 0 and state == Delivered(DeliveryState.SENDING, a.before):
                self._t.deliveries[a.key] = replace(self._t.deliveries[a.key], sent_at=_aware(a.at))
            else:
                continue
            self._t.delivery_states[a.key] = Delivered(DeliveryState.SENDING, a.before + 1)
            stored.add(a.key)
        return stored

    async def confirm(self, rows: Sequence[DeliveryRecord]) -> None:
        for r in rows:
            key = (r.runner_id, r.date, DueKind(r.kind))
            if key in self._t.deliveries:
                self._t.deliveries[key] = replace(r, sent_at=_aware(r.sent_at))
                self._t.delivery_states[key] = Delivered(DeliveryState.SENT, self._state(key).attempts)

    async def withdraw(self, keys: Sequence[tuple[int, dt.date, DueKind]]) -> None:
        for key in keys:
            state = self._state(key) if key in self._t.deliveries else None
            if state is None or state.state is not DeliveryState.SENDING:
                continue
            if state.attempts <= 1:
                del self._t.deliveries[key], self._t.delivery_states[key]
            else:
                self._t.delivery_states[key] = Delivered(DeliveryState.SENDING, state.attempts - 1)

    async def give_up(self, keys: Sequence[tuple[int, dt.date, DueKind]]) -> None:
        for key in keys:
            state = self._state(key) if key in self._t.deliveries else None
            if state is not None and state.state is DeliveryState.SENDING:
                self._t.delivery_states[key] = Delivered(DeliveryState.UNSURE, state.attempts)

    async def reopen(self, key: tuple[int, dt.date, DueKind]) -> None:
        if key in self._t.deliveries and self._state(key).state is not DeliveryState.SENDING:
            del self._t.deliveries[key]
            self._t.delivery_states.pop(key, None)

    async def counts_since(self, since: dt.datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key, record in self._t.deliveries.items():
            kind = key[2]
            if record.sent_at >= since and self._state(key).state is DeliveryState.SENT:
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    async def last_dates(self, runner_id: int) -> dict[DueKind, dt.date]:
        latest: dict[DueKind, dt.date] = {}
        for r, date, kind in self._t.deliveries:
            if r == runner_id and (kind not in latest or date > latest[kind]):
                latest[kind] = date
        return latest

    async def get(self, telegram_id: int, date: dt.date, kind: DueKind) -> DeliveryRecord | None:
        row = self._t.runner(telegram_id)
        return self._t.deliveries.get((row.id, date, kind)) if row is not None else None

    async def of_runner(self, telegram_id: int) -> list[DeliveryRecord]:
        """Everything sent to the runner, oldest first (for tests)."""
        row = self._t.runner(telegram_id)
        found = [d for (r, _, _), d in self._t.deliveries.items() if row is not None and r == row.id]
        return sorted(found, key=lambda d: d.sent_at)


class FakeGroups(_Repository):
    async def mark_told(self, chat_id: int) -> bool:
        if chat_id in self._t.told_groups:
            return False
        self._t.told_groups |= {chat_id}
        return True


class FakeSources(_Repository):
    """The calendar feeds as ``bot.db.repositories.sources`` keeps them, in a dict."""

    async def get(self, telegram_id: int) -> FeedSource | None:
        return self._t.sources.get(self._t.runner_id(telegram_id))

    async def of_runners(self, runner_ids: Sequence[int]) -> dict[int, FeedSource]:
        return {i: self._t.sources[i] for i in runner_ids if i in self._t.sources}

    async def put(self, telegram_id: int, url: str, digest: str, now: dt.datetime) -> None:
        self._t.sources[self._t.runner_id(telegram_id)] = FeedSource(url, digest, now, 0)

    async def record(self, telegram_id: int, *, digest: str | None, failures: int, now: dt.datetime) -> None:
        runner_id = self._t.runner_id(telegram_id)
        found = self._t.sources.get(runner_id)
        if found is not None:
            fetched = (digest, now) if digest is not None else (found.digest, found.fetched_at)
            self._t.sources[runner_id] = replace(found, digest=fetched[0], fetched_at=fetched[1], failures=failures)

    async def remove(self, telegram_id: int) -> bool:
        return self._t.sources.pop(self._t.runner_id(telegram_id), None) is not None


class FakeInbox(_Repository):
    """The inbox as ``bot.db.repositories.inbox`` keeps it, in a dict."""

    async def store(self, updates: Sequence[Incoming], now: dt.datetime) -> None:
        for u in updates:
            self._t.inbox.setdefault(u.update_id, InboxEntry(u.user_id, u.payload))

    async def claim(self, incoming: Incoming, worker: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        entry = self._t.inbox.get(incoming.update_id) or InboxEntry(incoming.user_id, incoming.payload)
        waiting = any(
            e.user_id == incoming.user_id and key < incoming.update_id and e.handled_at is None
            for key, e in self._t.inbox.items()
        )
        leased = entry.lease_until is not None and entry.lease_until >= now and entry.claimed_by != worker
        if incoming.update_id in self._t.inbox and (entry.handled_at is not None or leased or waiting):
            return False
        self._t.inbox[incoming.update_id] = replace(entry, claimed_by=worker, lease_until=now + lease)
        return True

    async def done(self, update_ids: Sequence[int], now: dt.datetime) -> None:
        for update_id in update_ids:
            if (entry := self._t.inbox.get(update_id)) is not None:
                self._t.inbox[update_id] = replace(
                    entry, payload=None, claimed_by=None, lease_until=None, handled_at=now
                )

    async def pending(self, worker: str, now: dt.datetime, limit: int) -> list[dict[str, Any]]:
        ready = [
            (key, e.payload)
            for key, e in self._t.inbox.items()
            if e.handled_at is None
            and (e.lease_until is None or e.lease_until < now or e.claimed_by == worker)
            and e.payload is not None
        ]
        return [payload for _, payload in sorted(ready, key=lambda kv: kv[0])[:limit] if payload is not None]

    async def prune(self, before: dt.datetime) -> int:
        gone = [key for key, e in self._t.inbox.items() if e.handled_at is not None and e.handled_at < before]
        for key in gone:
            del self._t.inbox[key]
        return len(gone)

    async def forget(self, telegram_id: int) -> bool:
        gone = [key for key, e in self._t.inbox.items() if e.user_id == telegram_id]
        for key in gone:
            del self._t.inbox[key]
        return bool(gone)


class FakeFeeds(_Repository):
    """The calendar feed tokens as ``bot.db.repositories.feeds`` keeps them (a stored day's
    planned_at is not kept here: the fake says the clock's now)."""

    async def replace(self, telegram_id: int, token_hash: str, now: dt.datetime) -> None:
        _aware(now)
        self._t.feeds[self._t.runner_id(telegram_id)] = token_hash

    async def revoke(self, telegram_id: int) -> bool:
        return await self.forget(telegram_id)

    async def forget(self, telegram_id: int) -> bool:
        row = self._t.runner(telegram_id)
        return row is not None and self._t.feeds.pop(row.id, None) is not None

    async def plan(self, token_hash: str, since: dt.date) -> FeedPlan | None:
        runner_id = next((r for r, stored in self._t.feeds.items() if stored == token_hash), None)
        return None if runner_id is None else self._days(runner_id, since)

    async def plan_of(self, telegram_id: int, since: dt.date) -> FeedPlan | None:
        row = self._t.runner(telegram_id)
        return None if row is None else self._days(row.id, since)

    def _days(self, runner_id: int, since: dt.date) -> FeedPlan:
        days = sorted(
            (day for (r, date), (_, day) in self._t.days.items() if r == runner_id and date >= since),
            key=lambda day: day.date,
        )
        now = self._clock.now()
        return FeedPlan(runner_id, tuple(FeedDay(day, now) for day in days if day.session.kind is not SessionKind.REST))


# --- the unit of work -----------------------------------------------------------------------------


class FakeUnitOfWork:
    """One transaction over a copy of the tables: ``commit()`` publishes it, leaving discards it."""

    runners: FakeRunners
    answers: FakeAnswers
    plans: FakePlans
    checkins: FakeCheckins
    reviews: FakeReviews
    due: FakeDueMessages
    deliveries: FakeDeliveries
    groups: FakeGroups
    inbox: FakeInbox
    feeds: FakeFeeds
    sources: FakeSources

    def __init__(self, database: FakeDatabase) -> None:
        self._db = database
        self._tables: Tables | None = None

    async def __aenter__(self) -> Self:
        if self._tables is not None:
            raise RuntimeError("this unit of work is already in use; make a new one")
        tables = self._tables = self._db.tables.copy()
        clock = self._db.clock
        self.runners = FakeRunners(tables, clock)
        self.answers = FakeAnswers(tables, clock)
        self.plans = FakePlans(tables, clock)
        self.checkins = FakeCheckins(tables, clock)
        self.reviews = FakeReviews(tables, clock)
        self.due = FakeDueMessages(tables, clock)
        self.deliveries = FakeDeliveries(tables, clock)
        self.groups = FakeGroups(tables, clock)
        self.inbox = FakeInbox(tables, clock)
        self.feeds = FakeFeeds(tables, clock)
        self.sources = FakeSources(tables, clock)
        self._db.opened += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._tables = None  # anything not committed is gone

    def _require(self) -> Tables:
        if self._tables is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._tables

    async def commit(self) -> None:
        self._db.tables = self._require().copy()
        self._db.commits += 1

    async def rollback(self) -> None:
        self._require().restore(self._db.tables)


@dataclass
class FakeDatabase:
    """The committed tables, and the factory of units of work over them: ``uow = FakeDatabase(clock)``."""

    clock: Clock = field(default_factory=lambda: FakeClock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)))
    tables: Tables = field(default_factory=Tables)
    opened: int = 0
    commits: int = 0

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


if TYPE_CHECKING:
    # mypy checks here (pyproject's mypy `files`) that the fakes are the services' ports
    _PORT: type[ports.UnitOfWork] = FakeUnitOfWork
    _FACTORY: ports.UnitOfWorkFactory = FakeDatabase()


class FakeMonotonic:
    """A monotonic clock (seconds) that moves only when code under test sleeps on it: the rate
    limiter's and the send budget's pacing, tested without the wall clock."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)
