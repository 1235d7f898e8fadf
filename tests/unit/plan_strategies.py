"""Hypothesis strategies for runners and calendars, shared by the planning property tests.

Profiles cover every run-day kind on every weekday (a race only via the race date or an
override), every race distance with a date from yesterday to a year out, every level, kit,
session length and sessions-a-week answer, any set of niggles, 0-3 one-off overrides inside
the planned weeks (races included), the "hard days hard" style, preferred and switched-off days.
"""

from __future__ import annotations

import datetime as dt
import os

from coach_checks import TODAY
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.coach.model import WEEKDAYS, BodyArea, Distance, Equipment, Level, Phase, Profile, Race, RunKind

TEMPLATE_RUNS = (RunKind.REST, RunKind.EASY, RunKind.QUALITY, RunKind.LONG)  # race only by date or override
SESSION_MINUTES = (15, 20, 30, 45, 60)


# CI's randomized pass scales every property's example count (COACH_HYPOTHESIS_SCALE, default 1)
EXAMPLES_SCALE = float(os.environ.get("COACH_HYPOTHESIS_SCALE", "1"))


def examples(n: int) -> settings:
    """Settings for a property: ``n`` examples (scaled), no per-example deadline (no timing flakiness)."""
    count = max(1, round(n * EXAMPLES_SCALE))
    return settings(max_examples=count, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# COACHING.md "Phases": mobility only for this many days after a race
RECOVERY_DAYS = {Distance.K5: 3, Distance.K10: 3, Distance.HALF: 7, Distance.MARATHON: 10, Distance.ULTRA: 14}


def _day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


# strategies are built once: building them inside a composite costs more than planning the week
week_templates = st.fixed_dictionaries({day: st.sampled_from(TEMPLATE_RUNS) for day in WEEKDAYS})
races = st.builds(Race, distance=st.sampled_from(Distance), date=st.integers(-1, 365).map(_day))
maybe_races = st.none() | races
run_kinds = st.sampled_from(RunKind)
levels = st.sampled_from(Level)
equipment_levels = st.sampled_from(Equipment)
session_lengths = st.sampled_from(SESSION_MINUTES)
sessions_asked = st.sampled_from((None, 1, 2, 3))
niggles = st.frozensets(st.sampled_from(BodyArea))
weekday_sets = st.frozensets(st.sampled_from(WEEKDAYS))
switched_off = st.frozensets(st.sampled_from(WEEKDAYS), max_size=2)
plan_lengths = st.integers(1, 3)
start_offsets = st.integers(-7, 400)
override_offsets = {weeks: st.lists(st.integers(0, 7 * weeks), max_size=3, unique=True) for weeks in (1, 2, 3)}


@st.composite
def profiles(draw: st.DrawFn, start: dt.date, weeks: int, race: Race | None) -> Profile:
    """A runner whose 0-3 one-off overrides fall inside the planned weeks (or on the day after them)."""
    overrides = {start + dt.timedelta(days=n): draw(run_kinds) for n in draw(override_offsets[weeks])}
    # P9: a tune-up race may carry its distance (or not: "not sure")
    distances = {
        day: distance
        for day, kind in overrides.items()
        if kind is RunKind.RACE and (distance := draw(st.none() | st.sampled_from(Distance))) is not None
    }
    return Profile(
        strength_level=draw(levels),
        week=draw(week_templates),
        race=race,
        equipment=draw(equipment_levels),
        session_minutes=draw(session_lengths),
        sessions_per_week=draw(sessions_asked),
        injuries=draw(niggles),
        overrides=overrides,
        tune_up_distances=distances,
        hard_days_hard=draw(st.booleans()),
        preferred_days=draw(weekday_sets),
        mobility_off_days=draw(switched_off),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Profile, dt.date, int]:
    """A profile, a first day from a week ago to 400 days out, and 1 to 3 weeks to plan."""
    weeks = draw(plan_lengths)
    start = _day(draw(start_offsets))
    return draw(profiles(start, weeks, draw(maybe_races))), start, weeks


def phase_window(phase: Phase, race: Race, after: bool = False) -> tuple[int, int]:
    """Days relative to race day (inclusive) that COACHING.md puts in ``phase``."""
    taper = 7 if race.distance in (Distance.K5, Distance.K10) else 10
    recovery = RECOVERY_DAYS[race.distance]
    return {
        Phase.BASE: (recovery + 1, 120) if after else (-84 - 120, -85),
        Phase.BUILD: (-84, -taper - 22),
        Phase.PEAK: (-taper - 21, -taper - 1),
        Phase.TAPER: (-taper, 0),
        Phase.RECOVERY: (1, recovery),
    }[phase]


phases = st.sampled_from(Phase)


@st.composite
def phase_scenarios(draw: st.DrawFn) -> tuple[Profile, dt.date, int, Phase]:
    """A plan whose first day falls in a chosen phase of the runner's race."""
    race = draw(races)
    phase = draw(phases)
    low, high = phase_window(phase, race, after=draw(st.booleans()))
    start = race.date + dt.timedelta(days=draw(st.integers(low, high)))
    weeks = draw(plan_lengths)
    return draw(profiles(start, weeks, race)), start, weeks, phase


def boundaries(race: Race) -> tuple[int, ...]:
    """Days relative to race day on which a new phase starts (build, peak, taper, recovery, base)."""
    taper = 7 if race.distance in (Distance.K5, Distance.K10) else 10
    return (-84, -taper - 21, -taper, 1, RECOVERY_DAYS[race.distance] + 1)


@st.composite
def straddling_scenarios(draw: st.DrawFn) -> tuple[Profile, dt.date, int]:
    """A plan whose first week straddles the start of a phase: the days fall in two phases."""
    race = draw(races)
    boundary = draw(st.sampled_from(boundaries(race)))
    start = race.date + dt.timedelta(days=boundary - draw(st.integers(1, 6)))
    weeks = draw(plan_lengths)
    return draw(profiles(start, weeks, race)), start, weeks
