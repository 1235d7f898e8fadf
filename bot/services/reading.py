"""Reading the plan: a day's card to log against, and what /today, /tomorrow, /week and "why?" show.

Reads write no state: a pause whose end date has passed is shown as ended (see
:func:`bot.services.pauses.standing`); a week never shown is planned and stored as the record.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.coach.library import Library
from bot.coach.logged_reasons import DAY, as_logged, speaks_of_yesterday
from bot.coach.model import DayPlan, SessionKind, WeekPlan
from bot.coach.niggles import Flare
from bot.services.accounts import CheckinRecord, RunnerBrief
from bot.services.briefs import UpdateBrief
from bot.services.pauses import pause_expired, standing, week_standing
from bot.services.plans import SHORT_WEEK_DAYS, local_today, monday_of
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.timezones import zone


class Unread(enum.Enum):
    """A check-in not read (yet) with the day it belongs to."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD

LATE_NIGHT_END = dt.time(4, 0)  # "done" typed before this means the day just ended
WHY_WINDOW = dt.timedelta(hours=1)  # "why?" explains the day shown last, if that was within the hour


@dataclass(frozen=True, slots=True)
class Card:
    """A day's session and what the runner has logged for it so far: what a prompt shows."""

    runner: RunnerBrief
    day: DayPlan
    checkin: CheckinRecord | None
    changed: bool = True
    flare: Flare | None = None  # what a flare just logged changed (N4, A4)


@dataclass(frozen=True, slots=True)
class Shown:
    """Days of the plan for a runner as they stand now, and the runner's today."""

    today: dt.date
    weeks: list[WeekPlan]
    day: DayPlan | None = None
    shown_before: dt.date | None = None  # the day shown to the runner last (what "why?" explains)
    paused: bool = False  # a pause runs (one whose end date has passed counts as ended)


def session_day(now: dt.datetime, timezone: str) -> dt.date:
    """The day a "done" typed now refers to: today, or yesterday in the small hours."""
    local = now.astimezone(zone(timezone))
    return local.date() - dt.timedelta(days=1) if local.time() < LATE_NIGHT_END else local.date()


async def card(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    now: dt.datetime,
    library: Library,
    known: UpdateBrief | None = None,
) -> Card | Problem:
    """The day's session and its check-in, if the runner may still log it; a read (nothing written)."""
    brief = await _runner(work, telegram_id, known)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, brief.timezone)
    if date > today:
        return Problem.FUTURE
    if date < monday_of(session_day(now, brief.timezone)):
        return Problem.WEEK_CLOSED
    if brief.onboarded_at is not None and date < local_today(brief.onboarded_at, brief.timezone):
        return Problem.BEFORE_JOINING  # nothing was planned for a day before the runner joined
    stored = None if pause_expired(brief, today) else await work.plans.day_logged(telegram_id, date)
    if stored is not None:  # the usual case: the day, its check-in and the day before's in one query
        day, checkin, eve = stored
        if day.session.kind is SessionKind.REST:
            return Problem.NO_SESSION
        return Card(runner=brief, day=_as_logged(day, eve), checkin=checkin)
    found = await standing(work, telegram_id, now, library)
    if found is None:
        return Problem.NOT_ONBOARDED
    planned = (await week_standing(work, found, monday_of(date), library, now)).day(date)
    if found.lapsed:
        brief = replace(brief, paused_from=None, paused_until=None)
    assert planned is not None
    day = planned
    if day.session.kind is SessionKind.REST:
        return Problem.NO_SESSION
    (day,) = await as_it_happened(work, telegram_id, [day])
    return Card(runner=brief, day=day, checkin=await work.checkins.get(telegram_id, date))


async def as_it_happened(work: UnitOfWork, telegram_id: int, days: Sequence[DayPlan]) -> tuple[DayPlan, ...]:
    """The days with a reason about the day before worded from what was logged for that day (a
    skipped lift is not "you lifted yesterday"); computed when shown, the stored plan unchanged."""
    before = [d.date - DAY for d in days if speaks_of_yesterday(d)]
    if not before:
        return tuple(days)
    logged = {c.date: c.status for c in await work.checkins.between(telegram_id, min(before), max(before))}
    return tuple(as_logged(d, logged.get(d.date - DAY)) for d in days)


def _as_logged(day: DayPlan, eve: str | None) -> DayPlan:
    """``day`` as :func:`as_it_happened` shows it, given the status logged for the day before."""
    return as_logged(day, eve) if speaks_of_yesterday(day) else day


async def _shown(work: UnitOfWork, telegram_id: int, shown: Shown) -> Shown:
    """``shown`` with its days' reasons as it happened (:func:`as_it_happened`)."""
    weeks = [replace(w, days=await as_it_happened(work, telegram_id, w.days)) for w in shown.weeks]
    day = shown.day if shown.day is None else (await as_it_happened(work, telegram_id, [shown.day]))[0]
    return replace(shown, weeks=weeks, day=day)


async def _runner(work: UnitOfWork, telegram_id: int, known: UpdateBrief | None) -> RunnerBrief | None:
    """The runner's brief: the update's own when the edge read it already, else read now."""
    return known.runner if known is not None else await work.runners.brief(telegram_id)


async def day_at(
    work: UnitOfWork,
    telegram_id: int,
    now: dt.datetime,
    offset_days: int,
    library: Library,
    known: UpdateBrief | None = None,
) -> Shown | None:
    """The plan of today (offset 0), tomorrow (1) ... for an onboarded runner, else None; a read.

    One small query when the day is stored and the update's brief is ``known`` (else two: the
    runner's settings, then the day). A week never stored is shown as it would be planned now, and
    a pause whose end date has passed as ended, without writing either: the tick (or the runner's
    next change) stores them.
    """
    found = await day_logged_at(work, telegram_id, now, offset_days, library, known)
    return None if found is None else found[0]


async def day_logged_at(
    work: UnitOfWork,
    telegram_id: int,
    now: dt.datetime,
    offset_days: int,
    library: Library,
    known: UpdateBrief | None = None,
) -> tuple[Shown, CheckinRecord | Unread | None] | None:
    """:func:`day_at`, and the day's check-in when the same query read it (the usual case: the day
    is stored), else ``UNREAD``."""
    brief = await _runner(work, telegram_id, known)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return None
    today = local_today(now, brief.timezone)
    date = today + dt.timedelta(days=offset_days)
    if not pause_expired(brief, today):
        stored = await work.plans.day_logged(telegram_id, date)
        if stored is not None:
            day, checkin, eve = stored
            paused = brief.paused_from is not None
            day = _as_logged(day, eve)
            return Shown(today=today, weeks=[], day=day, shown_before=brief.shown_date, paused=paused), checkin
    found = await standing(work, telegram_id, now, library)
    if found is None:
        return None
    week = await week_standing(work, found, monday_of(date), library, now)
    paused = found.account.paused_from is not None
    shown = Shown(today=today, weeks=[week], day=week.day(date), shown_before=brief.shown_date, paused=paused)
    return await _shown(work, telegram_id, shown), UNREAD


async def why_at(
    work: UnitOfWork,
    telegram_id: int,
    now: dt.datetime,
    offset: int | None,
    library: Library,
    known: UpdateBrief | None = None,
) -> Shown | None:
    """The day whose reason to give: ``offset`` days ahead when a day was named, else the day
    shown last (within the hour), else today; a read, as :func:`day_at`."""
    known = known if known is not None else UpdateBrief(await work.runners.brief(telegram_id))
    ahead = offset if offset is not None else _last_shown_offset(known.runner, now)
    return await day_at(work, telegram_id, now, ahead, library, known)


def _last_shown_offset(brief: RunnerBrief | None, now: dt.datetime) -> int:
    """Days from today to the day last shown, if that was within the hour; else 0 (today)."""
    if brief is None or brief.shown_date is None or brief.shown_at is None or brief.timezone is None:
        return 0
    if not dt.timedelta(0) <= now - brief.shown_at <= WHY_WINDOW:
        return 0
    return (brief.shown_date - local_today(now, brief.timezone)).days


async def weeks_at(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library, known: UpdateBrief | None = None
) -> Shown | None:
    """This week, plus next week when only a few days of this one are left; a read, as :func:`day_at`."""
    brief = await _runner(work, telegram_id, known)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return None
    today = local_today(now, brief.timezone)
    monday = monday_of(today)
    starts = [monday + dt.timedelta(days=7 * n) for n in range(2 if 7 - today.weekday() <= SHORT_WEEK_DAYS else 1)]
    if not pause_expired(brief, today):
        found, logged = await work.plans.weeks_logged(brief.id, starts)  # one query, check-ins with it
        if len(found) == len(starts):
            weeks = [
                replace(week, days=tuple(_as_logged(d, logged.get(d.date - DAY)) for d in week.days))
                for week in (found[start] for start in starts)
            ]
            return Shown(today=today, weeks=weeks, paused=brief.paused_from is not None)
    now_standing = await standing(work, telegram_id, now, library)
    if now_standing is None:
        return None
    weeks = [await week_standing(work, now_standing, start, library, now) for start in starts]
    paused = now_standing.account.paused_from is not None
    return await _shown(work, telegram_id, Shown(today=today, weeks=weeks, paused=paused))
