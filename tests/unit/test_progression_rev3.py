"""Week-level progression of the rulebook's third revision: eased weeks, J2's jump-free weeks, J1's
stages, J3's reductions, D4's eccentric week, A1's visible step, A3, A5, the return after a gap, the
`coach plan` projection and the notes M1/M2 (COACHING.md)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from coach_checks import contains_instance, load_test_library, words
from hypothesis import given
from hypothesis import strategies as st
from plan_strategies import examples, profiles

from bot.coach.adaptation import Adjustment, WeekReview, back_from_pause, review_week, visible_step
from bot.coach.inputs import eccentric_week, jump_stage, lifting_inputs, record_week, week_kind
from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    ExerciseType,
    Level,
    NoteKey,
    Phase,
    Profile,
    Race,
    Reduction,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekPlan,
)
from bot.coach.planner import plan_week, plan_weeks
from bot.coach.week_context import WeekContext, week_reading

WEEK = {day: RunKind.EASY for day in WEEKDAYS} | {Weekday.WED: RunKind.QUALITY, Weekday.SUN: RunKind.LONG}
LONG_WEEKENDS = WEEK | {Weekday.SAT: RunKind.LONG}
PAST_START = TrainingState(weeks_coached=10)  # a runner past their first weeks (counters from before)


def _profile(level: Level = Level.REGULAR, *, week: dict[Weekday, RunKind] = WEEK, **more: object) -> Profile:
    return Profile.model_validate(
        {"strength_level": level, "week": week, "equipment": ["gym"], "session_minutes": 60, **more}
    )


def _lifts(week: WeekPlan) -> list[SessionKind]:
    return [d.session.kind for d in week.days if d.session.kind.is_lifting]


def _jumps(week: WeekPlan) -> int:
    return sum(
        p.sets
        for d in week.days
        if d.session.kind.is_lifting
        for p in d.session.exercises
        if p.type is ExerciseType.PLYOMETRIC
    )


def _sets(week: WeekPlan) -> int:
    return sum(
        p.sets
        for d in week.days
        if d.session.kind.is_lifting
        for p in d.session.exercises
        if p.type is not ExerciseType.MOBILITY
    )


def _keys(week: WeekPlan) -> list[NoteKey]:
    return [part.key for part in week.note.parts]


def _projected(
    profile: Profile, start: dt.date, weeks: int, library: Library, state: TrainingState = PAST_START
) -> list[tuple[WeekPlan, TrainingState]]:
    """Weeks as `coach plan` projects them, each with the state it was planned from."""
    out = []
    for n in range(weeks):
        week = plan_week(profile, start + dt.timedelta(days=7 * n), library, state)
        out.append((week, state))
        state = replace(record_week(profile, state, week), weeks_coached=state.weeks_coached + 1)
    return out


# ---------------------------------------------------------------------------------------------
# eased weeks (COACHING.md "Phases", P9)

ULTRA = dt.date(2027, 3, 6)  # a Saturday: its 14 recovery days end on a long-run weekend


def test_eased_week_after_an_ultra_whose_recovery_ended_on_a_long_run_weekend(library: Library) -> None:
    """The issue's ultra: the recovery ends on a weekend of long runs, so the first lifting week back is the
    next calendar week, and that week is eased (a step lower, fewer sets, no jumps), its note saying so."""
    profile = _profile(week=LONG_WEEKENDS, race={"distance": "ultra", "date": ULTRA.isoformat()})
    weeks = {w.start: w for w, _ in _projected(profile, dt.date(2027, 2, 1), 10, library)}
    lost = weeks[dt.date(2027, 3, 15)]
    back = weeks[dt.date(2027, 3, 22)]
    assert not _lifts(lost), "the week the recovery ends on a long-run weekend holds no lifting"
    assert _lifts(back) and back.deload
    assert NoteKey.FIRST_WEEK_BACK in _keys(back)
    assert NoteKey.NONE_FIT not in _keys(back) and NoteKey.FEWER_FIT not in _keys(back)
    assert _jumps(back) == 0, "no pogo hops in the first lifting week back (J2)"
    full = plan_week(profile, back.start, library, replace(PAST_START, last_lift=ULTRA, weeks_coached=15))
    assert _sets(back) < _sets(full)


def test_eased_marathon_or_ultra_then_a_step_lower_at_full_sets(library: Library) -> None:
    """After a marathon or ultra, the lifting week after the eased week is one step lower at full sets,
    and the week after that is back at the runner's rung."""
    profile = _profile(week=LONG_WEEKENDS, race={"distance": "ultra", "date": ULTRA.isoformat()})
    projected = _projected(profile, dt.date(2027, 2, 1), 11, library, replace(PAST_START, step=3))
    weeks = {w.start: (w, s) for w, s in projected}
    eased_state = weeks[dt.date(2027, 3, 22)][1]
    after, state = weeks[dt.date(2027, 3, 29)]
    kind = week_kind(profile, state, after.start, Phase.BASE, lifting=True)
    assert kind.step_lower and not kind.reduced and not after.deload
    assert NoteKey.STEP_LOWER in _keys(after)
    assert week_kind(profile, eased_state, dt.date(2027, 3, 22), Phase.BASE, lifting=True).eased is not None
    third, state = weeks[dt.date(2027, 4, 5)]
    assert not week_kind(profile, state, third.start, Phase.BASE, lifting=True).step_lower
    assert NoteKey.STEP_LOWER not in _keys(third)


def test_eased_week_after_a_half_lasts_one_week_with_no_step_lower(library: Library) -> None:
    """After a half marathon goal race only the first lifting week is eased; the next is the usual dose."""
    race = dt.date(2027, 3, 7)
    profile = _profile(race={"distance": "half", "date": race.isoformat()})
    projected = _projected(profile, dt.date(2027, 2, 22), 5, library)
    eased = [w.start for w, _ in projected if NoteKey.FIRST_WEEK_BACK in _keys(w)]
    assert eased == [dt.date(2027, 3, 15)]
    assert not any(NoteKey.STEP_LOWER in _keys(w) for w, _ in projected)


TUNE_UP = dt.date(2027, 4, 10)  # a Saturday, in build for a June marathon


def _tuned(level: Level, distance: str | None) -> Profile:
    override = f"race:{distance}" if distance else "race"
    return _profile(
        level,
        race={"distance": "marathon", "date": "2027-06-06"},
        overrides={TUNE_UP.isoformat(): override},
    )


def test_J3_a_tune_up_half_is_followed_by_an_eased_jump_free_week_that_names_it(library: Library) -> None:
    """The issue's tune-up half: the next lifting week is not full build work with single-leg hops but an
    eased week (a step lower, fewer sets) without jumps, and its note names the half and its date."""
    projected = _projected(_tuned(Level.SOME, "half"), dt.date(2027, 3, 29), 5, library)
    weeks = {w.start: w for w, _ in projected}
    # P9: a half's 7 recovery days (11 to 17 April) leave the week of the 12th without lifting
    assert not _lifts(weeks[dt.date(2027, 4, 12)])
    eased = weeks[dt.date(2027, 4, 19)]
    assert _lifts(eased) and eased.deload
    assert _jumps(eased) == 0
    said = words(eased.note, library)
    assert "half marathon" in said and "Sat 10 Apr" in said
    assert contains_instance(library.messages.week_notes["eased_tune_up_no_jumps"], said)
    assert _sets(eased) < _sets(weeks[dt.date(2027, 4, 26)])
    assert not weeks[dt.date(2027, 4, 26)].deload, "only one eased week"


@pytest.mark.parametrize("distance", [None, "half", "marathon"])
def test_J3_no_jumps_in_the_eased_week_after_a_long_or_unknown_tune_up(library: Library, distance: str | None) -> None:
    """The eased week after a tune-up of a half or longer, or of unknown distance, decides no jumps at all."""
    profile = _tuned(Level.REGULAR, distance)
    state = replace(
        PAST_START, jump_stage=2, stage_weeks=1, last_jumps=dt.date(2027, 4, 7), last_lift=dt.date(2027, 4, 7)
    )
    kind = week_kind(profile, state, dt.date(2027, 4, 19), Phase.BUILD, lifting=True)
    assert kind.eased is not None and kind.eased.date == TUNE_UP
    inputs = lifting_inputs(profile, state, Phase.BUILD, dt.date(2027, 4, 19), deload=False, eased=True, kind=kind)
    assert inputs.jump_stage == 0 and inputs.reduction is Reduction.DELOAD


def test_J3_the_eased_week_after_a_5k_tune_up_keeps_jumps_cut_and_unmoved(library: Library) -> None:
    """After a 5k tune-up the eased week keeps jumps, but as a reduced week: cut by ~40 % and at the same stage."""
    profile = _tuned(Level.REGULAR, "5k")
    state = replace(
        PAST_START, jump_stage=2, stage_weeks=2, last_jumps=dt.date(2027, 4, 7), last_lift=dt.date(2027, 4, 7)
    )
    start = dt.date(2027, 4, 12)
    kind = week_kind(profile, state, start, Phase.BUILD, lifting=True)
    assert kind.eased is not None and not kind.eased.jump_free
    inputs = lifting_inputs(profile, state, Phase.BUILD, start, deload=False, eased=True, kind=kind)
    assert inputs.jump_stage == 2 and inputs.reduction is Reduction.DELOAD


# ---------------------------------------------------------------------------------------------
# J2 jump-free starts, J1 stages


@pytest.mark.parametrize("joined", [dt.date(2027, 5, 10), dt.date(2027, 5, 24)])
def test_J2_runners_joining_in_peak_or_taper_do_not_jump_in_their_first_sessions(
    library: Library, joined: dt.date
) -> None:
    """A regular lifter who joins in peak (or in the taper before it) gets no jumps and no power session in
    their first two lifting weeks."""
    profile = _profile(race={"distance": "marathon", "date": "2027-06-06"})
    lifting = [w for w, _ in _projected(profile, joined, 8, library, TrainingState()) if _lifts(w)]
    for week in lifting[:2]:
        assert _jumps(week) == 0 and SessionKind.POWER not in _lifts(week), week.start


def test_J2_first_two_lifting_weeks_with_the_coach_are_jump_free(library: Library) -> None:
    """A new runner's first two lifting weeks hold no jumps; the third starts them at stage 1."""
    profile = _profile()
    projected = _projected(profile, dt.date(2027, 1, 4), 3, library, TrainingState())
    stages = [
        lifting_inputs(profile, s, Phase.BASE, w.start, deload=w.deload, eased=False).jump_stage for w, s in projected
    ]
    assert stages == [0, 0, 1]
    assert [_jumps(w) == 0 for w, _ in projected] == [True, True, False]


def test_J2_after_a_pause_two_jump_free_weeks_then_stage_1() -> None:
    """After a pause, the first two lifting weeks are jump-free, and jumps restart at stage 1."""
    profile = _profile()
    state = back_from_pause(replace(PAST_START, jump_stage=3, stage_weeks=4, last_jumps=dt.date(2027, 1, 1)))
    start = dt.date(2027, 1, 11)
    kind = week_kind(profile, state, start, Phase.BASE, lifting=True)
    assert jump_stage(profile, state, Phase.BASE, start, kind) == (0, False)
    state = replace(state, restart_weeks=2)
    assert jump_stage(profile, state, Phase.BASE, start, kind) == (1, True)


def test_J2_fourteen_days_without_jumps_restart_at_stage_1() -> None:
    """Jumps last done more than 14 days ago restart at stage 1, whatever stage was reached."""
    profile = _profile()
    start = dt.date(2027, 2, 1)
    recent = replace(PAST_START, jump_stage=3, stage_weeks=1, last_jumps=start - dt.timedelta(days=4))
    stale = replace(recent, last_jumps=start - dt.timedelta(days=20))
    assert (
        jump_stage(profile, recent, Phase.BASE, start, week_kind(profile, recent, start, Phase.BASE, lifting=True))[0]
        == 3
    )
    assert jump_stage(
        profile, stale, Phase.BASE, start, week_kind(profile, stale, start, Phase.BASE, lifting=True)
    ) == (1, True)


@pytest.mark.parametrize("level", [Level.SOME, Level.REGULAR])
def test_J1_up_one_stage_after_two_lifting_weeks_never_in_a_reduced_week(library: Library, level: Level) -> None:
    """Over the `coach plan` projection, stages climb one at a time after 2 lifting weeks at the stage
    below, never in a deload, and `some` stops at stage 2."""
    profile = _profile(level)
    projected = _projected(profile, dt.date(2027, 1, 4), 12, library, TrainingState())
    stages = []
    for week, state in projected:
        kind = week_kind(profile, state, week.start, week.phase, lifting=True)
        stage, _ = jump_stage(profile, state, week.phase, week.start, kind)
        if kind.reduced and stages:
            assert stage <= stages[-1], week.start
        stages.append(stage)
    assert stages[:2] == [0, 0] and stages[2] == 1
    climbs = [b - a for a, b in itertools.pairwise(stages)]
    assert all(c in (0, 1) for c in climbs)
    assert max(stages) == (3 if level is Level.REGULAR else 2)
    for n in range(2, len(stages)):
        if stages[n] > stages[n - 1]:
            assert stages[n - 1] == stages[n - 2], f"stage {stages[n]} came after one week at {stages[n - 1]}"


def test_J1_in_peak_only_regular_lifters_jump() -> None:
    """A `some` lifter gets no jump stage in peak; a `regular` keeps the stage reached."""
    start = dt.date(2027, 5, 17)
    state = replace(PAST_START, jump_stage=2, stage_weeks=3, last_jumps=start - dt.timedelta(days=4))
    for level, expected in ((Level.SOME, 0), (Level.REGULAR, 2)):
        profile = _profile(level, race={"distance": "marathon", "date": "2027-06-06"})
        assert (
            jump_stage(profile, state, Phase.PEAK, start, week_kind(profile, state, start, Phase.PEAK, lifting=True))[0]
            == expected
        )


# ---------------------------------------------------------------------------------------------
# J3 reductions cut jumps


def test_J3_a_back_off_week_cuts_a_jump_set() -> None:
    """The week after A3 is a back-off: its reduction tells the session to cut a jump set, and no stage moves."""
    profile = _profile()
    start = dt.date(2027, 2, 1)
    state = replace(PAST_START, backoff_weeks=1, jump_stage=1, stage_weeks=2, last_jumps=start - dt.timedelta(days=4))
    kind = week_kind(profile, state, start, Phase.BASE, lifting=True)
    inputs = lifting_inputs(profile, state, Phase.BASE, start, deload=False, eased=False, kind=kind)
    assert inputs.reduction is Reduction.BACK_OFF and inputs.jump_stage == 1
    normal = replace(state, backoff_weeks=0)
    assert lifting_inputs(profile, normal, Phase.BASE, start, deload=False, eased=False).jump_stage == 2


def test_J3_a_deload_week_cuts_jump_sets_and_moves_no_stage(library: Library) -> None:
    """A deload week's jump sets are fewer than the week before, and its stage is the one before."""
    profile = _profile()
    projected = _projected(profile, dt.date(2027, 1, 4), 8, library, TrainingState())
    for (before, _), (week, state) in itertools.pairwise(projected):
        if week.deload and _jumps(before):
            assert _jumps(week) < _jumps(before), week.start
            kind = week_kind(profile, state, week.start, week.phase, lifting=True)
            assert (
                lifting_inputs(profile, state, week.phase, week.start, deload=True, eased=False, kind=kind).reduction
                is Reduction.DELOAD
            )


# ---------------------------------------------------------------------------------------------
# D4 eccentric week


def test_D4_no_eccentric_week_in_the_first_four_lifting_weeks_then_counted() -> None:
    """Eccentric-heavy work waits for the 5th lifting week, which is its 1st week."""
    assert [eccentric_week(TrainingState(lifting_weeks=n)) for n in range(6)] == [0, 0, 0, 0, 1, 1]
    assert eccentric_week(TrainingState(lifting_weeks=8, eccentric_weeks=3)) == 4


def test_D4_very_sore_swaps_it_out_then_back_a_step_lower(library: Library) -> None:
    """After a "very sore" in a week that held eccentric work, next week has none; after a week without,
    it returns one week lower than where it was."""
    profile = _profile()
    week = plan_week(profile, dt.date(2027, 2, 1), library, PAST_START)
    held = frozenset(p.id for d in week.days for p in d.session.exercises if d.session.kind.is_lifting)
    state = TrainingState(lifting_weeks=8, eccentric_weeks=2)
    assert eccentric_week(state) == 3
    sore = record_week(profile, state, week, eccentric_ids=held, very_sore=1)
    assert eccentric_week(sore) == 0
    quiet = plan_week(profile, dt.date(2027, 2, 8), library, sore)
    back = record_week(profile, sore, quiet, eccentric_ids=frozenset(), very_sore=0)
    assert eccentric_week(back) == 2


def test_D4_soreness_from_eccentric_work_alone_skips_the_set_cut() -> None:
    """Two "very sore" in a week that held eccentric work back off a step, but no set comes off (D4)."""
    review = WeekReview(planned=2, done=2, rpes=(6, 6), very_sore=2, eccentric_held=True)
    adj = review_week(
        TrainingState(step=2), review, week_phase=Phase.BASE, next_phase=Phase.BASE, week_end=dt.date(2027, 2, 7)
    )
    assert adj.state.step == 1 and adj.state.set_cut == 0


# ---------------------------------------------------------------------------------------------
# A1, A3, A5


def _good(state: TrainingState, *, next_reduced: bool = False, phase: Phase = Phase.BASE) -> Adjustment:
    return review_week(
        state,
        WeekReview(planned=2, done=2, rpes=(6, 6)),
        week_phase=phase,
        next_phase=phase,
        week_end=dt.date(2027, 2, 7),
        next_reduced=next_reduced,
    )


def test_A1_a_step_before_a_reduced_week_comes_the_week_after() -> None:
    """A good week before a deload or eased week takes no step into it: the review says the step comes the
    week after, and the review of the reduced week brings it (one step, never two)."""
    before = TrainingState(step=2)
    waiting = _good(before, next_reduced=True)
    assert waiting.step_later and waiting.state.step == 2 and waiting.state.step_pending
    after = _good(waiting.state)
    assert after.state.step == 3 and not after.state.step_pending


def test_A1_a_waiting_step_is_dropped_by_a_back_off() -> None:
    """A step that waited past a reduced week does not come when that week's review backs off (A3)."""
    waiting = TrainingState(step=2, step_pending=True)
    adj = review_week(
        waiting,
        WeekReview(planned=2, done=2, rpes=(9, 9)),
        week_phase=Phase.BASE,
        next_phase=Phase.BASE,
        week_end=dt.date(2027, 2, 7),
    )
    assert adj.state.step == 1 and not adj.state.step_pending


def test_A1_no_step_up_shows_in_a_reduced_week(library: Library) -> None:
    """A deload week planned after a step up does not claim progress in its note, and a stepped week does."""
    profile = _profile(Level.SOME)
    start = dt.date(2027, 2, 1)
    stepped = plan_week(profile, start, library, replace(PAST_START, step=2, weeks_trained=1, stepped=True))
    deload = plan_week(profile, start, library, replace(PAST_START, step=2, weeks_trained=3, stepped=True))
    assert NoteKey.BASE_NO_RACE_PROGRESS in _keys(stepped)
    assert (
        deload.deload and NoteKey.BASE_NO_RACE_PROGRESS not in _keys(deload) and NoteKey.ADD_LOAD not in _keys(deload)
    )


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("kit", [[], ["bands"], ["dumbbells"], ["gym"]])
def test_A1_a_step_announced_changes_what_the_runner_reads(library: Library, level: Level, kit: list[str]) -> None:
    """Whatever the level and kit, the step the review settles on changes next week's sessions or their
    load cue; a rung that would change nothing is climbed past (or the step is not announced)."""
    profile = _profile(level).model_copy(update={"equipment": frozenset(Equipment(k) for k in kit)})
    start = dt.date(2027, 2, 1)
    for step in range(6):
        before = replace(PAST_START, step=step, weeks_trained=0)
        after = replace(before, step=step + 1, stepped=True)
        shown = visible_step(profile, start, library, before, after, WeekContext())
        if shown is None:
            continue
        held = plan_week(profile, start, library, replace(shown, step=step), WeekContext())
        assert week_reading(plan_week(profile, start, library, shown, WeekContext())) != week_reading(held)


def test_A3_two_back_offs_in_a_row_offer_one_session_fewer_and_shorter() -> None:
    """A second A3 in a row offers, with one tap, one session fewer and shorter sessions."""
    first = review_week(
        TrainingState(step=3),
        WeekReview(planned=2, done=2, rpes=(9, 9)),
        week_phase=Phase.BASE,
        next_phase=Phase.BASE,
        week_end=dt.date(2027, 2, 7),
    )
    second = review_week(
        first.state,
        WeekReview(planned=2, done=2, rpes=(9, 9)),
        week_phase=Phase.BASE,
        next_phase=Phase.BASE,
        week_end=dt.date(2027, 2, 14),
    )
    assert not first.offer_fewer_sessions
    assert second.offer_fewer_sessions and second.offer_shorter_sessions
    assert second.state.step == 1 and second.state.set_cut == 2


def test_A5_the_fourth_lifting_week_since_a_reduced_week_is_a_deload(library: Library) -> None:
    """The count restarts after an eased week: the deload comes on the 4th lifting week after it, not on
    the calendar's every 4th week."""
    profile = _profile(Level.SOME, overrides={TUNE_UP.isoformat(): "race:5k"})
    projected = _projected(profile, dt.date(2027, 3, 29), 8, library, replace(PAST_START, weeks_trained=1))
    reduced = [w.start for w, _ in projected if w.deload]
    assert reduced[0] == dt.date(2027, 4, 12)  # the eased week after the tune-up
    assert reduced[1] == dt.date(2027, 4, 12) + dt.timedelta(days=28)


def test_A5_never_makes_a_third_reduced_week_in_a_row() -> None:
    """A deload due after two reduced weeks in a row waits."""
    profile = _profile()
    state = replace(PAST_START, weeks_trained=3, reduced_in_row=2)
    assert not week_kind(profile, state, dt.date(2027, 2, 1), Phase.BASE, lifting=True).deload
    assert week_kind(profile, replace(state, reduced_in_row=0), dt.date(2027, 2, 1), Phase.BASE, lifting=True).deload


def test_A5_no_deload_in_peak() -> None:
    """A5 deloads base and build weeks only: a peak week is already cut."""
    profile = _profile(race={"distance": "marathon", "date": "2027-06-06"})
    state = replace(PAST_START, weeks_trained=3)
    assert not week_kind(profile, state, dt.date(2027, 5, 10), Phase.PEAK, lifting=True).deload


# ---------------------------------------------------------------------------------------------
# Return after a gap


def test_gap_of_two_to_four_weeks_one_step_down_one_set_fewer_and_jump_free() -> None:
    """14 to 27 days: one step down, one set fewer, A5's count anew, and two jump-free lifting weeks."""
    state = back_from_pause(replace(PAST_START, step=4, weeks_trained=2, jump_stage=2), gap_days=20)
    assert (state.step, state.set_cut, state.weeks_trained, state.weeks_since_restart) == (3, 1, 0, 0)


def test_gap_of_four_weeks_or_more_restarts_at_the_base_week_1_dose(library: Library) -> None:
    """28 days or more: the base week-1 dose for 2 lifting weeks, even in build."""
    profile = _profile(Level.SOME, race={"distance": "marathon", "date": "2027-06-06"})
    state = back_from_pause(replace(PAST_START, step=5), gap_days=30)
    build = plan_week(profile, dt.date(2027, 4, 19), library, state)
    base_like = plan_week(_profile(Level.SOME), dt.date(2027, 4, 19), library, TrainingState())
    main = [p.reps for d in build.days if d.session.kind.is_lifting for p in d.session.exercises][:1]
    fresh = [p.reps for d in base_like.days if d.session.kind.is_lifting for p in d.session.exercises][:1]
    assert state.step == 0 and main == fresh


# ---------------------------------------------------------------------------------------------
# coach plan projection, M1, M2


def test_M1_projection_never_promises_weekly_progress(library: Library) -> None:
    """`coach plan` weeks are projected with no check-ins: their notes never say "a little more each week"
    nor "progress week", and say that sessions step up as check-ins show they're manageable."""
    projected = plan_weeks(_profile(Level.SOME), dt.date(2027, 1, 4), 12, library)
    for week in projected:
        keys = _keys(week)
        assert NoteKey.BASE_NO_RACE_PROGRESS not in keys and NoteKey.ADD_LOAD not in keys, week.start
        assert NoteKey.SLOW_PROGRESS not in keys
        if NoteKey.BASE_NO_RACE in keys:
            assert "check-ins" in words(week.note, library)
    assert any(w.deload for w in projected), "A5 deloads appear in the projection"


def test_M1_heavier_only_in_the_week_the_heavy_sets_get_heavier(library: Library) -> None:
    """The build note says "heavier" only in the first build week after base, not in every build week."""
    profile = _profile(Level.SOME, race={"distance": "marathon", "date": "2027-06-06"})
    weeks = plan_weeks(profile, dt.date(2027, 3, 8), 4, library, PAST_START)
    said = [NoteKey.BUILD in _keys(w) for w in weeks]
    assert said == [False, True, False, False]


def test_M2_peak_cut_counted_from_the_prescribed_sets(library: Library) -> None:
    """Peak's "about N% fewer sets" is the real cut from the last unreduced build week's working sets
    (jump sets in), to the nearest 5 %."""
    profile = _profile(race={"distance": "marathon", "date": "2027-06-06"})
    build = plan_week(profile, dt.date(2027, 5, 3), library, PAST_START)
    peak = plan_week(profile, dt.date(2027, 5, 10), library, PAST_START)
    assert peak.phase is Phase.PEAK and not build.deload
    cut = int(dict(peak.note.parts[0].values)["peak_cut"])
    assert cut == 5 * round(20 * (1 - _sets(peak) / _sets(build)))
    assert cut % 5 == 0 and cut > 0


def test_M2_deload_and_eased_cut_counted_from_the_prescribed_sets(library: Library) -> None:
    """A deload's note states its real cut from the same week at full sets, to the nearest 5 %."""
    profile = _profile(Level.SOME)
    start = dt.date(2027, 2, 1)
    full = plan_week(profile, start, library, replace(PAST_START, weeks_trained=1))
    light = plan_week(profile, start, library, replace(PAST_START, weeks_trained=3))
    part = next(p for p in light.note.parts if p.key is NoteKey.DELOAD)
    assert int(part.values["cut"]) == 5 * round(20 * (1 - _sets(light) / _sets(full)))


def test_M4_a_rested_area_is_named_resting_in_the_note(library: Library) -> None:
    """While pain (A4) keeps an area out, the week's note says it is resting; once the rest is over, not."""
    start = dt.date(2027, 2, 1)
    hurt = replace(PAST_START, pain={BodyArea.KNEE: start + dt.timedelta(days=3)})
    resting = plan_week(_profile(Level.SOME), start, library, hurt)
    assert NoteKey.RESTING in _keys(resting) and "knee" in words(resting.note, library)
    later = plan_week(_profile(Level.SOME), start + dt.timedelta(days=7), library, hurt)
    assert NoteKey.RESTING not in _keys(later)


# ---------------------------------------------------------------------------------------------
# properties of the `coach plan` projection over generated runners

PROJECTED_WEEKS = 10


@st.composite
def _projections(draw: st.DrawFn) -> tuple[Profile, dt.date]:
    start = dt.date(2026, 11, 23) + dt.timedelta(days=draw(st.integers(0, 60)))
    race = draw(
        st.none()
        | st.builds(
            Race,
            distance=st.sampled_from(Distance),
            date=st.integers(-3, 70).map(lambda n: start + dt.timedelta(days=n)),
        )
    )
    return draw(profiles(start, 3, race)), start


@examples(60)
@given(case=_projections())
def test_A5_J2_M1_projection_properties(case: tuple[Profile, dt.date]) -> None:
    """Over any runner's projected weeks: the first two lifting weeks hold no jumps or power (J2); A5 never
    makes a third reduced week in a row; A5's deload note only in base or build; the first lifting week
    after the goal race's recovery is eased; no note promises progress that no check-in earned (M1)."""
    library = load_test_library()
    profile, start = case
    weeks = plan_weeks(profile, start, PROJECTED_WEEKS, library)
    lifting = [w for w in weeks if _lifts(w)]
    for week in lifting[:2]:
        assert _jumps(week) == 0 and SessionKind.POWER not in _lifts(week), week.start
    for n, week in enumerate(lifting):
        if NoteKey.DELOAD in _keys(week) and n >= 2:
            assert not (lifting[n - 1].deload and lifting[n - 2].deload), f"A5 made a third reduced week: {week.start}"
    for week in weeks:
        keys = _keys(week)
        assert not set(keys) & {NoteKey.BASE_PROGRESS, NoteKey.BASE_NO_RACE_PROGRESS, NoteKey.ADD_LOAD}
        if NoteKey.DELOAD in keys:
            assert week.phase in (Phase.BASE, Phase.BUILD), week.start
    race = profile.race
    if race is not None:
        back = race.date + dt.timedelta(days=race.distance.recovery_days + 1)
        after = [
            w for w in lifting if w.start + dt.timedelta(days=6) >= back and w.start > race.date - dt.timedelta(days=6)
        ]
        after = [w for w in after if any(d.date >= back and d.session.kind.is_lifting for d in w.days)]
        if after and race.date >= start:
            assert after[0].deload and _jumps(after[0]) == 0, after[0].start
