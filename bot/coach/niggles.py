"""The niggle ladder and its checks (COACHING.md N3 to N5, A4): pure functions of the state.

An area the runner works around climbs four rungs (N3): 1 holds, 2 slow and light, 3 slow and
loaded or single-leg, 4 the normal exercise. It moves up at most one rung a lifting week, and only
when that week loaded it and all three checks passed (N4): pain during its work at most 3/10
(asked after the session), back to usual the next morning (asked at the next day's reminder time)
and no worse than the week before (asked in the weekly review). A failed check moves it down a
rung (below 1 it rests a week); a second failed check within 2 weeks is pain (A4): the area rests
and returns at rung 1 with its jump clock restarted. Jumps on the area wait for N5: 2 lifting weeks
at rung 4, 6 lifting weeks since it last started at rung 1 or moved down, and its strength test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.coach.model import BodyArea, NiggleState, TrainingState

if TYPE_CHECKING:
    from bot.coach.adaptation import WeekReview

FIRST_RUNG = 1
TOP_RUNG = 4
PAIN_LIMIT = 3  # out of 10, during the exercise (M3)
FAIL_WINDOW_DAYS = 14  # N4: a second failed check within 2 weeks is pain (A4)
REMOVED_DAYS = 7  # N4: a failed check at rung 1 removes the area for a week
TOP_WEEKS = 2  # N5: lifting weeks at rung 4 before jumps
CLOCK_WEEKS = 6  # N5: lifting weeks since the area last started at rung 1 or moved down
_FROM_OLD = {0: 1, 1: 3, 2: 4}  # stored before rev. 3: 0 gentle form, 1 easier step, 2 usual


class Compare(StrEnum):
    """The weekly review's check: the area compared with the week before."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True, slots=True)
class StrengthTest:
    """N5's test for an area: ``count`` repetitions of ``exercise`` (each side when ``each_side``)."""

    exercise: str  # the library id the session builds the test from
    count: int
    each_side: bool = False


HEEL_RAISES = StrengthTest("heel_raise_test", 25)
BOX_SQUATS = StrengthTest("box_squat_test", 15)
BRIDGES = StrengthTest("single_leg_bridge_test", 20, each_side=True)
STRENGTH_TESTS: Mapping[BodyArea, StrengthTest] = {
    BodyArea.ANKLE: HEEL_RAISES,
    BodyArea.FOOT: HEEL_RAISES,
    BodyArea.SHIN: HEEL_RAISES,
    BodyArea.KNEE: BOX_SQUATS,
    BodyArea.HIP: BOX_SQUATS,
    BodyArea.HAMSTRING: BRIDGES,
    BodyArea.BACK: BRIDGES,
}
TEST_EXERCISES = frozenset(t.exercise for t in STRENGTH_TESTS.values())


@dataclass(frozen=True, slots=True)
class SessionChecks:
    """One session's answers for one area: ``during`` True when the pain stayed at 3/10 or less,
    ``morning`` True when it was back to usual the next morning (None: unanswered); ``test`` the
    strength test the session held and the count the runner gave, if it held one."""

    day: dt.date
    during: bool | None = None
    morning: bool | None = None
    test: tuple[str, int] | None = None

    @property
    def failed(self) -> bool:
        return self.during is False or self.morning is False

    @property
    def passed(self) -> bool:
        return self.during is True and self.morning is True


def test_in(exercise_ids: Iterable[str]) -> StrengthTest | None:
    """The N5 strength test among a session's exercises, if it holds one."""
    ids = set(exercise_ids) & TEST_EXERCISES
    return next((t for t in STRENGTH_TESTS.values() if t.exercise in ids), None)


def from_old_rung(stored: int) -> int:
    """A rung stored before rev. 3 (0 gentle, 1 easier, 2 usual) on N3's four rungs."""
    return _FROM_OLD.get(stored, FIRST_RUNG if stored < 0 else TOP_RUNG)


def flagged_areas(state: TrainingState, injuries: Iterable[BodyArea], on: dt.date) -> frozenset[BodyArea]:
    """The areas on the ladder on ``on``: the declared niggles and the areas back from pain,
    less those resting (A4, a red flag, a week removed)."""
    returning = {area for area, n in state.niggles.items() if n.returning}
    return frozenset(set(injuries) | returning) - state.rested_areas(on)


def rung_of(state: TrainingState, area: BodyArea) -> int:
    """The area's N3 rung; a niggle the ladder has not seen yet starts at rung 1."""
    held = state.niggles.get(area)
    return held.rung if held is not None else FIRST_RUNG


def area_rungs(state: TrainingState, injuries: Iterable[BodyArea], on: dt.date) -> tuple[tuple[BodyArea, int], ...]:
    """Each flagged area with its rung, in a stable order (``LiftingInputs.rungs``)."""
    return tuple(sorted((area, rung_of(state, area)) for area in flagged_areas(state, injuries, on)))


def cleared_for_jumps(state: TrainingState, area: BodyArea) -> bool:
    """N5: 2 lifting weeks at rung 4, 6 since it last started at rung 1 or moved down, its test passed."""
    held = state.niggles.get(area)
    if held is None:
        return False
    tested = held.tested or area not in STRENGTH_TESTS
    return held.rung >= TOP_RUNG and held.at_top >= TOP_WEEKS and held.since >= CLOCK_WEEKS and tested


def no_jump_areas(state: TrainingState, injuries: Iterable[BodyArea], on: dt.date) -> frozenset[BodyArea]:
    """Flagged or resting areas not yet cleared for jumps (``LiftingInputs.no_jump_areas``)."""
    candidates = flagged_areas(state, injuries, on) | state.rested_areas(on)
    return frozenset(a for a in candidates if a in state.rested_areas(on) or not cleared_for_jumps(state, a))


def test_due(state: TrainingState, injuries: Iterable[BodyArea], on: dt.date) -> BodyArea | None:
    """The flagged area whose strength test this week's sessions hold (one a week at most):
    the first whose other N5 gates are met and whose test has not passed."""
    for area in sorted(flagged_areas(state, injuries, on)):
        held = state.niggles.get(area)
        if held is None or held.tested or area not in STRENGTH_TESTS:
            continue
        if held.rung >= TOP_RUNG and held.at_top >= TOP_WEEKS and held.since >= CLOCK_WEEKS:
            return area
    return None


def test_passed(area: BodyArea, checks: SessionChecks) -> bool:
    """N5's test for ``area`` passed in this session: the count reached, pain at most 3/10, back
    to usual the next morning."""
    spec = STRENGTH_TESTS.get(area)
    if spec is None or checks.test is None:
        return False
    exercise, count = checks.test
    return exercise == spec.exercise and count >= spec.count and checks.passed


def restart(state: TrainingState, area: BodyArea, *, returning: bool = True) -> TrainingState:
    """A4 (and a red flag cleared): the area comes back at rung 1 with its N5 clock restarted."""
    held = state.niggles.get(area, NiggleState())
    fresh = NiggleState(failed=held.failed, returning=returning or held.returning)
    return replace(state, niggles={**state.niggles, area: fresh})


def _failed_once(held: NiggleState, day: dt.date) -> tuple[NiggleState, bool]:
    """Record a failed check; True when it is the second within 2 weeks (pain, A4)."""
    recent = tuple(d for d in held.failed if 0 <= (day - d).days <= FAIL_WINDOW_DAYS)
    return replace(held, failed=(*recent, day)), bool(recent)


def _down(held: NiggleState) -> tuple[NiggleState, bool]:
    """One rung down, the N5 clock restarted; True when it was already at rung 1 (removed a week)."""
    if held.rung <= FIRST_RUNG:
        return replace(held, rung=FIRST_RUNG, since=0, at_top=0, pending=None), True
    return replace(held, rung=held.rung - 1, since=0, at_top=0, pending=None), False


class Flare(StrEnum):
    """What a failed check does at once (N4): one rung down, a week's rest from rung 1, or, the
    second within 2 weeks, the pain rule (A4)."""

    DOWN = "down"
    REST = "rest"
    PAIN = "pain"


def flare(state: TrainingState, area: BodyArea, day: dt.date) -> tuple[TrainingState, Flare | None]:
    """N4 at once for a failed check of ``day``'s session: recorded on the area, which moves down a
    rung (or rests a week from rung 1); the second within 2 weeks is pain, which the caller applies
    (A4). A failure already recorded for that session changes nothing (None)."""
    held = state.niggles.get(area, NiggleState())
    if day in held.failed:
        return state, None
    held, second = _failed_once(held, day)
    if second:
        return replace(state, niggles={**state.niggles, area: held}), Flare.PAIN
    held, removed = _down(held)
    rest = dict(state.pain)
    if removed:
        rest[area] = max(rest.get(area, day), day + dt.timedelta(days=REMOVED_DAYS))
    return replace(state, niggles={**state.niggles, area: held}, pain=rest), Flare.REST if removed else Flare.DOWN


def review_niggles(
    state: TrainingState, review: WeekReview, week_end: dt.date
) -> tuple[TrainingState, frozenset[BodyArea]]:
    """N4 and N5 over the week ending ``week_end``; returns the new state and the areas whose
    second failed check within 2 weeks counts as pain (A4).

    A lifting week moves each area's clocks on. A failed check (3/10 exceeded, not back to usual)
    moves the area down a rung, or rests it a week from rung 1. A week that loaded the area with
    every session check passed waits for the weekly "vs last week" answer (``compare``); an
    unanswered check holds. Areas reported painful (A4) or with a red flag restart at rung 1.
    """
    lifting = review.planned > 0
    ladder = dict(state.niggles)
    rest = dict(state.pain)
    pain: set[BodyArea] = set()
    for area in sorted(set(ladder) | set(review.niggle_sessions)):
        held = ladder.get(area, NiggleState())
        checks = review.niggle_sessions.get(area, ())
        if lifting:
            held = replace(held, since=held.since + 1, at_top=held.at_top + (1 if held.rung >= TOP_RUNG else 0))
        held = replace(held, pending=None, asked=week_end if checks else None)
        if any(test_passed(area, c) for c in checks):
            held = replace(held, tested=True)
        failed = {c.day for c in checks if c.failed}
        # failures already acted on when they were logged (``flare``) are not counted twice
        failures = sorted(failed - set(held.failed))
        for day in failures:
            held, second = _failed_once(held, day)
            if second:
                pain.add(area)
        if failures and area not in pain:
            held, removed = _down(held)
            if removed:
                rest[area] = max(rest.get(area, week_end), week_end + dt.timedelta(days=REMOVED_DAYS))
        elif checks and all(c.passed for c in checks):
            held = replace(held, pending=week_end)
        if held.returning and cleared_for_jumps(replace(state, niggles={area: held}), area):
            held = replace(held, returning=False)  # back to normal: no longer on the ladder
        ladder[area] = held
    new = replace(state, niggles=ladder, pain=rest)
    for area in sorted(pain | review.pain | review.red_flags):
        new = restart(new, area)
    return new, frozenset(pain)


def compare(
    state: TrainingState,
    area: BodyArea,
    answer: Compare,
    week_end: dt.date,
    today: dt.date,
    checks: tuple[SessionChecks, ...] | None = None,
) -> tuple[TrainingState, bool]:
    """The weekly review's "vs last week" answer for the week ending ``week_end``.

    Better or same: an area whose week passed every other check moves up one rung (``checks``, the
    week's session checks as they stand now, counts a morning answered after the review; without
    them, what the review saw). Worse: a failed check (down a rung, or rests a week from rung 1);
    True when it is the second within 2 weeks, which counts as pain (A4: the caller rests the area,
    which returns at rung 1).
    """
    held = state.niggles.get(area)
    if held is None or held.asked != week_end:
        return state, False
    held = replace(held, asked=None)
    if answer is not Compare.WORSE:
        passed = bool(checks) and all(c.passed for c in checks) if checks is not None else held.pending == week_end
        if passed:
            rung = min(TOP_RUNG, held.rung + 1)
            held = replace(held, rung=rung, pending=None)
        return replace(state, niggles={**state.niggles, area: held}), False
    held, second = _failed_once(replace(held, pending=None), today)
    if second:
        return restart(replace(state, niggles={**state.niggles, area: held}), area), True
    held, removed = _down(held)
    new = replace(state, niggles={**state.niggles, area: held})
    if removed:  # out of next week (counted from the week's end, so it never reads as pain, A4)
        until = max(state.pain.get(area, week_end), week_end + dt.timedelta(days=REMOVED_DAYS))
        new = replace(new, pain={**new.pain, area: until})
    return new, False


def resting_areas(state: TrainingState, injuries: Iterable[BodyArea], on: dt.date) -> frozenset[BodyArea]:
    """The niggle areas resting on ``on`` (A4, a red flag, a week removed by N4): a week's note says
    they are resting rather than adapted (M4)."""
    on_ladder = set(injuries) | set(state.niggles)
    return frozenset(a for a in state.rested_areas(on) if a in on_ladder)


def asked_areas(review: WeekReview) -> tuple[BodyArea, ...]:
    """The areas the weekly review asks "vs last week" about: those the week's sessions loaded."""
    return tuple(sorted(area for area, checks in review.niggle_sessions.items() if checks))
