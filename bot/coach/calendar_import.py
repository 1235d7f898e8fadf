"""Reading a runner's training calendar (iCalendar) into run days: a STAND-IN for branch i19-icscore.

Only the interface the import flow needs (``read_calendar``, ``ImportedDay``, ``ImportedCalendar``,
``IcsProblem``, ``MAX_ICS_BYTES``); the real reader lands with i19-icscore and replaces this file
whole at the merge.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from bot.coach.vocabulary import Distance, RunKind

MAX_ICS_BYTES = 1_000_000


class IcsProblem(StrEnum):
    EMPTY = "empty"
    NOT_ICS = "not_ics"
    BINARY = "binary"
    TOO_BIG = "too_big"
    NO_RUNS = "no_runs"


@dataclass(frozen=True, slots=True)
class ImportedDay:
    date: dt.date
    kind: RunKind
    title: str
    distance: Distance | None = None


@dataclass(frozen=True, slots=True)
class ImportedCalendar:
    days: tuple[ImportedDay, ...]
    zone: ZoneInfo
    ignored: int = 0


_KINDS = (
    (re.compile(r"\brace\b|marathon|\bhalf\b|\b10 ?k\b|\b5 ?k\b", re.I), RunKind.RACE),
    (re.compile(r"\brest\b", re.I), RunKind.REST),
    (re.compile(r"\blong\b", re.I), RunKind.LONG),
    (re.compile(r"interval|tempo|threshold|fartlek|\d+ ?x ?\d+|hill", re.I), RunKind.QUALITY),
    (re.compile(r"\beasy\b|recovery|\brun\b|jog", re.I), RunKind.EASY),
)
_DISTANCES = (
    (re.compile(r"half", re.I), Distance.HALF),
    (re.compile(r"marathon", re.I), Distance.MARATHON),
    (re.compile(r"\b10 ?k", re.I), Distance.K10),
    (re.compile(r"\b5 ?k", re.I), Distance.K5),
)
_RANK = {RunKind.REST: 0, RunKind.EASY: 1, RunKind.QUALITY: 2, RunKind.LONG: 3, RunKind.RACE: 4}


def _kind(title: str) -> RunKind | None:
    return next((kind for pattern, kind in _KINDS if pattern.search(title)), None)


def read_calendar(data: bytes, first: dt.date, last: dt.date, zone: ZoneInfo) -> ImportedCalendar | IcsProblem:
    """The run days from ``first`` to ``last`` (both included) of an iCalendar file."""
    if len(data) > MAX_ICS_BYTES:
        return IcsProblem.TOO_BIG
    if not data.strip():
        return IcsProblem.EMPTY
    if b"\x00" in data[:4096]:
        return IcsProblem.BINARY
    try:
        calendar = icalendar.Calendar.from_ical(data)
        events = recurring_ical_events.of(calendar).between(first, last + dt.timedelta(days=1))
    except (ValueError, UnicodeDecodeError):
        return IcsProblem.NOT_ICS
    days: dict[dt.date, ImportedDay] = {}
    ignored = 0
    for event in events:
        title = str(event.get("SUMMARY", ""))
        start = event.get("DTSTART").dt
        date = start.astimezone(zone).date() if isinstance(start, dt.datetime) and start.tzinfo else start
        date = date.date() if isinstance(date, dt.datetime) else date
        kind = _kind(title)
        if kind is None or not first <= date <= last:
            ignored += kind is None
            continue
        distance = next((d for p, d in _DISTANCES if p.search(title)), None) if kind is RunKind.RACE else None
        if date not in days or _RANK[kind] > _RANK[days[date].kind]:
            days[date] = ImportedDay(date, kind, title, distance)
    if not days:
        return IcsProblem.NO_RUNS
    return ImportedCalendar(tuple(sorted(days.values(), key=lambda d: d.date)), zone, ignored)
