"""The weekly review: next week's step on the ladder from how the last week went (A1 to A5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.coach.gaps import ReturnRule, return_rule
from bot.coach.library import Library
from bot.coach.model import BodyArea, Level, Phase, Profile, TrainingState, WeekPlan
from bot.coach.niggles import SessionChecks, review_niggles
from bot.coach.planner import plan_week
from bot.coach.week_context import WeekContext, week_reading

PROGRESS_ADHERENCE = 0.8
HOLD_ADHERENCE = 0.5
DEFAULT_TARGET_RPE = 7  # T when a review does not say (the `some` base dose)
BACK_OFF_MARGIN = 1  # A3: mean RPE above T + 1
LEVEL_UP = {Level.NEW: (8, 10), Level.SOME: (12, 16)}  # good weeks out of the last ones, then ask
VERY_SORE_LIMIT = 2
PAIN_REST_DAYS = 7
MAX_SET_CUT = 2
MAX_REDUCED_IN_ROW = 2  # A5 never makes a third reduced week in a row
NO_STEP_UP = frozenset({Phase.PEAK, Phase.TAPER, Phase.RECOVERY})


class Rule(StrEnum):
    PROGRESS = "A1"
    HOLD = "A2"
    BACK_OFF = "A3"
    PAIN = "A4"
    DELOAD = "A5"


@dataclass(frozen=True, slots=True)
class WeekReview:
    """What the check-ins of the week just ending say.

    ``planned`` counts the strength/power sessions that were planned; ``done`` and
    ``partial`` the ones answered so (anything else counts as 0); ``rpes`` the efforts of the
    completed sessions; ``very_sore`` how many check-ins said "very sore"; ``pain`` the areas
    reported painful; ``red_flags`` the areas with a red-flag sign (COACHING.md, "Red flags").
    """

    planned: int
    done: int = 0
    partial: int = 0
    rpes: tuple[int, ...] = ()
    very_sore: int = 0
    pain: frozenset[BodyArea] = frozenset()
    recovery_week_marked: bool = False
    target_rpe: int | None = None  # T, the top of the RPE range the week prescribed (see ``target_rpe``)
    red_flags: frozenset[BodyArea] = frozenset()  # bone pain, night pain, a limp, swelling, numbness...
    # per niggle area, the week's sessions that loaded it, in order, with their N4 checks
    niggle_sessions: Mapping[BodyArea, tuple[SessionChecks, ...]] = field(default_factory=dict)
    eccentric_held: bool = False  # the week held eccentric-heavy work (D4: its "very sore" skips A3's set cut)

    @property
    def adherence(self) -> float | None:
        if self.planned <= 0:
            return None
        return min(1.0, (self.done + 0.5 * self.partial) / self.planned)

    @property
    def mean_rpe(self) -> float | None:
        return sum(self.rpes) / len(self.rpes) if self.rpes else None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """The outcome of a review: the rules that fired, the new state, and what to offer."""

    rules: tuple[Rule, ...]
    state: TrainingState
    step_change: int  # +1, 0 or -1: never more than one step at a time
    offer_fewer_sessions: bool = False
    advise_professional: bool = False
    blocked_step_up: bool = False  # A1 held back by the phase
    offer_shorter_sessions: bool = False  # low adherence at a fine effort, or two back-offs in a row
    ask_level_up: bool = False  # 8 of 10 (new) or 12 of 16 (some) good weeks: ask to move up a level
    see_professional_now: bool = False  # a red flag: within days, and the area rests until cleared
    step_later: bool = False  # A1, but a reduced week comes next: the step comes the week after it


def target_rpe(week: WeekPlan) -> int | None:
    """T: the top of the RPE range the week prescribed (None for a week without lifting)."""
    efforts = [p.rpe for d in week.days if d.session.kind.is_lifting for p in d.session.exercises if p.rpe]
    return max(efforts, default=None)


def clear_red_flag(state: TrainingState, area: BodyArea) -> TrainingState:
    """A professional cleared the area: it stops resting and returns through the niggle route
    (the caller adds it to the runner's niggles, so it is loaded in its gentle form first)."""
    return replace(state, pain={a: d for a, d in state.pain.items() if a is not area})


def _step_up(state: TrainingState) -> TrainingState:
    """One rung up: first give back a set taken by a back-off, else climb the ladder."""
    if state.set_cut:
        return replace(state, set_cut=state.set_cut - 1)
    return replace(state, step=state.step + 1)


def _step_down(state: TrainingState) -> TrainingState:
    return replace(state, step=max(0, state.step - 1))


def review_week(
    state: TrainingState,
    review: WeekReview,
    *,
    week_phase: Phase,
    next_phase: Phase,
    week_end: dt.date,
    level: Level | None = None,
    next_reduced: bool = False,
) -> Adjustment:
    """Apply A1 to A5 to the week that ends on ``week_end``; returns next week's state.

    Exactly one of A1 to A4 applies, in this order: A4 if any pain was reported, else A3 (mean
    RPE above T + 1, or "very sore" twice), else A1 (adherence at least 0.8 at a mean RPE of at
    most T), else A2. Low adherence at a fine effort is not overload: it holds and offers
    shorter sessions. A red flag rests the area until a professional clears it. ``level`` lets
    the review ask a lifter with a long run of good weeks whether to move up a level.

    ``state`` already holds the week's counters (``inputs.record_week``): A5 is announced from them.
    ``next_reduced`` says next week is reduced (a deload, an eased or back-off week, or the step
    lower after a marathon or ultra): never a step up in it, so A1's step waits for the week after
    (``step_pending``) and the review says so; a waiting step comes once a week that is not reduced
    follows, unless A3 or A4 applied or the next phase allows no step up.
    """
    rules: list[Rule] = []
    change = 0
    offer_fewer = False
    later = False
    shorter = False
    blocked = False
    target = review.target_rpe if review.target_rpe is not None else DEFAULT_TARGET_RPE

    state, niggle_pain = review_niggles(state, review, week_end)
    new = state
    reported = review.pain | niggle_pain
    pain = dict(state.pain)
    for area in reported:
        pain[area] = max(pain.get(area, week_end), week_end + dt.timedelta(days=PAIN_REST_DAYS))
    for area in review.red_flags:
        pain[area] = dt.date.max  # until a professional clears it (``clear_red_flag``)
    hurt = bool(reported or review.red_flags)
    new = replace(new, pain={a: d for a, d in pain.items() if d > week_end})

    adherence = review.adherence
    mean_rpe = review.mean_rpe
    good = False
    pending = state.step_pending
    new = replace(new, step_pending=False, stepped=False)
    if hurt:
        rules.append(Rule.PAIN)
        new = replace(new, backoff_weeks=0)
    elif adherence is not None:
        fine_effort = mean_rpe is None or mean_rpe <= target
        backing_off = (mean_rpe is not None and mean_rpe > target + BACK_OFF_MARGIN) or (
            review.very_sore >= VERY_SORE_LIMIT
        )
        good = adherence >= PROGRESS_ADHERENCE and fine_effort
        may_step = next_phase not in NO_STEP_UP and week_phase not in NO_STEP_UP
        if backing_off:
            rules.append(Rule.BACK_OFF)
            change = -1 if new.step > 0 else 0
            new = _step_down(new)
            # D4: soreness from eccentric work alone swaps that work out instead of cutting a set
            sore_only = review.eccentric_held and not (mean_rpe is not None and mean_rpe > target + BACK_OFF_MARGIN)
            cut = new.set_cut if sore_only else min(MAX_SET_CUT, new.set_cut + 1)
            new = replace(new, set_cut=cut, backoff_weeks=new.backoff_weeks + 1)
            offer_fewer = shorter = new.backoff_weeks >= 2
        elif good and may_step and next_reduced:
            # A1, but next week is reduced: the step waits for the week after it
            rules.append(Rule.PROGRESS)
            new = replace(new, backoff_weeks=0, step_pending=True)
            later = True
        elif good and may_step:
            rules.append(Rule.PROGRESS)
            new = replace(_step_up(new), backoff_weeks=0, stepped=True)
            change = 1
        else:
            blocked = good and not may_step
            rules.append(Rule.HOLD)
            new = replace(new, backoff_weeks=0)
            # "no time" is not fatigue: keep the dose and offer shorter sessions
            shorter = adherence < HOLD_ADHERENCE and fine_effort
            if pending and may_step and next_reduced:
                new = replace(new, step_pending=True)
            elif pending and may_step:
                # the step a reduced week held back comes now
                new = replace(_step_up(new), stepped=True)
                change = 1
    elif pending and not hurt and next_phase not in NO_STEP_UP:
        new = replace(new, step_pending=True)  # nothing heard: a waiting step keeps waiting

    # the record of good weeks (adherence 0.8+ at a mean RPE of at most T) behind a level-up question
    history = state.good_weeks
    if adherence is not None:
        history = (history + ("1" if good and not hurt else "0"))[-LEVEL_UP[Level.SOME][1] :]
    ask = False
    if level in LEVEL_UP:
        needed, window = LEVEL_UP[level]
        ask = history[-window:].count("1") >= needed
        if ask:
            history = ""  # asked once; the count starts again
    # every reviewed week counts: the first two use the base dose, jumps start in the third
    new = replace(
        new,
        recovery_week=review.recovery_week_marked,
        weeks_coached=state.weeks_coached + 1,
        good_weeks=history,
    )
    # A5's count from what the state says of the week just reviewed (``inputs.record_week`` refines
    # it with the calendar: eased weeks, taper and recovery): a deload or back-off restarts it, a
    # base or build lifting week adds one
    # the lifting-week counts as far as the review sees them (``inputs.record_week`` refines them):
    # a week with lifting planned adds one; a taper or recovery restarts J2's jump-free weeks
    lifted = adherence is not None
    new = replace(
        new,
        lifting_weeks=state.lifted_weeks + (1 if lifted else 0),
        restart_weeks=state.weeks_since_restart + (1 if lifted else 0),
    )
    if week_phase in (Phase.TAPER, Phase.RECOVERY):
        new = replace(new, weeks_trained=0, reduced_in_row=0, restart_weeks=0, jump_stage=0, stage_weeks=0)
    elif adherence is not None:
        counting = week_phase in (Phase.BASE, Phase.BUILD)
        reduced = state.backoff_weeks > 0 or (
            state.deload_due and counting and state.reduced_in_row < MAX_REDUCED_IN_ROW
        )
        if reduced:
            new = replace(new, weeks_trained=0, reduced_in_row=state.reduced_in_row + 1)
        else:
            new = replace(new, weeks_trained=state.weeks_trained + (1 if counting else 0), reduced_in_row=0)
    if new.deload_due and next_phase in (Phase.BASE, Phase.BUILD) and new.reduced_in_row < MAX_REDUCED_IN_ROW:
        rules.append(Rule.DELOAD)
    return Adjustment(
        rules=tuple(rules),
        state=new,
        step_change=change,
        offer_fewer_sessions=offer_fewer,
        advise_professional=hurt,
        blocked_step_up=blocked,
        offer_shorter_sessions=shorter,
        ask_level_up=ask,
        see_professional_now=bool(review.red_flags),
        step_later=later,
    )


def back_from_pause(
    state: TrainingState, *, gap_days: int | None = None, back_on: dt.date | None = None
) -> TrainingState:
    """The first week back after a break, by the break's length (COACHING.md, "Return after a gap").

    Under a week nothing changes. Otherwise one step lower (at the ladder's foot, where no rung is
    lower, one set fewer) with the deload count and J2's jump restart anew; 14 to 27 days also take
    a set off; 28 or more restart at the base week-1 dose, which the first two weeks of a runner
    keep. ``back_on``, the day the runner came back, is kept with the gap so the week it falls in
    says which rule applies.
    """
    rule = return_rule(gap_days)
    if rule is ReturnRule.SHORT:
        return state
    lower = _step_down(state) if state.step > 0 else replace(state, set_cut=min(MAX_SET_CUT, state.set_cut + 1))
    # J2 and A5 restart: two jump-free lifting weeks, and the deload count anew
    back = replace(
        lower,
        weeks_trained=0,
        backoff_weeks=0,
        restart_weeks=0,
        jump_stage=0,
        stage_weeks=0,
        reduced_in_row=0,
        step_pending=False,
        stepped=False,
        step_lower=False,
        back_on=back_on,
        back_gap=gap_days or 0,
    )
    if rule is ReturnRule.STEP:
        return back
    if rule is ReturnRule.SET:
        return replace(back, set_cut=min(MAX_SET_CUT, back.set_cut + 1))
    # the base week-1 dose for 2 lifting weeks; eccentric-heavy work starts low again too (D4)
    return replace(back, step=0, set_cut=0, weeks_coached=0, lifting_weeks=0, eccentric_weeks=0)


STEP_TRIES = 3  # A1: rungs tried for one that changes what the runner reads


def visible_step(
    profile: Profile,
    start: dt.date,
    library: Library,
    before: TrainingState,
    after: TrainingState,
    context: WeekContext,
) -> TrainingState | None:
    """A1: the state whose step changes what next week's sessions read (reps, sets, tempo, variant,
    a load cue), climbing past rungs that change nothing; None when no rung within reach shows."""
    unstepped = replace(after, step=before.step, set_cut=before.set_cut)
    held = week_reading(plan_week(profile, start, library, unstepped, context))
    state = after
    for _ in range(STEP_TRIES):
        if week_reading(plan_week(profile, start, library, state, context)) != held:
            return state
        state = replace(state, step=state.step + 1)
    return None


def review_message(adjusted: Adjustment, *, planned: int, silent: bool) -> tuple[Rule, str, list[str]]:
    """The weekly review's main rule, the key of the message that tells it, and the rules it records.

    No lifting planned, or no answer at all (``silent``): the week holds (``adjusted`` is then the
    review of a week weighed as planning none), with pain and a deload kept. Otherwise the first
    rule that is not A5 leads, and the key says which form of it the runner reads: a step the phase
    blocked, shorter sessions offered at a hold, a second back-off in a row, a step that waits for
    the week after a reduced one.
    """
    if planned == 0 or silent:
        rules = [Rule.HOLD.value] + [r.value for r in adjusted.rules if r in (Rule.PAIN, Rule.DELOAD)]
        key = "A2_no_answers" if silent and planned else ("no_lifting" if not planned else "A2")
        return Rule.HOLD, key, rules
    main = next((r for r in adjusted.rules if r is not Rule.DELOAD), Rule.HOLD)
    key = main.value
    if main is Rule.HOLD and adjusted.blocked_step_up:
        key = "A1_blocked"
    elif main is Rule.HOLD and adjusted.offer_shorter_sessions:
        key = "A2_short"
    elif main is Rule.BACK_OFF and (adjusted.offer_fewer_sessions or adjusted.offer_shorter_sessions):
        key = "A3_again"
    elif main is Rule.PROGRESS and adjusted.step_later:
        key = "A1_later"  # A5 or an eased week replaces next week: the step comes the week after
    return main, key, [r.value for r in adjusted.rules]


def step_message(
    key: str, main: Rule, rules: list[str], *, stepping: bool, visible: bool, pending: bool, deload_next: bool
) -> tuple[str, list[str]]:
    """The review's key and rules once next week is known: A1 is announced only when next week shows
    the step (``visible``; at the top of the ladder it holds), a step a reduced week held back comes
    now, a step still ``pending`` is said to come later, and A5 is recorded only when next week is a
    deload."""
    if stepping and not visible:
        rules = [Rule.HOLD.value if r == Rule.PROGRESS.value else r for r in rules]
        key = "A1_top" if key == Rule.PROGRESS.value else "A2"
    elif stepping and key != Rule.PROGRESS.value and main is Rule.HOLD:
        key = "A1_held_step"  # the step a reduced week held back comes now
    elif not stepping and key == Rule.PROGRESS.value:
        key = "A1_later" if pending else "A2"
    rules = [r for r in rules if r != Rule.DELOAD.value] + ([Rule.DELOAD.value] if deload_next else [])
    return key, rules


def ask_still_lifting(silent: bool, earlier_silent: Sequence[bool]) -> bool:
    """Whether the review asks "still lifting?": a second silent week in a row (this week's lifting
    unanswered, and last week's), asked once, not again after a third (``earlier_silent`` newest first)."""
    return (
        silent
        and len(earlier_silent) >= 1
        and earlier_silent[0]
        and not (len(earlier_silent) >= 2 and earlier_silent[1])
    )
