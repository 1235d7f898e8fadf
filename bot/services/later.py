""" "Later": the day's lift sent again at a time that helps, and that promise kept exactly once.

Tapping Later offers times (:func:`offer`): two hours on and this evening (:data:`EVENING`), both
the same day and in the runner's waking hours (never in quiet hours, ``bot.services.schedule``).
The one picked becomes the runner's ``later`` due row (:func:`promise`), which the dispatcher
sends like any other due message, once (and the day's evening nudge gives way to it: never both).
There is one such row per runner, so a second "Later"
moves the same promise rather than making a second one; when the first promise has already been
kept, its delivery record is reopened so the new one goes out too. A check-in or a swap for the
day, or a /pause, cancels a pending promise (``bot.services.scheduling.cancel``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.library import Library
from bot.services import scheduling
from bot.services.checkins import open_card
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card, card
from bot.services.schedule import LATER, NUDGE, at_local, due_at, is_quiet, local_now, zone

LATER_BY = dt.timedelta(hours=2)  # "in two hours"
EVENING = dt.time(18, 0)  # "this evening": before the 19:00 nudge, well before quiet hours
APART = dt.timedelta(hours=1)  # "this evening" is offered only this far from now and from "in two hours"


@dataclass(frozen=True, slots=True)
class LaterTime:
    """A time "Later" can promise: its local wall time, and whether it is the evening one."""

    at: dt.datetime  # local, in the runner's zone
    evening: bool


@dataclass(frozen=True, slots=True)
class LaterOffer:
    """The times offered for the day's session (never empty)."""

    date: dt.date
    times: tuple[LaterTime, ...]


async def offer(
    work: UnitOfWork, telegram_id: int, date: dt.date, now: dt.datetime, library: Library
) -> LaterOffer | Problem:
    """The times "Later" can promise for the day's lift now, or why there are none."""
    found = _open_lift(await card(work, telegram_id, date, now, library))
    if isinstance(found, Problem):
        return found
    times = later_times(found, now)
    return LaterOffer(date, times) if times else Problem.TOO_LATE


def _open_lift(found: Card | Problem) -> Card | Problem:
    """The day's card when it is a lift not logged yet: what "Later" can be about."""
    if isinstance(found, Problem):
        return found
    if not found.day.session.kind.is_lifting:
        return Problem.NOT_LIFTING
    return Problem.ALREADY_LOGGED if found.checkin is not None else found


def later_times(found: Card, now: dt.datetime) -> tuple[LaterTime, ...]:
    """Two hours on and this evening, each while it is still the day's date, out of quiet hours
    and ahead of now (the evening one at least :data:`APART` from both)."""
    timezone = found.runner.timezone
    assert timezone is not None
    date = found.day.date
    if local_now(now, timezone).date() != date:
        return ()
    soon = _soon(now, timezone)
    evening = _local(date, EVENING, timezone)
    times = [LaterTime(soon, evening=False)] if _waking(soon, date) else []
    if evening - now >= APART and (not times or evening - soon >= APART):
        times.append(LaterTime(evening, evening=True))
    return tuple(times)


def _soon(now: dt.datetime, timezone: str) -> dt.datetime:
    """Two hours on, to the minute, in the runner's zone."""
    return (now + LATER_BY).astimezone(zone(timezone)).replace(second=0, microsecond=0)


def _local(date: dt.date, wall: dt.time, timezone: str) -> dt.datetime:
    return at_local(date, wall, timezone).astimezone(zone(timezone))


def _waking(when: dt.datetime, date: dt.date) -> bool:
    return when.date() == date and not is_quiet(when.time())


async def promise(
    work: UnitOfWork, telegram_id: int, date: dt.date, at: dt.time | None, now: dt.datetime, library: Library
) -> dt.datetime | Problem:
    """Send the day's lift again at ``at`` (local; two hours on when None), once: the local time
    it comes. A promise already made for the day is moved, never doubled."""
    found = _open_lift(await open_card(work, telegram_id, date, now, library))
    if isinstance(found, Problem):
        return found
    timezone = found.runner.timezone
    assert timezone is not None
    when = _soon(now, timezone) if at is None else _local(date, at, timezone)
    if not _waking(when, date) or when <= now:
        return Problem.LATER_PASSED if at is not None and later_times(found, now) else Problem.TOO_LATE
    key = (found.runner.id, date, LATER)
    if key in await work.deliveries.states([key]):
        await work.deliveries.reopen(key)  # the earlier promise was kept: this one is new
    await scheduling.set_one_off(work, telegram_id, LATER, when.astimezone(dt.UTC), date)
    nudge = due_at(NUDGE, date, timezone, found.runner.reminder_time or when.time())
    if nudge is not None and when >= nudge:  # the session comes again after the nudge: no nudge first
        await scheduling.skip_day(work, telegram_id, NUDGE, date, now)
    return when
