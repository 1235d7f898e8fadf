"""The weekly review (A1 to A5): the week's check-ins read, next week's state and plan stored once,
and A3's offer of lighter weeks answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.coach import niggles
from bot.coach.adaptation import (
    Rule,
    WeekReview,
    ask_still_lifting,
    review_message,
    review_week,
    step_message,
    target_rpe,
    visible_step,
)
from bot.coach.inputs import phase_of_week, record_week, week_kind
from bot.coach.library import Library
from bot.coach.model import BodyArea, TrainingState, WeekPlan
from bot.coach.phases import phase_on
from bot.coach.planner import context_after, plan_week
from bot.services.accounts import CheckinRecord, OnboardedRunner
from bot.services.checkins import DROPPED
from bot.services.pain import PAIN_REST_DAYS
from bot.services.pauses import settled_account
from bot.services.plans import monday_of, pause_end, replan_open_days, stored_week
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.records import ReviewPayload


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A week's review as stored (``payload``) and the next week it planned."""

    payload: ReviewPayload
    next_week: WeekPlan


def niggle_checks(checkins: list[CheckinRecord]) -> dict[BodyArea, tuple[niggles.SessionChecks, ...]]:
    """Per niggle area, the N4 checks of the sessions that loaded it, in date order: the answer
    after the session, the next morning's, and the strength test's count when it held one."""
    ordered = sorted(checkins, key=lambda c: c.date)
    areas = sorted({a for c in ordered for a in (*c.niggles, *c.mornings)})
    return {
        area: tuple(
            niggles.SessionChecks(c.date, c.niggles.get(area), c.mornings.get(area), c.test)
            for c in ordered
            if area in c.niggles or area in c.mornings
        )
        for area in areas
    }


def _eccentric_ids(library: Library) -> frozenset[str]:
    return frozenset(ex.id for ex in library.exercises.values() if ex.eccentric)


def _review_inputs(
    week: WeekPlan, checkins: list[CheckinRecord], state: TrainingState, eccentric: frozenset[str] = frozenset()
) -> tuple[WeekReview, bool]:
    """The week's check-ins as the adaptation rules read them; True when nothing was answered.

    Pain counts when a check-in named it or when it was reported in words during the week (its
    rest then started inside the week).
    """
    by_date = {c.date: c for c in checkins}
    lifting_days = [d.date for d in week.days if d.session.kind.is_lifting]
    # a lift swapped away with no day to go to was planned and not done, whatever its day's mobility got
    dropped = [c for c in checkins if c.note == DROPPED]
    lifts = [by_date[d] for d in lifting_days if d in by_date]
    done = [c for c in lifts if c.status == "done"]
    partial = [c for c in lifts if c.status == "partial"]
    rpes = tuple(c.rpe for c in done + partial if c.rpe is not None)
    review = WeekReview(
        planned=len(lifting_days) + len(dropped),
        done=len(done),
        partial=len(partial),
        rpes=rpes,
        very_sore=sum(1 for c in checkins if c.soreness == "very"),
        pain=frozenset(c.pain_area for c in checkins if c.pain_area is not None)
        | frozenset(
            area
            for area, until in state.pain.items()
            if week.start <= until - dt.timedelta(days=PAIN_REST_DAYS) <= week.days[-1].date
        ),
        target_rpe=target_rpe(week),
        niggle_sessions=niggle_checks(checkins),
        eccentric_held=any(
            p.id in eccentric for d in week.days if d.session.kind.is_lifting for p in d.session.exercises
        ),
    )
    return review, not checkins


TIP_LOOKBACK = dt.timedelta(weeks=8)


async def _lifts_done(work: UnitOfWork, telegram_id: int, sunday: dt.date) -> int:
    """Lifts done or partly done in the eight weeks to ``sunday``: a tip about the strength built
    is for runners who have built some."""
    checkins = await work.checkins.between(telegram_id, sunday - TIP_LOOKBACK, sunday)
    return sum(1 for c in checkins if c.status in ("done", "partial") and c.session_kind.is_lifting)


async def weekly_review(
    work: UnitOfWork, account: OnboardedRunner, sunday: dt.date, now: dt.datetime, library: Library
) -> Reviewed:
    """Review the week ending ``sunday`` once (A1 to A5), store next week's state and plan.

    Reviewing the same week again returns what was stored the first time.
    """
    monday = monday_of(sunday)
    following = monday + dt.timedelta(days=7)
    stored = await work.reviews.get(account.telegram_id, monday)
    if stored is not None:
        return Reviewed(payload=stored, next_week=await stored_week(work, account, following, library, now))
    week = await stored_week(work, account, monday, library, now)
    checkins = await work.checkins.between(account.telegram_id, monday, sunday)
    eccentric = _eccentric_ids(library)
    review, silent = _review_inputs(week, checkins, account.state, eccentric)
    next_phase = phase_on(account.profile.race, following)
    profile = account.profile
    # A1 to A4 on the state the week was planned from; the week's counters (lifting weeks, jumps,
    # eccentric weeks, A5's count) are then written into the outcome
    planned_from = account.state
    state: TrainingState = record_week(profile, planned_from, week, eccentric_ids=eccentric, very_sore=review.very_sore)
    next_week_phase = phase_of_week(profile, following)
    lifts_next = next_week_phase.allows_lifting
    # whether next week is reduced if this review takes no back-off (A1 is only ever weighed then)
    unbacked = replace(state, backoff_weeks=0, recovery_week=review.recovery_week_marked, stepped=False)
    next_kind = week_kind(profile, unbacked, following, next_week_phase, lifting=lifts_next)
    next_reduced = next_kind.reduced or next_kind.step_lower
    # no lifting planned, or no answer at all: missing data holds, it never progresses
    weighed = replace(review, planned=0) if review.planned == 0 or silent else review
    adjusted = review_week(
        planned_from,
        weighed,
        week_phase=week.phase,
        next_phase=next_phase,
        week_end=sunday,
        level=account.profile.strength_level,
        next_reduced=next_reduced,
    )
    main, key, rules = review_message(adjusted, planned=review.planned, silent=silent)
    new_state = record_week(
        profile, planned_from, week, eccentric_ids=eccentric, very_sore=review.very_sore, into=adjusted.state
    )
    context = context_after(week, library, pause_end(account))
    stepping = adjusted.step_change > 0
    shown = visible_step(profile, following, library, state, new_state, context) if stepping else None
    if stepping and shown is None:  # A1 at the top of the ladder: nothing to show, the step holds
        new_state = replace(new_state, step=state.step, set_cut=state.set_cut, stepped=False)
    elif shown is not None:
        new_state = shown
    # what next week is, once the review is applied: A5's deload only when next week is one
    next_kind = week_kind(profile, new_state, following, next_week_phase, lifting=lifts_next)
    key, rules = step_message(
        key,
        main,
        rules,
        stepping=stepping,
        visible=shown is not None,
        pending=new_state.step_pending,
        deload_next=next_kind.deload,
    )
    earlier = await work.reviews.recent(account.telegram_id, monday, 2)
    payload = ReviewPayload(
        week_start=monday,
        rules=tuple(rules),
        key=key,
        planned=review.planned,
        done=review.done,
        partial=review.partial,
        mean_rpe=review.mean_rpe,
        very_sore=review.very_sore,
        pain=(pain := tuple(sorted(area.value for area in review.pain))),
        silent=silent and review.planned > 0,
        ask_still_lifting=ask_still_lifting(silent and review.planned > 0, [e.silent for e in earlier]),
        step_before=state.step,
        step_after=new_state.step,
        deload_next=Rule.DELOAD.value in rules,
        eased_next=next_kind.eased is not None,
        step_later=new_state.step_pending,
        # A3 twice in a row: one tap for one session fewer and shorter sessions
        offer_lighter=key == "A3_again",
        # niggle areas that moved back a rung, and those asked "vs last week" (N4)
        niggles_down=tuple(
            sorted(
                a.value
                for a, n in new_state.niggles.items()
                # down at the review, or already when the flare was logged (``flare``)
                if (n.rung < niggles.rung_of(state, a) or any(monday <= d <= sunday for d in n.failed))
                and a not in new_state.pain
            )
        ),
        niggles_ask=tuple(a.value for a in niggles.asked_areas(review)),
        ask_level_up=adjusted.ask_level_up,
        level=account.profile.strength_level.value,
        areas=tuple(sorted({a.value for a in profile.injuries} | {a.value for a in new_state.niggles} | set(pain))),
        lifts_done=await _lifts_done(work, account.telegram_id, sunday),
        weeks_coached=new_state.weeks_coached,
    )
    await work.reviews.add(account.telegram_id, monday, rules[0] if rules else Rule.HOLD.value, payload, now)
    await work.runners.save_state(account.telegram_id, new_state)
    account = replace(account, state=new_state)
    next_week = plan_week(profile, following, library, new_state, context)
    await work.plans.save_week(account.telegram_id, next_week, now)
    return Reviewed(payload=payload, next_week=next_week)


LIGHTER_MINUTES = 10  # A3 twice in a row: each session this much shorter, on a yes
MAX_FEWER_SESSIONS = 2
MIN_SESSION_MINUTES = 10


async def accept_lighter(
    work: UnitOfWork, telegram_id: int, accept: bool, now: dt.datetime, library: Library
) -> tuple[OnboardedRunner, WeekPlan | None] | Problem:
    """The one-tap answer to A3's offer after two back-offs in a row: a yes takes one session off
    each week (never the last one) and ``LIGHTER_MINUTES`` off each session, re-planned from the
    next open day; a no keeps everything as it is (next week still backs off)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if not accept:
        return account, None
    state = account.state
    longest_cut = max(0, account.profile.session_minutes - MIN_SESSION_MINUTES)
    state = replace(
        state,
        fewer_sessions=min(MAX_FEWER_SESSIONS, state.fewer_sessions + 1),
        minutes_cut=min(longest_cut, state.minutes_cut + LIGHTER_MINUTES),
    )
    await work.runners.save_state(telegram_id, state)
    account = replace(account, state=state)
    _, week = await replan_open_days(work, account, now, library)
    return account, week
