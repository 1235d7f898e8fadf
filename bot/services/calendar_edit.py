"""Changing the runner's run calendar (the weekly template, one-off dates, tune-up races) and undoing
the last change: each change stores the profile, re-plans the days not yet sent or logged at once,
keeps the due messages current, and says what moved.

What undo needs lives in the database, in the answers table under :data:`UNDO` (an onboarded runner's
answers hold only drafts): the calendar before and after the change, the changed days and a token the
confirmation's Undo button carries. Opening /settings clears the answers, and with them the undo.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from bot.coach.calendar_diff import DayChange, NoRoom, SessionMove, calendar_changes, no_room, session_moves
from bot.coach.library import Library
from bot.coach.model import Profile, RunKind, Weekday, WeekPlan
from bot.services.accounts import OnboardedRunner
from bot.services.pauses import settled_account
from bot.services.plans import local_today, monday_of, planned_week, replan_open_days, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.scheduling import reschedule

UNDO = "draft:calendar_undo"  # the last calendar change, for its Undo button
CALENDAR_FIELDS = frozenset({"week", "overrides", "tune_up_distances"})
SHOWN_DAYS = 14  # /calendar shows this week and next


class UndoRefused(StrEnum):
    """Why an Undo tap changes nothing; each has a text in ui.yaml's ``calendar`` group."""

    NOTHING = "undo_nothing"  # no change to undo (already undone, or /settings opened since)
    LATER = "undo_later"  # another change came since: only the last one can be undone
    PASSED = "undo_passed"  # every day the change touched has passed


@dataclass(frozen=True, slots=True)
class CalendarChanged:
    """What a calendar change did: the days whose run changed (from today to the end of next week),
    the lifting sessions that moved, this week and next as planned now, the first re-planned day
    (``start``: tomorrow when today's session was already sent or logged, which keeps it as its
    record), the weeks with no room for all their strength, and the token of its Undo button
    (None for an undo, which offers none)."""

    changes: tuple[DayChange, ...]
    moves: tuple[SessionMove, ...]
    weeks: tuple[WeekPlan, ...]
    today: dt.date
    start: dt.date
    no_room: tuple[NoRoom, ...]
    undo: str | None = None
    unsized_races: tuple[dt.date, ...] = ()  # races the change added without their distance (P9 asks it)
    template: dict[Weekday, RunKind] | None = None  # the usual week, when the change changed it

    @property
    def today_kept(self) -> bool:
        """Today's run changed, but today's session was already sent or logged and stays as it was."""
        return self.start > self.today and any(c.day == self.today for c in self.changes)


def calendar_of(profile: Profile) -> dict[str, Any]:
    """The calendar fields of a profile, as JSON."""
    return profile.model_dump(mode="json", include=set(CALENDAR_FIELDS))


def with_calendar(profile: Profile, calendar: dict[str, Any]) -> Profile:
    """``profile`` with the calendar fields of ``calendar`` (JSON), validated."""
    return Profile.model_validate({**profile.model_dump(mode="json"), **calendar})


def _last_changed(before: Profile, after: Profile, monday: dt.date) -> dt.date:
    """The end of next week, or a later one-off date the change adds, drops or alters."""
    return max([monday + dt.timedelta(days=SHOWN_DAYS - 1), *before.overrides, *after.overrides])


def _template(calendar: dict[str, Any]) -> tuple[Any, Any]:
    """What "the calendar changed since" compares: the weekly template and the one-off dates."""
    return calendar.get("week"), calendar.get("overrides")


async def _weeks(work: UnitOfWork, account: OnboardedRunner, monday: dt.date, library: Library) -> tuple[WeekPlan, ...]:
    following = monday + dt.timedelta(days=7)
    return (await planned_week(work, account, monday, library), await planned_week(work, account, following, library))


async def _apply(
    work: UnitOfWork, account: OnboardedRunner, profile: Profile, now: dt.datetime, library: Library
) -> CalendarChanged:
    today = local_today(now, account.timezone)
    monday = monday_of(today)
    before = await _weeks(work, account, monday, library)
    old = account.profile
    changes = calendar_changes(old, profile, today, _last_changed(old, profile, monday))
    account = await save_profile(work, account, profile, now)
    start, _week = await replan_open_days(work, account, now, library)
    await reschedule(work, account.telegram_id, now)
    after = await _weeks(work, account, monday, library)
    races = tuple(c.day for c in changes if c.after is RunKind.RACE and c.day not in profile.tune_up_distances)
    moves = session_moves(before, after, start)
    template = dict(profile.week) if profile.week != old.week else None
    return CalendarChanged(changes, moves, after, today, start, no_room(after), unsized_races=races, template=template)


async def change_calendar(
    work: UnitOfWork, telegram_id: int, profile: Profile, now: dt.datetime, library: Library
) -> CalendarChanged | Problem:
    """Store ``profile`` as the runner's profile, remember the calendar before it for undo, re-plan
    the open days from today and keep the due messages current."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    old = calendar_of(account.profile)
    changed = await _apply(work, account, profile, now, library)
    token = secrets.token_hex(5)  # names this change: an older confirmation's Undo carries another
    days = [c.day.isoformat() for c in changed.changes]
    memo = {"token": token, "before": old, "after": calendar_of(profile), "days": days}
    await work.answers.put(telegram_id, UNDO, memo, now)
    return replace(changed, undo=token)


async def undo_calendar(
    work: UnitOfWork, telegram_id: int, token: str, now: dt.datetime, library: Library
) -> CalendarChanged | Problem | UndoRefused:
    """Put back the calendar from before the last change, if ``token`` is that change's and the
    calendar has not changed since; the days already past keep what they had."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    memo = (await work.answers.get_all(telegram_id)).get(UNDO)
    if not isinstance(memo, dict):
        return UndoRefused.NOTHING
    if memo.get("token") != token or _template(memo.get("after", {})) != _template(calendar_of(account.profile)):
        return UndoRefused.LATER
    today = local_today(now, account.timezone)
    days = [dt.date.fromisoformat(day) for day in memo.get("days", [])]
    if days and max(days) < today:
        return UndoRefused.PASSED
    await work.answers.discard(telegram_id, [UNDO])
    return await _apply(work, account, with_calendar(account.profile, memo["before"]), now, library)
