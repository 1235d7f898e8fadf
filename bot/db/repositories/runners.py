"""Runners, their calendar (weekly template, one-off dates, goal race) and training state."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, Unpack
from typing import cast as typed

from sqlalchemy import (
    Connection,
    Date,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import selectinload

from bot.coach.model import (
    BodyArea,
    Profile,
    TrainingState,
    Weekday,
    kit_values,
)
from bot.db.engine import insert_ignore
from bot.db.id_lists import one_of
from bot.db.mappers import account_from, account_of, niggles_json, profile_from, progress_values
from bot.db.models import (
    CalendarOverride,
    CheckinRow,
    DeliveryRow,
    DueMessageRow,
    PlanDayRow,
    PlanRow,
    RaceRow,
    ReviewRow,
    RunDay,
    Runner,
    TrainingStateRow,
)
from bot.db.repositories.base import (
    FIRST_NAME_MAX,
    UNSET,
    Prefixed,
    Repository,
    UnknownRunner,
    Unset,
    aware,
    column_params,
    column_update,
    printable,
    run_compiled,
)
from bot.db.repositories.upserts import Upsert
from bot.db.sqlite_trips import COMMIT_AFTER
from bot.services.accounts import RunnerAccount, RunnerBrief
from bot.services.records import SettingsChange

# ---------------------------------------------------------------------------------------------
# runners


class RunnerRepository(Repository):
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
        """The runner with this Telegram id, or None if they never talked to the coach.

        Read as Core rows (no ORM loading: a settings step or a check-in reads it on the hot path):
        the runner with their training state and goal race in one statement, then, once they
        are onboarded, their run days and one-off dates."""
        return await self._on_connection(functools.partial(_account_on, telegram_id=telegram_id))

    async def brief(self, telegram_id: int) -> RunnerBrief | None:
        """The runner's identity and settings in one query (no calendar, no state)."""
        row = (await self._session.execute(_BRIEF_OF, {"telegram_id": telegram_id})).one_or_none()
        return brief_of(row) if row is not None else None

    async def briefs(self, runner_ids: Sequence[int]) -> dict[int, RunnerBrief]:
        """Many runners' identity and settings by internal id, in one query (the dispatcher's batches)."""
        if not runner_ids:
            return {}
        ids = sorted(set(runner_ids))
        # Core rows: no ORM loading for a batch of 500
        return await self._on_connection(
            lambda connection: {row[0]: brief_of(row) for row in connection.execute(_BRIEFS, {"ids": ids})}
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

    async def set_shown(self, telegram_id: int, day: dt.date | None, at: dt.datetime, *, last: bool = False) -> None:
        """Remember the day just shown to the runner, so "why?" can explain it from any process.

        ``last``: nothing follows it in this unit of work, so on SQLite it is committed in the same
        call to the driver (``COMMIT_AFTER``; the unit of work's commit then finds nothing
        to commit)."""
        params = {"who": telegram_id, "day": day, "at": aware(at)}
        options = COMMIT_AFTER if last else _NO_OPTIONS
        # anything this unit of work changed goes first, in the same transaction
        await self._on_connection(functools.partial(_set_shown_on, params=params, options=options))

    async def heard(self, telegram_id: int, at: dt.datetime, every: dt.timedelta) -> None:
        """The runner tapped, typed or sent a command at ``at``: written when the last one stored is
        older than ``every`` (one statement, which writes nothing most of the time)."""
        at = aware(at)
        stale = Runner.last_heard_at.is_(None) | (Runner.last_heard_at < at - every)
        await self._session.execute(
            update(Runner).where(Runner.telegram_id == telegram_id, stale).values(last_heard_at=at)
        )

    async def set_preferences(self, telegram_id: int, **values: bool) -> None:
        """Store the runner's yes/no choices (``lifting_prompts_only``, ``review_chart``)."""
        await self._session.execute(update(Runner).where(Runner.telegram_id == telegram_id).values(**values))

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
        return {row.id: account_of(row) for row in rows}

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
        return account_of(row)

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
        moment = aware(now)
        row = await self._require(telegram_id)
        row.strength_level = profile.strength_level.value
        row.equipment = kit_values(profile.equipment)
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
            row.onboarded_at = row.last_heard_at = moment  # onboarding was all answers

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
                    {
                        "runner_id": row.id,
                        "date": day,
                        "kind": kind.value,
                        "distance": distance.value if (distance := profile.tune_up_distances.get(day)) else None,
                    }
                    for day, kind in sorted(profile.overrides.items())
                ],
            )
        if profile.race is not None:
            await session.execute(
                insert(RaceRow).values(runner_id=row.id, distance=profile.race.distance.value, date=profile.race.date)
            )
        await session.flush()
        return account_of(await self._require(telegram_id))

    async def set_settings(self, telegram_id: int, **changes: Unpack[SettingsChange]) -> RunnerAccount:
        """Change the given delivery settings and leave the others as they are (:meth:`write_settings`),
        then the account as :meth:`get` reads it."""
        await self.write_settings(telegram_id, **changes)
        account = await self.get(telegram_id)
        if account is None:  # pragma: no cover - written a moment ago, in this same transaction
            raise UnknownRunner(telegram_id)
        return account

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
        """Change the given delivery settings and leave the others as they are, in one Core UPDATE
        that reads nothing back (the use cases hold the account they read and know what they wrote)."""
        values: dict[str, Any] = {}
        if not isinstance(timezone, Unset):
            values["timezone"] = timezone
        if not isinstance(reminder_time, Unset):
            if reminder_time is not None:
                _check_wall_time(reminder_time)
            values["reminder_time"] = reminder_time
        if not isinstance(active, Unset):
            values["active"] = active
        if not isinstance(paused_until, Unset):
            values["paused_until"] = paused_until
        if not isinstance(paused_from, Unset):
            values["paused_from"] = paused_from
        values["updated_at"] = self._now(now)
        statement = column_update(_RUNNERS, ("telegram_id",), tuple(values))
        params = column_params(values, telegram_id=telegram_id)
        # this unit of work's pending changes go first, as they would have
        written = await self._on_connection(lambda connection: connection.execute(statement, params).rowcount)
        if written == 0:
            raise UnknownRunner(telegram_id)

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
            "weeks_coached": state.weeks_coached,
            "needs_clearance": state.needs_clearance,
            "good_weeks": state.good_weeks,
            "progress": progress_values(state),
            "niggles": niggles_json(state.niggles),
        }
        row = {"runner_id": runner_id, **values}
        await self._on_connection(lambda connection: _state_upsert(tuple(values)).run(connection, [row]))

    async def delete(self, telegram_id: int) -> bool:
        """Erase the runner and every row keyed by them (calendar, race, state, plans, check-ins,
        reviews, due messages, deliveries); False if there was no such runner.

        Onboarding answers and python-telegram-bot's stored data are not the runner's rows: the
        ``forget_runner`` service erases those through their own repositories.
        """
        session = self._session
        runner_id = await session.scalar(select(Runner.id).where(Runner.telegram_id == telegram_id))
        if runner_id is None:
            return False
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
            await session.execute(delete(model).where(model.runner_id == runner_id))
        await session.execute(delete(Runner).where(Runner.id == runner_id))
        session.expunge_all()
        return True


def _days(days: frozenset[Weekday]) -> list[str]:
    order = list(Weekday)
    return [day.value for day in sorted(days, key=order.index)]


def _check_wall_time(value: dt.time) -> None:
    if value.tzinfo is not None:
        raise ValueError("reminder_time is a wall time in the runner's timezone: pass a naive time")


BRIEF = select(
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
    cast(Runner.injuries, Text).label("injuries"),  # as text: read by ``_niggles``, once per distinct list
    Runner.last_heard_at,
    Runner.lifting_prompts_only,
    Runner.review_chart,
)

# ``brief_of`` passes the fields by position (a dispatcher's batch reads hundreds, and keywords were a
# third of each brief's cost): in this order
_BRIEF_FIELDS = [
    "id",
    "telegram_id",
    "chat_id",
    "first_name",
    "timezone",
    "reminder_time",
    "active",
    "paused_until",
    "paused_from",
    "onboarded",
    "shown_date",
    "shown_at",
    "niggles",
    "onboarded_at",
    "last_heard_at",
    "lifting_prompts_only",
    "review_chart",
]
if [f.name for f in fields(RunnerBrief)] != _BRIEF_FIELDS:  # pragma: no cover - a guard for whoever reorders them
    raise RuntimeError("RunnerBrief's fields changed: update brief_of")


def brief_of(row: Any) -> RunnerBrief:
    """A ``BRIEF`` row (columns after its 16 ignored) as a brief, by position: a dispatcher's batch reads hundreds."""
    (id_, telegram_id, chat_id, first_name, timezone, reminder_time, active, paused_until, paused_from) = row[:9]
    (onboarded_at, shown_date, shown_at, injuries, last_heard_at, lifting_prompts_only, review_chart) = row[9:16]
    return RunnerBrief(
        id_,
        telegram_id,
        chat_id,
        first_name,
        timezone,
        reminder_time,
        active,
        paused_until,
        paused_from,
        onboarded_at is not None,
        shown_date,
        shown_at,
        _niggles(injuries),
        onboarded_at,
        last_heard_at,
        bool(lifting_prompts_only),
        bool(review_chart),
    )


_NO_NIGGLES: frozenset[BodyArea] = frozenset()


@functools.lru_cache(maxsize=256)
def _niggles(stored: str | None) -> frozenset[BodyArea]:
    """The niggle areas from the ``injuries`` column's JSON text; kept by text (runners share a few
    lists, most of them none)."""
    areas = json.loads(stored) if stored else None
    return frozenset(BodyArea(area) for area in areas) if areas else _NO_NIGGLES


_RUNNERS, _STATES, _RACES = (typed(Table, row.__table__) for row in (Runner, TrainingStateRow, RaceRow))


@functools.lru_cache(maxsize=4)
def _state_upsert(columns: tuple[str, ...]) -> Upsert:
    """``save_state``'s upsert of these columns, compiled once per dialect (``bot.db.repositories.upserts``);
    keyed by the columns ``save_state`` gives, so a field added there is written, never dropped."""
    return Upsert(_STATES, ("runner_id", *columns), keys=("runner_id",), update=columns)


# ``RunnerRepository.get``'s statements, built once on the tables (Core: no ORM loading)
_ACCOUNT = (
    select(
        _RUNNERS,
        *(column.label(f"state_{column.name}") for column in _STATES.columns),
        _RACES.c.distance.label("race_distance"),
        _RACES.c.date.label("race_date"),
    )
    .select_from(
        _RUNNERS.outerjoin(_STATES, _STATES.c.runner_id == _RUNNERS.c.id).outerjoin(
            _RACES, _RACES.c.runner_id == _RUNNERS.c.id
        )
    )
    .where(_RUNNERS.c.telegram_id == bindparam("telegram_id"))
)
# the run days (part 0, by weekday) and one-off dates (part 1, by date) in one statement
_DAYS_TABLE, _OVERRIDES_TABLE = typed(Table, RunDay.__table__), typed(Table, CalendarOverride.__table__)
_CALENDAR = union_all(
    select(
        literal(0).label("part"),
        _DAYS_TABLE.c.weekday,
        _DAYS_TABLE.c.kind,
        cast(null(), Date).label("date"),
        cast(null(), String).label("distance"),
    ).where(_DAYS_TABLE.c.runner_id == bindparam("runner_id")),
    select(
        literal(1),
        cast(null(), String),
        _OVERRIDES_TABLE.c.kind,
        _OVERRIDES_TABLE.c.date,
        _OVERRIDES_TABLE.c.distance,
    ).where(_OVERRIDES_TABLE.c.runner_id == bindparam("runner_id")),
).order_by("part", "weekday", "date")


_SET_SHOWN = (
    update(_RUNNERS)
    .where(_RUNNERS.c.telegram_id == bindparam("who"))
    .values(shown_date=bindparam("day"), shown_at=bindparam("at"))
)
_NO_OPTIONS: dict[str, Any] = {}


def _set_shown_on(connection: Connection, *, params: dict[str, Any], options: dict[str, Any]) -> None:
    run_compiled(connection, _SET_SHOWN, params, options)  # written on most /tomorrow and "why?" updates


def _account_on(connection: Connection, *, telegram_id: int) -> RunnerAccount | None:
    """:meth:`RunnerRepository.get` on the unit of work's connection: the runner with their state
    and race, then, once onboarded, their run days and one-off dates."""
    row = run_compiled(connection, _ACCOUNT, {"telegram_id": telegram_id}).first()
    if row is None:
        return None
    profile = None
    if row.onboarded_at is not None:
        calendar = run_compiled(connection, _CALENDAR, {"runner_id": row.id}).all()
        days = [day for day in calendar if day.part == 0]
        overrides = [override for override in calendar if override.part == 1]
        race = Prefixed(row, "race_") if row.race_distance is not None else None
        profile = profile_from(row, days, overrides, race)
    return account_from(row, profile, Prefixed(row, "state_") if row.state_runner_id is not None else None)


_BRIEF_OF = BRIEF.where(Runner.telegram_id == bindparam("telegram_id"))  # built once: read on most updates
_BRIEFS = BRIEF.where(one_of(_RUNNERS.c.id, "ids"))  # a dispatcher batch: the ids as one value
