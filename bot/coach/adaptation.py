"""The weekly review: next week's step on the ladder from how the last week went (A1 to A5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.coach.model import BodyArea, Phase, TrainingState

PROGRESS_ADHERENCE = 0.8
HOLD_ADHERENCE = 0.5
PROGRESS_RPE = 7.5
BACK_OFF_RPE = 8.5
VERY_SORE_LIMIT = 2
PAIN_REST_DAYS = 7
MAX_SET_CUT = 2
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
    reported painful.
    """

    planned: int
    done: int = 0
    partial: int = 0
    rpes: tuple[int, ...] = ()
    very_sore: int = 0
    pain: frozenset[BodyArea] = frozenset()
    recovery_week_marked: bool = False

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
) -> Adjustment:
    """Apply A1 to A5 to the week that ends on ``week_end``; returns next week's state.

    Back-off (A3) is checked before progress and hold, so a week that is both poorly kept and
    very hard backs off. Pain (A4) never allows a step up and rests the area for a week.
    """
    rules: list[Rule] = []
    new = state
    change = 0
    offer_fewer = False
    blocked = False

    pain = dict(state.pain)
    for area in review.pain:
        pain[area] = max(pain.get(area, week_end), week_end + dt.timedelta(days=PAIN_REST_DAYS))
    if review.pain:
        rules.append(Rule.PAIN)
    new = replace(new, pain={a: d for a, d in pain.items() if d > week_end})

    adherence = review.adherence
    mean_rpe = review.mean_rpe
    if adherence is not None:
        backing_off = (
            adherence < HOLD_ADHERENCE
            or (mean_rpe is not None and mean_rpe > BACK_OFF_RPE)
            or review.very_sore >= VERY_SORE_LIMIT
        )
        progressing = (
            adherence >= PROGRESS_ADHERENCE and (mean_rpe is None or mean_rpe <= PROGRESS_RPE) and not review.pain
        )
        if backing_off:
            rules.append(Rule.BACK_OFF)
            change = -1 if new.step > 0 else 0
            new = _step_down(new)
            new = replace(new, set_cut=min(MAX_SET_CUT, new.set_cut + 1), backoff_weeks=new.backoff_weeks + 1)
            offer_fewer = new.backoff_weeks >= 2
        elif progressing and next_phase not in NO_STEP_UP and week_phase not in NO_STEP_UP:
            rules.append(Rule.PROGRESS)
            new = replace(_step_up(new), backoff_weeks=0)
            change = 1
        else:
            blocked = progressing
            rules.append(Rule.HOLD)
            new = replace(new, backoff_weeks=0)
        new = replace(new, weeks_trained=new.weeks_trained + 1)

    if week_phase is Phase.RECOVERY and next_phase is not Phase.RECOVERY and change >= 0:
        # the week after the race restarts one step lower; a back-off already took that step
        new = _step_down(replace(new, step=state.step, set_cut=state.set_cut))
        change = -1 if state.step > 0 else 0

    # every reviewed week counts: the first two use the base dose, jumps start in the third
    new = replace(new, recovery_week=review.recovery_week_marked, weeks_coached=state.weeks_coached + 1)
    if new.deload_due and next_phase.allows_lifting:
        rules.append(Rule.DELOAD)
    return Adjustment(
        rules=tuple(rules),
        state=new,
        step_change=change,
        offer_fewer_sessions=offer_fewer,
        advise_professional=bool(review.pain),
        blocked_step_up=blocked,
    )


def back_from_pause(state: TrainingState) -> TrainingState:
    """The first week back after a pause restarts one step lower and the deload count anew."""
    return replace(_step_down(state), weeks_trained=0, backoff_weeks=0)
