"""Importing a runner's training calendar: an ``.ics`` file they send, or a feed link.

Both go through :func:`preview`: the calendar is read for the runner's next two weeks (today and
the 13 days after, in their zone) and kept as a *pending import* in the onboarding answers table
(under :data:`PENDING`, as /settings keeps its drafts), never in memory, so any process serves
the runner's Confirm or Cancel. :func:`confirm` makes those two weeks one-off dates of the
profile (``Profile.overrides``: each imported day's run, every other day rest), re-plans the open
days and keeps the due messages current (``bot.services.calendar_edit.change_calendar``, so the
reply says what moved and Undo puts the calendar back); a race found in the calendar is stored as a tune-up and
waits (under :data:`RACES`) for the runner to call it their goal race, keep it a tune-up, or
ignore it (:func:`choose_race`). :func:`cancel` stores nothing.

The horizon is the two weeks shown: what the runner confirmed is what is stored, nothing they
did not see. A feed keeps it rolling: its link is stored (``calendar_sources``) and its daily
refresh (``bot.services.feed_refresh``) reads the next two weeks again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo

from bot.coach.calendar_import import IcsProblem, ImportedCalendar, ImportedDay, read_calendar
from bot.coach.library import Library
from bot.coach.model import Distance, Profile, Race, RunKind
from bot.services.accounts import OnboardedRunner
from bot.services.calendar_edit import CalendarChanged, change_calendar
from bot.services.pauses import settled_account
from bot.services.plans import local_today
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.questions import DRAFT_PREFIX
from bot.services.scheduling import schedule_feed
from bot.services.timezones import zone

PENDING = f"{DRAFT_PREFIX}ics_import"  # the calendar read, waiting for Confirm or Cancel
RACES = f"{DRAFT_PREFIX}ics_races"  # races of a confirmed import waiting for goal / tune-up / ignore
IMPORT_DAYS = 14


class RaceChoice(StrEnum):
    GOAL = "goal"
    TUNE_UP = "tune"
    IGNORE = "skip"


@dataclass(frozen=True, slots=True)
class Preview:
    """The calendar as read for ``first`` to ``last``: its run days (a day not there is rest)."""

    first: dt.date
    last: dt.date
    days: tuple[ImportedDay, ...]
    ignored: int = 0

    def on(self, date: dt.date) -> ImportedDay | None:
        return next((day for day in self.days if day.date == date), None)

    @property
    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True, slots=True)
class Stored:
    """A confirmed import: the calendar now stored and what that changed (the days, the sessions
    that moved, the weeks as planned now), and the first race found that waits for the runner's
    choice (None: none)."""

    preview: Preview
    changed: CalendarChanged
    race: ImportedDay | None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class RaceSet:
    """A race of the import given its place: goal, tune-up or ignored; ``following`` is the next
    race waiting for its choice."""

    race: ImportedDay
    choice: RaceChoice
    following: ImportedDay | None
    changed: CalendarChanged | None = None  # None: nothing to change (a tune-up is stored as one already)


def window(now: dt.datetime, timezone: str) -> tuple[dt.date, dt.date]:
    """The two weeks an import covers: today and the 13 days after it, in the runner's zone."""
    today = local_today(now, timezone)
    return today, today + dt.timedelta(days=IMPORT_DAYS - 1)


async def read_for(data: bytes, account: OnboardedRunner, now: dt.datetime) -> Preview | IcsProblem:
    """The runner's next two weeks as the calendar ``data`` gives them, read in a worker thread: a
    large calendar takes seconds of CPU, and the bot answers other runners meanwhile."""
    first, last = window(now, account.timezone)
    tz = zone(account.timezone)  # a fixed offset ("UTC+05:30") converts dates as a ZoneInfo does
    found = await asyncio.to_thread(
        read_calendar, data, first, last, tz if isinstance(tz, ZoneInfo) else cast(ZoneInfo, tz)
    )
    if not isinstance(found, ImportedCalendar):
        return found
    return Preview(first, last, found.days, found.ignored)


async def preview(
    work: UnitOfWork, telegram_id: int, data: bytes, now: dt.datetime, library: Library, *, url: str | None = None
) -> Preview | IcsProblem | Problem:
    """Read a calendar for the runner's next two weeks and keep it as their pending import."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    found = await read_for(data, account, now)
    if isinstance(found, IcsProblem):
        return found
    await work.answers.discard(telegram_id, [RACES])
    await work.answers.put(telegram_id, PENDING, {**preview_json(found), "url": url}, now)
    return found


async def cancel(work: UnitOfWork, telegram_id: int) -> bool:
    """Forget the pending import; False when there was none."""
    answers = await work.answers.get_all(telegram_id)
    if PENDING not in answers:
        return False
    await work.answers.discard(telegram_id, [PENDING])
    return True


async def confirm(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> Stored | Problem:
    """Store the pending import as the runner's calendar for its two weeks and re-plan the open days."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    answers = await work.answers.get_all(telegram_id)
    if PENDING not in answers:
        return Problem.NEED_STATUS
    pending = from_json(answers[PENDING])
    await work.answers.discard(telegram_id, [PENDING])
    changed = await change_calendar(work, telegram_id, imported_profile(account.profile, pending), now, library)
    if isinstance(changed, Problem):  # pragma: no cover - onboarded a moment ago, in this same transaction
        return changed
    races = [day for day in pending.days if day.kind is RunKind.RACE]
    if races:
        await work.answers.put(telegram_id, RACES, [day_json(day) for day in races], now)
    url = answers[PENDING].get("url")
    if isinstance(url, str):  # a feed: read again every day from tomorrow
        await work.sources.put(telegram_id, url, digest(pending), now)
        await schedule_feed(work, telegram_id, now)
    return Stored(pending, changed, races[0] if races else None, url if isinstance(url, str) else None)


def imported_profile(profile: Profile, calendar: Preview) -> Profile:
    """The profile with the calendar's days as one-off dates: each day's run, rest where it has none.

    The goal race's date stays the race (only /race moves it); a race of the calendar is a
    tune-up until the runner says otherwise.
    """
    overrides = dict(profile.overrides)
    distances = dict(profile.tune_up_distances)
    for date in calendar.dates:
        if profile.race is not None and profile.race.date == date:
            continue
        day = calendar.on(date)
        overrides[date] = day.kind if day is not None else RunKind.REST
        distances.pop(date, None)
        if day is not None and day.kind is RunKind.RACE and day.distance is not None:
            distances[date] = day.distance
    return profile.model_copy(update={"overrides": overrides, "tune_up_distances": distances})


async def choose_race(
    work: UnitOfWork, telegram_id: int, date: dt.date, choice: RaceChoice, now: dt.datetime, library: Library
) -> RaceSet | Problem:
    """Give a race of the last import its place: the goal race, a tune-up (as stored), or ignored
    (the day keeps the usual week's run)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    waiting = [day_from_json(d) for d in (await work.answers.get_all(telegram_id)).get(RACES) or []]
    race = next((day for day in waiting if day.date == date), None)
    if race is None or (choice is RaceChoice.GOAL and race.distance is None):
        return Problem.NEED_STATUS
    rest = [day for day in waiting if day.date != date]
    if rest:
        await work.answers.put(telegram_id, RACES, [day_json(day) for day in rest], now)
    else:
        await work.answers.discard(telegram_id, [RACES])
    profile = raced_profile(account.profile, race, choice)
    changed = await change_calendar(work, telegram_id, profile, now, library) if profile != account.profile else None
    if isinstance(changed, Problem):  # pragma: no cover - onboarded a moment ago, in this same transaction
        return changed
    return RaceSet(race, choice, rest[0] if rest else None, changed)


def raced_profile(profile: Profile, race: ImportedDay, choice: RaceChoice) -> Profile:
    overrides = dict(profile.overrides)
    distances = dict(profile.tune_up_distances)
    if choice is RaceChoice.TUNE_UP:
        return profile
    overrides.pop(race.date, None)
    distances.pop(race.date, None)
    update: dict[str, Any] = {"overrides": overrides, "tune_up_distances": distances}
    if choice is RaceChoice.GOAL:
        assert race.distance is not None
        update["race"] = Race(distance=race.distance, date=race.date)
    return profile.model_copy(update=update)


# --- the pending import as JSON ----------------------------------------------------------------------


def day_json(day: ImportedDay) -> dict[str, Any]:
    return {"date": day.date.isoformat(), "kind": day.kind.value, "title": day.title[:80], "distance": day.distance}


def day_from_json(value: dict[str, Any]) -> ImportedDay:
    distance = value.get("distance")
    return ImportedDay(
        dt.date.fromisoformat(value["date"]),
        RunKind(value["kind"]),
        str(value.get("title") or ""),
        Distance(distance) if distance else None,
    )


def preview_json(found: Preview) -> dict[str, Any]:
    return {
        "first": found.first.isoformat(),
        "last": found.last.isoformat(),
        "days": [day_json(day) for day in found.days],
        "ignored": found.ignored,
    }


def from_json(value: dict[str, Any]) -> Preview:
    return Preview(
        dt.date.fromisoformat(value["first"]),
        dt.date.fromisoformat(value["last"]),
        tuple(day_from_json(day) for day in value["days"]),
        int(value.get("ignored") or 0),
    )


def digest(found: Preview) -> str:
    """A fingerprint of the two weeks read, their run days and the window itself (not of the file:
    feeds restamp every event on each fetch)."""
    days = [(day.date.isoformat(), day.kind.value, day.distance) for day in found.days]
    window = [found.first.isoformat(), found.last.isoformat()]
    return hashlib.sha256(json.dumps([window, days]).encode()).hexdigest()
