"""Issue 15's findings, one test each, built from a profile like the one that showed it.

Written from COACHING.md (rev. 3) alone, against the public API: ``plan_week``/``plan_weeks``, the
weekly review (``review_week``, its state planning the next week) and the library's data. The
checkers live in ``coach_checks``; the first tests here show they pass on sessions that obey the
rules and fail on ones that do not, so a failure below is the planner's, not the checker's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from coach_checks import (
    CONTACT_CAP,
    calendar_run,
    check_D1_dose_by_role,
    check_D2_alternation,
    check_D2_session_cap,
    check_D3_calf,
    check_D4_eccentric,
    check_D5_minutes,
    check_equipment,
    check_J1_contacts,
    check_J2_jump_free,
    check_J3_reduction,
    check_mobility_spares,
    check_N2_N3_rungs,
    check_N5_no_jumps,
    check_P9_tune_ups,
    check_P10_runs,
    check_rested_untouched,
    honest_seconds,
    is_eccentric,
    is_jump,
    lifting_sessions,
    load_test_library,
    reps_numbers,
    role_of,
    session_contacts,
    words,
)

from bot.coach.adaptation import Adjustment, WeekReview, review_week, target_rpe
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    DayPlan,
    Distance,
    Equipment,
    ExerciseType,
    Level,
    NoteKey,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Race,
    Reason,
    ReasonKey,
    Role,
    RunKind,
    Session,
    SessionKind,
    TrainingState,
    WeekNote,
    WeekPlan,
)
from bot.coach.phases import phase_on
from bot.coach.planner import WeekContext, plan_week, plan_weeks

MONDAY = dt.date(2026, 11, 23)
WEEK = dt.timedelta(days=7)
E, Q, L, R = RunKind.EASY, RunKind.QUALITY, RunKind.LONG, RunKind.REST
TYPICAL = (E, Q, E, R, E, L, R)  # Tuesday quality, Saturday long run


def runner(
    level: str, kit: list[str] | str, minutes: int = 45, runs: tuple[RunKind, ...] = TYPICAL, **extra: object
) -> Profile:
    fields: dict[str, object] = {
        "strength_level": level,
        "week": dict(zip(WEEKDAYS, runs, strict=True)),
        "equipment": kit,
        "session_minutes": minutes,
    }
    return Profile.model_validate(fields | extra)


def lifting(week: WeekPlan) -> list[Session]:
    return [d.session for d in week.days if d.session.kind.is_lifting]


def items(week: WeekPlan) -> list[Prescription]:
    return [p for s in lifting(week) for p in s.exercises]


# ---------------------------------------------------------------------------------------------
# living weeks through the weekly review


@dataclass(frozen=True)
class Lived:
    week: WeekPlan
    state: TrainingState  # the state the week was planned from
    adjustment: Adjustment | None  # the review of this week


Reviewer = Callable[[int, WeekPlan], WeekReview]


def fine_week(profile: Profile, library: Library) -> Reviewer:
    """Every session done at the week's top RPE, nothing sore, every niggle check passed."""

    def review(_: int, week: WeekPlan) -> WeekReview:
        sessions = lifting(week)
        top = target_rpe(week) or 7
        loaded = {
            area: tuple(True for s in sessions if any(area in p.loads for p in s.exercises))
            for area in profile.injuries
        }
        return WeekReview(
            planned=len(sessions),
            done=len(sessions),
            rpes=(top,) * len(sessions),
            target_rpe=target_rpe(week),
            niggle_sessions={a: ok for a, ok in loaded.items() if ok},
        )

    return review


def live(
    profile: Profile,
    start: dt.date,
    weeks: int,
    library: Library,
    reviewer: Reviewer,
    state: TrainingState | None = None,
) -> list[Lived]:
    """Plan a week, review it, plan the next from the review's state, as the coach does."""
    state = state or TrainingState()
    context = WeekContext(lifted_before=False, deadlift_before=False)
    lived: list[Lived] = []
    for n in range(weeks):
        monday = start + WEEK * n
        week = plan_week(profile, monday, library, state, context)
        adjustment = review_week(
            state,
            reviewer(n, week),
            week_phase=week.phase,
            next_phase=phase_on(profile.race, monday + WEEK),
            week_end=monday + dt.timedelta(days=6),
            level=profile.strength_level,
        )
        lived.append(Lived(week, state, adjustment))
        state = adjustment.state
        context = WeekContext(lifted_before=week.days[-1].session.kind.is_lifting)
    return lived


# ---------------------------------------------------------------------------------------------
# the checkers accept what obeys the rules and reject what does not


def _rx(
    library: Library, exercise_id: str, role: Role, sets: int, reps: str, rpe: int | None, rest: int, **kw: object
) -> Prescription:
    ex = library.exercises[exercise_id]
    return Prescription(
        id=ex.id,
        name=ex.name,
        sets=sets,
        reps=reps,
        rpe=rpe,
        cue=ex.cues[0],
        loads=ex.loads,
        type=ex.type,
        equipment=ex.equipment,
        rest_s=rest,
        role=role,
        **kw,  # type: ignore[arg-type]
    )


def compliant_strength(library: Library) -> Session:
    """A `some` lifter's gym session by the book: 20 pogo contacts, a squat with ramp sets and its
    load cue, a single-leg hinge, a slow calf raise, a plank and a hip accessory."""
    exercises = (
        _rx(library, "pogo_hops", Role.PLYOMETRIC, 2, "10 contacts", None, 60, contacts=20),
        _rx(
            library,
            "back_squat",
            Role.MAIN,
            3,
            "4-6",
            7,
            150,
            ramp=True,
            load_cue="a weight you could lift 3 more times",
        ),
        _rx(
            library,
            "dumbbell_single_leg_rdl",
            Role.UNILATERAL,
            3,
            "6-10 each side",
            7,
            90,
            load_cue="a weight you could lift 3 more times",
        ),
        _rx(library, "dumbbell_calf_raise", Role.CALF, 3, "8-12, 3 s down", 7, 60),
        _rx(library, "front_plank", Role.CORE, 2, "20-30 s", None, 60),
        _rx(library, "side_lying_hip_abduction", Role.ACCESSORY, 2, "10-15 each side", None, 60),
    )
    session = Session(SessionKind.STRENGTH, "Strength", 0, Reason(ReasonKey.LIFT_EASY_DAY), exercises, "warm-up")
    low, high = honest_seconds(session, library, after_run=True)
    return replace(session, minutes=round((low + high) / 2 / 60))


def compliant_power(library: Library) -> Session:
    exercises = (
        _rx(library, "box_jump", Role.PLYOMETRIC, 3, "5 contacts", None, 90, contacts=15),
        _rx(library, "pogo_hops", Role.PLYOMETRIC, 2, "10 contacts", None, 60, contacts=20),
        _rx(
            library,
            "romanian_deadlift",
            Role.MAIN,
            3,
            "4-6",
            8,
            150,
            ramp=True,
            load_cue="a weight you could lift 2 more times",
        ),
        _rx(library, "seated_calf_raise", Role.CALF, 3, "8-12, 3 s down", 7, 60),
    )
    session = Session(SessionKind.POWER, "Power", 0, Reason(ReasonKey.POWER_DAY), exercises, "warm-up")
    low, high = honest_seconds(session, library, after_run=False)
    return replace(session, minutes=round((low + high) / 2 / 60))


def _week_of(start: dt.date, sessions: dict[int, Session], phase: Phase = Phase.BASE) -> WeekPlan:
    rest = Session(SessionKind.REST, "Rest", 0, Reason(ReasonKey.REST_SWITCHED_OFF))
    days = tuple(DayPlan(start + dt.timedelta(days=i), R, phase, sessions.get(i, rest)) for i in range(7))
    return WeekPlan(start, phase, WeekNote(), days)


def test_checkers_pass_a_session_that_obeys_every_rule() -> None:
    """A hand-made strength and power session dosed by the rulebook passes every per-session checker."""
    library = load_test_library()
    gym = runner("regular", ["gym"], minutes=60, runs=(R,) * 7)
    for session in (compliant_strength(library), compliant_power(library)):
        check_D1_dose_by_role(session, library, Level.REGULAR)
        check_D2_session_cap(session, library)
        check_D3_calf(session, library, three_sets=True)
        check_D5_minutes(session, library, length=60, after_run=session.kind is SessionKind.STRENGTH)
        check_J1_contacts(session, library, Level.REGULAR, Phase.BUILD)
        check_equipment(session, library, gym)
        check_N5_no_jumps(session, library, frozenset({BodyArea.SHOULDER}))
        check_N2_N3_rungs(session, library, gym, {}, frozenset())
    strength, power = compliant_strength(library), compliant_power(library)
    check_D2_alternation([strength, power], library)  # squat leads, power takes the hinge


def test_checkers_pass_compliant_sequences() -> None:
    """Jump-free first weeks then stage 1, a deload with 40 % fewer contacts, and a Nordic curl from its
    5th lifting week at 2 x 3-5 pass the sequence checkers."""
    library = load_test_library()
    profile = runner("some", [], runs=(R,) * 7)
    plain = replace(compliant_strength(library), exercises=compliant_strength(library).exercises[1:])
    jumps = compliant_strength(library)
    fewer = replace(
        jumps, exercises=(replace(jumps.exercises[0], sets=1, reps="10-12 contacts", contacts=12), *jumps.exercises[1:])
    )
    nordic = _rx(library, "nordic_hamstring_curl", Role.ACCESSORY, 2, "3-5", 6, 90)
    with_nordic = replace(plain, exercises=(*plain.exercises[:-1], nordic))
    weeks = [
        _week_of(MONDAY, {0: plain}),
        _week_of(MONDAY + WEEK, {0: plain}),
        _week_of(MONDAY + 2 * WEEK, {0: jumps}),
        _week_of(MONDAY + 3 * WEEK, {0: fewer}),
        _week_of(MONDAY + 4 * WEEK, {0: with_nordic}),
    ]
    check_J2_jump_free(profile, weeks, library, fresh=True)
    check_J3_reduction(weeks[2], weeks[3], library)
    check_D4_eccentric(weeks, library)


def test_checkers_reject_what_the_issue_found() -> None:
    """Each checker fails on the finding it was written for (so a pass elsewhere means something)."""
    library = load_test_library()
    good = compliant_strength(library)
    bad_reps = replace(
        good, exercises=tuple(replace(p, reps="3-5") if p.role is Role.UNILATERAL else p for p in good.exercises)
    )
    with pytest.raises(AssertionError, match="D1"):
        check_D1_dose_by_role(bad_reps, library, Level.REGULAR)
    two_mains = replace(
        good,
        exercises=(
            *good.exercises[:2],
            _rx(library, "trap_bar_deadlift", Role.MAIN, 3, "4-6", 7, 150, ramp=True),
            *good.exercises[2:],
        ),
    )
    with pytest.raises(AssertionError, match="D2"):
        check_D2_session_cap(two_mains, library)
    no_calf = replace(good, exercises=tuple(p for p in good.exercises if p.role is not Role.CALF))
    with pytest.raises(AssertionError, match="D3"):
        check_D3_calf(no_calf, library, three_sets=False)
    with pytest.raises(AssertionError, match="D5"):
        check_D5_minutes(replace(good, minutes=good.minutes - 12), library, length=60, after_run=True)
    no_ramp = replace(good, exercises=tuple(replace(p, ramp=False) for p in good.exercises))
    with pytest.raises(AssertionError, match="D5"):
        check_D5_minutes(no_ramp, library, length=60, after_run=True)
    hops = _rx(library, "single_leg_pogo", Role.PLYOMETRIC, 3, "15-20 contacts each side", None, 60, contacts=60)
    with pytest.raises(AssertionError, match="J1"):
        check_J1_contacts(replace(good, exercises=(hops, *good.exercises)), library, Level.NEW, Phase.BASE)
    with pytest.raises(AssertionError, match="N5"):
        check_N5_no_jumps(good, library, frozenset({BodyArea.ANKLE}))
    profile = runner("some", ["dumbbells"], runs=(R,) * 7)
    with pytest.raises(AssertionError, match="kit"):
        check_equipment(good, library, profile)
    squat = replace(good.exercises[1], reps="6-8", rpe=7)
    knee = profile.model_copy(update={"injuries": frozenset({BodyArea.KNEE})})
    with pytest.raises(AssertionError, match="N3"):
        check_N2_N3_rungs(replace(good, exercises=(squat,)), library, knee, {BodyArea.KNEE: 1}, frozenset())
    stretch = Session(
        SessionKind.MOBILITY,
        "Mobility",
        8,
        Reason(ReasonKey.MOBILITY_LIGHT_DAY),
        (_rx(library, "hip_flexor_stretch", Role.MOBILITY, 1, "30 s", None, 0),),
    )
    with pytest.raises(AssertionError, match="mobility"):
        check_mobility_spares(stretch, library, frozenset({BodyArea.HIP}))
    weeks = [_week_of(MONDAY, {0: good})]
    with pytest.raises(AssertionError, match="J2"):
        check_J2_jump_free(profile, weeks, library, fresh=True)
