"""Reading a date a person typed ("saturday", "next tuesday", "12 april", "3/14/2027").

One reader for the whole bot, on the ``dateparser`` library, so free text, onboarding answers
and commands agree on what a date means. It never reads the clock: ``today`` is an argument,
and relative words are read from it. A weekday name means the next such day after ``today``;
a date without a year, the next such date.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

_SETTINGS: dict[str, object] = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": [],
}
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\s*$")
MAX_TEXT = 64  # a date is never longer than this; longer text is not parsed at all


class AmbiguousDate(ValueError):
    """A numeric date like 03/04/2027 that reads differently day-first and month-first."""

    def __init__(self, first: dt.date, second: dt.date) -> None:
        super().__init__(f"{first.isoformat()} or {second.isoformat()}")
        self.choices = (first, second)


def _numeric(text: str) -> dt.date | None:
    """1/2/2027-style dates: read both ways; ambiguous only when both are real and differ."""
    match = _NUMERIC.match(text)
    if match is None:
        return None
    a, b, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    readings = []
    for month, day in ((a, b), (b, a)):
        try:
            readings.append(dt.date(year, month, day))
        except ValueError:
            continue
    unique = sorted(set(readings))
    if not unique:
        raise ValueError("no such date")
    if len(unique) > 1:
        raise AmbiguousDate(unique[0], unique[1]) if a <= 12 and b <= 12 else ValueError("no such date")
    return unique[0]


def read_date(text: str, today: dt.date) -> dt.date | None:
    """The date ``text`` names, read relative to ``today``; None when it names no date.

    Raises :class:`AmbiguousDate` for a numeric date that could be either day or month first.
    """
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    try:
        numeric = _numeric(text)
    except AmbiguousDate:
        raise
    except ValueError:
        return None
    if numeric is not None:
        return numeric
    base = dt.datetime.combine(today, dt.time(12, 0))  # a wall-clock anchor for relative words
    found = dateparser.parse(text, languages=["en"], settings={**_SETTINGS, "RELATIVE_BASE": base})
    return found.date() if found is not None else None
