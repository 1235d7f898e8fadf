"""A runner's training calendar read from an iCalendar file: which days hold which kind of run.

Training platforms (TrainingPeaks, Garmin Connect, Runna, Final Surge, intervals.icu) publish
the plan as iCalendar. :func:`read_calendar` parses it with ``icalendar``, expands recurrences with
``recurring_ical_events`` (which honours ``X-WR-TIMEZONE`` through the ``x_wr_timezone`` package),
places each event on the runner's own date (a 06:30 Berlin run is that date in Berlin; an all-day
event is its date; UTC times convert) and reads its kind from its title (:func:`classify`).

Bad input is an answer, never an exception: empty, binary, not iCalendar, too big, or no run in
the window (:class:`IcsProblem`). A malformed event is skipped and the rest kept. What a file can
make the reader do is bounded: only events that may fall in the window are expanded, at most
``MAX_EVENTS`` of them; no recurrence finer than daily (no training plan repeats a run every hour,
and ``FREQ=SECONDLY`` without an end would expand for ever); recurrences that would together walk
too many days from their starts to the window are left out (the expansion walks each from its
start); and the window is expanded in one query. Parsing a 1 MB file takes icalendar a few seconds
of CPU: callers on an event loop run this in a thread.

Pure: no I/O, no clock (the window and the runner's zone are arguments).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.coach.calendar_words import classify
from bot.coach.model import Distance, RunKind

if TYPE_CHECKING:  # imported where a calendar is read: the bot starts without them (3 MiB, 0.06 s)
    import icalendar

__all__ = [
    "MAX_EVENTS",
    "MAX_ICS_BYTES",
    "IcsProblem",
    "ImportedCalendar",
    "ImportedDay",
    "classify",
    "read_calendar",
]

MAX_ICS_BYTES = 1_000_000
MAX_EVENTS = 2_000  # events (VEVENTs) that may fall in the window, read from one file; the rest are left out
_RECURRENCE_DAYS = 100_000  # days all recurring events together may walk from their start to the window
_DAILY_OR_SLOWER = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_TITLE_CHARS = 80
_DAY = dt.timedelta(days=1)
# two runs on one date: the harder kind is the day's
_RANK = {RunKind.REST: 0, RunKind.EASY: 1, RunKind.QUALITY: 2, RunKind.LONG: 3, RunKind.RACE: 4}


@dataclass(frozen=True, slots=True)
class ImportedDay:
    """A date of the runner's calendar and the run it holds, as the event's title says it."""

    date: dt.date
    kind: RunKind
    title: str  # the event's title as written, trimmed, at most 80 characters
    distance: Distance | None = None  # a race's distance when its title or description says it


@dataclass(frozen=True, slots=True)
class ImportedCalendar:
    """The run days of a calendar in a window: one per date with a run or a rest day, sorted."""

    days: tuple[ImportedDay, ...]
    zone: str | None  # the calendar's time zone (X-WR-TIMEZONE or its VTIMEZONE), when it names one
    ignored: int  # events in the window that were no runs (other sports, notes)


class IcsProblem(StrEnum):
    EMPTY = "empty"
    NOT_ICS = "not_ics"
    BINARY = "binary"
    TOO_BIG = "too_big"
    NO_RUNS = "no_runs"


def read_calendar(data: bytes, first: dt.date, last: dt.date, zone: ZoneInfo) -> ImportedCalendar | IcsProblem:
    """The run days of the iCalendar ``data`` from ``first`` to ``last`` (both included), on the
    dates of the runner's ``zone``; or what is wrong with ``data``. Never raises."""
    text = _text(data)
    if isinstance(text, IcsProblem):
        return text
    try:
        import icalendar

        calendar = icalendar.Calendar.from_ical(_window_only(text, first, last))
    except Exception:  # icalendar raises ValueError, KeyError, IndexError ... on broken text
        return IcsProblem.NOT_ICS
    if not isinstance(calendar, icalendar.Calendar):
        return IcsProblem.NOT_ICS
    name = _calendar_zone(calendar)
    floating = ZoneInfo(name) if name else zone  # what a time without a zone means
    try:
        _bound(calendar, first, last)
        days, ignored = _days(_occurrences(calendar, first, last, zone), first, last, zone, floating)
    except Exception:  # a calendar the libraries cannot expand at all
        return IcsProblem.NOT_ICS
    if not any(day.kind is not RunKind.REST for day in days):
        return IcsProblem.NO_RUNS
    return ImportedCalendar(days=days, zone=name, ignored=ignored)


def _text(data: bytes) -> str | IcsProblem:
    """``data`` as text, or why it cannot be an iCalendar file."""
    if not data.strip():
        return IcsProblem.EMPTY
    if len(data) > MAX_ICS_BYTES:
        return IcsProblem.TOO_BIG
    if b"\x00" in data:
        return IcsProblem.BINARY
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return IcsProblem.BINARY
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return IcsProblem.NOT_ICS
    return text


_KEEP_ANYWHERE = frozenset({"RRULE", "RDATE", "RECURRENCE-ID"})
_START_DATE = re.compile(r":(\d{8})(?:T\d{6}Z?)?\s*$")


def _may_fall_in(block: list[str], low: str, high: str) -> bool:
    """Whether the event of these lines may fall between the dates ``low`` and ``high`` (YYYYMMDD):
    a recurrence or a moved occurrence may; a single event only when it starts between them."""
    start: str | None = None
    for line in block:
        name = line.split(":", 1)[0].split(";", 1)[0].strip().upper()
        if name in _KEEP_ANYWHERE:
            return True
        if name == "DTSTART" and start is None:
            found = _START_DATE.search(line)
            start = found.group(1) if found else ""
    return not start or low <= start <= high


def _window_only(text: str, first: dt.date, last: dt.date) -> str:
    """``text`` without the single events that start far from the window, and with at most
    MAX_EVENTS events: a feed with years of history is parsed for its weeks, not its years.

    Read line by line, so it takes one pass whatever the text; a line it cannot read (a folded
    start) keeps its event, which the parser then judges.
    """
    low, high = (first - 2 * _DAY).strftime("%Y%m%d"), (last + 2 * _DAY).strftime("%Y%m%d")
    kept: list[str] = []
    block: list[str] | None = None
    events = 0
    for line in text.splitlines(keepends=True):
        bare = line.strip().upper()
        if block is None:
            if bare == "BEGIN:VEVENT":
                block = [line]
            else:
                kept.append(line)
            continue
        block.append(line)
        if bare == "END:VEVENT":
            if events < MAX_EVENTS and _may_fall_in(block, low, high):
                kept.extend(block)
                events += 1
            block = None
    kept.extend(block or ())
    return "".join(kept)


def _zone_named(name: Any) -> str | None:
    """``name`` when it is a time zone ``zoneinfo`` knows, else None."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        ZoneInfo(name.strip())
    except Exception:  # unknown, or not a key at all ("../x", "Eastern Standard Time")
        return None
    return name.strip()


def _calendar_zone(calendar: icalendar.Calendar) -> str | None:
    """The calendar's own time zone: its X-WR-TIMEZONE, else its first VTIMEZONE that zoneinfo knows.

    An X-WR-TIMEZONE that zoneinfo does not know is dropped, so the expansion does not stop on it.
    """
    named = _zone_named(str(calendar.get("X-WR-TIMEZONE", "")))
    if "X-WR-TIMEZONE" in calendar and named is None:
        del calendar["X-WR-TIMEZONE"]
    if named is not None:
        return named
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            found = _zone_named(str(component.get("TZID", "")))
            if found is not None:
                return found
    return None


def _rules(event: icalendar.cal.Component) -> list[Any]:
    rules = event.get("RRULE")
    if rules is None:
        return []
    return list(rules) if isinstance(rules, list) else [rules]


def _cost(event: icalendar.cal.Component, first: dt.date, last: dt.date) -> int | None:
    """The days ``event``'s recurrence walks from its start to ``last`` (0 for an event without
    one); None for an event to leave out: no readable start, a recurrence finer than daily, or a
    single event (or a series) that cannot fall in the window."""
    start = event.decoded("DTSTART")
    if not isinstance(start, dt.date):
        return None
    day = start.date() if isinstance(start, dt.datetime) else start
    if day > last + 2 * _DAY and "RECURRENCE-ID" not in event:
        return None  # starts after the window (a day's margin each side for any time zone)
    rules = _rules(event)
    for rule in rules:
        freq = rule.get("FREQ") or [""]
        if str(freq[0]).upper() not in _DAILY_OR_SLOWER:
            return None
        if any(len(rule.get(part) or ()) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND")):
            return None  # "every day at 0..23 h": hourly in disguise
    if not rules:  # a single event, a moved occurrence (its series may be in the window) or listed dates
        keep = day >= first - 2 * _DAY or "RECURRENCE-ID" in event or "RDATE" in event
        return 0 if keep else None
    return ((last - day).days + 1) * len(rules)


def _bound(calendar: icalendar.Calendar, first: dt.date, last: dt.date) -> None:
    """Keep in ``calendar`` only the events that may fall in the window and are cheap enough to
    expand (see the module's note); every other component (time zones) stays."""
    kept: list[icalendar.cal.Component] = []
    events = walk = 0
    for component in calendar.subcomponents:
        if component.name != "VEVENT":
            kept.append(component)
            continue
        try:
            days = _cost(component, first, last)
        except Exception:  # a malformed event: skip it, keep the rest
            days = None
        if days is None or events >= MAX_EVENTS or walk + days > _RECURRENCE_DAYS:
            continue
        events += 1
        walk += days
        kept.append(component)
    calendar.subcomponents[:] = kept


def _occurrences(calendar: icalendar.Calendar, first: dt.date, last: dt.date, zone: ZoneInfo) -> list[Any]:
    """The events of ``calendar`` from the day before ``first`` to the day after ``last``, in one
    query (each recurrence is walked once)."""
    start = dt.datetime.combine(first - _DAY, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last + 2 * _DAY, dt.time(), tzinfo=zone)
    import recurring_ical_events

    return list(recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end))


def _local_date(start: dt.date, zone: ZoneInfo, floating: ZoneInfo) -> dt.date:
    """The runner's date of an event starting at ``start`` (a date for an all-day event)."""
    if not isinstance(start, dt.datetime):
        return start
    aware = start if start.tzinfo is not None else start.replace(tzinfo=floating)
    return aware.astimezone(zone).date()


def _title(summary: str) -> str:
    words = " ".join(summary.split())
    return words if len(words) <= _TITLE_CHARS else words[: _TITLE_CHARS - 1].rstrip() + "…"


def _days(
    occurrences: Iterable[Any], first: dt.date, last: dt.date, zone: ZoneInfo, floating: ZoneInfo
) -> tuple[tuple[ImportedDay, ...], int]:
    """The strongest run of each date in the window, and how many events there were no runs."""
    best: dict[dt.date, ImportedDay] = {}
    ignored = 0
    for event in occurrences:
        try:
            date = _local_date(event.decoded("DTSTART"), zone, floating)
        except Exception:  # an occurrence without a readable start
            continue
        if not first <= date <= last or str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        title, description = str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))
        found = classify(title, description)
        if found is None:
            ignored += 1
            continue
        day = ImportedDay(date=date, kind=found[0], title=_title(title), distance=found[1])
        held = best.get(date)
        if held is None or _RANK[day.kind] > _RANK[held.kind]:
            best[date] = day
    return tuple(best[date] for date in sorted(best)), ignored
