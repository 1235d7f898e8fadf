"""What a week is planned in beyond the profile and training state, and what carries from one week
to the next: the ``WeekContext`` (a pause, the lift before the week, days before the runner joined),
the ``Pins`` a re-plan keeps fixed, and what the runner reads of a planned week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.coach.library import Library
from bot.coach.model import DayPlan, ExerciseType, Pattern, Phase, ReasonKey, Role, Session, SessionKind, WeekPlan


@dataclass(frozen=True, slots=True)
class WeekContext:
    """What planning a week needs to know beyond the runner's profile and training state.

    ``paused_until`` is the last paused day; ``lifted_before`` says whether the day before the
    week had lifting (P3 across weeks) and ``deadlift_before`` whether the last lifting session
    before it had a heavy deadlift (they alternate with other hinges; None when not known);
    ``quiet`` holds days with no lifting to plan (the days before the runner joined), each with
    its reason key and the weekday value that reason cites; ``lead_before`` the pattern the last
    strength session before the week led with (D2: squat and hinge take turns; None when not known);
    ``build_sets`` the working sets of the week before when it was a full build week, which peak's
    cut is counted from (M2; None when not known, and the build week is planned again);
    ``jumps_before`` the most jump contacts a session of the last full (not reduced) week held, which
    a deload or eased week cuts from (J3; None when not known).
    """

    paused_until: dt.date | None = None
    lifted_before: bool = False
    deadlift_before: bool | None = None
    lead_before: Pattern | None = None
    build_sets: int | None = None
    jumps_before: int | None = None
    quiet: Mapping[dt.date, tuple[ReasonKey, str]] = field(default_factory=dict)

    def paused(self, day: dt.date) -> bool:
        return self.paused_until is not None and day <= self.paused_until


NO_CONTEXT = WeekContext()
FRESH_START = WeekContext(lifted_before=False, deadlift_before=False)


@dataclass(frozen=True, slots=True)
class Pins:
    """What re-planning a week keeps fixed ("Adjusting today", a re-plan from today on).

    ``lifts`` are the lifting days and their kinds, instead of the placement search; ``kept`` the
    sessions already prescribed on some of them, kept as they are; ``moved_from`` names, for a
    lift that was moved, the day it came from; ``quiet`` holds days pinned to mobility with a
    reason key and the weekday value it cites (the day a lift was swapped away from).

    Pins never bypass a day's own rules: a kept session of a kind the day's phase does not
    prescribe (power outside base and build) is prescribed afresh for that day.
    """

    lifts: Mapping[dt.date, SessionKind]
    kept: Mapping[dt.date, Session] = field(default_factory=dict)
    moved_from: Mapping[dt.date, dt.date] = field(default_factory=dict)
    quiet: Mapping[dt.date, tuple[ReasonKey, str]] = field(default_factory=dict)


_LEADS = frozenset({Pattern.SQUAT, Pattern.HINGE})


def lead_of(week: WeekPlan, library: Library) -> Pattern | None:
    """The pattern the week's last strength session led with (D2), None without one: its main lift,
    else the first squat or hinge it holds."""
    for day in reversed(week.days):
        if day.session.kind is not SessionKind.STRENGTH:
            continue
        patterns = [library.exercises[p.id].pattern for p in day.session.exercises if p.id in library.exercises]
        roles = [library.exercises[p.id].role for p in day.session.exercises if p.id in library.exercises]
        mains = [pat for pat, role in zip(patterns, roles, strict=True) if role is Role.MAIN and pat in _LEADS]
        leads = mains or [pat for pat in patterns if pat in _LEADS]
        if leads:
            return leads[0]
    return None


def working_sets(days: Sequence[DayPlan]) -> int:
    """M2: the working sets a week prescribes (jump sets in; warm-up, ramp sets and mobility out)."""
    return sum(
        p.sets
        for d in days
        if d.session.kind.is_lifting
        for p in d.session.exercises
        if p.type is not ExerciseType.MOBILITY
    )


def build_sets_of(week: WeekPlan) -> int | None:
    """The week's working sets when it was a full build week (unreduced, every session placed): what
    the peak week after it counts its cut from (M2); else None."""
    placed = sum(1 for d in week.days if d.session.kind.is_lifting)
    full_build = week.phase is Phase.BUILD and not week.deload and placed >= week.lifting_target > 0
    return working_sets(week.days) if full_build else None


def jumps_of(week: WeekPlan) -> int | None:
    """J3: the most jump contacts a session of the week held when it was not reduced (what a deload or
    eased week after it cuts from); None for a reduced week."""
    if week.deload:
        return None
    lifting = [d.session for d in week.days if d.session.kind.is_lifting]
    return max((sum(p.contacts for p in session.exercises) for session in lifting), default=0)


def context_after(week: WeekPlan, library: Library, paused_until: dt.date | None) -> WeekContext:
    """The context of the week after ``week``: whether it ended on a lift, the lead to turn from, its
    working sets when it was a full build week (peak's cut is counted from the week as it was), and
    its biggest session's jump contacts when it was not reduced (J3)."""
    return WeekContext(
        paused_until=paused_until,
        lifted_before=week.days[-1].session.kind.is_lifting,
        lead_before=lead_of(week, library),
        build_sets=build_sets_of(week),
        jumps_before=jumps_of(week),
    )


def week_reading(week: WeekPlan) -> tuple[object, ...]:
    """What the runner reads of a week's lifting (A1: a step must change it): each session's kind and
    exercises with their sets, reps, effort, tempo, load cue and contacts, and the note's claims."""
    sessions = tuple(
        (
            d.date,
            d.session.kind,
            tuple((p.id, p.sets, p.reps, p.rpe, p.load_cue, p.contacts, p.cue) for p in d.session.exercises),
        )
        for d in week.days
        if d.session.kind.is_lifting
    )
    return sessions, tuple(part.key for part in week.note.parts)
