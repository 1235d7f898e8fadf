"""The lifting session under rulebook rev. 3: dose by role (D1), the session cap (D2), the calf minimum
(D3), eccentric work (D4), honest minutes (D5), jump contacts (J1, J3) and niggles (N2, N3, N5, N6)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import shutil
from pathlib import Path

import pytest

from bot.coach.dose import table_dose
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Equipment,
    ExerciseType,
    Kit,
    Level,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Reduction,
    Role,
    RunKind,
    SessionKind,
    TrainingState,
)
from bot.coach.planner import plan_week, plan_weeks
from bot.coach.session import build_session
from bot.coach.session_choice import Options
from bot.content.loader import ContentError, load_library
from bot.resources import CONTENT_DIR

GYM: Kit = frozenset({Equipment.GYM})
DUMBBELLS: Kit = frozenset({Equipment.DUMBBELLS})
BODYWEIGHT: Kit = frozenset()
KITS = (BODYWEIGHT, frozenset({Equipment.BANDS}), DUMBBELLS, GYM)
START = dt.date(2026, 11, 23)  # a Monday
CAPS = {Level.NEW: 40, Level.SOME: 60, Level.REGULAR: 80}
LEG_ROLES = (Role.MAIN, Role.BILATERAL, Role.UNILATERAL)


def session(
    library: Library,
    level: Level = Level.SOME,
    kit: Kit = GYM,
    phase: Phase = Phase.BASE,
    **kw: object,
) -> tuple[Prescription, ...]:
    dose = table_dose(level, phase)
    assert dose is not None
    opts = Options(
        kind=kw.pop("kind", SessionKind.STRENGTH),  # type: ignore[arg-type]
        equipment=kit,
        level=level,
        peak=phase is Phase.PEAK,
        **{"minutes": 60, **kw},  # type: ignore[arg-type]
    )
    return build_session(library, opts, dose)[0]


def low_reps(p: Prescription) -> int:
    found = re.match(r"(\d+)", p.reps)
    assert found, p.reps
    return int(found.group(1))


def high_reps(p: Prescription) -> int:
    found = re.match(r"\d+-(\d+)", p.reps)
    assert found, p.reps
    return int(found.group(1))


def profile(level: Level, kit: list[str], minutes: int = 60, **kw: object) -> Profile:
    week = {day: RunKind.EASY for day in WEEKDAYS}
    week[WEEKDAYS[6]] = RunKind.LONG
    week[WEEKDAYS[3]] = RunKind.QUALITY
    return Profile.model_validate(
        {"strength_level": level, "week": week, "equipment": kit, "session_minutes": minutes, **kw}
    )


def lifting_sessions(plans: list) -> list:  # type: ignore[type-arg]
    return [d.session for w in plans for d in w.days if d.session.kind.is_lifting]


def test_D1_only_the_main_lift_takes_the_table(library: Library) -> None:
    """A regular lifter's build session: the main lift at 3-5 with its load cue, every other lift 6 reps or more."""
    for pattern in (Pattern.SQUAT, Pattern.HINGE):
        items = session(library, Level.REGULAR, GYM, Phase.BUILD, main_pattern=pattern)
        mains = [p for p in items if p.role is Role.MAIN]
        assert len(mains) == 1 and mains[0].reps == "3-5" and mains[0].rpe == 8
        assert mains[0].load_cue == library.messages.coaching.load_cue.format(reserve=2)
        others = [p for p in items if p.role is not Role.MAIN and p.type is not ExerciseType.PLYOMETRIC]
        assert others and all(low_reps(p) >= 6 for p in others if p.type is ExerciseType.STRENGTH)


def test_D1_finding_no_3_to_5_rep_sets_outside_the_main_lift(library: Library) -> None:
    """The finding: single-leg RDLs, lunges, goblet squats, swings and rows at 3-5 reps; now none below 6."""
    for level in (Level.SOME, Level.REGULAR):
        plans = plan_weeks(profile(level, ["gym"]), START, 24, library)
        for s in lifting_sessions(plans):
            for p in s.exercises:
                if p.role is not Role.MAIN and p.type in (ExerciseType.STRENGTH, ExerciseType.BODYWEIGHT):
                    assert low_reps(p) >= 6, (p.name, p.reps)


def test_D1_load_cue_is_ten_minus_rpe(library: Library) -> None:
    """Every loaded lift with an effort says "a weight you could lift N more times", N = 10 - RPE."""
    for level in Level:
        for p in session(library, level, DUMBBELLS):
            if p.type is ExerciseType.STRENGTH and p.rpe is not None:
                assert p.load_cue == library.messages.coaching.load_cue.format(reserve=10 - p.rpe)


def test_D2_finding_a_gym_session_never_holds_four_heavy_lower_body_lifts(library: Library) -> None:
    """The finding: 254 gym sessions with 4-6 heavy lower-body lifts; now one main lift and the cap per slot."""
    for level in Level:
        plans = plan_weeks(
            profile(level, ["gym"], sessions_per_week=3 if level is Level.REGULAR else None), START, 24, library
        )
        for s in lifting_sessions(plans):
            roles = [p.role for p in s.exercises]
            assert roles.count(Role.MAIN) <= 1 and sum(p.ramp for p in s.exercises) <= 1
            assert sum(r in (Role.MAIN, Role.BILATERAL) for r in roles) <= 1
            assert roles.count(Role.UNILATERAL) <= 1 and roles.count(Role.CALF) == 1
            assert sum(r in (Role.CORE, Role.CARRY) for r in roles) <= 1
            assert sum(r in (Role.ACCESSORY, Role.UPPER) for r in roles) <= 1
            assert sum(p.type is ExerciseType.PLYOMETRIC for p in s.exercises) <= 2
            assert sum(r in LEG_ROLES for r in roles) <= 2, [p.name for p in s.exercises]


def test_D2_squat_and_hinge_take_turns_and_the_unilateral_takes_the_other(library: Library) -> None:
    """Consecutive strength sessions lead with squat, then hinge; the single-leg work is the other pattern."""
    plans = plan_weeks(profile(Level.SOME, ["gym"]), START, 6, library)
    leads = []
    for s in lifting_sessions(plans):
        main = next(p for p in s.exercises if p.role in (Role.MAIN, Role.BILATERAL))
        pattern = library.exercises[main.id].pattern
        leads.append(pattern)
        uni = next(p for p in s.exercises if p.role is Role.UNILATERAL)
        ex = library.exercises[uni.id]
        assert (ex.pattern is Pattern.HINGE or ex.slot == "single_leg_hinge") == (pattern is Pattern.SQUAT)
    assert all(a != b for a, b in itertools.pairwise(leads)), leads


def test_D2_power_holds_two_jumps_or_swings_a_main_lift_and_a_calf_raise(library: Library) -> None:
    """A power session: 2 plyometric or ballistic exercises, 1 main lift, 1 calf raise, nothing else."""
    items = session(library, Level.REGULAR, GYM, kind=SessionKind.POWER, jump_stage=3)
    roles = [p.role for p in items]
    assert sum(r in (Role.PLYOMETRIC, Role.BALLISTIC) for r in roles) == 2
    assert roles.count(Role.MAIN) == 1 and roles.count(Role.CALF) == 1 and len(items) == 4


def test_D2_spare_minutes_never_add_exercises(library: Library) -> None:
    """A 90-minute runner gets the same exercises as a 60-minute one."""
    for kit in KITS:
        long = session(library, Level.SOME, kit, minutes=90)
        usual = session(library, Level.SOME, kit, minutes=60)
        assert [p.id for p in long] == [p.id for p in usual]


def test_D3_every_session_has_a_calf_raise_of_two_sets_or_more(library: Library) -> None:
    """Strength and power sessions hold a calf raise, 2 sets at least, 3 when the table gives 3."""
    for level in Level:
        for kit in KITS:
            for n in range(2):
                items = session(library, level, kit, session_index=n)
                calf = [p for p in items if p.role is Role.CALF]
                dose = table_dose(level, Phase.BASE)
                assert dose is not None and len(calf) == 1
                assert calf[0].sets >= (3 if dose.sets >= 3 else 2)


def test_D3_new_lifters_start_at_single_leg_bodyweight_raises(library: Library) -> None:
    """A new lifter's calf raise is single-leg bodyweight work, 10 to 15."""
    for kit in KITS:
        calf = next(p for p in session(library, Level.NEW, kit) if p.role is Role.CALF)
        ex = library.exercises[calf.id]
        assert ex.per_side and ex.equipment is Equipment.NONE and calf.reps.startswith("10-15")


def test_D3_straight_and_bent_knee_alternate(library: Library) -> None:
    """One session's calf raise is straight-knee, the next one's bent-knee."""
    for kit in KITS:
        slots = [
            library.exercises[
                next(p for p in session(library, Level.SOME, kit, session_index=n) if p.role is Role.CALF).id
            ].slot
            for n in range(2)
        ]
        assert slots[0] != "soleus" and slots[1] == "soleus", (kit, slots)


def test_D4_finding_no_nordic_curls_in_a_novices_first_session(library: Library) -> None:
    """The finding: Nordic curls at 3 x 8-12 in a novice's first session; now no eccentric-heavy work before week 1."""
    for level in Level:
        for kit in (["none"], ["gym"]):
            week = plan_week(profile(level, kit), START, library, TrainingState())
            for s in lifting_sessions([week]):
                assert not any(library.exercises[p.id].eccentric for p in s.exercises)


def test_D4_eccentric_work_starts_at_two_by_three_to_five_and_climbs_one_step_a_week(library: Library) -> None:
    """From its first week: 2 x 3-5, at most one rep or one set more a week, the ceiling not before week 6."""
    seen = []
    for week in range(1, 9):
        items = session(library, Level.SOME, BODYWEIGHT, main_pattern=Pattern.HINGE, eccentric_week=week)
        nordic = [p for p in items if p.id == "nordic_hamstring_curl"]
        assert nordic, [p.id for p in items]
        seen.append((nordic[0].sets, low_reps(nordic[0]), high_reps(nordic[0])))
    assert seen[0] == (2, 3, 5)
    for (s1, _, h1), (s2, _, h2) in itertools.pairwise(seen):
        assert (s2 - s1) + (h2 - h1) <= 1
    assert all(high < 8 for _, _, high in seen[:5]) and seen[5] == (3, 6, 8) and seen[-1] == (3, 6, 8)


def minutes_by_rule(items: tuple[Prescription, ...], after_run: bool) -> int:
    """D5 written out again: warm-up, 30 s a changeover, 2 x 1 min ramps, sets x (work + rest), paired sets."""
    total = 120 + (0 if after_run else 120)
    rest = {p.id: p.rest_s for p in items}
    for p in items:
        if p.paired_with:
            total += p.sets * max(0, 90 + p.work_s - rest[p.paired_with])
        else:
            total += 30 + (120 if p.ramp else 0) + p.sets * (p.work_s + p.rest_s)
    return math.ceil(total / 60)


def test_D5_finding_a_58_minute_session_takes_what_it_says(library: Library) -> None:
    """The finding: "58 min" sessions took about 75; now the minutes are the rule's sum and within 10 %."""
    for level in Level:
        for kit in (["gym"], ["dumbbells"], ["none"]):
            plans = plan_weeks(profile(level, kit, 60), START, 12, library)
            for w in plans:
                for d in w.days:
                    s = d.session
                    if s.kind.is_lifting:
                        after_run = d.run in (RunKind.EASY, RunKind.QUALITY)
                        assert s.minutes == minutes_by_rule(s.exercises, after_run)
                        assert s.minutes <= 66


def test_D5_heavy_lifts_have_ramp_sets_long_rests_and_the_warmup_names_them(library: Library) -> None:
    """Every heavy lift has ramp sets and 2-3 min rests, and the warm-up line names its ramp sets."""
    week = plan_week(profile(Level.REGULAR, ["gym"]), START, library, TrainingState(weeks_coached=4))
    for s in lifting_sessions([week]):
        heavy = [p for p in s.exercises if p.role is Role.MAIN]
        assert heavy
        for p in heavy:
            assert p.ramp and 120 <= p.rest_s <= 180 and p.name in s.warmup
        assert all(60 <= p.rest_s <= 90 for p in s.exercises if not p.ramp)


def test_D5_short_sessions_drop_the_accessory_first_and_keep_rests(library: Library) -> None:
    """Over the runner's minutes the accessory leaves first; the main lift keeps its rests and ramp sets."""
    full = session(library, Level.SOME, GYM, minutes=60)
    short = session(library, Level.SOME, GYM, minutes=30)
    assert any(p.role is Role.ACCESSORY or p.role is Role.UPPER for p in full)
    assert not any(p.role in (Role.ACCESSORY, Role.UPPER) for p in short)
    main_full = next(p for p in full if p.role is Role.MAIN)
    main_short = next(p for p in short if p.role is Role.MAIN)
    assert main_short.rest_s == main_full.rest_s and main_short.ramp and main_short.sets >= 2
    assert any(p.role is Role.CALF for p in short)


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("stage", [1, 2, 3])
def test_J1_contacts_are_counted_in_total_within_the_cap(library: Library, level: Level, stage: int) -> None:
    """Each jump states its total contacts (every landing once); a session stays within its level's cap."""
    items = session(library, level, BODYWEIGHT, jump_stage=stage)
    jumps = [p for p in items if p.type is ExerciseType.PLYOMETRIC]
    assert jumps and sum(p.contacts for p in jumps) <= CAPS[level]
    for p in jumps:
        per_set = int(re.match(r"(\d+)(?:-(\d+))?", p.reps).groups()[-1] or low_reps(p))  # type: ignore[union-attr]
        assert p.contacts == p.sets * per_set
        assert library.exercises[p.id].jump_stage <= stage
    if stage == 1:
        assert all(p.sets == 2 and p.reps.startswith("10 contacts") for p in jumps)


def test_J1_stage_three_is_three_by_five_to_eight_and_two_by_five_in_peak(library: Library) -> None:
    """Bounds, box and hurdle jumps: 3 x 5-8, in peak 2 x 5; and jumps open the session."""
    build = session(library, Level.REGULAR, GYM, Phase.BUILD, jump_stage=3)
    peak = session(library, Level.REGULAR, GYM, Phase.PEAK, jump_stage=3)
    assert [p.type for p in build[:2]] == [ExerciseType.PLYOMETRIC] * 2
    assert all((p.sets, p.reps) == (3, "5-8 contacts") for p in build[:2] if p.role is Role.PLYOMETRIC)
    assert all((p.sets, p.reps) == (2, "5 contacts") for p in peak[:2] if p.role is Role.PLYOMETRIC)
    assert not [p for p in session(library, Level.SOME, GYM, Phase.PEAK, jump_stage=1) if p.contacts]


def test_J3_a_back_off_cuts_a_jump_set_and_a_deload_about_40_percent(library: Library) -> None:
    """Back-off: one jump set fewer; deload or eased: about 40 % fewer contacts, same exercises."""
    usual = [p for p in session(library, Level.REGULAR, GYM, jump_stage=3) if p.contacts]
    back = [p for p in session(library, Level.REGULAR, GYM, jump_stage=3, reduction=Reduction.BACK_OFF) if p.contacts]
    deload = [p for p in session(library, Level.REGULAR, GYM, jump_stage=3, reduction=Reduction.DELOAD) if p.contacts]
    assert [p.id for p in usual] == [p.id for p in back] == [p.id for p in deload]
    assert all(b.sets == u.sets - 1 for u, b in zip(usual, back, strict=True))
    cut = 1 - sum(p.contacts for p in deload) / sum(p.contacts for p in usual)
    assert 0.3 <= cut <= 0.5


def test_N2_a_back_niggle_in_a_gym_spares_with_leg_press_hip_thrust_and_seated_raises(library: Library) -> None:
    """A flagged back gets the leg press, hip thrust and seated calf raise at their normal dose."""
    rungs = ((BodyArea.BACK, 1),)
    squat = session(library, Level.SOME, GYM, rungs=rungs, main_pattern=Pattern.SQUAT)
    hinge = session(library, Level.SOME, GYM, rungs=rungs, main_pattern=Pattern.HINGE, session_index=1)
    ids = {p.id for p in squat + hinge}
    assert {"leg_press", "barbell_hip_thrust", "seated_calf_raise"} <= ids
    assert not any(BodyArea.BACK in p.loads for p in squat + hinge if not p.gentle)
    assert all(p.ramp for p in squat + hinge if p.id in ("leg_press", "barbell_hip_thrust"))


def test_N2_a_hip_niggle_in_a_gym_gets_knee_dominant_machine_work(library: Library) -> None:
    """A flagged hip squats on the leg extension machine at the normal dose."""
    items = session(library, Level.SOME, GYM, rungs=((BodyArea.HIP, 1),))
    main = next(p for p in items if p.role is Role.MAIN)
    assert main.id == "leg_extension" and not main.gentle


@pytest.mark.parametrize("area", [BodyArea.BACK, BodyArea.HIP])
@pytest.mark.parametrize("kit", KITS)
def test_N2_finding_a_back_or_hip_niggle_keeps_dynamic_leg_work(library: Library, area: BodyArea, kit: Kit) -> None:
    """The finding: a back or hip niggle turned all leg work into isometrics; at rung 1 some leg work still moves."""
    for n in range(2):
        items = session(
            library,
            Level.SOME,
            kit,
            rungs=((area, 1),),
            session_index=n,
            main_pattern=(Pattern.SQUAT, Pattern.HINGE)[n],
        )
        legs = [p for p in items if p.role in (*LEG_ROLES, Role.CALF, Role.ISOMETRIC)]
        assert any(p.type is not ExerciseType.ISOMETRIC for p in legs), [p.name for p in legs]


@pytest.mark.parametrize("rung", [1, 2, 3, 4])
def test_N3_a_knee_takes_its_rung(library: Library, rung: int) -> None:
    """Knee work at rung 1 holds 3 x 30-45 s, 2 slow and light, 3 slow at RPE 7 or less, 4 the normal lift."""
    items = session(library, Level.SOME, DUMBBELLS, rungs=((BodyArea.KNEE, rung),))
    knee = [p for p in items if BodyArea.KNEE in p.loads and p.role is not Role.CALF]
    assert knee
    main = knee[0]
    if rung == 1:
        assert main.type is ExerciseType.ISOMETRIC and main.sets >= 3 and main.reps == "30-45 s" and main.rpe <= 5
    elif rung == 2:
        assert "3 s up, 3 s down" in main.reps and main.rpe <= 5 and low_reps(main) == 8
    elif rung == 3:
        assert "3 s up, 3 s down" in main.reps and main.rpe <= 7
    else:
        assert not main.gentle and main.id == "goblet_squat"


def test_N6_a_knee_niggle_still_squats_within_45_degrees_with_a_hip_abductor(library: Library) -> None:
    """At rungs 1 to 3 a knee squats in a shallow form, and every session's accessory is a hip abductor."""
    shallow = {"high_wall_sit", "partial_squat", "leg_press", "low_step_up", "high_split_squat_hold"}
    for rung in (1, 2, 3):
        for kit in KITS:
            for n, pattern in enumerate((Pattern.SQUAT, Pattern.HINGE)):
                items = session(
                    library, Level.SOME, kit, rungs=((BodyArea.KNEE, rung),), session_index=n, main_pattern=pattern
                )
                squats = [p for p in items if library.exercises[p.id].pattern is Pattern.SQUAT]
                if pattern is Pattern.SQUAT:
                    assert squats, "a knee niggle still squats"
                knee = [p for p in items if BodyArea.KNEE in p.loads and p.role is not Role.PLYOMETRIC]
                assert all(p.id in shallow for p in knee), [p.id for p in knee]
                accessory = [p for p in items if p.role in (Role.ACCESSORY, Role.UPPER)]
                assert all(library.exercises[p.id].slot == "hip_abductor" for p in accessory)


def test_N6_an_ankle_niggle_raises_from_a_flat_floor(library: Library) -> None:
    """With an ankle flagged, at any rung, calf work is never below a step."""
    for rung in (1, 2, 3, 4):
        for kit in KITS:
            for n in range(2):
                items = session(library, Level.SOME, kit, rungs=((BodyArea.ANKLE, rung),), session_index=n)
                calf = [p for p in items if p.role in (Role.CALF, Role.ISOMETRIC) and BodyArea.ANKLE in p.loads]
                assert calf and all(library.exercises[p.id].flat_floor for p in calf)


def test_N2_a_rested_area_is_never_loaded_and_a_resting_leg_stops_every_jump(library: Library) -> None:
    """Areas rested after pain are not loaded at all; a rested leg area leaves no jumps."""
    for area in BodyArea:
        for kit in KITS:
            items = session(library, Level.REGULAR, kit, avoid=frozenset({area}), jump_stage=3)
            assert not any(area in p.loads for p in items)
            if area not in (BodyArea.BACK, BodyArea.SHOULDER):
                assert not any(p.contacts for p in items)


def test_N5_no_jump_loads_an_area_not_cleared_and_the_test_takes_its_slot(library: Library) -> None:
    """A no-jump area gets no jump that loads it; its strength test replaces the calf or single-leg exercise."""
    items = session(library, Level.SOME, BODYWEIGHT, jump_stage=2, no_jump_areas=frozenset({BodyArea.KNEE}))
    assert not any(BodyArea.KNEE in p.loads for p in items if p.contacts)
    ankle = session(library, Level.SOME, BODYWEIGHT, strength_test=BodyArea.ANKLE)
    assert [p.id for p in ankle if p.role is Role.CALF] == ["heel_raise_test"]
    assert "25" in next(p.reps for p in ankle if p.id == "heel_raise_test")
    knee = session(library, Level.SOME, BODYWEIGHT, strength_test=BodyArea.KNEE)
    assert [p.id for p in knee if p.role is Role.UNILATERAL] == ["box_squat_test"]
    back = session(library, Level.SOME, BODYWEIGHT, strength_test=BodyArea.BACK)
    assert [p.id for p in back if p.role is Role.UNILATERAL] == ["single_leg_bridge_test"]


def test_equipment_finding_dumbbell_owners_get_no_band_exercises(library: Library) -> None:
    """The finding: dumbbell owners got band exercises; equipment is a set and bands are not in theirs."""
    plans = plan_weeks(profile(Level.SOME, ["dumbbells"]), START, 12, library)
    for s in lifting_sessions(plans):
        assert not any(p.equipment is Equipment.BANDS for p in s.exercises)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    path = directory / "exercises.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


def test_D1_the_loader_refuses_a_lifting_exercise_without_a_role(tmp_path: Path) -> None:
    """A lifting exercise with no role is a load error that names it and the field."""
    directory = _broken(
        tmp_path,
        "- id: goblet_squat\n  name: Goblet squat\n  role: bilateral\n",
        "- id: goblet_squat\n  name: Goblet squat\n",
    )
    with pytest.raises(ContentError) as error:
        load_library(directory)
    assert any("'goblet_squat', field 'role'" in line for line in error.value.problems)


def test_J1_the_loader_refuses_a_plyometric_without_a_stage(tmp_path: Path) -> None:
    """A plyometric exercise without its J1 stage is a load error that names it and the field."""
    directory = _broken(tmp_path, "  role: plyometric\n  jump_stage: 1\n", "  role: plyometric\n")
    with pytest.raises(ContentError) as error:
        load_library(directory)
    assert any("field 'jump_stage'" in line for line in error.value.problems)
