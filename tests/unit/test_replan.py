"""Re-planning the rest of a week after the calendar changed: the past stays as prescribed, and the
whole week, old days and new, still keeps the placement rules."""

from __future__ import annotations

import datetime as dt

from coach_checks import KEY_RUNS, NO_LIFT_RUNS, ONE_DAY, check_day, consecutive_pairs, load_test_library
from hypothesis import given
from hypothesis import strategies as st
from plan_strategies import examples, profiles, week_templates

from bot.coach.adjust import replan_rest_of_week
from bot.coach.model import Profile, RunKind
from bot.coach.planner import plan_week

LIBRARY = load_test_library()
MONDAY = dt.date(2026, 11, 23)


@st.composite
def changes(draw: st.DrawFn) -> tuple[Profile, Profile, dt.date]:
    """A runner, the same runner with another weekly calendar (a moved run), and the day it changed."""
    before = draw(profiles(MONDAY, 1, None))
    after = before.model_copy(update={"week": draw(week_templates), "overrides": {}})
    return before, after, MONDAY + dt.timedelta(days=draw(st.integers(0, 6)))


@given(changes())
@examples(400)
def test_replanning_keeps_the_past_and_the_rules(change: tuple[Profile, Profile, dt.date]) -> None:
    """Days before the change are untouched; the new days keep P1, P2 and P7 under the new
    calendar; no two lifts in a row across old and new days; never more lifts than the target."""
    before, after, today = change
    stored = plan_week(before, MONDAY, LIBRARY)
    week = replan_rest_of_week(stored, today, after, LIBRARY)
    assert [d for d in week.days if d.date < today] == [d for d in stored.days if d.date < today]
    for day in week.days:
        if day.date >= today:
            check_day(after, day.date, day, LIBRARY, None)
    combined = [d for d in stored.days if d.date < today] + [d for d in week.days if d.date >= today]
    lifts = [d.date for d in combined if d.session.kind.is_lifting]
    assert consecutive_pairs(lifts) == [], f"P3 across the change: {lifts}"
    new_lifts = [d for d in week.days if d.date >= today and d.session.kind.is_lifting]
    assert len(lifts) <= max(stored.lifting_target, week.lifting_target)
    for day in new_lifts:
        assert day.run not in NO_LIFT_RUNS and after.run_on(day.date + ONE_DAY) not in KEY_RUNS


def test_a_long_run_moved_onto_a_lift_day_moves_the_lift_not_the_past() -> None:
    """Monday's lift is done; the long run moves to Friday, so Thursday can't lift: the lift moves."""
    e, r = RunKind.EASY, RunKind.REST
    profile = Profile(
        strength_level="some",
        # P5b: Monday and Friday are 2 days before a key run, Wednesday and Thursday 3 or more; Thursday's
        # rest day beats Wednesday's quality session (P4)
        week={"mon": e, "tue": r, "wed": RunKind.QUALITY, "thu": r, "fri": e, "sat": r, "sun": RunKind.LONG},
        equipment="dumbbells",
        session_minutes=30,
    )
    stored = plan_week(profile, MONDAY, LIBRARY)
    assert [d.date.weekday() for d in stored.days if d.session.kind.is_lifting] == [0, 3]
    moved = profile.model_copy(update={"week": {**profile.week, "fri": RunKind.LONG, "sun": e}})
    week = replan_rest_of_week(stored, MONDAY + dt.timedelta(days=1), moved, LIBRARY)
    lifts = [d.date.weekday() for d in week.days if d.session.kind.is_lifting]
    assert lifts[0] == 0 and 3 not in lifts and len(lifts) == 2
    assert week.days[0] == stored.days[0]
