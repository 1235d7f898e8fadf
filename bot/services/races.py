"""The goal race and the tune-up races: set, change, clear, add and remove them, and re-plan at once.

The goal race is ``Profile.race``; a tune-up is a one-off override ``race`` on its date with its
distance, when known, in ``Profile.tune_up_distances`` (COACHING.md P9). Every change stores the
profile, re-plans from the first open day (:func:`bot.services.plans.first_open_day`) and keeps the
due messages current; the runner is then told the phase they are in and when the taper starts.

These functions take an open unit of work and compose inside its transaction, so other flows
(/calendar's typed "race on the 14th, a 10k") can call them too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.coach.library import Library
from bot.coach.model import Distance, Phase, Profile, Race, RunKind, WeekPlan
from bot.coach.phases import calendar_allows_lifting, phase_on
from bot.coach.profile_io import latest_race_date
from bot.services.accounts import OnboardedRunner
from bot.services.pauses import settled_account
from bot.services.plans import first_open_day, local_today, monday_of, replan_from, save_profile
from bot.services.ports import UnitOfWork
from bot.services.scheduling import reschedule


class RaceProblem(StrEnum):
    """Why a race change was not made; each value names a text of the ``race`` group in ui.yaml."""

    NOT_ONBOARDED = "not_onboarded"
    PAST = "date_past"
    FAR = "date_far"
    TUNE_UP_AFTER_GOAL = "tune_up_after_goal"  # a tune-up on or after the goal race
    GOAL_BEFORE_TUNE_UP = "goal_before_tune_up"  # the goal race moved onto or before a tune-up
    NO_GOAL = "no_goal"  # the goal race's date or distance changed, but there is none
    NO_TUNE_UP = "no_tune_up"  # a tune-up changed or removed that is not on the calendar (a stale tap)
    STALE = "stale"  # an answer to a /race question that is not open


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the runner stands with their races on ``today``: the phase now, and the day the taper
    starts (None without a goal race ahead)."""

    today: dt.date
    goal: Race | None
    tune_ups: tuple[tuple[dt.date, Distance | None], ...]
    phase: Phase
    taper_start: dt.date | None


@dataclass(frozen=True, slots=True)
class RaceChanged:
    """A race change made: the runner's standing after it, the week as re-planned from ``start``
    on, and whether today's session, already sent, was changed because lifting today would now
    break a race rule (P1, P2, P7, P9)."""

    account: OnboardedRunner
    standing: Standing
    start: dt.date
    week: WeekPlan
    today_changed: bool = False


def goal_ahead(profile: Profile, today: dt.date) -> Race | None:
    """The goal race, unless its day has passed."""
    race = profile.race
    return race if race is not None and race.date >= today else None


def tune_ups(profile: Profile, today: dt.date) -> tuple[tuple[dt.date, Distance | None], ...]:
    """The tune-up races from ``today`` on, in date order, each with its distance when known."""
    goal = profile.race.date if profile.race is not None else None
    days = sorted(d for d, kind in profile.overrides.items() if kind is RunKind.RACE and d >= today and d != goal)
    return tuple((day, profile.tune_up_distances.get(day)) for day in days)


def taper_start(race: Race) -> dt.date:
    """The first day of the taper (COACHING.md "Phases": 7 days before a 5k or 10k, 10 before longer)."""
    return race.date - dt.timedelta(days=race.distance.taper_days)


def standing(profile: Profile, today: dt.date) -> Standing:
    goal = goal_ahead(profile, today)
    return Standing(
        today=today,
        goal=goal,
        tune_ups=tune_ups(profile, today),
        phase=phase_on(profile.race, today),
        taper_start=taper_start(goal) if goal is not None else None,
    )


def date_problem(day: dt.date, today: dt.date) -> RaceProblem | None:
    """A race date must be today or later, and at most two years out (onboarding's rule)."""
    if day < today:
        return RaceProblem.PAST
    if day > latest_race_date(today):
        return RaceProblem.FAR
    return None


def goal_problem(profile: Profile, race: Race, today: dt.date) -> RaceProblem | None:
    """What is wrong with ``race`` as the goal race, or None: its date, or a tune-up not before it."""
    wrong = date_problem(race.date, today)
    if wrong is not None:
        return wrong
    if any(day >= race.date for day, _ in tune_ups(profile, today)):
        return RaceProblem.GOAL_BEFORE_TUNE_UP
    return None


def tune_up_problem(profile: Profile, day: dt.date, today: dt.date) -> RaceProblem | None:
    """What is wrong with ``day`` as a tune-up's date, or None: its date, or not before the goal race."""
    wrong = date_problem(day, today)
    if wrong is not None:
        return wrong
    goal = goal_ahead(profile, today)
    if goal is not None and day >= goal.date:
        return RaceProblem.TUNE_UP_AFTER_GOAL
    return None


async def set_goal_race(
    work: UnitOfWork, telegram_id: int, race: Race | None, now: dt.datetime, library: Library
) -> RaceChanged | RaceProblem:
    """Set, change (``race`` with a new distance or date) or clear (None) the goal race. A one-off
    override on the race's date is dropped: the goal race's date is a race (``Profile.run_on``)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    profile = account.profile
    if race is not None:
        wrong = goal_problem(profile, race, today)
        if wrong is not None:
            return wrong
    overrides = dict(profile.overrides)
    if race is not None:
        overrides.pop(race.date, None)
    changed = profile.model_copy(update={"race": race, "overrides": overrides})
    return await _changed(work, account, changed, now, library)


async def change_goal(
    work: UnitOfWork,
    telegram_id: int,
    now: dt.datetime,
    library: Library,
    *,
    distance: Distance | None = None,
    date: dt.date | None = None,
) -> RaceChanged | RaceProblem:
    """The goal race with a new distance or a new date, the rest kept."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    goal = goal_ahead(account.profile, local_today(now, account.timezone))
    if goal is None:
        return RaceProblem.NO_GOAL
    race = Race(distance=distance or goal.distance, date=date or goal.date)
    return await set_goal_race(work, telegram_id, race, now, library)


async def add_tune_up(
    work: UnitOfWork, telegram_id: int, day: dt.date, distance: Distance | None, now: dt.datetime, library: Library
) -> RaceChanged | RaceProblem:
    """A tune-up race on ``day`` (its distance None when the runner is not sure: P9 then keeps 4
    days after it); on a day that already holds one, its distance changes."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    profile = account.profile
    wrong = tune_up_problem(profile, day, local_today(now, account.timezone))
    if wrong is not None:
        return wrong
    overrides = {**profile.overrides, day: RunKind.RACE}
    distances = dict(profile.tune_up_distances)
    if distance is None:
        distances.pop(day, None)
    else:
        distances[day] = distance
    changed = profile.model_copy(update={"overrides": overrides, "tune_up_distances": distances})
    return await _changed(work, account, changed, now, library)


async def remove_tune_up(
    work: UnitOfWork, telegram_id: int, day: dt.date, now: dt.datetime, library: Library
) -> RaceChanged | RaceProblem:
    """The tune-up on ``day`` taken off the calendar: the day has its usual run again."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    profile = account.profile
    if day not in dict(tune_ups(profile, local_today(now, account.timezone))):
        return RaceProblem.NO_TUNE_UP
    overrides = {d: kind for d, kind in profile.overrides.items() if d != day}
    distances = {d: distance for d, distance in profile.tune_up_distances.items() if d != day}
    changed = profile.model_copy(update={"overrides": overrides, "tune_up_distances": distances})
    return await _changed(work, account, changed, now, library)


async def _changed(
    work: UnitOfWork, account: OnboardedRunner, profile: Profile, now: dt.datetime, library: Library
) -> RaceChanged:
    """Store the changed profile, re-plan from the first open day and keep the due messages current."""
    today = local_today(now, account.timezone)
    account = await save_profile(work, account, profile, now)
    start, today_changed = await _replan_start(work, account, today)
    week = await replan_from(work, account, start, library, now)
    await reschedule(work, account.telegram_id, now)
    return RaceChanged(account, standing(profile, today), start, week, today_changed)


async def _replan_start(work: UnitOfWork, account: OnboardedRunner, today: dt.date) -> tuple[dt.date, bool]:
    """The first day to re-plan, and whether it is today although today's session was already sent.

    A session already sent stays as it was (changes start tomorrow), unless it lifts and the new
    race calendar bars lifting today (a race today or in the next two days, the taper, a tune-up's
    recovery): a MUST rule wins over the record, so today is re-planned too. A logged day never is.
    """
    start = await first_open_day(work, account.telegram_id, today)
    if start == today or await work.checkins.get(account.telegram_id, today) is not None:
        return start, False
    stored = await work.plans.week(account.telegram_id, monday_of(today))
    planned = next((d for d in stored.days if d.date == today), None) if stored is not None else None
    if planned is None or not planned.session.kind.is_lifting or calendar_allows_lifting(account.profile, today):
        return start, False
    return today, True
