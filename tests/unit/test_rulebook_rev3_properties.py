"""Property tests: generated runners' plans keep the rulebook's third revision (COACHING.md rev. 3).

Generated profiles (every level, kits as sets, calendars, goal races, tune-ups with and without a
distance, niggles), every phase, training states (steps, set cuts, weeks coached, niggle rungs,
rested areas) and consecutive weeks (``plan_weeks``) are checked by ``coach_checks.check_rev3``,
which re-derives each rule from the rulebook; and ``coach plan`` on every ``examples/*.json``
obeys the same checkers, its JSON carrying what the runner must see.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from coach_checks import (
    CONTACT_CAP,
    TODAY,
    check_rev3,
    load_test_library,
    session_contacts,
)
from hypothesis import event, given
from hypothesis import strategies as st
from plan_strategies import examples, phase_window, races

from bot.__main__ import main
from bot.clock import FakeClock
from bot.coach import niggles as ladder
from bot.coach.inputs import lifting_inputs
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    Level,
    NiggleState,
    Phase,
    Profile,
    Race,
    Role,
    RunKind,
    TrainingState,
    Weekday,
)
from bot.coach.planner import plan_weeks
from bot.coach.profile_io import parse_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_START = dt.date(2026, 11, 23)
EXAMPLE_WEEKS = 16

TEMPLATE_RUNS = (RunKind.REST, RunKind.EASY, RunKind.QUALITY, RunKind.LONG)
kits = st.frozensets(st.sampled_from((Equipment.BANDS, Equipment.DUMBBELLS, Equipment.GYM)))
levels = st.sampled_from(Level)
week_templates = st.fixed_dictionaries({day: st.sampled_from(TEMPLATE_RUNS) for day in WEEKDAYS})
niggles = st.frozensets(st.sampled_from(BodyArea), max_size=3)
plan_lengths = st.integers(1, 6)


@st.composite
def rev3_profiles(draw: st.DrawFn, start: dt.date, weeks: int, race: Race | None) -> Profile:
    """A runner whose one-off overrides and 0-2 tune-up races (with a distance or "not sure") fall in or
    just before the planned weeks."""
    days = 7 * weeks
    overrides = {
        start + dt.timedelta(days=n): draw(st.sampled_from(TEMPLATE_RUNS))
        for n in draw(st.lists(st.integers(0, days), max_size=3, unique=True))
    }
    distances: dict[dt.date, Distance] = {}
    for n in draw(st.lists(st.integers(-10, days), max_size=2, unique=True)):
        day = start + dt.timedelta(days=n)
        if race is not None and abs((day - race.date).days) <= 1:
            continue
        overrides[day] = RunKind.RACE
        distance = draw(st.none() | st.sampled_from(Distance))
        if distance is not None:
            distances[day] = distance
    return Profile(
        strength_level=draw(levels),
        week=draw(week_templates),
        race=race,
        equipment=draw(kits),
        session_minutes=draw(st.sampled_from((15, 20, 30, 45, 60))),
        sessions_per_week=draw(st.sampled_from((None, 1, 2, 3))),
        injuries=draw(niggles),
        overrides=overrides,
        tune_up_distances=distances,
        hard_days_hard=draw(st.booleans()),
        preferred_days=draw(st.frozensets(st.sampled_from(WEEKDAYS), max_size=2)),
    )


@st.composite
def fresh_scenarios(draw: st.DrawFn) -> tuple[Profile, dt.date, int]:
    """A new runner, a first day from a week ago to 400 days out, 1 to 6 weeks, a race or none."""
    weeks = draw(plan_lengths)
    start = TODAY + dt.timedelta(days=draw(st.integers(-7, 400)))
    race = draw(st.none() | races)
    return draw(rev3_profiles(start, weeks, race)), start, weeks


@st.composite
def phase_starts(draw: st.DrawFn) -> tuple[Profile, dt.date, int, Phase]:
    """A plan whose first day falls in a chosen phase of the runner's goal race."""
    race = draw(races)
    phase = draw(st.sampled_from(Phase))
    low, high = phase_window(phase, race, after=draw(st.booleans()))
    start = race.date + dt.timedelta(days=draw(st.integers(low, high)))
    weeks = draw(plan_lengths)
    return draw(rev3_profiles(start, weeks, race)), start, weeks, phase


@st.composite
def training_states(draw: st.DrawFn, profile: Profile, start: dt.date) -> TrainingState:
    """Where a runner may stand: a step, a back-off's set cut, weeks coached, niggle rungs, a rested area."""
    coached = draw(st.integers(0, 30))
    rested = draw(st.frozensets(st.sampled_from(BodyArea), max_size=1))
    state = TrainingState(
        step=draw(st.integers(0, 6)),
        set_cut=draw(st.integers(0, 2)),
        weeks_coached=coached,
        weeks_trained=draw(st.integers(0, coached)),
        niggles={
            area: NiggleState(rung=draw(st.integers(1, 4)), since=draw(st.integers(0, 8))) for area in profile.injuries
        },
        pain={area: start + dt.timedelta(days=draw(st.integers(0, 10))) for area in rested},
        needs_clearance=draw(st.booleans()) and draw(st.booleans()),
    )
    for area in rested:  # A4: every way an area comes to rest puts it back at rung 1 (niggles.restart)
        state = ladder.restart(state, area)
    return state


def _rungs(profile: Profile, state: TrainingState, start: dt.date, phase: Phase) -> dict[BodyArea, int]:
    """Each flagged area's N3 rung this week, as the week's lifting inputs decide it (N4 is the niggle
    ladder's rule; the checkers test the dose at the rung)."""
    return dict(lifting_inputs(profile, state, phase, start, deload=False, eased=False).rungs)


@examples(300)
@given(scenario=fresh_scenarios())
def test_rev3_a_new_runners_weeks_obey_every_rule(scenario: tuple[Profile, dt.date, int]) -> None:
    """A new runner's first 1 to 6 weeks keep D1-D5, J1-J3, N2/N3/N5, P9, P10, the kit and mobility rules."""
    library = load_test_library()
    profile, start, weeks = scenario
    plan = plan_weeks(profile, start, weeks, library)
    for week in plan:
        event(f"week in {week.phase}")
    check_rev3(profile, plan, library)


@examples(300)
@given(scenario=phase_starts())
def test_rev3_plans_starting_in_every_phase_obey_every_rule(scenario: tuple[Profile, dt.date, int, Phase]) -> None:
    """A runner who joins in base, build, peak, taper or recovery keeps every rev. 3 rule, jump-free
    starts included."""
    library = load_test_library()
    profile, start, weeks, phase = scenario
    event(f"joins in {phase}")
    check_rev3(profile, plan_weeks(profile, start, weeks, library), library)


@examples(300)
@given(data=st.data(), scenario=fresh_scenarios() | phase_starts().map(lambda s: s[:3]))
def test_rev3_weeks_from_any_training_state_obey_every_rule(
    data: st.DataObject, scenario: tuple[Profile, dt.date, int]
) -> None:
    """From any step, set cut, weeks coached, niggle rungs and rested area, the projected weeks keep every
    rev. 3 rule (a flagged area dosed at its rung, a rested one untouched)."""
    library = load_test_library()
    profile, start, weeks = scenario
    state = data.draw(training_states(profile, start))
    plan = plan_weeks(profile, start, weeks, library, state)
    rungs = _rungs(profile, state, start, plan[0].phase)
    check_rev3(profile, plan, library, state, rungs=rungs)


@examples(150)
@given(data=st.data(), scenario=fresh_scenarios())
def test_rev3_weeks_as_the_coach_stores_them_obey_every_rule(
    data: st.DataObject, scenario: tuple[Profile, dt.date, int]
) -> None:
    """Weeks planned from one unreviewed state (as the coach stores a week before its review) keep the rules."""
    library = load_test_library()
    profile, start, weeks = scenario
    state = data.draw(training_states(profile, start))
    plan = plan_weeks(profile, start, min(weeks, 2), library, state, reviewed=False)
    check_rev3(profile, plan, library, state, rungs=_rungs(profile, state, start, plan[0].phase))


def test_N5_a_swing_never_loads_a_hip_not_cleared_for_jumps() -> None:
    """Pinned from an unpinned run: a regular lifter with dumbbells and a hip niggle back at rung 4,
    its strength test not passed, got a kettlebell swing (ballistic, loading the hip) in a power
    session short of jumps. Swings obey N5 as jumps do."""
    library = load_test_library()
    start = dt.date(2026, 11, 18)
    profile = Profile(
        strength_level=Level.REGULAR,
        week=dict.fromkeys(Weekday, RunKind.REST),
        equipment=frozenset({Equipment.DUMBBELLS}),
        session_minutes=30,
        injuries=frozenset({BodyArea.HIP}),
    )
    state = TrainingState(weeks_coached=1, niggles={BodyArea.HIP: NiggleState(rung=4)})
    plan = plan_weeks(profile, start, 2, library, state, reviewed=False)
    swings = [
        p.id
        for w in plan
        for d in w.days
        for p in d.session.exercises
        if BodyArea.HIP in p.loads and p.role is Role.BALLISTIC
    ]
    assert swings == []
    check_rev3(profile, plan, library, state, rungs=_rungs(profile, state, start, plan[0].phase))


def test_J3_an_eased_week_cuts_the_contacts_of_the_full_week_before_it() -> None:
    """Pinned from an unpinned run: a regular lifter running only on Fridays, a tune-up 5k on a Sunday
    (and a race on the first day), got an eased week whose strength session after Friday's run held
    two jumps at one set each, 20 contacts, as many as the full week's biggest session (its power
    session; its strength session had no room for jumps). J3 cuts about 40 % from the week before."""
    library = load_test_library()
    start = dt.date(2026, 8, 25)
    week = dict.fromkeys(Weekday, RunKind.REST) | {Weekday.FRI: RunKind.EASY}
    profile = Profile(
        strength_level=Level.REGULAR,
        week=week,
        race=Race(distance=Distance.K5, date=dt.date(2026, 11, 18)),
        equipment=frozenset({Equipment.DUMBBELLS}),
        session_minutes=30,
        overrides={dt.date(2026, 9, 6): RunKind.RACE, start: RunKind.RACE},
        tune_up_distances={dt.date(2026, 9, 6): Distance.K5},
    )
    state = TrainingState(weeks_coached=1)
    plan = plan_weeks(profile, start, 3, library, state)
    full, eased = plan[1], plan[2]
    assert not full.deload and eased.deload
    before = max(session_contacts(d.session, library) for d in full.days if d.session.kind.is_lifting)
    after = max(session_contacts(d.session, library) for d in eased.days if d.session.kind.is_lifting)
    assert before == 20 and after <= 14
    check_rev3(profile, plan, library, state, rungs=_rungs(profile, state, start, plan[0].phase))


# ---------------------------------------------------------------------------------------------
# `coach plan` on every example profile


EXERCISE_FIELDS = ("rest_s", "ramp", "load_cue", "contacts", "role")


@pytest.mark.parametrize(
    "path", sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".plan.json")), ids=lambda p: p.stem
)
def test_rev3_coach_plan_on_every_example_obeys_every_checker(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`coach plan` of each example profile over 16 weeks keeps every rev. 3 rule, and its JSON shows each
    lifting session's warm-up and each exercise's rest, ramp sets, load cue, contacts and role."""
    library = load_test_library()
    argv = ["plan", "--profile", str(path), "--start", EXAMPLE_START.isoformat(), "--weeks", str(EXAMPLE_WEEKS)]
    code = main(argv, clock=FakeClock(dt.datetime.combine(EXAMPLE_START, dt.time(12), tzinfo=dt.UTC)))
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    raw = json.loads(path.read_text(encoding="utf-8"))
    profile = parse_profile(raw, today=EXAMPLE_START, latest_from=EXAMPLE_START)
    level = profile.strength_level
    for week in printed["weeks"]:
        for day in week["days"]:
            session = day["session"]
            if session["kind"] not in ("strength", "power"):
                continue
            assert session["warmup"], f"{day['date']}: no warm-up shown"
            for exercise in session["exercises"]:
                missing = [name for name in EXERCISE_FIELDS if name not in exercise]
                assert not missing, f"{day['date']} {exercise['id']}: `coach plan` lacks {missing}"
                if exercise["role"] == "main":
                    assert exercise["ramp"] and exercise["load_cue"], f"{day['date']}: main {exercise['id']}"
            contacts = sum(e.get("contacts", 0) for e in session["exercises"])
            assert contacts <= CONTACT_CAP[level], f"{day['date']}: {contacts} contacts"
    check_rev3(profile, plan_weeks(profile, EXAMPLE_START, EXAMPLE_WEEKS, library), library)
