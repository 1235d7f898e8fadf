"""Turn a runner's profile and calendar into a week of sessions, each with its reason.

``plan_week`` is the one entry point; it never reads the clock and touches no I/O. It plans a week
in named steps, each in its own module: the week's frame (``week_frame``: its days, phase, target,
reduction and dose), where the lifting goes (``week_placement``), the sessions on those days and on
every other (``week_sessions``), the facts the plan shows (``week_facts``) and the note that claims
only those (``week_note``). Reasons and the week's note come out as data (a key and the values it
cites; ``week_days``); ``bot.coach.wording`` words them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.coach.inputs import WeekKind, record_week
from bot.coach.library import Library
from bot.coach.model import Phase, Profile, TrainingState, WeekPlan
from bot.coach.session_choice import DEADLIFT_SLOT
from bot.coach.week_context import (
    FRESH_START,
    NO_CONTEXT,
    Pins,
    WeekContext,
    build_sets_of,
    context_after,
    jumps_of,
    lead_of,
)
from bot.coach.week_days import WEEK_DAYS, Cites
from bot.coach.week_facts import Unreduced, week_facts
from bot.coach.week_frame import frame_week
from bot.coach.week_note import week_note
from bot.coach.week_placement import place_lifts
from bot.coach.week_sessions import day_plans, lift_sessions, session_builder

NO_STATE = TrainingState()  # a runner's first state (frozen: one serves every plan)

# the names the services use beside the planner's own (their homes are the week_* modules)
__all__ = ["WeekContext", "context_after", "lead_of", "plan_week", "plan_weeks"]


def plan_week(
    profile: Profile,
    start: dt.date,
    library: Library,
    state: TrainingState | None = None,
    context: WeekContext = NO_CONTEXT,
    pins: Pins | None = None,
    *,
    as_kind: WeekKind | None = None,
) -> WeekPlan:
    """Plan the seven days from ``start`` for a runner in ``state``, in the week ``context``
    describes; ``pins`` fix what a re-plan keeps (without them, lifting is placed afresh).
    ``as_kind`` plans the week as if reduced so (M2 compares a reduced week with its full form)."""
    state = state or NO_STATE
    frame = frame_week(profile, start, state, context, pins, as_kind)
    chosen, kinds = place_lifts(profile, frame, context, pins)
    cites = Cites(profile)
    builder = session_builder(profile, library, frame, context, len(chosen))
    lifts = lift_sessions(builder, frame, chosen, kinds, pins, cites)
    days = day_plans(builder, frame, lifts, cites, context.lifted_before)
    unreduced = _unreduced(profile, library) if as_kind is None else None
    facts = week_facts(profile, frame, days, lifts, builder.climbed, context, pins, unreduced)
    return WeekPlan(
        start=start,
        phase=frame.phase,
        note=week_note(cites, profile, frame, context, lifts, facts, pinned=pins is not None),
        days=days,
        lifting_target=frame.target,
        deload=(frame.shape.deload or frame.shape.eased is not None) and lifts.placed > 0,
    )


def _unreduced(profile: Profile, library: Library) -> Unreduced:
    """Plans a week of the runner's at full sets, for M2 to count a reduced week's cut against."""

    def plan(start: dt.date, state: TrainingState, context: WeekContext, pins: Pins | None) -> WeekPlan:
        return plan_week(profile, start, library, state, context, pins, as_kind=WeekKind())

    return plan


def plan_weeks(
    profile: Profile,
    start: dt.date,
    weeks: int,
    library: Library,
    state: TrainingState | None = None,
    context: WeekContext = FRESH_START,
    *,
    reviewed: bool = True,
) -> list[WeekPlan]:
    """Consecutive weeks from ``start``, the first in ``context`` (by default a runner's first
    week: nothing lifted before it); each week knows whether the one before ended on a lift.

    ``reviewed`` plans the weeks as if each were reviewed before the next with no check-ins (as
    `coach plan` projects them): phases, A5's deloads and eased weeks appear, doses hold, the weeks
    count towards the runner's first weeks and their jumps, and the heavy deadlifts carry on
    alternating. Without it the weeks are planned as the coach plans and stores a week it has not
    reviewed yet: the dose and the count of coached weeks stay, only the week-level counters (A5's
    count, an eased week taken, the jump stage) move on as the review will move them.
    """
    plans: list[WeekPlan] = []
    state = state or NO_STATE
    for n in range(weeks):
        week = plan_week(profile, start + dt.timedelta(days=WEEK_DAYS * n), library, state, context)
        plans.append(week)
        # the counters move on as the review will move them (lifting weeks, jumps, A5's count, eased
        # weeks); reviewed with no check-ins, the dose holds (A2) and the week counts as coached
        counted = replace(record_week(profile, state, week), stepped=False, recovery_week=False)
        state = replace(counted, weeks_coached=state.weeks_coached + 1) if reviewed else counted
        deadlift_before = context.deadlift_before
        lifts = [d.session for d in week.days if d.session.kind.is_lifting]
        if reviewed and lifts:
            deadlift_before = any(library.exercises[p.id].slot == DEADLIFT_SLOT for p in lifts[-1].exercises)
        context = replace(
            context,
            lifted_before=week.days[-1].session.kind.is_lifting,
            deadlift_before=deadlift_before,
            lead_before=lead_of(week, library) or context.lead_before,
            # the full build week peak counts its cut from, carried through the peak weeks after it
            build_sets=build_sets_of(week) or (context.build_sets if week.phase is Phase.PEAK else None),
            # the full week a deload or eased week cuts its jumps from, carried through reduced weeks (J3)
            jumps_before=context.jumps_before if week.deload else jumps_of(week),
        )
    return plans
