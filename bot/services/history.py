"""The runner's last weeks in numbers (``/history``, ``/stats`` and the chart): what was planned,
what they logged, the effort, the rule each weekly review applied, and each niggle's rung.

A read: it takes the stored plan of each date (the record of what was prescribed) and the stored
check-ins and reviews, and writes nothing. Weeks before the runner joined are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.model import BodyArea, DayPlan
from bot.coach.niggles import area_rungs
from bot.services.accounts import OnboardedRunner
from bot.services.pauses import onboarded_runner
from bot.services.plans import local_today, monday_of
from bot.services.ports import UnitOfWork

WEEKS = 8


@dataclass(frozen=True, slots=True)
class WeekHistory:
    """One week's lifting sessions (strength and power; mobility is not counted, as in the weekly
    review): how many were planned up to today, and how the runner logged them."""

    start: dt.date
    planned: int
    done: int
    partial: int
    skipped: int
    swapped: int
    mean_rpe: float | None
    rules: tuple[str, ...] = ()  # the weekly review's rules (A1...A5), none before it ran
    niggles_down: tuple[str, ...] = ()  # niggle areas the review moved down a rung


@dataclass(frozen=True, slots=True)
class History:
    today: dt.date
    weeks: tuple[WeekHistory, ...]  # oldest first, this week last
    rungs: tuple[tuple[BodyArea, int], ...]  # each niggle on the ladder now, with its rung (1-4)


async def history(work: UnitOfWork, telegram_id: int, now: dt.datetime, weeks: int = WEEKS) -> History | None:
    """The last ``weeks`` weeks up to this one (fewer for a runner who joined since); None before
    onboarding."""
    account = await onboarded_runner(work, telegram_id)
    if account is None:
        return None
    today = local_today(now, account.timezone)
    joined = monday_of(local_today(account.onboarded_at, account.timezone))
    first = max(monday_of(today) - dt.timedelta(weeks=weeks - 1), joined)
    starts = []
    start = first
    while start <= today:
        starts.append(start)
        start += dt.timedelta(weeks=1)
    found = [await _week(work, account, start, today) for start in starts]
    rungs = area_rungs(account.state, account.profile.injuries, today)
    return History(today, tuple(found), rungs)


async def _week(work: UnitOfWork, account: OnboardedRunner, start: dt.date, today: dt.date) -> WeekHistory:
    end = min(start + dt.timedelta(days=6), today)
    days = await _planned_days(work, account.telegram_id, start, end)
    checkins = [c for c in await work.checkins.between(account.telegram_id, start, end) if c.session_kind.is_lifting]
    status = [c.status for c in checkins]
    efforts = [c.rpe for c in checkins if c.rpe is not None and c.status in ("done", "partial")]
    review = await work.reviews.get(account.telegram_id, start)
    # a lift swapped for mobility may have left the plan: its check-in still says it was planned
    lifts = {d.date for d in days if d.session.kind.is_lifting} | {c.date for c in checkins}
    return WeekHistory(
        start=start,
        planned=len(lifts),
        done=status.count("done"),
        partial=status.count("partial"),
        skipped=status.count("skipped"),
        swapped=status.count("swapped"),
        mean_rpe=round(sum(efforts) / len(efforts), 1) if efforts else None,
        rules=review.rules if review is not None else (),
        niggles_down=review.niggles_down if review is not None else (),
    )


async def _planned_days(work: UnitOfWork, telegram_id: int, start: dt.date, end: dt.date) -> list[DayPlan]:
    """The stored plan of each date from ``start`` to ``end`` (a date never planned has none)."""
    week = await work.plans.week(telegram_id, start)
    if week is not None:
        return [d for d in week.days if d.date <= end]
    days = [await work.plans.day(telegram_id, start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]
    return [d for d in days if d is not None]
