"""Pause and resume, and a runner as they stand now past a pause whose end date has passed.

A read shows a lapsed pause as ended (:func:`standing`, writing nothing); a change ends it for
good first (:func:`settled_account`), and so does the dispatcher's tick (:func:`settle_pause`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.coach.adaptation import back_from_pause
from bot.coach.gaps import ReturnRule, return_rule
from bot.coach.library import Library
from bot.coach.model import TrainingState, WeekPlan
from bot.services import scheduling
from bot.services.accounts import OnboardedRunner, RunnerBrief
from bot.services.plans import first_open_day, local_today, planned_week, replan_from, replanned, stored_week
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.schedule import LATER, PAUSE_START, at_local

MAX_PAUSE = dt.timedelta(days=366)  # a pause with an end date ends within a year; longer is /pause then /resume


async def settle_pause(
    work: UnitOfWork, account: OnboardedRunner, now: dt.datetime, library: Library
) -> OnboardedRunner:
    """End a pause whose end date has passed, with the return after a gap its length calls for (a write: the
    dispatcher's tick and the use cases that change something call it; a read computes
    :func:`standing` instead)."""
    if account.paused_from is None or account.paused_until is None:
        return account
    today = local_today(now, account.timezone)
    if today <= account.paused_until:
        return account
    return await _end_pause(work, account, account.paused_from, today, now, library)


def _resumed(account: OnboardedRunner, paused_from: dt.date, today: dt.date) -> OnboardedRunner:
    """The runner as ending their pause (from ``paused_from``) on ``today`` leaves them: not
    paused, and as the break's length calls for (``bot.coach.gaps``)."""
    state = back_from_pause(account.state, gap_days=(today - paused_from).days, back_on=today)
    return replace(account, state=state, paused_from=None, paused_until=None)


def back_rule(state: TrainingState, today: dt.date) -> ReturnRule:
    """The "Return after a gap" a runner back ``today`` got (``SHORT``: the break changed nothing)."""
    return return_rule(state.back_gap) if state.back_on == today else ReturnRule.SHORT


async def _end_pause(
    work: UnitOfWork, account: OnboardedRunner, paused_from: dt.date, today: dt.date, now: dt.datetime, library: Library
) -> OnboardedRunner:
    resumed = _resumed(account, paused_from, today)
    await work.runners.save_state(account.telegram_id, resumed.state)
    await work.runners.write_settings(account.telegram_id, paused_from=None, paused_until=None, now=now)
    await replan_from(work, resumed, today, library, now)
    await scheduling.reschedule(work, account.telegram_id, now)
    return resumed


async def onboarded_runner(work: UnitOfWork, telegram_id: int) -> OnboardedRunner | None:
    """The runner as stored, if they finished onboarding (None otherwise, or if they never came)."""
    account = await work.runners.get(telegram_id)
    return account.as_onboarded() if account is not None else None


async def settled_account(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library
) -> OnboardedRunner | None:
    """An onboarded runner, with a pause whose end date has passed ended first (a write)."""
    account = await onboarded_runner(work, telegram_id)
    if account is None:
        return None
    return await settle_pause(work, account, now, library)


@dataclass(frozen=True, slots=True)
class Standing:
    """An onboarded runner as they stand now, read without writing anything.

    A pause whose end date has passed is shown as ended: ``account`` is the runner as the next
    tick (or the next change they make) will store them, a step lower and not paused, and
    ``weeks`` holds the weeks that ending the pause re-plans, by their Monday.
    """

    account: OnboardedRunner
    today: dt.date
    weeks: dict[dt.date, WeekPlan]

    @property
    def lapsed(self) -> bool:
        """Whether a stored pause has lapsed and is shown here as ended."""
        return bool(self.weeks)


async def standing(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> Standing | None:
    """The onboarded runner as they stand now (see :class:`Standing`); None before onboarding."""
    account = await onboarded_runner(work, telegram_id)
    if account is None:
        return None
    today = local_today(now, account.timezone)
    if account.paused_from is None or not lapsed(account.paused_from, account.paused_until, today):
        return Standing(account=account, today=today, weeks={})
    after = _resumed(account, account.paused_from, today)
    plan = await replanned(work, after, today, library)
    weeks = {plan.week.start: plan.week}
    if plan.following is not None:
        weeks[plan.following.start] = plan.following
    return Standing(account=after, today=today, weeks=weeks)


async def week_standing(
    work: UnitOfWork, found: Standing, monday: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """The week starting ``monday`` as the runner stands. Past a lapsed pause: as ending it
    re-plans it, computed and never written. Otherwise as stored, and a week never planned is
    planned and stored now, as the record of what was prescribed from the first time it is shown
    (the plan as it would have been planned anyway: no state changes)."""
    if found.lapsed:
        return found.weeks.get(monday) or await planned_week(work, found.account, monday, library)
    return await stored_week(work, found.account, monday, library, now)


def lapsed(paused_from: dt.date | None, paused_until: dt.date | None, today: dt.date) -> bool:
    return paused_from is not None and paused_until is not None and today > paused_until


def pause_expired(brief: RunnerBrief, today: dt.date) -> bool:
    return lapsed(brief.paused_from, brief.paused_until, today)


def lapsed_now(brief: RunnerBrief, now: dt.datetime) -> bool:
    """Whether an onboarded runner's pause has lapsed on their day at ``now``: what
    :func:`settled_account` would end first (False when the brief cannot tell: not onboarded, or no
    timezone yet)."""
    return brief.onboarded and brief.timezone is not None and pause_expired(brief, local_today(now, brief.timezone))


async def pause(
    work: UnitOfWork, telegram_id: int, until: dt.date | None, now: dt.datetime, library: Library
) -> OnboardedRunner | Problem:
    """Stop prompts until ``until`` (its last paused day), or until /resume when None."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    if account.paused_from is not None:
        return Problem.ALREADY_PAUSED
    if until is not None and until < today:
        return Problem.PAST_DATE
    if until is not None and until > today + MAX_PAUSE:  # 9999-12-28 would overflow the schedule
        return Problem.FAR_DATE
    await work.runners.write_settings(telegram_id, paused_from=today, paused_until=until, now=now)
    paused = replace(account, paused_from=today, paused_until=until)
    await replan_from(work, paused, await first_open_day(work, telegram_id, today), library, now)
    await scheduling.reschedule(work, telegram_id, now)
    await scheduling.cancel(work, telegram_id, LATER)  # nothing until the pause ends, "Later" included
    return paused


PAUSE_STARTS_AT = dt.time(0, 30)  # a pause asked for ahead starts before the day's first message


@dataclass(frozen=True, slots=True)
class PlannedPause:
    """A pause that starts on a later day (``start`` to ``until``, both paused)."""

    start: dt.date
    until: dt.date


async def plan_pause(
    work: UnitOfWork, telegram_id: int, start: dt.date, until: dt.date, now: dt.datetime, library: Library
) -> PlannedPause | Problem:
    """ "I'm away next week": the plan goes on until ``start``, then pauses until ``until``. Owed as
    a due message like the others (``pause_start``), so any process starts it, once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if account.paused_from is not None:
        return Problem.ALREADY_PAUSED
    today = local_today(now, account.timezone)
    if not today < start <= until <= today + MAX_PAUSE:
        return Problem.PAST_DATE if start <= today else Problem.FAR_DATE
    due = at_local(start, PAUSE_STARTS_AT, account.timezone)
    await scheduling.set_one_off(work, telegram_id, PAUSE_START, due, start, detail=until.isoformat())
    return PlannedPause(start, until)


async def start_planned_pause(
    work: UnitOfWork, telegram_id: int, detail: str | None, now: dt.datetime, library: Library
) -> None:
    """The day a pause asked for ahead begins: it starts, until the day it was asked to end."""
    try:
        until = dt.date.fromisoformat(detail or "")
    except ValueError:
        return
    await pause(work, telegram_id, until, now, library)  # a pause already running is left as it is


async def resume(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> OnboardedRunner | Problem:
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if account.paused_from is None:
        return Problem.NOT_PAUSED
    return await _end_pause(work, account, account.paused_from, local_today(now, account.timezone), now, library)


async def reactivate(work: UnitOfWork, telegram_id: int, now: dt.datetime) -> bool:
    """/start from a runner who had blocked the bot: messages start again. True if they were off."""
    account = await work.runners.get(telegram_id)
    if account is None or account.active:
        return False
    await work.runners.write_settings(telegram_id, active=True, now=now)
    await scheduling.reschedule(work, telegram_id, now)
    return True
