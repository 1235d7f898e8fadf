"""Mobility respects every rested or flagged area as strength does (issue 15, item 2; N6): no
stretch or drill in a mobility routine loads an area the runner's plan spares."""

from __future__ import annotations

import datetime as dt

import pytest
from coach_checks import load_test_library

from bot.coach.library import Library
from bot.coach.model import BodyArea, Profile, RunKind, SessionKind, TrainingState, Weekday
from bot.coach.planner import plan_week
from bot.coach.selection import choose_routine

LIBRARY = load_test_library()
MONDAY = dt.date(2026, 11, 23)
UNTIL_CLEARED = dt.date.max
FOCUSES = sorted({focus for routine in LIBRARY.routines for focus in routine.focus})


def _runner(**update: object) -> Profile:
    week = {
        Weekday.MON: RunKind.REST,
        Weekday.TUE: RunKind.QUALITY,
        Weekday.WED: RunKind.EASY,
        Weekday.THU: RunKind.QUALITY,
        Weekday.FRI: RunKind.REST,
        Weekday.SAT: RunKind.LONG,
        Weekday.SUN: RunKind.EASY,
    }
    data = {"strength_level": "some", "week": week, "equipment": [], "session_minutes": 30, **update}
    return Profile.model_validate(data)


def _mobility_items(profile: Profile, state: TrainingState, weeks: int = 2) -> list[str]:
    """Every exercise id of every mobility day in the next ``weeks`` weeks."""
    items = []
    for n in range(weeks):
        week = plan_week(profile, MONDAY + dt.timedelta(weeks=n), LIBRARY, state)
        for day in week.days:
            if day.session.kind is SessionKind.MOBILITY:
                items.extend(item.id for item in day.session.exercises)
    return items


def _loads(library: Library, exercise: str) -> set[BodyArea]:
    return set(library.exercises[exercise].loads)


def test_mobility_loads_name_the_joints_each_position_bends() -> None:
    """The audited loads: a kneeling hip-flexor stretch loads hip and knee, a deep lunge stretch
    knee and hip, calf stretches and ankle rocks the ankle."""
    assert {BodyArea.HIP, BodyArea.KNEE} <= _loads(LIBRARY, "hip_flexor_stretch")
    assert {BodyArea.HIP, BodyArea.KNEE} <= _loads(LIBRARY, "worlds_greatest_stretch")
    assert BodyArea.ANKLE in _loads(LIBRARY, "calf_wall_stretch")
    assert BodyArea.ANKLE in _loads(LIBRARY, "ankle_rocks")
    assert BodyArea.KNEE in _loads(LIBRARY, "childs_pose")


def test_every_mobility_exercise_names_what_it_loads() -> None:
    """Only lying-still breathing may load nothing: every other mobility item names an area."""
    for routine in LIBRARY.routines:
        for item in routine.items:
            exercise = LIBRARY.exercises[item.exercise]
            if exercise.id != "belly_breathing":
                assert exercise.loads, exercise.id


def test_finding_a_hip_flagged_for_a_doctor_gets_no_hip_flexor_stretch() -> None:
    """A red-flag hip (rested until a professional clears it) gets no kneeling hip-flexor stretch,
    no 90/90 switches and no lunge stretch on any mobility day."""
    state = TrainingState(pain={BodyArea.HIP: UNTIL_CLEARED})
    items = _mobility_items(_runner(), state)
    assert items, "the week has mobility days"
    assert not {"hip_flexor_stretch", "worlds_greatest_stretch", "ninety_ninety"} & set(items)
    assert all(BodyArea.HIP not in _loads(LIBRARY, item) for item in items)


def test_finding_a_knee_rest_week_gets_no_deep_lunges() -> None:
    """A knee rested after pain gets no deep-lunge stretch, no kneeling stretch, no child's pose."""
    state = TrainingState(pain={BodyArea.KNEE: MONDAY + dt.timedelta(days=6)})
    items = _mobility_items(_runner(), state, weeks=1)
    assert items
    assert not {"worlds_greatest_stretch", "hip_flexor_stretch", "childs_pose"} & set(items)
    assert all(BodyArea.KNEE not in _loads(LIBRARY, item) for item in items)


def test_N6_a_flagged_ankle_gets_no_static_calf_stretch() -> None:
    """While an ankle is flagged as a niggle, no mobility day holds an end-range calf stretch."""
    items = _mobility_items(_runner(injuries=["ankle"]), TrainingState())
    assert items
    assert "calf_wall_stretch" not in items


@pytest.mark.parametrize("area", list(BodyArea))
@pytest.mark.parametrize("focus", FOCUSES)
def test_every_focus_keeps_a_routine_for_any_one_spared_area(focus: str, area: BodyArea) -> None:
    """For any one spared area, every kind of mobility day still finds three or more safe items."""
    routine, keep = choose_routine(LIBRARY, focus, frozenset({area}), 0)
    assert len(keep) >= 3, (focus, area, routine.id)
    for index in keep:
        assert area not in _loads(LIBRARY, routine.items[index].exercise)
