"""The niggle ladder of the rulebook's third revision (COACHING.md N3 to N5, A4), on the pure core."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach import niggles
from bot.coach.adaptation import Rule, WeekReview, review_week
from bot.coach.inputs import lifting_inputs
from bot.coach.model import BodyArea, Equipment, Level, NiggleState, Phase, Profile, RunKind, TrainingState, Weekday
from bot.coach.niggles import Compare, SessionChecks

pytestmark = pytest.mark.unit

ANKLE, KNEE = BodyArea.ANKLE, BodyArea.KNEE
SUNDAY = dt.date(2026, 1, 4)  # a Sunday
HEEL_RAISES = niggles.STRENGTH_TESTS[ANKLE]


def _sunday(week: int) -> dt.date:
    return SUNDAY + dt.timedelta(days=7 * week)


def _checks(
    week: int,
    *,
    during: bool | None = True,
    morning: bool | None = True,
    sessions: int = 2,
    test: tuple[str, int] | None = None,
) -> tuple[SessionChecks, ...]:
    """The week's sessions (Tuesday, Thursday) that loaded the area, with their answers."""
    days = [_sunday(week) - dt.timedelta(days=5), _sunday(week) - dt.timedelta(days=3)][:sessions]
    return tuple(SessionChecks(d, during, morning, test if i == 0 else None) for i, d in enumerate(days))


def _week(
    state: TrainingState, week: int, area: BodyArea = ANKLE, pain: frozenset[BodyArea] = frozenset(), **kw: object
) -> TrainingState:
    checks = _checks(week, **kw)  # type: ignore[arg-type]
    review = WeekReview(planned=2, done=2, rpes=(6, 6), pain=pain, niggle_sessions={area: checks} if checks else {})
    return review_week(state, review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=_sunday(week)).state


def _full_week(state: TrainingState, week: int, area: BodyArea = ANKLE, **kw: object) -> TrainingState:
    """A week whose three checks all passed: after the session, next morning and vs last week."""
    state = _week(state, week, area, **kw)
    state, _ = niggles.compare(state, area, Compare.SAME, _sunday(week), _sunday(week) + dt.timedelta(days=1))
    return state


def _profile(*areas: BodyArea) -> Profile:
    week = {day: RunKind.EASY for day in Weekday} | {Weekday.SUN: RunKind.LONG, Weekday.WED: RunKind.REST}
    return Profile(
        strength_level=Level.SOME, week=week, equipment=Equipment.GYM, session_minutes=45, injuries=frozenset(areas)
    )


def test_N3_new_niggles_start_at_rung_1() -> None:
    """A niggle the ladder has not seen is dosed at rung 1 (holds), not at its normal exercise."""
    inputs = lifting_inputs(
        _profile(KNEE, ANKLE), TrainingState(weeks_coached=5), Phase.BASE, SUNDAY, deload=False, eased=False
    )
    assert inputs.rungs == ((ANKLE, 1), (KNEE, 1))
    assert inputs.no_jump_areas >= {ANKLE, KNEE}


def test_N3_old_stored_rungs_map_to_the_four_rungs() -> None:
    """Rungs stored before rev. 3 (0 gentle, 1 easier, 2 usual) read as rungs 1, 3 and 4."""
    assert [niggles.from_old_rung(n) for n in (0, 1, 2)] == [1, 3, 4]


def test_N4_fine_taps_alone_never_move_an_area_up() -> None:
    """Finding: an Achilles niggle climbed on four "fine" taps in two and a half weeks; now a week whose
    morning and weekly checks went unanswered holds the rung."""
    state = TrainingState()
    for week in range(3):
        state = _week(state, week, morning=None)
    assert niggles.rung_of(state, ANKLE) == 1


def test_N4_up_at_most_one_rung_a_lifting_week_and_only_when_all_three_checks_passed() -> None:
    """Each week whose sessions, mornings and weekly comparison all passed moves the area up exactly one
    rung, to rung 4 at most; a "same" without the week's session checks does not."""
    state = TrainingState()
    rungs = []
    for week in range(5):
        state = _full_week(state, week)
        rungs.append(niggles.rung_of(state, ANKLE))
    assert rungs == [2, 3, 4, 4, 4]
    held = _week(TrainingState(), 0, morning=None)
    held, _ = niggles.compare(held, ANKLE, Compare.BETTER, _sunday(0), _sunday(0))
    assert niggles.rung_of(held, ANKLE) == 1


def test_N4_a_week_that_did_not_load_the_area_holds_it() -> None:
    """No session loaded the area: no check to pass, no move up, and no weekly question."""
    state = _full_week(TrainingState(), 0)
    review = WeekReview(planned=2, done=2, rpes=(6, 6))
    after = review_week(state, review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=_sunday(1)).state
    moved, _ = niggles.compare(after, ANKLE, Compare.SAME, _sunday(1), _sunday(1))
    assert niggles.rung_of(moved, ANKLE) == 2


def test_N4_a_failed_check_moves_down_one_rung_and_below_1_removes_the_area_a_week() -> None:
    """A worse morning moves the area down a rung; at rung 1 it is removed for a week instead."""
    state = _full_week(_full_week(TrainingState(), 0), 1)  # rung 3
    down = _week(state, 2, morning=False, sessions=1)
    assert niggles.rung_of(down, ANKLE) == 2
    at_one = _week(TrainingState(), 0, during=False, sessions=1)
    assert niggles.rung_of(at_one, ANKLE) == 1
    assert ANKLE in at_one.rested_areas(_sunday(1)) and ANKLE not in at_one.rested_areas(_sunday(1) + dt.timedelta(1))


def test_N4_a_worse_week_is_a_failed_check() -> None:
    """ "Worse than last week" in the review moves the area down a rung."""
    state = _full_week(_full_week(TrainingState(), 0), 1)
    state = _week(state, 2)
    worse, second = niggles.compare(state, ANKLE, Compare.WORSE, _sunday(2), _sunday(2))
    assert not second and niggles.rung_of(worse, ANKLE) == 2


def test_N4_a_second_failure_within_two_weeks_is_pain() -> None:
    """Two failed checks within 14 days count as pain (A4): the area rests and advice is given."""
    state = _full_week(_full_week(TrainingState(), 0), 1)
    review = WeekReview(planned=2, done=2, rpes=(6, 6), niggle_sessions={ANKLE: _checks(2, during=False)})
    adjusted = review_week(state, review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=_sunday(2))
    assert Rule.PAIN in adjusted.rules and adjusted.advise_professional
    assert ANKLE in adjusted.state.rested_areas(_sunday(3))


def test_N5_no_jumps_for_6_lifting_weeks_and_until_the_test_passed() -> None:
    """Finding: the Achilles niggle reached ~120 A-skip and lateral-hop contacts in under three weeks; now it
    stays jump-free through 6 lifting weeks, 2 at rung 4, and until its 25 heel raises pass."""
    profile = _profile(ANKLE)
    state = TrainingState(weeks_coached=4)
    for week in range(6):
        state = _full_week(state, week)
        start = _sunday(week) + dt.timedelta(days=1)
        inputs = lifting_inputs(profile, state, Phase.BASE, start, deload=False, eased=False)
        assert ANKLE in inputs.no_jump_areas, week
        if week < 5:
            assert inputs.strength_test is None, week
    start = _sunday(5) + dt.timedelta(days=1)
    assert lifting_inputs(profile, state, Phase.BASE, start, deload=False, eased=False).strength_test is ANKLE
    short = _full_week(state, 6, test=(HEEL_RAISES.exercise, 20))
    assert not short.niggles[ANKLE].tested
    assert ANKLE in niggles.no_jump_areas(short, {ANKLE}, _sunday(7))
    sore = _full_week(state, 6, test=(HEEL_RAISES.exercise, 25), morning=False)
    assert not sore.niggles[ANKLE].tested
    passed = _full_week(state, 6, test=(HEEL_RAISES.exercise, 25))
    assert passed.niggles[ANKLE].tested
    inputs = lifting_inputs(profile, passed, Phase.BASE, _sunday(7), deload=False, eased=False)
    assert ANKLE not in inputs.no_jump_areas and inputs.strength_test is None


def test_N5_the_tests_per_area() -> None:
    """Ankle, foot and shin: 25 single-leg heel raises; knee and hip: 15 box squats; hamstring and back:
    20 single-leg bridges each side."""
    counts = {a: (t.count, t.each_side) for a, t in niggles.STRENGTH_TESTS.items()}
    assert counts[ANKLE] == counts[BodyArea.FOOT] == counts[BodyArea.SHIN] == (25, False)
    assert counts[KNEE] == counts[BodyArea.HIP] == (15, False)
    assert counts[BodyArea.HAMSTRING] == counts[BodyArea.BACK] == (20, True)


def test_N5_moving_down_restarts_the_six_weeks() -> None:
    """A failed check restarts the clock: 6 more lifting weeks before the test comes due."""
    state = TrainingState()
    for week in range(5):
        state = _full_week(state, week)
    state = _week(state, 5, morning=False, sessions=1)
    assert state.niggles[ANKLE].since == 0 and niggles.test_due(state, {ANKLE}, _sunday(6)) is None


def test_A4_after_pain_the_knee_rests_then_returns_at_rung_1() -> None:
    """Finding: after the pain rule said the knee "comes back gently", the next session had back squats at
    3 x 6-8 RPE 7; now it rests a week and returns at rung 1, its jump clock restarted."""
    profile = _profile()  # the knee was never declared a niggle
    state = TrainingState(weeks_coached=6, niggles={KNEE: NiggleState(rung=4, since=9, at_top=5, tested=True)})
    after = review_week(
        state,
        WeekReview(planned=2, done=2, rpes=(6, 6), pain=frozenset({KNEE})),
        week_phase=Phase.BASE,
        next_phase=Phase.BASE,
        week_end=_sunday(0),
    ).state
    resting = lifting_inputs(profile, after, Phase.BASE, _sunday(0) + dt.timedelta(days=1), deload=False, eased=False)
    assert KNEE not in dict(resting.rungs) and KNEE in resting.no_jump_areas
    back = lifting_inputs(profile, after, Phase.BASE, _sunday(1) + dt.timedelta(days=1), deload=False, eased=False)
    assert dict(back.rungs)[KNEE] == 1 and KNEE in back.no_jump_areas
    assert after.niggles[KNEE].since == 0 and not after.niggles[KNEE].tested


def test_A4_a_pain_report_restarts_the_area_at_once() -> None:
    """The pain rule applied mid-week already puts the area at rung 1 for when its rest ends."""
    state = niggles.restart(TrainingState(niggles={KNEE: NiggleState(rung=4, since=8)}), KNEE)
    assert niggles.rung_of(state, KNEE) == 1 and KNEE in niggles.flagged_areas(state, (), _sunday(0))


def test_A4_a_returning_area_leaves_the_ladder_once_normal_and_cleared_for_jumps() -> None:
    """An area back from pain that was never declared is worked around until it is at rung 4 and passed
    N5, then it is normal again."""
    state = niggles.restart(TrainingState(), KNEE)
    for week in range(7):
        state = _full_week(state, week, area=KNEE)
    assert KNEE in niggles.flagged_areas(state, (), _sunday(8))
    test = niggles.STRENGTH_TESTS[KNEE]
    state = _full_week(state, 7, area=KNEE, test=(test.exercise, 15))
    assert KNEE not in niggles.flagged_areas(state, (), _sunday(8))


def test_N4_a_worse_week_at_rung_1_rests_the_area_next_week_without_reading_as_pain() -> None:
    """ "Worse" at rung 1 removes the area for next week (M4: it is resting), and the next review does
    not count that as a pain report."""
    state = _week(TrainingState(), 0)
    removed, second = niggles.compare(state, ANKLE, Compare.WORSE, _sunday(0), _sunday(0) + dt.timedelta(days=1))
    assert not second and niggles.resting_areas(removed, {ANKLE}, _sunday(0) + dt.timedelta(days=1)) == {ANKLE}
    review = WeekReview(planned=2, done=2, rpes=(6, 6))
    after = review_week(removed, review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=_sunday(1))
    assert Rule.PAIN not in after.rules
    assert dict(niggles.area_rungs(after.state, {ANKLE}, _sunday(1) + dt.timedelta(days=1))) == {ANKLE: 1}


def test_N4_a_morning_answered_after_the_review_counts_when_the_week_is_compared() -> None:
    """A Sunday session's morning check comes after the review: the weekly answer, given later, sees
    it and moves the area up; without it the area holds."""
    sunday = _sunday(0)
    late = (SessionChecks(sunday - dt.timedelta(days=3), True, True), SessionChecks(sunday, True, None))
    review = WeekReview(planned=2, done=2, rpes=(6, 6), niggle_sessions={ANKLE: late})
    state = review_week(TrainingState(), review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=sunday).state
    monday = sunday + dt.timedelta(days=1)
    held, _ = niggles.compare(state, ANKLE, Compare.SAME, sunday, monday, late)
    assert niggles.rung_of(held, ANKLE) == 1
    answered = (late[0], SessionChecks(sunday, True, True))
    moved, _ = niggles.compare(state, ANKLE, Compare.SAME, sunday, monday, answered)
    assert niggles.rung_of(moved, ANKLE) == 2


M3 = "Keep it at 3/10 or less during the exercise, and back to your usual by the next morning."


def test_M3_one_wording_of_the_pain_rule_everywhere() -> None:
    """Every text that states the pain rule (coaching cue, exercise cues, chat texts) states it in
    the one wording; no other "out of 10" or "next morning" phrasing is left."""
    from pathlib import Path

    from bot.content.loader import default_library

    assert default_library().messages.coaching.pain_rule == M3
    content = Path(__file__).resolve().parents[2] / "content"
    for path in sorted(content.glob("*.yaml")):
        if path.name == "intents.yaml":  # runners' own words, not the coach's
            continue
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert "out of 10" not in text, path.name
        assert text.count("next morning") == text.count(M3), path.name
