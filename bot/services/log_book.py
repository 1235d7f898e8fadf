"""/log: this week's sessions, the open ones first, and a logged one corrected (issue 20, point 8).

The menu lists the sessions of this week up to the session day that have no check-in yet, newest
first, then the logged ones, newest first, with what was logged. A logged session is corrected one
field at a time (status, effort, soreness): the stored check-in is changed in place, never a second
row for the same day, and what changed is returned so the reply can say it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from bot.coach.library import Library
from bot.coach.model import DayPlan, SessionKind
from bot.services import pauses, reading
from bot.services.accounts import CheckinRecord, CheckinStatus
from bot.services.checkins import SORENESS, open_card
from bot.services.plans import monday_of
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card

if TYPE_CHECKING:
    from bot.services.usecases import Coach

Field = Literal["status", "rpe", "soreness"]
STATUSES: tuple[CheckinStatus, ...] = ("done", "partial", "skipped")


@dataclass(frozen=True, slots=True)
class LogMenu:
    open: tuple[DayPlan, ...]  # not logged yet, newest first
    logged: tuple[tuple[DayPlan, CheckinRecord], ...]  # newest first


@dataclass(frozen=True, slots=True)
class Corrected:
    """A logged session after a correction, and the field that changed with its value before and after
    (``before == after``: it already said so, nothing was written)."""

    card: Card
    field: Field
    before: str | int | None
    after: str | int | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


async def log_menu(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> LogMenu | None:
    """This week's sessions up to the session day, open ones first; None for a runner not set up."""
    found = await pauses.standing(work, telegram_id, now, library)
    if found is None or found.account.timezone is None:
        return None
    today = reading.session_day(now, found.account.timezone)
    week = await pauses.week_standing(work, found, monday_of(today), library, now)
    days = [d for d in reversed(week.days) if d.date <= today and d.session.kind is not SessionKind.REST]
    checkins = {c.date: c for c in await work.checkins.between(telegram_id, monday_of(today), today)}
    return LogMenu(
        open=tuple(d for d in days if d.date not in checkins),
        logged=tuple((d, checkins[d.date]) for d in days if d.date in checkins),
    )


def parse(field: str, value: str) -> tuple[Field, str | int] | None:
    """A correction's field and value from a tap, or None when it names neither."""
    if field == "status" and value in STATUSES:
        return "status", value
    if field == "rpe" and value.isascii() and value.isdigit() and 1 <= int(value) <= 10:
        return "rpe", int(value)
    if field == "soreness" and value in SORENESS[:3]:
        return "soreness", value
    return None


async def correct(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    field: Field,
    value: str | int,
    now: dt.datetime,
    library: Library,
) -> Corrected | Problem:
    """One field of a logged session set to ``value``; a skipped session keeps no effort or soreness,
    and effort and soreness belong to a done or partly-done session only."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    checkin = found.checkin
    if checkin is None:
        return Problem.NEED_STATUS
    before = checkin.status if field == "status" else getattr(checkin, field)
    if before == value:
        return Corrected(found, field, before, value)
    if field == "status":
        status = next(s for s in STATUSES if s == value)
        record = await work.checkins.set_status(
            telegram_id, date, session_kind=found.day.session.kind, status=status, now=now
        )
        if value == "skipped":
            record = await work.checkins.set_details(telegram_id, date, rpe=None, soreness=None, now=now) or record
    elif checkin.status not in ("done", "partial"):
        return Problem.NEED_STATUS
    elif field == "rpe":
        assert isinstance(value, int)
        record = await work.checkins.set_details(telegram_id, date, rpe=value, now=now) or checkin
    else:
        record = await work.checkins.set_details(telegram_id, date, soreness=str(value), now=now) or checkin
    return Corrected(replace(found, checkin=record), field, before, value)


async def menu_for(coach: Coach, telegram_id: int) -> LogMenu | None:
    """/log's menu; a read of the plan (a week shown for the first time is stored)."""
    now = coach.clock.now()
    async with coach.uow() as work:
        menu = await log_menu(work, telegram_id, now, coach.library)
        await work.commit()
    return menu


async def correct_for(
    coach: Coach, telegram_id: int, date: dt.date, field: Field, value: str | int
) -> Corrected | Problem:
    """A correction in its own unit of work."""
    now = coach.clock.now()
    async with coach.uow() as work:
        result = await correct(work, telegram_id, date, field, value, now, coach.library)
        await work.commit()
    return result
