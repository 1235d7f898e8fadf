"""The weekly review (COACHING.md A1-A5): how last week's check-ins move next week's dose."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from coach_checks import contains_instance, words
from hypothesis import given
from hypothesis import strategies as st
from plan_strategies import examples

from bot.coach.adaptation import (
    Adjustment,
    Rule,
    WeekReview,
    back_from_pause,
    clear_red_flag,
    review_week,
    target_rpe,
)
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    Level,
    NiggleState,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Race,
    RunKind,
    TrainingState,
    Weekday,
    WeekPlan,
)
from bot.coach.planner import plan_week, plan_weeks

WEEK_END = dt.date(2026, 11, 29)  # a Sunday
NEXT_MONDAY = WEEK_END + dt.timedelta(days=1)
MID = TrainingState(step=2, weeks_trained=1)  # mid-ladder, far from a deload
EASY = (6, 6)  # an easy week's efforts


def review(
    state: TrainingState = MID,
    *,
    week_phase: Phase = Phase.BASE,
    next_phase: Phase = Phase.BASE,
    **check_ins: object,
) -> Adjustment:
    return review_week(
        state,
        WeekReview(**check_ins),  # type: ignore[arg-type]
        week_phase=week_phase,
        next_phase=next_phase,
        week_end=WEEK_END,
    )


def moved_up(before: TrainingState, after: TrainingState) -> bool:
    return after.step > before.step or after.set_cut < before.set_cut


def backed_off(before: TrainingState, after: TrainingState) -> bool:
    return after.step == max(0, before.step - 1) and after.set_cut == before.set_cut + 1


# ---------------------------------------------------------------------------------------------
# A1-A3 thresholds


@pytest.mark.parametrize(
    ("planned", "done", "partial", "expected", "shorter"),
    [
        (5, 4, 0, Rule.PROGRESS, False),  # adherence exactly 0.8
        (5, 5, 0, Rule.PROGRESS, False),
        (2, 1, 2, Rule.PROGRESS, False),  # 1 + 2 x 0.5 over 2
        (100, 79, 0, Rule.HOLD, False),  # 0.79
        (4, 3, 0, Rule.HOLD, False),  # 0.75
        (2, 1, 0, Rule.HOLD, False),  # exactly 0.5
        (2, 0, 2, Rule.HOLD, False),  # two partials are half a week
        (100, 49, 0, Rule.HOLD, True),  # 0.49 at a fine effort: "no time" is not fatigue
        (3, 1, 0, Rule.HOLD, True),
        (2, 0, 1, Rule.HOLD, True),  # 0.25
        (2, 0, 0, Rule.HOLD, True),  # everything skipped or unanswered
    ],
)
def test_adherence_decides_progress_or_hold(
    planned: int, done: int, partial: int, expected: Rule, shorter: bool
) -> None:
    """At an effort within T, doing at least 80 % moves up a step and less holds; under 50 % also offers shorter
    sessions instead of backing off (partial counts half)."""
    adj = review(planned=planned, done=done, partial=partial, rpes=EASY[: max(1, done + partial)], target_rpe=7)
    assert {Rule.PROGRESS, Rule.HOLD, Rule.BACK_OFF} & set(adj.rules) == {expected}
    assert adj.offer_shorter_sessions is shorter
    if expected is Rule.PROGRESS:
        assert adj.state.step == MID.step + 1 and adj.step_change == 1
    else:
        assert (adj.state.step, adj.state.set_cut) == (MID.step, MID.set_cut) and adj.step_change == 0


@pytest.mark.parametrize("target", [6, 7, 8])
@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((-1, 0), Rule.PROGRESS),
        ((0, 0), Rule.PROGRESS),  # mean exactly T
        ((0, 1, 1, 0, 1), Rule.HOLD),  # T + 0.6
        ((1, 1), Rule.HOLD),  # exactly T + 1
        ((1, 1, 2, 1, 1), Rule.BACK_OFF),  # T + 1.2
        ((1, 2), Rule.BACK_OFF),  # T + 1.5
        ((2, 2), Rule.BACK_OFF),
    ],
)
def test_mean_effort_against_the_target_decides(offsets: tuple[int, ...], expected: Rule, target: int) -> None:
    """With every session done, a mean RPE up to T moves up, above T + 1 backs off, and in between holds."""
    rpes = tuple(target + o for o in offsets)
    adj = review(planned=len(rpes), done=len(rpes), rpes=rpes, target_rpe=target)
    assert {Rule.PROGRESS, Rule.HOLD, Rule.BACK_OFF} & set(adj.rules) == {expected}
    if expected is Rule.PROGRESS:
        assert adj.state.step == MID.step + 1
    elif expected is Rule.HOLD:
        assert adj.state.step == MID.step and adj.state.set_cut == MID.set_cut
    else:
        assert backed_off(MID, adj.state)


def test_the_target_is_the_top_of_the_prescribed_effort(library: Library) -> None:
    """T read from a planned week is the highest RPE it prescribes."""
    week = plan_week(_profile(Level.SOME), NEXT_MONDAY, library)
    prescribed = [p.rpe for d in week.days if d.session.kind.is_lifting for p in d.session.exercises if p.rpe]
    assert target_rpe(week) == max(prescribed)


@pytest.mark.parametrize(("very_sore", "expected"), [(0, Rule.PROGRESS), (1, Rule.PROGRESS), (2, Rule.BACK_OFF)])
def test_very_sore_twice_backs_off(very_sore: int, expected: Rule) -> None:
    """A runner who said "very sore" twice in a week gets one step down and one set fewer, even if all was done."""
    adj = review(planned=2, done=2, rpes=EASY, very_sore=very_sore)
    assert expected in adj.rules
    assert backed_off(MID, adj.state) == (expected is Rule.BACK_OFF)


def test_a_back_off_at_the_bottom_of_the_ladder_still_cuts_a_set() -> None:
    """At step 0 there is no lower step, but the back-off still takes a set away."""
    adj = review(TrainingState(step=0), planned=2, done=2, rpes=(9, 9), target_rpe=7)
    assert Rule.BACK_OFF in adj.rules
    assert adj.state.step == 0 and adj.state.set_cut == 1


def test_two_back_off_weeks_in_a_row_offer_fewer_and_shorter_sessions() -> None:
    """The second back-off week in a row offers one session fewer and shorter ones; a single one, or two apart,
    does not."""
    first = review(planned=2, done=2, rpes=(9, 9), target_rpe=7)
    assert Rule.BACK_OFF in first.rules and not first.offer_fewer_sessions
    second = review(first.state, planned=2, done=2, rpes=(9, 9), target_rpe=7)
    assert Rule.BACK_OFF in second.rules and second.offer_fewer_sessions and second.offer_shorter_sessions

    held = review(first.state, planned=2, done=1, rpes=(8,), target_rpe=7)
    assert Rule.HOLD in held.rules
    again = review(held.state, planned=2, done=2, rpes=(9, 9), target_rpe=7)
    assert Rule.BACK_OFF in again.rules and not again.offer_fewer_sessions


def test_after_a_back_off_the_way_up_first_gives_back_the_set() -> None:
    """Progress after a back-off first restores the set taken away, then climbs the ladder again."""
    cut = review(planned=2, done=2, rpes=(9, 9), target_rpe=7).state
    assert cut.set_cut == MID.set_cut + 1
    restored = review(cut, planned=2, done=2, rpes=EASY)
    assert Rule.PROGRESS in restored.rules
    assert restored.state.set_cut == cut.set_cut - 1 and restored.state.step == cut.step
    climbed = review(restored.state, planned=2, done=2, rpes=EASY)
    assert climbed.state.set_cut == restored.state.set_cut and climbed.state.step == restored.state.step + 1


def test_a_week_with_nothing_planned_moves_nothing() -> None:
    """A week without planned lifting (say a taper) neither progresses nor backs off."""
    adj = review(planned=0, week_phase=Phase.BASE, next_phase=Phase.BASE)
    assert not {Rule.PROGRESS, Rule.HOLD, Rule.BACK_OFF} & set(adj.rules)
    assert (adj.state.step, adj.state.set_cut) == (MID.step, MID.set_cut)


# ---------------------------------------------------------------------------------------------
# A4 pain


@pytest.mark.parametrize("area", list(BodyArea))
def test_pain_rests_the_area_for_at_least_a_week_and_never_steps_up(area: BodyArea) -> None:
    """Reporting pain rests that area for at least 7 days, advises a professional and holds the ladder."""
    adj = review(planned=2, done=2, rpes=EASY, pain=frozenset({area}))
    assert Rule.PAIN in adj.rules and Rule.PROGRESS not in adj.rules
    assert adj.advise_professional
    assert not moved_up(MID, adj.state)
    for offset in range(1, 8):
        assert area in adj.state.rested_areas(WEEK_END + dt.timedelta(days=offset))


def test_pain_is_the_one_rule_that_applies() -> None:
    """Pain in a week that was also too hard rests the area and applies A4 alone: no back-off on top."""
    adj = review(planned=2, done=2, rpes=(10, 10), target_rpe=7, pain=frozenset({BodyArea.KNEE}))
    assert {Rule.PAIN, Rule.PROGRESS, Rule.HOLD, Rule.BACK_OFF} & set(adj.rules) == {Rule.PAIN}
    assert (adj.state.step, adj.state.set_cut) == (MID.step, MID.set_cut)


@pytest.mark.parametrize("area", list(BodyArea))
def test_a_red_flag_rests_the_area_until_a_professional_clears_it(library: Library, area: BodyArea) -> None:
    """A red flag stops all loading of the area, jumps included, until cleared; then it comes back gently."""
    adj = review(planned=2, done=2, rpes=EASY, red_flags=frozenset({area}))
    assert adj.see_professional_now and adj.advise_professional
    assert area in adj.state.rested_areas(WEEK_END + dt.timedelta(days=365))
    profile = _profile(Level.REGULAR).model_copy(update={"injuries": frozenset({area})})
    week = plan_week(profile, NEXT_MONDAY, library, replace(adj.state, weeks_coached=4))
    assert all(area not in p.loads for d in week.days for p in d.session.exercises)
    cleared = clear_red_flag(adj.state, area)
    assert area not in cleared.rested_areas(WEEK_END + dt.timedelta(days=1))
    back = plan_week(profile, NEXT_MONDAY, library, cleared)
    loaded = [p for d in back.days if d.session.kind.is_lifting for p in d.session.exercises if area in p.loads]
    assert all(p.gentle for p in loaded), "the area returns through its gentle form"


def test_a_long_run_of_good_weeks_asks_a_new_lifter_to_move_up() -> None:
    """After 8 of the last 10 weeks at 80 % or more and an effort within T, a new lifter is asked about `some`."""
    state = MID
    asked = []
    for week in range(10):
        done = 1 if week in (3, 6) else 2
        adj = review_week(
            state,
            WeekReview(planned=2, done=done, rpes=EASY[:done], target_rpe=7),
            week_phase=Phase.BASE,
            next_phase=Phase.BASE,
            week_end=WEEK_END,
            level=Level.NEW,
        )
        asked.append(adj.ask_level_up)
        state = adj.state
    assert asked == [False] * 9 + [True]


def test_no_pain_reported_means_no_professional_advice() -> None:
    """A week without pain does not tell the runner to see a physiotherapist."""
    assert not review(planned=2, done=2, rpes=EASY).advise_professional


def test_a_rested_area_stays_out_of_next_weeks_plan(library: Library) -> None:
    """After a knee-pain report, no exercise of next week's plan, lifting or mobility, loads the knee."""
    adj = review(planned=2, done=2, rpes=EASY, pain=frozenset({BodyArea.KNEE}))
    profile = _profile(Level.SOME)
    week = plan_week(profile, NEXT_MONDAY, library, adj.state)
    assert week.lifting_days, "an easy week has room for lifting"
    for day in week.days:
        for item in day.session.exercises:
            assert BodyArea.KNEE not in item.loads, f"{item.id} on {day.date} loads the rested knee"
    # without the pain report the same week does use the knee, so the check above can fail
    fresh = plan_week(profile, NEXT_MONDAY, library, MID)
    assert any(BodyArea.KNEE in item.loads for day in fresh.days for item in day.session.exercises)


# ---------------------------------------------------------------------------------------------
# A5 deload


@pytest.mark.parametrize(
    ("weeks_trained", "due"), [(0, False), (1, False), (2, False), (3, True), (4, True), (7, True)]
)
def test_every_fourth_week_of_training_is_a_deload(weeks_trained: int, due: bool) -> None:
    """After three weeks of training the fourth is a deload (weeks_trained counts the weeks before it;
    A5's count restarts after every reduced week, so a deload that had to wait stays due)."""
    assert TrainingState(weeks_trained=weeks_trained).deload_due is due


def test_eight_weeks_of_steady_training_bring_deloads_in_weeks_four_and_eight(library: Library) -> None:
    """Week after week of base lifting, the 4th and the 8th week are deloads (the count restarts after one)."""
    weeks = plan_weeks(_profile(Level.SOME), NEXT_MONDAY, 8, library)
    assert [n for n, week in enumerate(weeks, start=1) if week.deload] == [4, 8]


def test_the_review_before_a_fourth_week_announces_the_deload() -> None:
    """The third review of continuous training says next week is a deload (A5)."""
    adj = review(TrainingState(weeks_trained=2), planned=2, done=2, rpes=EASY)
    assert Rule.DELOAD in adj.rules and adj.state.deload_due


def test_a_recovery_week_the_runner_marks_is_a_deload() -> None:
    """When the runner marks their own recovery week, next week is a deload whatever the count."""
    adj = review(TrainingState(weeks_trained=0), planned=2, done=2, rpes=EASY, recovery_week_marked=True)
    assert adj.state.deload_due and Rule.DELOAD in adj.rules


def _profile(level: Level) -> Profile:
    week = {day: RunKind.EASY for day in WEEKDAYS} | {Weekday.SUN: RunKind.LONG, Weekday.WED: RunKind.REST}
    return Profile(strength_level=level, week=week, equipment=Equipment.GYM, session_minutes=45)


def _lifting_items(week: WeekPlan, library: Library, *, jumps: bool) -> list[Prescription]:
    """The week's lifts (or, with ``jumps``, its plyometrics) in the order they are prescribed."""
    return [
        item
        for day in week.days
        if day.session.kind.is_lifting
        for item in day.session.exercises
        if (library.exercises[item.id].pattern is Pattern.POWER) is jumps
    ]


def _deload_pair(library: Library, level: Level, step: int, phase_days: int | None) -> tuple[WeekPlan, WeekPlan]:
    profile = _profile(level)
    if phase_days is not None:  # a race that far after the week's start
        race = Race(distance=Distance.MARATHON, date=NEXT_MONDAY + dt.timedelta(days=phase_days))
        profile = profile.model_copy(update={"race": race})
    normal = plan_week(profile, NEXT_MONDAY, library, TrainingState(step=step, weeks_trained=1, weeks_coached=2))
    light = plan_week(profile, NEXT_MONDAY, library, TrainingState(step=step, weeks_trained=3, weeks_coached=2))
    assert light.deload and not normal.deload
    assert normal.lifting_days == light.lifting_days and normal.lifting_days
    return normal, light


PHASE_DAYS = {"base": None, "build": 60}  # A5 deloads base and build weeks only


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("step", [0, 1, 3])
@pytest.mark.parametrize("phase", list(PHASE_DAYS))
def test_a_deload_week_has_about_40_percent_fewer_sets(library: Library, level: Level, step: int, phase: str) -> None:
    """The planned deload week has about 40 % fewer sets of each lift than the same week without it, same effort."""
    normal, light = _deload_pair(library, level, step, PHASE_DAYS[phase])
    normal_items = _lifting_items(normal, library, jumps=False)
    light_items = _lifting_items(light, library, jumps=False)
    assert [i.id for i in normal_items] == [i.id for i in light_items]
    normal_sets = sum(i.sets for i in normal_items)
    light_sets = sum(i.sets for i in light_items)
    assert 0.3 <= 1 - light_sets / normal_sets <= 0.5, f"{normal_sets} sets became {light_sets}"
    assert [(i.reps, i.rpe) for i in normal_items] == [(i.reps, i.rpe) for i in light_items]
    assert contains_instance(library.messages.week_notes["deload"], words(light.note, library))
    assert not contains_instance(library.messages.week_notes["deload"], words(normal.note, library))


@pytest.mark.parametrize("step", [0, 3])
@pytest.mark.parametrize("phase", list(PHASE_DAYS))
def test_a_deload_week_also_cuts_the_jumps(library: Library, step: int, phase: str) -> None:
    """A regular lifter's plyometric sets shrink in a deload week too, at the same reps: volume, not intensity."""
    normal, light = _deload_pair(library, Level.REGULAR, step, PHASE_DAYS[phase])
    normal_jumps = _lifting_items(normal, library, jumps=True)
    light_jumps = _lifting_items(light, library, jumps=True)
    assert normal_jumps, "a regular lifter's week holds jumps"
    assert [i.reps for i in normal_jumps] == [i.reps for i in light_jumps]
    normal_sets = sum(i.sets for i in normal_jumps)
    light_sets = sum(i.sets for i in light_jumps)
    assert light_sets < normal_sets, f"{normal_sets} jump sets stayed {light_sets} in the deload week"


# ---------------------------------------------------------------------------------------------
# no step up in peak, taper or recovery; never more than one step


@pytest.mark.parametrize(
    ("week_phase", "next_phase", "may_step_up"),
    [
        (Phase.BASE, Phase.BASE, True),
        (Phase.BASE, Phase.BUILD, True),
        (Phase.BUILD, Phase.BUILD, True),
        (Phase.BUILD, Phase.PEAK, False),
        (Phase.PEAK, Phase.PEAK, False),
        (Phase.PEAK, Phase.TAPER, False),
        (Phase.TAPER, Phase.RECOVERY, False),
    ],
)
def test_no_step_up_in_peak_taper_or_recovery(week_phase: Phase, next_phase: Phase, may_step_up: bool) -> None:
    """A great week moves up a step in base and build, but is held (and says so) heading into peak and after."""
    adj = review(week_phase=week_phase, next_phase=next_phase, planned=2, done=2, rpes=EASY)
    assert moved_up(MID, adj.state) is may_step_up
    assert adj.blocked_step_up is not may_step_up
    cut = replace(MID, set_cut=1)
    after_cut = review(cut, week_phase=week_phase, next_phase=next_phase, planned=2, done=2, rpes=EASY)
    assert moved_up(cut, after_cut.state) is may_step_up


@pytest.mark.parametrize("step", [0, 1, 4])
def test_after_the_recovery_week_the_rung_is_kept_for_the_eased_week_to_lower(step: int) -> None:
    """The review after the race's recovery keeps the rung: the first lifting week after it, whichever
    calendar week, is the eased week a step lower (planned from the calendar, not from this review)."""
    adj = review(TrainingState(step=step), week_phase=Phase.RECOVERY, next_phase=Phase.BASE, planned=0)
    assert adj.state.step == step


def test_the_taper_into_recovery_does_not_drop_a_step_twice() -> None:
    """Only the end of the recovery week lowers the step; the taper week before it does not."""
    adj = review(TrainingState(step=3), week_phase=Phase.TAPER, next_phase=Phase.RECOVERY, planned=0)
    assert adj.state.step == 3


def test_a_hard_week_that_ends_the_recovery_week_drops_only_one_step() -> None:
    """Backing off in the week the recovery ends lowers the rung one step (A3); the review adds no other step."""
    adj = review(TrainingState(step=2), week_phase=Phase.RECOVERY, next_phase=Phase.BASE, planned=1, done=1, rpes=(9,))
    assert adj.state.step == 1


@pytest.mark.parametrize("step", [0, 1, 5])
def test_back_from_a_pause_one_step_lower(step: int) -> None:
    """The first week back after a pause restarts one step lower and counts towards the next deload afresh."""
    state = back_from_pause(TrainingState(step=step, weeks_trained=3, set_cut=1))
    assert state.step == max(0, step - 1)
    assert not state.deload_due


states = st.builds(
    TrainingState,
    step=st.integers(0, 12),
    set_cut=st.integers(0, 2),
    weeks_trained=st.integers(0, 20),
    backoff_weeks=st.integers(0, 3),
)
reviews = st.builds(
    WeekReview,
    planned=st.integers(0, 3),
    done=st.integers(0, 3),
    partial=st.integers(0, 3),
    rpes=st.lists(st.integers(1, 10), max_size=3).map(tuple),
    very_sore=st.integers(0, 3),
    pain=st.frozensets(st.sampled_from(BodyArea), max_size=2),
    recovery_week_marked=st.booleans(),
)


@examples(500)
@given(state=states, check_ins=reviews, week_phase=st.sampled_from(Phase), next_phase=st.sampled_from(Phase))
def test_never_more_than_one_step_at_a_time(
    state: TrainingState, check_ins: WeekReview, week_phase: Phase, next_phase: Phase
) -> None:
    """Whatever the week was like, next week's dose moves at most one step, up only outside peak/taper/recovery."""
    if week_phase in (Phase.TAPER, Phase.RECOVERY):
        check_ins = replace(check_ins, planned=0)  # P7: nothing was planned (see the recovery test above)
    adj = review_week(state, check_ins, week_phase=week_phase, next_phase=next_phase, week_end=WEEK_END)
    new = adj.state
    assert adj.step_change in (-1, 0, 1)
    assert abs(new.step - state.step) <= 1 and new.step >= 0
    assert (new.step - state.step) + (state.set_cut - new.set_cut) <= 1, "more than one step up"
    assert new.set_cut - state.set_cut <= 1, "more than one set cut in a week"
    if moved_up(state, new):
        assert Rule.PROGRESS in adj.rules
        assert not check_ins.pain
        assert {week_phase, next_phase}.isdisjoint({Phase.PEAK, Phase.TAPER, Phase.RECOVERY})
    for area in check_ins.pain:
        assert area in new.rested_areas(WEEK_END + dt.timedelta(days=7))


@examples(200)
@given(
    planned=st.integers(0, 3),
    done=st.integers(0, 3),
    weeks=st.integers(0, 20),
    phase=st.sampled_from(Phase),
)
def test_every_review_counts_one_more_week_coached(planned: int, done: int, weeks: int, phase: Phase) -> None:
    """Whatever happened, a reviewed week adds one to the weeks coached (the first two use the base dose)."""
    state = TrainingState(weeks_coached=weeks)
    review = WeekReview(planned=planned, done=min(done, planned))
    after = review_week(state, review, week_phase=phase, next_phase=phase, week_end=WEEK_END)
    assert after.state.weeks_coached == weeks + 1


def test_a_runners_first_two_weeks_use_the_base_dose_in_any_phase(library: Library) -> None:
    """In build, a new runner's first two weeks lift at the base dose; the third at the build dose."""
    race = Race(distance=Distance.MARATHON, date=NEXT_MONDAY + dt.timedelta(days=60))
    profile = _profile(Level.SOME).model_copy(update={"race": race, "equipment": Equipment.GYM})
    reps = []
    for weeks in (0, 1, 2):
        week = plan_week(profile, NEXT_MONDAY, library, TrainingState(weeks_coached=weeks))
        assert week.phase is Phase.BUILD
        loaded = [
            p
            for d in week.days
            if d.session.kind.is_lifting
            for p in d.session.exercises
            if p.rpe and p.type.value == "strength" and p.role == "main"  # D1: the main lift takes the table
        ]
        reps.append({p.reps.removesuffix(" each side") for p in loaded})
    assert reps[0] == reps[1] == {"6-8"} and reps[2] == {"4-6"}


# ---------------------------------------------------------------------------------------------
# niggles under the pain-monitoring rule


def test_a_niggle_a_rung_up_gets_the_easier_step_of_the_usual_exercise(library: Library) -> None:
    """At rung 0 a knee niggle squats in its gentle form; a rung up, the usual squat's easier step at RPE 6 or
    less under the pain rule; at the top, the usual squats again."""
    profile = _profile(Level.SOME).model_copy(
        update={"injuries": frozenset({BodyArea.KNEE}), "equipment": Equipment.GYM}
    )
    pain_rule = library.messages.coaching.pain_rule

    def knee_items(rung: int) -> list[Prescription]:
        state = TrainingState(weeks_coached=4, niggles={BodyArea.KNEE: NiggleState(rung=rung)})
        week = plan_week(profile, NEXT_MONDAY, library, state)
        return [
            p for d in week.days if d.session.kind.is_lifting for p in d.session.exercises if BodyArea.KNEE in p.loads
        ]

    gentle, easier, usual = knee_items(1), knee_items(3), knee_items(4)
    assert gentle and all(library.exercises[p.id].gentle for p in gentle)
    assert easier and not all(library.exercises[p.id].gentle for p in easier)
    assert all(p.rpe is not None and p.rpe <= 7 and pain_rule in p.cue for p in easier)  # N3 rung 3: RPE 7 at most
    assert usual and not any(pain_rule in p.cue for p in usual)


@pytest.mark.parametrize(
    ("gap", "step", "set_cut", "base_dose"),
    [(7, 4, 0, False), (13, 4, 0, False), (14, 4, 1, False), (27, 4, 1, False), (28, 0, 0, True), (60, 0, 0, True)],
)
def test_return_after_a_gap_by_its_length(gap: int, step: int, set_cut: int, base_dose: bool) -> None:
    """Back after a gap: under 14 days one step lower; 14 to 27 days also one set fewer; 28 days or more the
    base week-1 dose, held for two weeks."""
    state = back_from_pause(TrainingState(step=5, weeks_trained=3, weeks_coached=20), gap_days=gap)
    assert (state.step, state.set_cut) == (step, set_cut)
    assert (state.weeks_coached < 2) is base_dose
    assert not state.deload_due
