"""Property tests: every generated runner's plan keeps the placement rules P1 to P8 of COACHING.md.

Thousands of generated runners (see ``plan_strategies``) are planned for 1 to 3 weeks; the
expectations are derived from the rulebook (see ``coach_checks``), not read back from the planner.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from coach_checks import (
    KEY_RUNS,
    check_notes_are_true,
    check_plan,
    check_reasons_are_true,
    contains_instance,
    has_safe_lift,
    largest_valid_set,
    load_test_library,
    may_lift_on,
    phase_cap,
    produced_by,
    valid_sets,
    words,
)
from hypothesis import event, example, given
from hypothesis import strategies as st
from plan_strategies import examples, phase_scenarios, scenarios, straddling_scenarios

from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    ExerciseType,
    Level,
    NoteKey,
    Pattern,
    Phase,
    Profile,
    Race,
    ReasonKey,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
)
from bot.coach.phases import lifting_target, phase_on
from bot.coach.planner import plan_week, plan_weeks
from bot.coach.week_context import WeekContext

FIVE_PATTERNS = frozenset({Pattern.SQUAT, Pattern.HINGE, Pattern.SINGLE_LEG, Pattern.CALF_ANKLE, Pattern.CORE})
NOVEMBER_23 = dt.date(2026, 11, 23)  # a Monday
R = RunKind.REST


def _all_rest(**changes: object) -> Profile:
    """A new lifter with bodyweight only, 15-minute sessions and no runs at all."""
    fields: dict[str, object] = {
        "strength_level": Level.NEW,
        "week": dict.fromkeys(WEEKDAYS, RunKind.REST),
        "equipment": Equipment.NONE,
        "session_minutes": 15,
    }
    return Profile.model_validate(fields | changes)


# known failing runners, tried first by the properties below (see their xfail reasons)
EVERY_NIGGLE = (_all_rest(injuries=frozenset(BodyArea)), NOVEMBER_23, 1)
FIVE_NIGGLES = frozenset(BodyArea) - {BodyArea.KNEE, BodyArea.HAMSTRING}  # a wall sit is the one safe lift
AFTER_A_WEDNESDAY_HALF = (_all_rest(race=Race(distance=Distance.HALF, date=dt.date(2026, 11, 18))), NOVEMBER_23, 1)
PREFERRED_DAY_BUG = (
    "bug in bot/coach/placement.py (P4): a fitting preferred day loses to two easy days, because place() minimises "
    "the sum of ranks (preferred 0 + quality 3 > easy 1 + easy 1) and ties go to the earliest days; e.g. mon-thu "
    "easy, fri quality, sat easy, sun long, preferred tue: lifting mon+wed although tue+fri keeps P1-P3"
)
SKIPPED_PREFERENCE = (
    Profile(
        strength_level=Level.SOME,
        week=dict(zip(WEEKDAYS, ["easy", "easy", "easy", "easy", "quality", "easy", "long"], strict=True)),
        equipment=Equipment.NONE,
        session_minutes=30,
    ),
    NOVEMBER_23,
    1,
)

# ---------------------------------------------------------------------------------------------
# P1-P8 on every generated plan


@examples(1500)
@given(scenario=scenarios())
@example(scenario=EVERY_NIGGLE)
@example(scenario=AFTER_A_WEDNESDAY_HALF)
@example(scenario=(_all_rest(strength_level=Level.REGULAR, injuries=FIVE_NIGGLES), NOVEMBER_23, 1))
def test_every_generated_plan_keeps_the_placement_rules(scenario: tuple[Profile, dt.date, int]) -> None:
    """Whatever the runner's calendar, race, level, kit and niggles, each planned week keeps P1-P8."""
    library = load_test_library()
    profile, start, weeks = scenario
    plan = plan_weeks(profile, start, weeks, library)
    assert len(plan) == weeks
    check_plan(profile, plan, library)
    for week in plan:  # what was covered: `pytest --hypothesis-show-statistics`
        event(f"week in {week.phase}")
        event(f"{len(week.lifting_days)} of {week.lifting_target} sessions placed")


@examples(1000)
@given(scenario=phase_scenarios())
def test_plans_starting_in_every_phase_keep_the_rules(scenario: tuple[Profile, dt.date, int, Phase]) -> None:
    """A plan that starts in base, build, peak, taper or recovery lifts only as that phase allows."""
    library = load_test_library()
    profile, start, weeks, phase = scenario
    plan = plan_weeks(profile, start, weeks, library)
    assert plan[0].days[0].phase is phase
    if phase in (Phase.TAPER, Phase.RECOVERY):
        assert all(day.phase.allows_lifting for day in plan[0].days if day.session.kind.is_lifting)
    check_plan(profile, plan, library)


@examples(600)
@given(scenario=straddling_scenarios())
def test_weeks_that_straddle_two_phases_keep_the_rules(scenario: tuple[Profile, dt.date, int]) -> None:
    """A week that begins in one phase and ends in the next still keeps P1-P8 on every day."""
    library = load_test_library()
    profile, start, weeks = scenario
    check_plan(profile, plan_weeks(profile, start, weeks, library), library)


@examples(500)
@given(scenario=scenarios(), pause_days=st.integers(-1, 8), lifted_before=st.booleans())
def test_a_paused_runner_gets_rest_until_the_pause_ends(
    scenario: tuple[Profile, dt.date, int], pause_days: int, lifted_before: bool
) -> None:
    """While paused every day is rest with a reason, and lifting resumes only after the end date."""
    library = load_test_library()
    profile, start, _ = scenario
    paused_until = start + dt.timedelta(days=pause_days)
    week = plan_week(profile, start, library, None, WeekContext(paused_until=paused_until, lifted_before=lifted_before))
    for day in week.days:
        if day.date <= paused_until:
            assert day.session.kind is SessionKind.REST
            assert produced_by(library.messages.reasons["rest_paused"], words(day.session.reason, library))
    check_plan(profile, [week], library, paused_until=paused_until, lifted_before=lifted_before)


@examples(400)
@given(scenario=straddling_scenarios() | phase_scenarios().map(lambda s: s[:3]))
def test_power_sessions_fall_only_on_base_and_build_days(scenario: tuple[Profile, dt.date, int]) -> None:
    """A regular lifter never gets a power session dated in peak, taper or recovery."""
    library = load_test_library()
    profile, start, weeks = scenario
    profile = profile.model_copy(update={"strength_level": Level.REGULAR})
    for week in plan_weeks(profile, start, weeks, library):
        for day in week.days:
            if day.session.kind is SessionKind.POWER:
                phase = phase_on(profile.race, day.date)
                assert phase in (Phase.BASE, Phase.BUILD), f"power session on a {phase} day ({day.date})"


@examples(400)
@given(
    scenario=scenarios() | phase_scenarios().map(lambda s: s[:3]),
    minutes=st.sampled_from((30, 45, 60)),
    level=st.sampled_from((Level.SOME, Level.REGULAR)),  # new lifters are capped at 4 exercises in base
)
def test_strength_weeks_of_half_hour_sessions_cover_the_five_patterns(
    scenario: tuple[Profile, dt.date, int], minutes: int, level: Level
) -> None:
    """With no niggles, every strength session holds a calf raise (D3), and a week of two or more
    45-minute strength sessions covers squat, hinge, single-leg, calf/ankle and core between them."""
    library = load_test_library()
    profile, start, weeks = scenario
    profile = profile.model_copy(update={"injuries": frozenset(), "session_minutes": minutes, "strength_level": level})
    for week in plan_weeks(profile, start, weeks, library):
        strength = [day for day in week.days if day.session.kind is SessionKind.STRENGTH]
        covered: set[Pattern] = set()
        for day in strength:
            patterns = {library.exercises[item.id].pattern for item in day.session.exercises}
            assert Pattern.CALF_ANKLE in patterns, f"{day.date}: no calf raise (D3)"
            covered |= patterns
        # D5: a session over its minutes drops core and the unilateral before anything else
        if len(strength) >= 2 and minutes >= 45:
            missing = FIVE_PATTERNS - covered
            assert not missing, f"week of {week.start} ({week.phase}) lacks {sorted(missing)}"


@examples(800)
@given(scenario=scenarios() | straddling_scenarios() | phase_scenarios().map(lambda s: s[:3]))
@example(scenario=EVERY_NIGGLE)
@example(scenario=AFTER_A_WEDNESDAY_HALF)
def test_every_reason_is_true_of_the_runners_calendar(scenario: tuple[Profile, dt.date, int]) -> None:
    """A runner who asks "why?" is told something true: the run, tomorrow's run, the phase, the lifts around it."""
    library = load_test_library()
    profile, start, weeks = scenario
    check_reasons_are_true(profile, plan_weeks(profile, start, weeks, library), library)


@examples(800)
@given(scenario=scenarios() | straddling_scenarios() | phase_scenarios().map(lambda s: s[:3]))
@example(scenario=EVERY_NIGGLE)
# found unpinned: peak's cut counted from a build week planned at the build dose, although the runner's
# real build week was one of their first two (base dose): "55% fewer" for a real 40%
@example(
    scenario=(
        _all_rest(race=Race(distance=Distance.K5, date=dt.date(2026, 11, 18)), session_minutes=30),
        dt.date(2026, 10, 13),
        3,
    )
)
# found unpinned: a peak week that is also the first lifting week after a race stated the eased
# week's 25 % as peak's cut from build, where its sets were 60 % fewer than build's
@example(
    scenario=(
        _all_rest(
            race=Race(distance=Distance.K5, date=dt.date(2026, 11, 18)),
            overrides={dt.date(2026, 10, 25): RunKind.RACE},
        ),
        dt.date(2026, 10, 20),
        2,
    )
)
# found unpinned: peak's cut was counted from the build week planned afresh (a squat lead, 11 sets)
# where the runner's real build week, turning from the week before's lead, held 9: "55%" for 45%
@example(
    scenario=(
        _all_rest(
            race=Race(distance=Distance.K5, date=dt.date(2026, 11, 18)),
            session_minutes=20,
            injuries=frozenset({BodyArea.KNEE}),
            week={**dict.fromkeys(WEEKDAYS, RunKind.REST), Weekday.TUE: RunKind.EASY},
        ),
        dt.date(2026, 10, 13),
        3,
    )
)
def test_every_week_note_is_true_of_the_week(scenario: tuple[Profile, dt.date, int]) -> None:
    """The note on top of a week names its phase and blames key runs only when the calendar is what limited it."""
    library = load_test_library()
    profile, start, weeks = scenario
    check_notes_are_true(profile, plan_weeks(profile, start, weeks, library), library)


# ---------------------------------------------------------------------------------------------
# P4: which of the valid days are chosen


def _choices(profile: Profile, start: dt.date) -> tuple[list[tuple[int, ...]], tuple[int, ...]] | None:
    """The valid sets of the size the planner placed, and the days it placed (None if niggles blocked lifting)."""
    library = load_test_library()
    if not has_safe_lift(library, profile, profile.injuries):
        return None
    week = plan_week(profile, start, library)
    placed = tuple(i for i, day in enumerate(week.days) if day.session.kind.is_lifting)
    eligible = [may_lift_on(profile, d.date, phase_on(profile.race, d.date)) for d in week.days]
    sets = valid_sets(eligible, False, len(placed))
    # P5 across the week boundary (a MUST) comes before preferences: a lift on the last day that would
    # cost next week a session is only taken when no other set of that size exists
    following = [start + dt.timedelta(days=7 + i) for i in range(7)]
    phase = phase_on(profile.race, following[0])
    next_eligible = [may_lift_on(profile, d, phase_on(profile.race, d)) for d in following]
    cap = phase_cap(phase, profile.strength_level, profile.sessions_per_week)
    if largest_valid_set(next_eligible, True, cap) < largest_valid_set(next_eligible, False, cap):
        sets = [combo for combo in sets if not combo or combo[-1] != 6] or sets
    return sets, placed


@examples(800)
@given(scenario=scenarios(), preferred=st.frozensets(st.sampled_from(WEEKDAYS), min_size=1, max_size=2))
@example(scenario=SKIPPED_PREFERENCE, preferred=frozenset({Weekday.TUE}))
def test_preferred_days_win_when_they_fit(
    scenario: tuple[Profile, dt.date, int], preferred: frozenset[Weekday]
) -> None:
    """A runner's preferred lifting days are used whenever they keep P1-P3: no valid choice uses more of them."""
    profile, start, _ = scenario
    profile = profile.model_copy(update={"preferred_days": preferred})
    found = _choices(profile, start)
    if found is None:
        return
    sets, placed = found
    days = [start + dt.timedelta(days=i) for i in range(7)]

    def count_preferred(combo: tuple[int, ...]) -> int:
        return sum(Weekday.of(days[i]) in profile.preferred_days for i in combo)

    best = max(map(count_preferred, sets), default=0)
    assert count_preferred(placed) == best, f"lifting on {placed}, but {best} preferred days fit"


@examples(600)
@given(scenario=scenarios())
def test_P4_P5b_first_then_easy_days_or_quality_days_for_hard_days_hard(scenario: tuple[Profile, dt.date, int]) -> None:
    """P4 after P5b: among the sets with the fewest days 2 days before a key run, when the sessions fit
    on easy days alone they go there; in "hard days hard" style, on quality days alone."""
    profile, start, _ = scenario
    profile = profile.model_copy(update={"preferred_days": frozenset()})
    found = _choices(profile, start)
    if found is None:
        return
    sets, placed = found
    wanted = RunKind.QUALITY if profile.hard_days_hard else RunKind.EASY
    runs = [profile.run_on(start + dt.timedelta(days=i)) for i in range(9)]

    def crowded(combo: tuple[int, ...]) -> int:  # P5b: days whose next key run is 2 days on
        return sum(runs[i + 2] in KEY_RUNS and runs[i + 1] not in KEY_RUNS for i in combo)

    fewest = min(map(crowded, sets), default=0)
    assert crowded(placed) == fewest, f"lifting on {placed}: {crowded(placed)} days 2 before a key run, {fewest} fit"
    sets = [combo for combo in sets if crowded(combo) == fewest]
    if any(all(runs[i] is wanted for i in combo) for combo in sets):
        assert all(runs[i] is wanted for i in placed), f"{[runs[i].value for i in placed]}, all-{wanted} fitted"


@pytest.mark.properties  # every calendar of its kind, 5,103 planned weeks: the property tier's seconds
@pytest.mark.parametrize(
    "preferred",
    [day for day in WEEKDAYS],
)
def test_a_preferred_day_that_fits_is_always_used_exhaustively(preferred: Weekday) -> None:
    """Over every week of easy, rest and quality days before a Sunday long run, a fitting preferred day is used."""
    library = load_test_library()
    monday = dt.date(2026, 11, 23)
    misses = []
    for runs in itertools.product((RunKind.EASY, RunKind.REST, RunKind.QUALITY), repeat=6):
        week = dict(zip(WEEKDAYS, (*runs, RunKind.LONG), strict=True))
        profile = Profile(
            strength_level=Level.SOME,
            week=week,
            equipment=Equipment.NONE,
            session_minutes=30,
            preferred_days=frozenset({preferred}),
        )
        plan = plan_week(profile, monday, library)
        placed = tuple(i for i, day in enumerate(plan.days) if day.session.kind.is_lifting)
        eligible = [may_lift_on(profile, day.date, Phase.BASE) for day in plan.days]
        index = WEEKDAYS.index(preferred)
        if index not in placed and any(index in combo for combo in valid_sets(eligible, False, len(placed))):
            misses.append(" ".join(f"{d.value}={r.value}" for d, r in week.items()))
    assert not misses, f"{len(misses)} calendars skip the preferred {preferred.value}, e.g. {misses[:3]}"


# ---------------------------------------------------------------------------------------------
# worked examples of the P8 properties above


def test_every_niggle_flagged_still_lifts_gently() -> None:
    """A runner who flags every area is not left untrained: they lift, every loaded area in its gentle form."""
    library = load_test_library()
    profile, start, _ = EVERY_NIGGLE
    week = plan_week(profile, start, library)
    assert len(week.lifting_days) == 2
    for day in week.days:
        if day.session.kind.is_lifting:
            assert all(item.gentle for item in day.session.exercises if item.loads), day.session.exercises


def test_a_week_blocked_by_pain_does_not_blame_key_runs() -> None:
    """A runner with no runs at all and pain in every area is not told key runs left no room, nor that lifting
    is on other days."""
    library = load_test_library()
    profile, start, _ = EVERY_NIGGLE
    state = TrainingState(pain=dict.fromkeys(BodyArea, start + dt.timedelta(days=7)))
    week = plan_week(profile, start, library, state)
    assert week.lifting_days == ()
    notes = library.messages.week_notes
    note = words(week.note, library)
    assert not contains_instance(notes["none_fit"], note) and not contains_instance(notes["fewer_fit"], note)
    assert not [d.date for d in week.days if d.session.reason.key is ReasonKey.MOBILITY_WEEK_FULL]


def test_a_week_that_starts_in_recovery_lifts_only_on_its_base_days() -> None:
    """A week that opens with the race's recovery lifts like a base week, on its base days only, and says both."""
    library = load_test_library()
    profile, start, _ = AFTER_A_WEDNESDAY_HALF  # recovery runs to the next Wednesday, base after it
    week = plan_week(profile, start, library)
    assert week.days[0].phase is Phase.RECOVERY and week.phase is Phase.BASE
    assert week.lifting_days, "the base days of the week hold lifting"
    assert all(week.day(date).phase is Phase.BASE for date in week.lifting_days)  # type: ignore[union-attr]
    notes = library.messages.week_notes
    recovery_days = [d for d in week.days if d.phase is Phase.RECOVERY]
    assert all(d.session.reason.key is ReasonKey.MOBILITY_RECOVERY for d in recovery_days)
    note = words(week.note, library)
    assert week.note.parts[0].key is NoteKey.RECOVERY and contains_instance(notes["recovery"], note)
    assert contains_instance(notes["first_week_back"], note), "the first lifting week back is lighter, and says so"
    later = plan_week(profile, start + dt.timedelta(days=7), library)
    # the calf raise keeps its 2 sets whatever the week (D3)
    first_sets = [p.sets for d in week.days for p in d.session.exercises if p.role not in (None, "calf")]
    later_sets = [p.sets for d in later.days for p in d.session.exercises if p.role not in (None, "calf")]
    assert max(first_sets) < max(later_sets), "about 40 % fewer sets than a normal week"


# ---------------------------------------------------------------------------------------------
# P5 across the week boundary: a repeating calendar gets the most sessions it allows, week after week


def _steady_best(profile: Profile, cap: int) -> int:
    """Brute force: the most lifting days a week can hold when the same days repeat every week (P1-P3, with
    a Sunday lift blocking the next Monday)."""
    start = NOVEMBER_23
    eligible = [may_lift_on(profile, start + dt.timedelta(days=i), Phase.BASE) for i in range(7)]
    days = [i for i, ok in enumerate(eligible) if ok]
    best = 0
    for size in range(1, min(cap, len(days)) + 1):
        for combo in itertools.combinations(days, size):
            spaced = all(b - a > 1 for a, b in itertools.pairwise(combo))
            wraps = combo[0] == 0 and combo[-1] == 6
            if spaced and not wraps:
                best = size
    return best


@examples(600)
@given(
    week=st.fixed_dictionaries(
        {day: st.sampled_from((RunKind.REST, RunKind.EASY, RunKind.QUALITY, RunKind.LONG)) for day in WEEKDAYS}
    ),
    level=st.sampled_from(Level),
    asked=st.sampled_from((None, 1, 2, 3)),
    preferred=st.frozensets(st.sampled_from(WEEKDAYS), max_size=3),
    hard_days_hard=st.booleans(),
)
@example(  # Mon/Wed/Sun fit every week; without looking ahead a Sunday lift blocked Monday: 3, 2, 2, ...
    week=dict(zip(WEEKDAYS, (R, R, R, R, RunKind.LONG, R, RunKind.EASY), strict=True)),
    level=Level.REGULAR,
    asked=3,
    preferred=frozenset(),
    hard_days_hard=False,
)
def test_a_repeating_calendar_gets_the_most_sessions_it_allows_every_week(
    week: dict[Weekday, RunKind], level: Level, asked: int | None, preferred: frozenset[Weekday], hard_days_hard: bool
) -> None:
    """For any repeating week with no race, every week after the first places the most sessions P1 to P3 allow
    week after week (capped by the target), and says "only N fit" only when that is true of the calendar."""
    library = load_test_library()
    profile = Profile(
        strength_level=level,
        week=week,
        equipment=Equipment.DUMBBELLS,
        session_minutes=30,
        sessions_per_week=asked,
        preferred_days=preferred,
        hard_days_hard=hard_days_hard,
    )
    cap = lifting_target(Phase.BASE, level, asked)
    steady = _steady_best(profile, cap)
    plan = plan_weeks(profile, NOVEMBER_23, 4, library)
    notes = library.messages.week_notes
    for week_plan in plan[1:]:
        assert len(week_plan.lifting_days) == steady, (
            f"week of {week_plan.start}: {week_plan.lifting_days}, {steady} fit"
        )
    for week_plan in plan:
        if contains_instance(notes["fewer_fit"], words(week_plan.note, library)):
            assert steady < cap or len(week_plan.lifting_days) < steady


@examples(150)
@given(
    area=st.sampled_from(BodyArea),
    level=st.sampled_from(Level),
    kit=st.sampled_from(Equipment),
    minutes=st.sampled_from((15, 20, 30, 45, 60)),
    start=st.integers(0, 400).map(lambda n: NOVEMBER_23 + dt.timedelta(days=n)),
)
def test_a_niggle_never_leaves_a_pattern_untrained_for_four_weeks(
    area: BodyArea, level: Level, kit: Equipment, minutes: int, start: dt.date
) -> None:
    """For a runner with a niggle in any area, every 4 weeks of base train squat, hinge, single-leg, calf/ankle
    and core in some form (the area itself only in its gentle form)."""
    library = load_test_library()
    week = dict(
        zip(WEEKDAYS, (RunKind.EASY, RunKind.QUALITY, RunKind.EASY, R, RunKind.EASY, RunKind.LONG, R), strict=True)
    )
    profile = Profile(
        strength_level=level, week=week, equipment=kit, session_minutes=minutes, injuries=frozenset({area})
    )
    covered: set[Pattern] = set()
    for plan in plan_weeks(profile, start, 4, library):
        for day in plan.days:
            if day.session.kind.is_lifting:
                covered |= {library.exercises[item.id].pattern for item in day.session.exercises}
                assert all(item.gentle for item in day.session.exercises if area in item.loads)
    # D5: shorter sessions drop core and the unilateral first, so only longer ones must cover all five
    if minutes >= 45:
        assert covered >= FIVE_PATTERNS, f"untrained: {sorted(FIVE_PATTERNS - covered)}"


HEAVY_DEADLIFTS = frozenset({"trap_bar_deadlift", "conventional_deadlift"})


@examples(200)
@given(scenario=scenarios(), level=st.sampled_from((Level.SOME, Level.REGULAR)), weeks=st.integers(2, 8))
def test_a_gym_lifter_never_deadlifts_heavy_two_sessions_running(
    scenario: tuple[Profile, dt.date, int], level: Level, weeks: int
) -> None:
    """A gym lifter alternates a heavy deadlift with a Romanian deadlift or hip thrust: never heavy deadlifts in
    two lifting sessions in a row, across weeks too."""
    library = load_test_library()
    profile, start, _ = scenario
    profile = profile.model_copy(update={"equipment": Equipment.GYM, "strength_level": level})
    sessions = [
        {item.id for item in day.session.exercises}
        for plan in plan_weeks(profile, start, weeks, library)
        for day in plan.days
        if day.session.kind.is_lifting
    ]
    for before, after in itertools.pairwise(sessions):
        assert not (before & HEAVY_DEADLIFTS and after & HEAVY_DEADLIFTS), f"{before} then {after}"


@examples(400)
@given(
    scenario=scenarios() | phase_scenarios().map(lambda s: s[:3]),
    weeks_coached=st.integers(0, 30),
    step=st.integers(0, 6),
)
def test_a_runner_awaiting_clearance_gets_only_a_new_lifters_base_dose(
    scenario: tuple[Profile, dt.date, int], weeks_coached: int, step: int
) -> None:
    """A yes to the health screen (COACHING.md, "Screen"): until the runner confirms clearance,
    whatever their level, phase or progress, no power session and no effort above RPE 6."""
    profile, start, weeks = scenario
    state = TrainingState(needs_clearance=True, weeks_coached=weeks_coached, step=step, weeks_trained=weeks_coached)
    for week in plan_weeks(profile, start, weeks, load_test_library(), state, reviewed=False):
        for day in week.days:
            assert day.session.kind is not SessionKind.POWER, day
            for exercise in day.session.exercises:
                assert exercise.rpe is None or exercise.rpe <= 6, (day.date, exercise)


@examples(400)
@given(
    scenario=scenarios() | phase_scenarios().map(lambda s: s[:3]),
    area=st.sampled_from(BodyArea),
    weeks_coached=st.integers(0, 10),
)
# found by this test: low skips for a runner whose knee was red-flagged (they loaded only the ankle)
@example(scenario=(_all_rest(), dt.date(2026, 11, 18), 1), area=BodyArea.KNEE, weeks_coached=2)
def test_a_red_flag_area_is_never_loaded_jumps_included(
    scenario: tuple[Profile, dt.date, int], area: BodyArea, weeks_coached: int
) -> None:
    """A red flag (COACHING.md, "Red flags") rests the area until a professional clears it: in no
    week, however far ahead, does any exercise load it, and a leg area gets no jumps at all."""
    profile, start, weeks = scenario
    state = TrainingState(pain={area: dt.date.max}, weeks_coached=weeks_coached)
    legs = {BodyArea.KNEE, BodyArea.HIP, BodyArea.ANKLE, BodyArea.SHIN, BodyArea.FOOT, BodyArea.HAMSTRING}
    for week in plan_weeks(profile, start, weeks, load_test_library(), state, reviewed=False):
        for day in week.days:
            for exercise in day.session.exercises:
                assert area not in exercise.loads, (day.date, exercise)
                if area in legs:
                    assert exercise.type is not ExerciseType.PLYOMETRIC, (day.date, exercise)
