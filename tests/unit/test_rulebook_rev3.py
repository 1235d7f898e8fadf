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
    load_test_library,
    reps_numbers,
    role_of,
    words,
)

from bot.coach.adaptation import Adjustment, WeekReview, review_week, target_rpe
from bot.coach.inputs import phase_of_week, record_week, week_kind
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    DayPlan,
    ExerciseType,
    Level,
    NiggleState,
    NoteKey,
    Pattern,
    Phase,
    Prescription,
    Profile,
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
from bot.coach.niggles import Compare, SessionChecks, asked_areas, compare
from bot.coach.phases import phase_on
from bot.coach.planner import plan_week, plan_weeks
from bot.coach.week_context import WeekContext

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
        days = [d for d in week.days if d.session.kind.is_lifting]
        loaded = {
            area: tuple(
                SessionChecks(d.date, during=True, morning=True)
                for d in days
                if any(area in p.loads for p in d.session.exercises)
            )
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
    """Plan a week, review it, plan the next from the review's state, as the coach does: the weekly
    review (A1 to A4), the week's counters written into its outcome, and every niggle the week loaded
    answered "same as last week" (N4's third check)."""
    state = state or TrainingState()
    context = WeekContext(lifted_before=False, deadlift_before=False)
    lived: list[Lived] = []
    eccentric = frozenset(ex.id for ex in library.exercises.values() if ex.eccentric)
    for n in range(weeks):
        monday = start + WEEK * n
        sunday = monday + dt.timedelta(days=6)
        week = plan_week(profile, monday, library, state, context)
        review = reviewer(n, week)
        counted = record_week(profile, state, week, eccentric_ids=eccentric, very_sore=review.very_sore)
        following = monday + WEEK
        next_phase = phase_of_week(profile, following)
        next_kind = week_kind(
            profile, replace(counted, backoff_weeks=0), following, next_phase, lifting=next_phase.allows_lifting
        )
        adjustment = review_week(
            state,
            review,
            week_phase=week.phase,
            next_phase=phase_on(profile.race, following),
            week_end=sunday,
            level=profile.strength_level,
            next_reduced=next_kind.reduced or next_kind.step_lower,
        )
        lived.append(Lived(week, state, adjustment))
        state = record_week(
            profile, state, week, eccentric_ids=eccentric, very_sore=review.very_sore, into=adjustment.state
        )
        for area in asked_areas(review):
            state, _ = compare(state, area, Compare.SAME, sunday, sunday)
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


# ---------------------------------------------------------------------------------------------
# the findings of issue 15


ACHILLES = dict(injuries=["ankle"], race={"distance": "marathon", "date": "2027-02-14"})


def test_N5_an_achilles_niggle_gets_no_jumps_for_six_lifting_weeks_on_fine_taps() -> None:
    """An Achilles niggle on four "fine" taps (and more) climbs at most a rung a lifting week, and no jump
    loads the ankle in its first six lifting weeks (the finding: ~120 A-skip and hop contacts in 2.5 weeks)."""
    library = load_test_library()
    profile = runner("some", [], minutes=30, runs=(E, Q, E, E, R, L, R), **ACHILLES)
    weeks = [lifting(lived.week) for lived in live(profile, MONDAY, 7, library, fine_week(profile, library))]
    weeks = [sessions for sessions in weeks if sessions]
    ankle_jumps = [
        (n, p.id, p.sets, p.reps)
        for n, sessions in enumerate(weeks[:6], start=1)
        for s in sessions
        for p in s.exercises
        if is_jump(p, library) and BodyArea.ANKLE in p.loads
    ]
    assert not ankle_jumps, f"N5: jumps on the flagged ankle (lifting week, id, sets, reps): {ankle_jumps}"
    for n, sessions in enumerate(weeks, start=1):
        for session in sessions:
            check_N2_N3_rungs(session, library, profile, {BodyArea.ANKLE: min(4, n)}, frozenset())


@pytest.mark.parametrize("rung", [1, 2, 3, 4])
def test_N5_a_knee_niggle_gets_no_hops_or_skips_until_its_strength_test(rung: int) -> None:
    """Found reading plans as a coach would: a knee at rung 1 (a high wall sit) had pogo hops and skips
    in the same session. Every hop and skip lands through a bent knee, so none comes before N5 clears
    the knee, at whatever rung; a runner without the niggle keeps them."""
    library = load_test_library()
    state = TrainingState(weeks_coached=8, niggles={BodyArea.KNEE: NiggleState(rung=rung)})
    knee = runner("some", ["dumbbells"], injuries=["knee"])
    jumps = [p.id for p in items(plan_week(knee, MONDAY, library, state)) if is_jump(p, library)]
    assert not jumps, f"N5: jumps with a knee niggle at rung {rung}: {jumps}"
    free = runner("some", ["dumbbells"])
    assert any(is_jump(p, library) for p in items(plan_week(free, MONDAY, library, replace(state, niggles={}))))


NORDIC_RUNNER = dict(injuries=["back"])


def test_D4_no_nordic_curls_in_the_first_four_lifting_weeks() -> None:
    """A runner new to the coach gets no Nordic curl or Copenhagen plank in their first four lifting weeks
    (the finding: Nordic curls at 3 x 8-12 in the first session)."""
    library = load_test_library()
    profile = runner("some", [], minutes=45, **NORDIC_RUNNER)
    check_D4_eccentric(plan_weeks(profile, MONDAY, 8, library), library)


def test_D4_very_sore_swaps_the_eccentric_exercise_for_a_non_eccentric_form() -> None:
    """After "very sore" twice in a week that held a Nordic curl, next week holds no eccentric-heavy
    exercise (the finding: kept at 3 x 8-12 after "very sore" twice)."""
    library = load_test_library()
    profile = runner("some", [], minutes=45, **NORDIC_RUNNER)
    fine = fine_week(profile, library)

    def sore_once_it_holds_one(n: int, week: WeekPlan) -> WeekReview:
        review = fine(n, week)
        held = any(is_eccentric(p.id, library) for p in items(week))
        return replace(review, very_sore=2) if held else review

    lived = live(profile, MONDAY, 12, library, sore_once_it_holds_one)
    held = [n for n, w in enumerate(lived) if any(is_eccentric(p.id, library) for p in items(w.week))]
    for n in held:
        if n + 1 < len(lived):
            after = [p.id for p in items(lived[n + 1].week) if is_eccentric(p.id, library)]
            assert not after, f"D4: {after} the week after 'very sore' twice (week {n + 2})"


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def test_eased_week_after_an_ultra_whose_recovery_ends_on_a_long_run_weekend() -> None:
    """After an ultra whose 14 days of recovery end where the calendar leaves no room to lift, the first
    week with lifting is the eased one: no jumps (J2) and about 40 % fewer working sets than a normal week,
    and the week that could not lift does not blame key runs (the finding: full dose with pogo hops)."""
    library = load_test_library()
    runs = (Q, E, E, Q, E, L, R)  # Sat long, Sun before a Monday quality: no lift that weekend
    race = _weekday_on_or_after(dt.date(2027, 3, 1), 4)  # a Friday: recovery ends Friday +14, back on Saturday
    profile = runner("some", ["dumbbells"], minutes=45, runs=runs, race={"distance": "ultra", "date": race.isoformat()})
    start = race - dt.timedelta(days=race.weekday()) + WEEK  # the Monday after the race
    state = TrainingState(weeks_coached=12, weeks_trained=1)
    plan = plan_weeks(profile, start, 5, library, state)
    first = next(n for n, w in enumerate(plan) if lifting(w))
    back_week = next(n for n, w in enumerate(plan) if any(d.phase is Phase.BASE for d in w.days))
    assert first > back_week, "this calendar's week the recovery ends in has no room to lift (test premise)"
    eased, normal = plan[first], plan[first + 2]
    assert not [p.id for p in items(eased) if is_jump(p, library)], "J2: jumps in the first lifting week back"
    per_session = lambda w: sum(p.sets for p in items(w)) / max(1, len(lifting(w)))  # noqa: E731
    assert per_session(eased) <= 0.7 * per_session(normal), (
        f"eased week of {eased.start}: {per_session(eased):.1f} sets a session, normal {per_session(normal):.1f}"
    )
    for w in plan[:first]:  # P5: the true cause is the recovery; the repeating calendar fits two sessions
        keys = {part.key for part in w.note.parts}
        assert not keys & {NoteKey.FEWER_FIT, NoteKey.NONE_FIT}, (
            f"the week of {w.start} blames key runs: {words(w.note, library)!r}"
        )


def test_P9_a_half_marathon_tune_up_bars_its_recovery_and_eases_the_next_week_without_jumps() -> None:
    """A tune-up half (given as race:half) bars lifting 2 days before and 7 after; the next lifting week is
    eased, without jumps, and its note names the race (the finding: two days off, then 3 x 15-20
    single-leg hops)."""
    library = load_test_library()
    saturday = MONDAY + dt.timedelta(days=12)
    profile = runner("some", ["dumbbells"], minutes=45, overrides={saturday.isoformat(): "race:half"})
    plan = plan_weeks(profile, MONDAY, 4, library, TrainingState(weeks_coached=8, weeks_trained=1))
    check_P9_tune_ups(profile, plan)
    after = [w for w in plan if w.start > saturday and lifting(w)]
    assert after, "a lifting week after the tune-up"
    eased = after[0]
    assert not [p.id for p in items(eased) if is_jump(p, library)], f"J3: jumps in the eased week of {eased.start}"
    note = words(eased.note, library)
    names = (library.messages.distance_names["half"], saturday.isoformat(), library.messages.weekday_names["sat"])
    assert any(name.lower() in note.lower() for name in names), f"P9: the eased week's note names no race: {note!r}"


def test_P9_a_tune_up_of_unknown_distance_bars_four_days_after_it() -> None:
    """A tune-up with no distance ("not sure") bars lifting for 4 days after it, and 2 before."""
    library = load_test_library()
    wednesday = MONDAY + dt.timedelta(days=9)
    runs = (R, E, R, E, R, E, R)  # room to lift almost any day
    profile = runner("some", ["dumbbells"], runs=runs, overrides={wednesday.isoformat(): "race"})
    check_P9_tune_ups(profile, plan_weeks(profile, MONDAY, 3, library, TrainingState(weeks_coached=8)))


BUILD_RACE = {"distance": "half", "date": (MONDAY + 10 * WEEK).isoformat()}


def test_D2_a_gym_session_holds_one_main_lift_and_one_unilateral() -> None:
    """A regular gym lifter in build gets at most one main lift, one unilateral, one calf, one core and one
    accessory a session (the finding: four to six heavy lower-body lifts after a quality run)."""
    library = load_test_library()
    profile = runner("regular", ["gym"], minutes=60, race=BUILD_RACE)
    for week in plan_weeks(profile, MONDAY, 6, library, TrainingState(weeks_coached=4)):
        for session in lifting(week):
            check_D2_session_cap(session, library)
            lower = [
                p.id
                for p in session.exercises
                if p.type is ExerciseType.STRENGTH
                and library.exercises[p.id].pattern in (Pattern.SQUAT, Pattern.HINGE, Pattern.SINGLE_LEG)
            ]
            assert len(lower) <= 2, f"{week.start}: {len(lower)} loaded lower-body lifts {lower}"


SMALL_LIFTS = ("single_leg_rdl", "lunge", "goblet_squat", "swing", "row")


@pytest.mark.parametrize("kit", [["dumbbells"], ["gym"]])
def test_D1_only_the_main_lift_goes_below_six_reps(kit: list[str]) -> None:
    """In build, a regular lifter's single-leg RDLs, lunges, goblet squats, swings and rows stay at 6 reps
    or more (swings 8 or more); only a `main` lift takes the table's 3 to 5 (the finding: 3-5-rep sets)."""
    library = load_test_library()
    profile = runner("regular", kit, minutes=60, race=BUILD_RACE)
    plan = plan_weeks(profile, MONDAY, 6, library, TrainingState(weeks_coached=4))
    dosed = [(week.start, p, reps_numbers(p)) for week in plan for p in items(week)]
    for start, p, rng in dosed:
        if rng is not None and any(name in p.id for name in SMALL_LIFTS):
            floor = 8 if "swing" in p.id else 6
            assert rng[0] >= floor, f"D1: {p.id} at {p.sets} x {p.reps} in the week of {start}"
    for start, p, rng in dosed:
        if rng is None or is_jump(p, library) or p.type is not ExerciseType.STRENGTH:
            continue
        role = role_of(p, library)
        assert role is not None, f"D1: {p.id} has no role, so nothing says it may take the table's {p.reps}"
        assert role is Role.MAIN or rng[0] >= 6, f"D1: {p.id} ({role}) at {p.reps} in the week of {start}"


def test_N2_a_back_niggle_with_a_gym_spares_the_back_at_the_normal_dose() -> None:
    """A back niggle with a gym gets leg work that leaves the back out (leg press, hip thrust, seated calf
    raise) at the normal dose, not isometrics (the finding: all leg work turned into holds for months)."""
    library = load_test_library()
    profile = runner("some", ["gym"], minutes=45, injuries=["back"])
    for week in plan_weeks(profile, MONDAY, 3, library):
        for session in lifting(week):
            legs = [
                p
                for p in session.exercises
                if library.exercises[p.id].pattern in (Pattern.SQUAT, Pattern.HINGE, Pattern.SINGLE_LEG)
            ]
            moving = [p.id for p in legs if p.type is not ExerciseType.ISOMETRIC and BodyArea.BACK not in p.loads]
            assert moving, f"{week.start}: leg work {[(p.id, p.reps) for p in legs]} is all holds or loads the back"
            check_N2_N3_rungs(session, library, profile, {BodyArea.BACK: 1}, frozenset())


def test_N4_a_hip_niggle_on_fine_checks_climbs_off_the_holds_within_four_lifting_weeks() -> None:
    """A hip niggle whose every check passes climbs one rung a lifting week (holds, slow light, slow loaded,
    normal): by the fourth lifting week its leg work is no longer all holds, and every week's dose is
    within its rung."""
    library = load_test_library()
    profile = runner("some", [], minutes=30, injuries=["hip"])
    weeks = [lifting(lived.week) for lived in live(profile, MONDAY, 6, library, fine_week(profile, library))]
    weeks = [sessions for sessions in weeks if sessions]
    for n, sessions in enumerate(weeks[3:], start=4):
        hip_work = [p for s in sessions for p in s.exercises if BodyArea.HIP in p.loads and not is_jump(p, library)]
        holds = [p.id for p in hip_work if p.type is ExerciseType.ISOMETRIC]
        assert len(holds) < len(hip_work), f"lifting week {n}: hip work is all holds {holds}"
    for n, sessions in enumerate(weeks, start=1):
        for session in sessions:
            check_N2_N3_rungs(session, library, profile, {BodyArea.HIP: min(4, n)}, frozenset())


@pytest.mark.parametrize("level", list(Level))
def test_kit_a_dumbbell_owner_gets_no_band_exercises(level: Level) -> None:
    """Dumbbells do not imply bands: no lifting or mobility item needs bands or a gym (the finding)."""
    library = load_test_library()
    profile = runner(level.value, ["dumbbells"], minutes=45)
    for week in plan_weeks(profile, MONDAY, 6, library):
        for day in week.days:
            check_equipment(day.session, library, profile)


@pytest.mark.parametrize(
    "level,kit,minutes", [("regular", ["gym"], 60), ("some", ["gym"], 60), ("some", ["dumbbells"], 45), ("new", [], 30)]
)
def test_D5_a_session_takes_the_minutes_it_says(level: str, kit: list[str], minutes: int) -> None:
    """Minutes shown are warm-up, changeovers, ramp sets, work and rests by D5's arithmetic, within 10 % of
    the runner's length (the finding: "58 min" sessions that take about 75)."""
    library = load_test_library()
    profile = runner(level, kit, minutes=minutes, race=BUILD_RACE)
    for week in plan_weeks(profile, MONDAY, 4, library, TrainingState(weeks_coached=4)):
        for day in week.days:
            if day.session.kind.is_lifting:
                check_D5_minutes(day.session, library, length=minutes, after_run=day.run in (E, Q))


@pytest.mark.parametrize("days_to_race", [20, 28, 35])  # peak, and build just before it
def test_J2_a_runner_who_joins_in_peak_does_not_jump_in_the_first_two_lifting_weeks(days_to_race: int) -> None:
    """A regular lifter who joins close to the race gets no jumps and no power session in the first two
    lifting weeks (the finding: taper and peak joiners jumping in their first session)."""
    library = load_test_library()
    race = {"distance": "10k", "date": (MONDAY + dt.timedelta(days=days_to_race)).isoformat()}
    profile = runner("regular", ["gym"], minutes=45, race=race)
    check_J2_jump_free(profile, plan_weeks(profile, MONDAY, 4, library), library, fresh=True)


def test_J2_a_runner_who_joins_in_the_taper_starts_jump_free_after_the_recovery() -> None:
    """A runner who joins in the taper lifts after the race's recovery without jumps for two lifting weeks."""
    library = load_test_library()
    race = {"distance": "half", "date": (MONDAY + dt.timedelta(days=5)).isoformat()}
    profile = runner("regular", ["gym"], minutes=45, race=race)
    check_J2_jump_free(profile, plan_weeks(profile, MONDAY, 6, library), library, fresh=True)


@pytest.mark.parametrize("level", ["some", "regular"])
def test_J3_a_deload_week_cuts_jump_contacts_by_about_40_percent(level: str) -> None:
    """The 4th lifting week (A5's deload) has about 40 % fewer contacts a session than the week before, at
    no higher stage (the finding: deload weeks left jumps untouched)."""
    library = load_test_library()
    profile = runner(level, ["gym"], minutes=60, runs=(E, Q, E, R, E, L, R))
    lived = live(profile, MONDAY, 4, library, fine_week(profile, library))
    before, deload = lived[2].week, lived[3].week
    assert deload.deload, "A5: the 4th lifting week is a deload"
    assert [p.id for p in items(before) if is_jump(p, library)], "jumps in the 3rd lifting week (premise)"
    check_J3_reduction(before, deload, library)


@pytest.mark.parametrize("level", ["some", "regular"])
def test_J3_a_back_off_week_has_one_jump_set_fewer(level: str) -> None:
    """After an A3 back-off (mean RPE above T + 1), next week has fewer jump sets than a held week would."""
    library = load_test_library()
    profile = runner(level, ["gym"], minutes=60, runs=(E, Q, E, R, E, L, R))
    state = TrainingState(weeks_coached=8, weeks_trained=5)
    week = plan_week(profile, MONDAY, library, state)
    fine = fine_week(profile, library)(0, week)
    hard = replace(fine, rpes=tuple(r + 3 for r in fine.rpes))
    nxt = MONDAY + WEEK
    kwargs = dict(week_phase=week.phase, next_phase=phase_on(None, nxt), week_end=MONDAY + dt.timedelta(days=6))
    held = review_week(state, replace(fine, done=1, partial=1), **kwargs)  # type: ignore[arg-type]
    backed = review_week(state, hard, **kwargs)  # type: ignore[arg-type]
    assert backed.rules[0].value == "A3"
    context = WeekContext(lifted_before=week.days[-1].session.kind.is_lifting)
    normal = plan_week(profile, nxt, library, held.state, context)
    reduced = plan_week(profile, nxt, library, backed.state, context)
    assert [p.id for p in items(normal) if is_jump(p, library)], "jumps in a held week (premise)"
    check_J3_reduction(normal, reduced, library, deload=False)


def _readable(week: WeekPlan, library: Library) -> tuple[object, ...]:
    """What the runner reads of a week's lifting: exercises, sets, reps, effort, load cue, cue, note."""
    shown = tuple((p.id, p.sets, p.reps, p.rpe, p.load_cue, p.cue) for p in items(week))
    return shown, words(week.note, library)


@pytest.mark.parametrize("level,kit", [("new", []), ("some", ["bands"]), ("some", ["dumbbells"]), ("regular", ["gym"])])
@pytest.mark.parametrize("step", range(6))
def test_A1_an_announced_step_up_changes_what_the_runner_reads(level: str, kit: list[str], step: int) -> None:
    """When the review steps a runner up (A1) and next week is not reduced, next week reads differently from
    the week a hold would give (the finding: a step up announced that changes nothing)."""
    library = load_test_library()
    profile = runner(level, kit, minutes=45)
    state = TrainingState(step=step, weeks_coached=6, weeks_trained=1)
    week = plan_week(profile, MONDAY, library, state)
    fine = fine_week(profile, library)(0, week)
    nxt = MONDAY + WEEK
    kwargs = dict(week_phase=week.phase, next_phase=Phase.BASE, week_end=MONDAY + dt.timedelta(days=6))
    progress = review_week(state, fine, **kwargs)  # type: ignore[arg-type]
    hold = review_week(state, replace(fine, done=0, partial=fine.planned), **kwargs)  # type: ignore[arg-type]
    if progress.step_change <= 0:
        return  # no step announced
    context = WeekContext(lifted_before=week.days[-1].session.kind.is_lifting)
    stepped = plan_week(profile, nxt, library, progress.state, context)
    held = plan_week(profile, nxt, library, hold.state, context)
    if stepped.deload or not lifting(stepped):
        return  # the step comes the week after (A1)
    assert _readable(stepped, library) != _readable(held, library), (
        f"A1: step {step} -> {progress.state.step} shows nothing new"
    )


def _reviewed(profile: Profile, library: Library, **review: object) -> tuple[TrainingState, WeekContext]:
    """The state and context after one fine week whose review reported ``review`` (pain, red flags)."""
    week = plan_week(profile, MONDAY, library)
    base = fine_week(profile, library)(0, week)
    adjusted = review_week(
        TrainingState(),
        replace(base, **review),  # type: ignore[arg-type]
        week_phase=week.phase,
        next_phase=phase_on(profile.race, MONDAY + WEEK),
        week_end=MONDAY + dt.timedelta(days=6),
        level=profile.strength_level,
    )
    return adjusted.state, WeekContext(lifted_before=week.days[-1].session.kind.is_lifting)


def test_A4_a_knee_back_from_pain_comes_back_at_rung_1() -> None:
    """After pain in the knee rests it a week, the knee returns at rung 1: holds at RPE 5 or less, or
    work that spares it (the finding: back squats and reverse lunges at 3 x 6-8, effort 7)."""
    library = load_test_library()
    profile = runner("some", ["gym"], minutes=45)
    state, context = _reviewed(profile, library, pain=frozenset({BodyArea.KNEE}))
    rest_week = plan_week(profile, MONDAY + WEEK, library, state, context)
    for day in rest_week.days:
        check_rested_untouched(day.session, frozenset({BodyArea.KNEE}))
    review = fine_week(profile, library)(1, rest_week)
    after = review_week(
        state, review, week_phase=rest_week.phase, next_phase=Phase.BASE, week_end=MONDAY + dt.timedelta(days=13)
    )
    context = WeekContext(lifted_before=rest_week.days[-1].session.kind.is_lifting)
    back = plan_week(profile, MONDAY + 2 * WEEK, library, after.state, context)
    flagged = profile.model_copy(update={"injuries": frozenset({BodyArea.KNEE})})
    for session in lifting(back):
        check_N2_N3_rungs(session, library, flagged, {BodyArea.KNEE: 1}, frozenset())
        check_N5_no_jumps(session, library, frozenset({BodyArea.KNEE}))


def test_a_hip_flagged_for_a_doctor_gets_no_hip_flexor_stretch() -> None:
    """A red-flagged hip ("nothing in your plan loads your hip") gets no stretch or drill that loads it,
    the kneeling hip-flexor stretch included, on any day of the next weeks (the finding)."""
    library = load_test_library()
    profile = runner("some", [], minutes=30)
    state, context = _reviewed(profile, library, red_flags=frozenset({BodyArea.HIP}))
    for week in plan_weeks(profile, MONDAY + WEEK, 3, library, state, context, reviewed=False):
        for day in week.days:
            check_rested_untouched(day.session, frozenset({BodyArea.HIP}))
            check_mobility_spares(day.session, library, frozenset({BodyArea.HIP}))


@pytest.mark.parametrize("runs", [TYPICAL, (E, E, Q, R, E, E, L), (R, E, R, E, R, E, L)])
def test_a_knee_resting_after_pain_gets_no_deep_lunges_in_its_mobility(runs: tuple[RunKind, ...]) -> None:
    """A knee resting after pain gets no deep lunge (the world's greatest stretch) or anything else loading
    it in its mobility (the finding: a knee's rest week with deep lunges)."""
    library = load_test_library()
    profile = runner("some", [], minutes=30, runs=runs)
    state, context = _reviewed(profile, library, pain=frozenset({BodyArea.KNEE}))
    week = plan_week(profile, MONDAY + WEEK, library, state, context)
    for day in week.days:
        check_rested_untouched(day.session, frozenset({BodyArea.KNEE}))
        check_mobility_spares(day.session, library, frozenset({BodyArea.KNEE}))


def test_P10_the_day_after_the_goal_race_keeps_its_calendar_run() -> None:
    """The plan never rewrites a run: the day after the goal race shows the calendar's run."""
    library = load_test_library()
    race = MONDAY + dt.timedelta(days=5)  # Saturday; Sunday's template run is an easy one
    profile = runner("some", [], runs=(E, Q, E, R, E, L, E), race={"distance": "10k", "date": race.isoformat()})
    assert calendar_run(profile, race + dt.timedelta(days=1)) is E
    check_P10_runs(profile, plan_weeks(profile, MONDAY, 2, library))
