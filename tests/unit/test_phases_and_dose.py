"""Phases counted back from the race, the weekly session target, and the dose table (COACHING.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from coach_checks import words
from hypothesis import given
from hypothesis import strategies as st
from plan_strategies import examples

from bot.coach.dose import Dose, dose_for, rung_of, table_dose, variation_of
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    Distance,
    Equipment,
    ExerciseType,
    Level,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Race,
    Role,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekPlan,
)
from bot.coach.phases import lifting_target, phase_on
from bot.coach.planner import plan_week

RACE_DAY = dt.date(2027, 3, 14)
TAPER_DAYS = {Distance.K5: 7, Distance.K10: 7, Distance.HALF: 10, Distance.MARATHON: 10, Distance.ULTRA: 10}
LIFTING_PHASES = (Phase.BASE, Phase.BUILD, Phase.PEAK)
ORDER = {Phase.BASE: 0, Phase.BUILD: 1, Phase.PEAK: 2, Phase.TAPER: 3, Phase.RECOVERY: 4}


RECOVERY_DAYS = {Distance.K5: 3, Distance.K10: 3, Distance.HALF: 7, Distance.MARATHON: 10, Distance.ULTRA: 14}


def _on(distance: Distance, days_from_race: int) -> Phase:
    return phase_on(Race(distance=distance, date=RACE_DAY), RACE_DAY + dt.timedelta(days=days_from_race))


# ---------------------------------------------------------------------------------------------
# phases


def _boundary_rows() -> list[tuple[Distance, int, Phase]]:
    rows = []
    for distance, taper in TAPER_DAYS.items():
        peak_start = -taper - 21  # peak is the 3 weeks until the taper starts
        rows += [
            (distance, -365, Phase.BASE),
            (distance, -85, Phase.BASE),  # more than 12 weeks away
            (distance, -84, Phase.BUILD),  # 12 weeks out
            (distance, peak_start - 1, Phase.BUILD),
            (distance, peak_start, Phase.PEAK),
            (distance, -taper - 1, Phase.PEAK),
            (distance, -taper, Phase.TAPER),  # first taper day
            (distance, -1, Phase.TAPER),
            (distance, 0, Phase.TAPER),  # the taper runs up to the race
            (distance, 1, Phase.RECOVERY),
            (distance, RECOVERY_DAYS[distance], Phase.RECOVERY),
            (distance, RECOVERY_DAYS[distance] + 1, Phase.BASE),
            (distance, 200, Phase.BASE),
        ]
    return rows


@pytest.mark.parametrize(("distance", "days_from_race", "expected"), _boundary_rows())
def test_phase_boundaries_for_every_distance(distance: Distance, days_from_race: int, expected: Phase) -> None:
    """The taper starts 7 days out for a 5k/10k and 10 days out for longer races, peak 3 weeks before it,
    build 12 weeks out, and recovery covers 3 (5k, 10k), 7 (half), 10 (marathon) or 14 (ultra) days after."""
    assert _on(distance, days_from_race) is expected


@pytest.mark.parametrize("distance", list(Distance))
def test_each_phase_lasts_as_long_as_the_rulebook_says(distance: Distance) -> None:
    """Counted day by day, peak is 21 days, taper 7 or 10 days plus race day, recovery as its distance asks."""
    taper = TAPER_DAYS[distance]
    days = [_on(distance, n) for n in range(-120, 30)]
    assert days.count(Phase.PEAK) == 21
    assert days.count(Phase.TAPER) == taper + 1
    assert days.count(Phase.RECOVERY) == RECOVERY_DAYS[distance]
    assert days.count(Phase.BUILD) == 84 - 21 - taper


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2026, 11, 18), dt.date(2030, 6, 30)])
def test_a_runner_without_a_race_is_always_in_base(day: dt.date) -> None:
    """No goal race means the base phase, whatever the date."""
    assert phase_on(None, day) is Phase.BASE


@examples(200)
@given(distance=st.sampled_from(Distance), race_offset=st.integers(0, 3000))
def test_phases_run_in_order_towards_the_race_and_back_to_base(distance: Distance, race_offset: int) -> None:
    """Walking day by day past a race, the phases go base, build, peak, taper, recovery, base, never back."""
    race = Race(distance=distance, date=dt.date(2026, 1, 1) + dt.timedelta(days=race_offset))
    walk = [phase_on(race, race.date + dt.timedelta(days=n)) for n in range(-150, 40)]
    before, after = walk[:150], walk[151:]
    assert [ORDER[p] for p in before] == sorted(ORDER[p] for p in before)
    days = RECOVERY_DAYS[distance]
    assert after[:days] == [Phase.RECOVERY] * days and set(after[days:]) == {Phase.BASE}


# ---------------------------------------------------------------------------------------------
# sessions a week


@pytest.mark.parametrize(
    ("phase", "level", "requested", "expected"),
    [
        (Phase.BASE, Level.NEW, None, 2),
        (Phase.BASE, Level.SOME, None, 2),
        (Phase.BASE, Level.REGULAR, None, 2),
        (Phase.BASE, Level.REGULAR, 3, 3),  # only a regular lifter who asked for 3 gets 3
        (Phase.BASE, Level.SOME, 3, 2),
        (Phase.BASE, Level.NEW, 3, 2),
        (Phase.BASE, Level.REGULAR, 2, 2),
        (Phase.BASE, Level.NEW, 1, 1),  # never more than the runner asked for
        (Phase.BUILD, Level.REGULAR, 3, 2),
        (Phase.BUILD, Level.NEW, None, 2),
        (Phase.BUILD, Level.SOME, 1, 1),
        (Phase.PEAK, Level.REGULAR, 3, 1),
        (Phase.PEAK, Level.NEW, None, 1),
        (Phase.PEAK, Level.SOME, 1, 1),
        (Phase.TAPER, Level.REGULAR, 3, 0),
        (Phase.TAPER, Level.NEW, None, 0),
        (Phase.RECOVERY, Level.REGULAR, 3, 0),
        (Phase.RECOVERY, Level.SOME, 2, 0),
    ],
)
def test_weekly_lifting_target_follows_the_phase_table(
    phase: Phase, level: Level, requested: int | None, expected: int
) -> None:
    """Base asks for 2 (3 for a regular lifter who wants 3), build 2, peak 1, taper and recovery none."""
    assert lifting_target(phase, level, requested) == expected


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("requested", [None, 1, 2, 3])
def test_the_target_never_exceeds_what_the_runner_asked_for(phase: Phase, level: Level, requested: int | None) -> None:
    """A runner who asked for N sessions a week is never planned more than N."""
    target = lifting_target(phase, level, requested)
    assert 0 <= target <= (requested if requested is not None else 3)
    assert (target == 0) == (phase not in LIFTING_PHASES)


# ---------------------------------------------------------------------------------------------
# the dose table


@dataclass(frozen=True)
class Row:
    """One cell of COACHING.md's dose table: ranges as written there."""

    sets: tuple[int, int]
    reps: tuple[int, int]
    rpe: tuple[int, int]
    max_exercises: int | None = None
    jumps: tuple[int, str] | None = None


TABLE = {
    (Level.NEW, Phase.BASE): Row(sets=(2, 2), reps=(10, 12), rpe=(6, 6), max_exercises=4),
    (Level.NEW, Phase.BUILD): Row(sets=(2, 3), reps=(8, 10), rpe=(6, 7)),
    (Level.NEW, Phase.PEAK): Row(sets=(2, 2), reps=(8, 8), rpe=(6, 6)),
    (Level.SOME, Phase.BASE): Row(sets=(3, 3), reps=(6, 8), rpe=(7, 7)),
    (Level.SOME, Phase.BUILD): Row(sets=(3, 3), reps=(4, 6), rpe=(7, 8)),
    (Level.SOME, Phase.PEAK): Row(sets=(2, 2), reps=(4, 5), rpe=(7, 8)),
    (Level.REGULAR, Phase.BASE): Row(sets=(3, 4), reps=(4, 6), rpe=(7, 8)),
    (Level.REGULAR, Phase.BUILD): Row(sets=(3, 4), reps=(3, 5), rpe=(8, 8), jumps=(3, "5-8")),
    (Level.REGULAR, Phase.PEAK): Row(sets=(2, 2), reps=(3, 3), rpe=(8, 8), jumps=(2, "5")),
}
CELLS = sorted(TABLE, key=lambda key: (key[0].rank, ORDER[key[1]]))
HEAVY = {(level, phase) for level in (Level.SOME, Level.REGULAR) for phase in (Phase.BUILD, Phase.PEAK)}


def _prescribed(dose: Dose) -> tuple[object, ...]:
    """What a runner is told: sets, reps, effort, exercise cap, jumps and whether to add load."""
    return (dose.sets, dose.reps, dose.rpe, dose.max_exercises, dose.jump_sets, dose.jump_reps, dose.add_load)


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_the_dose_table_as_written(level: Level, phase: Phase) -> None:
    """Each level and phase gets the sets, reps and effort of the rulebook's dose table, at the first rung."""
    row = TABLE[level, phase]
    dose = table_dose(level, phase)
    assert dose is not None
    assert row.sets[0] <= dose.sets <= row.sets[1]
    assert (dose.reps_low, dose.reps_high) == row.reps
    assert dose.reps == (str(row.reps[0]) if row.reps[0] == row.reps[1] else f"{row.reps[0]}-{row.reps[1]}")
    assert row.rpe[0] <= dose.rpe <= row.rpe[1]
    assert not dose.add_load
    first_rung = dose_for(level, phase, TrainingState())
    assert first_rung is not None
    assert _prescribed(first_rung) == _prescribed(dose)


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_only_new_lifters_in_base_are_capped_at_four_exercises(level: Level, phase: Phase) -> None:
    """A new lifter's base sessions hold at most 4 exercises; nobody else has that cap."""
    dose = table_dose(level, phase)
    assert dose is not None
    assert dose.max_exercises == TABLE[level, phase].max_exercises


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_jumps_only_for_regular_lifters_in_build_and_peak(level: Level, phase: Phase) -> None:
    """Regular lifters add 3 x 5-8 jumps in build and 2 x 5 in peak; nobody else gets jumps in a strength session."""
    dose = table_dose(level, phase)
    assert dose is not None
    jumps = TABLE[level, phase].jumps
    if jumps is None:
        assert dose.jump_sets == 0
    else:
        assert (dose.jump_sets, dose.jump_reps) == jumps


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("phase", [Phase.TAPER, Phase.RECOVERY])
def test_no_dose_in_taper_or_recovery(level: Level, phase: Phase) -> None:
    """Taper and recovery prescribe no lifting at all, whatever the runner's level or ladder step."""
    assert table_dose(level, phase) is None
    assert dose_for(level, phase, TrainingState(step=4)) is None
    assert dose_for(level, phase, TrainingState(), deload=True) is None


# ---------------------------------------------------------------------------------------------
# deload, the ladder and set cuts


@pytest.mark.parametrize(("level", "phase"), CELLS)
@pytest.mark.parametrize("step", [0, 1, 2, 3, 5])
def test_a_deload_cuts_about_40_percent_of_the_sets_and_keeps_the_effort(level: Level, phase: Phase, step: int) -> None:
    """A deload week has roughly 40 % fewer sets (whole sets: 2 to 1, 3 to 2, 4 to 2) at the same reps and RPE."""
    state = TrainingState(step=step)
    normal = dose_for(level, phase, state)
    light = dose_for(level, phase, state, deload=True)
    assert normal is not None and light is not None
    assert 1 <= light.sets < normal.sets
    assert 0.3 <= 1 - light.sets / normal.sets <= 0.5
    assert light.rpe == normal.rpe
    assert (light.reps_low, light.reps_high) == (normal.reps_low, normal.reps_high)
    assert light.add_load == normal.add_load
    if normal.jump_sets:
        assert 1 <= light.jump_sets < normal.jump_sets and light.jump_reps == normal.jump_reps


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_ladder_step_one_adds_reps(level: Level, phase: Phase) -> None:
    """One step up the ladder asks for more reps at the same effort, still heavy (5 or fewer) for heavy work."""
    table = table_dose(level, phase)
    step1 = dose_for(level, phase, TrainingState(step=1))
    assert table is not None and step1 is not None
    assert step1.reps_low > table.reps_low and step1.reps_high >= table.reps_high
    assert step1.rpe == table.rpe and not step1.add_load
    assert step1.sets >= table.sets
    if (level, phase) in HEAVY:
        assert step1.reps_high <= max(5, table.reps_high)


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_ladder_step_two_adds_load_at_the_table_reps(level: Level, phase: Phase) -> None:
    """The second step keeps the table's reps and adds load instead."""
    table = table_dose(level, phase)
    step2 = dose_for(level, phase, TrainingState(step=2))
    assert table is not None and step2 is not None
    assert step2.add_load and not table.add_load
    assert (step2.reps_low, step2.reps_high) == (table.reps_low, table.reps_high)
    assert step2.rpe == table.rpe


@pytest.mark.parametrize(("level", "phase"), CELLS)
def test_ladder_step_three_moves_to_a_harder_variation(level: Level, phase: Phase) -> None:
    """The third step moves each exercise one link up its progression, back at the table's reps without extra load."""
    table = table_dose(level, phase)
    step3 = dose_for(level, phase, TrainingState(step=3))
    assert table is not None and step3 is not None
    assert [variation_of(s) for s in range(7)] == [0, 0, 0, 1, 1, 1, 2]
    assert [rung_of(s) for s in range(7)] == [0, 1, 2, 0, 1, 2, 0]
    assert (step3.reps_low, step3.reps_high) == (table.reps_low, table.reps_high) and not step3.add_load


@pytest.mark.parametrize(("level", "phase"), CELLS)
@pytest.mark.parametrize("step", range(9))
def test_sets_stay_inside_the_tables_range_on_every_rung(level: Level, phase: Phase, step: int) -> None:
    """Climbing the ladder never asks for more sets than the table allows, nor a different effort."""
    row = TABLE[level, phase]
    dose = dose_for(level, phase, TrainingState(step=step))
    assert dose is not None
    assert row.sets[0] <= dose.sets <= row.sets[1]
    assert row.rpe[0] <= dose.rpe <= row.rpe[1]


@pytest.mark.parametrize(("level", "phase"), CELLS)
@pytest.mark.parametrize("cut", [1, 2, 5])
def test_a_back_off_takes_sets_away_but_leaves_at_least_one(level: Level, phase: Phase, cut: int) -> None:
    """After a back-off each exercise has ``cut`` sets fewer, never fewer than one, at the same reps and effort."""
    full = dose_for(level, phase, TrainingState(step=1))
    cut_dose = dose_for(level, phase, TrainingState(step=1, set_cut=cut))
    assert full is not None and cut_dose is not None
    assert cut_dose.sets == max(1, full.sets - cut)
    assert (cut_dose.reps_low, cut_dose.reps_high, cut_dose.rpe) == (full.reps_low, full.reps_high, full.rpe)


# ---------------------------------------------------------------------------------------------
# the table, as the runner sees it in a planned week

EASY_WEEK = {day: RunKind.EASY for day in WEEKDAYS} | {Weekday.SUN: RunKind.LONG}
MID_PHASE = {Phase.BASE: -200, Phase.BUILD: -60, Phase.PEAK: -20}  # days from a marathon


@pytest.mark.parametrize(("level", "phase"), CELLS)
@pytest.mark.parametrize("minutes", [15, 30, 45])
def test_planned_sessions_carry_the_tables_dose(library: Library, level: Level, phase: Phase, minutes: int) -> None:
    """Every lift in a planned week shows the table's sets and effort; jumps show the table's jump sets and reps."""
    start = dt.date(2026, 11, 23)
    race = Race(distance=Distance.MARATHON, date=start - dt.timedelta(days=MID_PHASE[phase]))
    profile = Profile(strength_level=level, week=EASY_WEEK, race=race, equipment=Equipment.GYM, session_minutes=minutes)
    # past the runner's first two weeks, which use the base dose whatever the phase
    week = plan_week(profile, start, library, TrainingState(weeks_coached=2))
    assert week.phase is phase
    row = TABLE[level, phase]
    sessions = [d.session for d in week.days if d.session.kind is SessionKind.STRENGTH]
    assert sessions, "an easy week with a long Sunday leaves room for lifting"
    for session in sessions:
        lifts = [p for p in session.exercises if p.type is not ExerciseType.PLYOMETRIC]
        jumps = [p for p in session.exercises if p.type is ExerciseType.PLYOMETRIC]
        assert any(item.type is ExerciseType.STRENGTH for item in lifts), "a gym runner lifts loads"
        mains = [p for p in lifts if p.role is Role.MAIN]
        assert len(mains) <= 1, "one main lift a session (D2)"
        for item in lifts:
            # D1 calf: 2 to 3 reps in reserve
            assert item.rpe is None or item.rpe <= max(row.rpe[1], 7 if item.role is Role.CALF else 0)
            # time wins: a short session may drop sets, never add them
            assert 1 <= item.sets <= row.sets[1]
            if item.role is Role.MAIN:  # D1: only the main lift takes the table
                assert item.rpe is not None and row.rpe[0] <= item.rpe
                assert item.reps.removesuffix(" each side") == table_reps(row)
                if minutes >= 45:
                    assert min(row.sets[0], 2) <= item.sets
            elif item.type is ExerciseType.STRENGTH:  # D1: no other lift below 6 reps
                assert int(item.reps.split("-")[0].split(",")[0].split(" ")[0]) >= 6, item
        if row.max_exercises is not None:
            assert len(lifts) <= row.max_exercises
        # J1: jumps counted in contacts, within the level's cap
        assert sum(j.contacts for j in jumps) <= {Level.NEW: 40, Level.SOME: 60, Level.REGULAR: 80}[level]
        assert all(j.reps.split(",")[0].endswith(" contacts") for j in jumps)


def table_reps(row: Row) -> str:
    low, high = row.reps
    return str(low) if low == high else f"{low}-{high}"


# ---------------------------------------------------------------------------------------------
# the ladder and the weekly review's levers, as the runner sees them in a planned week


def _base_runner(level: Level, minutes: int = 45) -> Profile:
    return Profile(strength_level=level, week=EASY_WEEK, equipment=Equipment.GYM, session_minutes=minutes)


def _lifts(week: WeekPlan, library: Library) -> list[Prescription]:
    return [
        item
        for day in week.days
        if day.session.kind is SessionKind.STRENGTH
        for item in day.session.exercises
        if library.exercises[item.id].pattern is not Pattern.POWER
    ]


@pytest.mark.parametrize("equipment", list(Equipment))
@pytest.mark.parametrize("level", list(Level))
def test_step_three_swaps_lifts_for_their_harder_variation(
    library: Library, level: Level, equipment: Equipment
) -> None:
    """Three steps up, each lift is the same exercise or the next one up its progression chain."""
    start = dt.date(2026, 11, 23)
    profile = _base_runner(level).model_copy(update={"equipment": equipment})
    before = plan_week(profile, start, library, TrainingState(step=0))
    after = plan_week(profile, start, library, TrainingState(step=3))
    assert _lifts(before, library) and before.lifting_days == after.lifting_days
    slot_of = {ex.id: (ex.role, ex.slot_key) for ex in library.exercises.values()}  # D2: a place by role
    for date in before.lifting_days:
        old_day, new_day = before.day(date), after.day(date)
        assert old_day is not None and new_day is not None
        earlier = {slot_of[item.id]: item.id for item in old_day.session.exercises}
        for new in new_day.session.exercises:
            old_id = earlier.get(slot_of[new.id])
            if old_id is not None and new.id != old_id:
                assert new.id == library.exercises[old_id].progression, f"{old_id} became {new.id}"


@pytest.mark.parametrize(
    ("level", "equipment"),
    [(level, kit) for level in Level for kit in Equipment],
)
def test_three_steps_up_the_ladder_is_not_the_first_week_again(
    library: Library, level: Level, equipment: Equipment
) -> None:
    """A runner who has progressed three times does not get back exactly the week they started with:
    harder variations where their kit and level have one, and otherwise the week tells them to add load."""
    start = dt.date(2026, 11, 23)
    profile = _base_runner(level).model_copy(update={"equipment": equipment})
    first_week = plan_week(profile, start, library, TrainingState(step=0))
    third_week = plan_week(profile, start, library, TrainingState(step=3, stepped=True))  # the week the step shows
    first, third = _lifts(first_week, library), _lifts(third_week, library)
    if [(i.id, i.sets, i.reps) for i in third] == [(i.id, i.sets, i.reps) for i in first]:
        add_load = library.messages.week_notes["add_load"]
        assert add_load in words(third_week.note, library) and add_load not in words(first_week.note, library)


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("cut", [1, 2])
def test_a_back_off_shows_as_fewer_sets_in_the_plan(library: Library, level: Level, cut: int) -> None:
    """After a back-off every lift of the planned week has one set fewer per cut (never fewer than one)."""
    start = dt.date(2026, 11, 23)
    full = _lifts(plan_week(_base_runner(level), start, library, TrainingState(step=1)), library)
    cut_week = _lifts(plan_week(_base_runner(level), start, library, TrainingState(step=1, set_cut=cut)), library)
    assert [i.id for i in full] == [i.id for i in cut_week] and full
    # the same exercises, each with ``cut`` sets fewer than the week's dose (a short session may drop more)
    dose = dose_for(level, Phase.BASE, TrainingState(step=1))
    assert dose is not None
    # the calf raise keeps its 2 sets (D3)
    assert all(1 <= i.sets <= max(2 if i.role is Role.CALF else 1, dose.sets - cut) for i in cut_week)
    assert sum(i.sets for i in cut_week) < sum(i.sets for i in full)


@pytest.mark.parametrize("level", list(Level))
def test_accepting_one_session_fewer_plans_one_fewer(library: Library, level: Level) -> None:
    """A runner who accepted one session fewer after two back-off weeks gets one fewer a week, but never none."""
    start = dt.date(2026, 11, 23)
    profile = _base_runner(level).model_copy(update={"sessions_per_week": 3 if level is Level.REGULAR else None})
    usual = plan_week(profile, start, library)
    fewer = plan_week(profile, start, library, TrainingState(fewer_sessions=1))
    assert len(fewer.lifting_days) == max(1, len(usual.lifting_days) - 1)
    fewest = plan_week(profile, start, library, TrainingState(fewer_sessions=5))
    assert len(fewest.lifting_days) == 1


def test_shorter_sessions_after_two_back_offs_are_shorter(library: Library) -> None:
    """Cutting 15 minutes from a 45-minute runner's sessions gives lifting sessions of 30 minutes (within 10 %)."""
    start = dt.date(2026, 11, 23)
    profile = _base_runner(Level.SOME, minutes=45)
    usual = plan_week(profile, start, library)
    shorter = plan_week(profile, start, library, TrainingState(minutes_cut=15))
    lifting = [d.session for d in shorter.days if d.session.kind.is_lifting]
    assert lifting and all(session.minutes <= 33 for session in lifting)
    assert max(d.session.minutes for d in usual.days if d.session.kind.is_lifting) > 33
