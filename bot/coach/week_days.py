"""The seven days of a week as their reasons see them, and the reasons and notes as data (a key
and the values it cites; ``bot.coach.wording`` words them)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from bot.coach.model import (
    WEEKDAYS,
    NoteKey,
    NotePart,
    Phase,
    Profile,
    Reason,
    ReasonKey,
    RunKind,
    SessionKind,
    Weekday,
)
from bot.coach.phases import days_from, phases_from, tune_up_recovery_days, tune_up_windows
from bot.coach.placement import KEY_RUNS
from bot.coach.week_context import WeekContext

WEEK_DAYS = 7
# the weekdays of a week that starts on each weekday (Monday 0)
_WEEKDAYS_FROM = tuple(tuple(WEEKDAYS[(first + i) % 7] for i in range(WEEK_DAYS)) for first in range(7))
# the values a reason cites, by member (``.value`` is a Python-level property, asked about 20 times a week)
VALUE_OF: Mapping[RunKind | Phase, str] = {member: member.value for kind in (RunKind, Phase) for member in kind}


@dataclass(slots=True)
class DayContext:
    """Everything a reason sentence may cite about one day.

    Not frozen, and not a named tuple: a week builds seven or more of them, a frozen dataclass
    sets each of its 15 fields through a call to ``object.__setattr__``, and the planner reads a
    named tuple's fields more slowly than a slotted class's (1.719 M -> 1.673 M instructions a
    planned week as a named tuple, then as this, issue 22). Nothing changes one once built
    (``around`` makes a new one)."""

    date: dt.date
    run: RunKind
    next_run: RunKind
    phase: Phase
    paused: bool
    switched_off: bool
    lifted_yesterday: bool
    lifting_tomorrow: bool
    preferred: bool
    near_race: bool = False  # P9: within a tune-up race's no-lifting window (``tune_up`` is that race)
    too_close: bool = False  # a new lifter this close to the goal race starts no lifting
    tune_up: dt.date | None = None  # P9: the tune-up whose window (2 days before, its recovery after) holds the day
    tune_up_days: int = 0  # P9: the days without lifting after that tune-up (its distance's recovery, or 4)
    day_after_race: bool = False  # P10: the day after the goal race (its run stays; the reason advises rest)
    key_in_two_days: bool = False  # P5b: the next key run after this day is 2 days on


def day_contexts(profile: Profile, start: dt.date, context: WeekContext) -> tuple[DayContext, ...]:
    """The seven days from ``start`` as reasons see them, before any lifting is placed."""
    days = days_from(start, WEEK_DAYS + 2)
    runs = profile.runs_from(start, WEEK_DAYS + 2)
    tune_ups = tune_up_windows(profile, days[:WEEK_DAYS])  # P9
    recovery = (
        [tune_up_recovery_days(profile, race) if race is not None else 0 for race in tune_ups]
        if any(tune_ups)
        else [0] * WEEK_DAYS  # most weeks: no tune-up near
    )
    race = profile.race
    after_race = race.date + dt.timedelta(days=1) if race is not None else None
    weekdays = _WEEKDAYS_FROM[start.weekday()]
    phases = phases_from(race, start, WEEK_DAYS)
    off, preferred = profile.mobility_off_days, profile.preferred_days
    paused_until = context.paused_until  # ``context.paused``, read once
    return tuple(
        DayContext(
            date=day,
            run=runs[i],
            next_run=runs[i + 1],
            phase=phases[i],
            paused=paused_until is not None and day <= paused_until,
            switched_off=weekdays[i] in off,
            lifted_yesterday=False,
            lifting_tomorrow=False,
            preferred=weekdays[i] in preferred,
            near_race=tune_ups[i] is not None,
            tune_up=tune_ups[i],
            tune_up_days=recovery[i],
            day_after_race=day == after_race,
            key_in_two_days=runs[i + 1] not in KEY_RUNS and runs[i + 2] in KEY_RUNS,
        )
        for i, day in enumerate(days[:WEEK_DAYS])
    )


def around(day: DayContext, i: int, lifting: tuple[int, ...], lifted_before: bool, too_close: bool) -> DayContext:
    """A day with what the lifting placed around it says about it."""
    yesterday = (i - 1) in lifting or (i == 0 and lifted_before)
    tomorrow = (i + 1) in lifting
    if yesterday == day.lifted_yesterday and tomorrow == day.lifting_tomorrow and too_close == day.too_close:
        return day  # nothing placed around it changes what it says
    return DayContext(
        date=day.date,
        run=day.run,
        next_run=day.next_run,
        phase=day.phase,
        paused=day.paused,
        switched_off=day.switched_off,
        lifted_yesterday=yesterday,
        lifting_tomorrow=tomorrow,
        preferred=day.preferred,
        near_race=day.near_race,
        too_close=too_close,
        tune_up=day.tune_up,
        tune_up_days=day.tune_up_days,
        day_after_race=day.day_after_race,
        key_in_two_days=day.key_in_two_days,
    )


def key_in_two_days(profile: Profile, day: dt.date) -> bool:
    """P5b: the next key run after ``day`` is 2 days on (the day between is not one)."""
    return (
        profile.run_on(day + dt.timedelta(days=1)) not in KEY_RUNS
        and profile.run_on(day + dt.timedelta(days=2)) in KEY_RUNS
    )


def weekday_of(day: dt.date) -> str:
    """How a reason cites a day: its weekday's value."""
    return Weekday.of(day).value


class Cites:
    """The values a runner's reasons and week notes cite, as data: run kinds, phases, distances
    and weekdays by their value, numbers and dates as text."""

    def __init__(self, profile: Profile) -> None:
        race = self.race = profile.race
        self.race_day = race.date if race else None  # read once: a profile's fields cost more to read
        self.race_values = {
            "distance": race.distance.value if race else "",
            "race_date": race.date.isoformat() if race else "",
            "recovery_days": str(race.distance.recovery_days) if race else "",
        }

    def reason(self, key: ReasonKey, ctx: DayContext, target: int, placed: int, weekday: str = "") -> Reason:
        """Why a day holds its session; ``weekday`` is the value of another day it cites."""
        race_day = self.race_day
        if not weekday and ctx.tune_up is not None and key in TUNE_UP_REASONS:
            weekday = weekday_of(ctx.tune_up)  # P9: the race the day keeps clear of
        values = {
            "target": str(target),
            "placed": str(placed),
            "weekday": weekday,
            **self.race_values,
            "run": VALUE_OF[ctx.run],
            "next_run": VALUE_OF[ctx.next_run],
            "phase": VALUE_OF[ctx.phase],
            "days_to_race": str((race_day - ctx.date).days) if race_day is not None else "",
            "tune_up_days": str(ctx.tune_up_days) if ctx.tune_up is not None else "",
        }
        return Reason(key, values)

    def note(
        self, key: NoteKey, phase: Phase, start: dt.date, target: int, placed: int, extra: Mapping[str, str]
    ) -> NotePart:
        race = self.race
        values = {
            "target": str(target),
            "placed": str(placed),
            **self.race_values,
            "weekday": "",
            "run": "",
            "next_run": "",
            "tune_up_days": "",
            **extra,
            "phase": phase.value,
            "weeks_to_race": str(max(0, math.ceil((race.date - start).days / 7))) if race else "",
        }
        return NotePart(key, values)


TUNE_UP_REASONS = frozenset({ReasonKey.MOBILITY_BEFORE_TUNE_UP, ReasonKey.MOBILITY_AFTER_TUNE_UP})


def lifting_reason_key(ctx: DayContext, kind: SessionKind) -> ReasonKey:
    if ctx.preferred:
        return ReasonKey.LIFT_PREFERRED_DAY
    if kind is SessionKind.POWER:
        return ReasonKey.POWER_DAY
    return _LIFT_DAY_KEYS.get(ctx.run, ReasonKey.LIFT_EASY_DAY)


_LIFT_DAY_KEYS = {RunKind.REST: ReasonKey.LIFT_REST_DAY, RunKind.QUALITY: ReasonKey.LIFT_QUALITY_DAY}


def quiet_day(ctx: DayContext, *, placed: int = 1, no_safe_lifts: bool = False) -> tuple[SessionKind, ReasonKey]:
    """The kind and reason key of a day without lifting, most telling cause first.

    ``placed`` is how many lifting sessions the week holds and ``no_safe_lifts`` whether the
    runner's niggles emptied one: a day is only said to leave the lifting to other days when
    there is lifting on other days.
    """
    if ctx.paused:
        return SessionKind.REST, ReasonKey.REST_PAUSED
    if ctx.run is RunKind.RACE:
        return SessionKind.REST, ReasonKey.REST_RACE_DAY
    if ctx.switched_off:
        return SessionKind.REST, ReasonKey.REST_SWITCHED_OFF
    if ctx.day_after_race and ctx.run is not RunKind.REST:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_DAY_AFTER_RACE  # P10: the run stays, rest advised
    if ctx.phase is Phase.RECOVERY:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_RECOVERY
    if ctx.phase is Phase.TAPER:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_TAPER
    if ctx.run is RunKind.LONG:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_LONG_TODAY
    if ctx.next_run in KEY_RUNS:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_BEFORE_KEY_RUN
    if ctx.tune_up is not None:
        before = ctx.tune_up > ctx.date
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_BEFORE_TUNE_UP if before else ReasonKey.MOBILITY_AFTER_TUNE_UP
    if ctx.too_close and ctx.phase.allows_lifting:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_TOO_CLOSE_TO_START
    if ctx.lifted_yesterday:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_AFTER_LIFT
    if ctx.run is RunKind.QUALITY:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_QUALITY_TODAY
    if placed:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_WEEK_FULL
    if no_safe_lifts:
        return SessionKind.MOBILITY, ReasonKey.MOBILITY_NO_SAFE_LIFTS
    return SessionKind.MOBILITY, ReasonKey.MOBILITY_LIGHT_DAY
