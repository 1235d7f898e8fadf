"""The days a message means: the last day of a pause ("till sun", "for a fortnight", "back on the
27th"), the day a run moved to, the day a question is about.

Read from the days the message names (:mod:`bot.coach.day_mentions`) and what is said before each.
Every reader takes ``lowered``, the message lower-cased without apostrophes. Pure: no clock
(``today`` is an argument), no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.coach import lazy_re
from bot.coach.dates import AmbiguousDate
from bot.coach.day_mentions import BACK_BEFORE, UNTIL_BEFORE, Kind, Mention, mentions_in, span_end
from bot.coach.model import Weekday

_DAY = dt.timedelta(days=1)


# ---- the end of a pause ----

_FROM_BEFORE = lazy_re.compile(
    r"(?:\bfrom|\bstarting|\bstarts|\bbeginning|\bleaving|\bfly|\bflying)\s+(?:on\s+)?(?:the\s+)?$"
)


def read_until(lowered: str, today: dt.date, *, day_first: bool | None = None) -> dt.date | None:
    """The last day of a pause the message names, never before ``today``; None when it names none.

    Reads "till sun" (the next Sunday), "til the 20th" (the next 20th), "until 12/18" or "till 17/12",
    "for a fortnight" or "for two weeks" (the last of those days: back on the day after), "for 3
    days", "rest of the month", "end of dec", "14th-21st" (the range's end), "back on the 4th" or
    "back monday" (the day before), "today and tmrw", "until the day after tomorrow", "sat 5th",
    "the fifteenth", "dec 10th", "3rd jan", misspelt weekdays, and dates with a year.

    Of several days named, the one said as an end ("until", "back on", "for two weeks") wins over
    one said plainly, and a start ("from friday") counts last. A numeric date with both parts up to
    12 is read by ``day_first`` (:func:`bot.coach.dates.day_first_for`); when that is None it raises
    :class:`~bot.coach.dates.AmbiguousDate` with both readings, for the caller to ask.
    """
    mentions = mentions_in(lowered, today, day_first)
    if not mentions:
        return None
    ranked: list[tuple[int, dt.date | None, Mention]] = []
    for mention in mentions:
        before = lowered[max(0, mention.start - 24) : mention.start]
        date = mention.date
        if mention.kind is Kind.DAY and BACK_BEFORE.search(before):
            rank, date = 2, None if date is None else date - _DAY
        elif mention.kind is not Kind.DAY or UNTIL_BEFORE.search(before):
            rank = 2
        elif _FROM_BEFORE.search(before):
            rank = 0
        else:
            rank = 1
        if mention.span is not None and ranked and ranked[-1][0] < 2 and ranked[-1][2].kind is Kind.DAY:
            start = ranked[-1][1]  # "away from friday for a week": the span starts on the day just named
            if start is not None and start > today:
                date = span_end(start, mention.span)
        ranked.append((rank, date, mention))
    for n, (rank, _, mention) in enumerate(ranked[:-1]):
        start = ranked[n + 1][1]  # "for a week from tomorrow": the start said after the span
        if mention.span is not None and ranked[n + 1][0] == 0 and start is not None and start > today:
            ranked[n] = (rank, span_end(start, mention.span), mention)
    best = max(rank for rank, _, _ in ranked)
    _, date, chosen = [entry for entry in ranked if entry[0] == best][-1]
    if chosen.date is None:
        raise AmbiguousDate(*chosen.choices[:2])
    return date if date is not None and date >= today else None


# a date written out with its year ("2026-02-30", "31/12/10000", "1 jan 0", "dec 5, 2019"), read or not
NAMES_A_DATE = lazy_re.compile(
    r"\b\d+-\d+-\d+\b|\b\d{1,2}[/.]\d{1,2}[/.]\d+\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d+\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d+\b",
    re.ASCII,
)


def names_a_date(lowered: str) -> bool:
    """Whether the message writes out a date with its year, as a reader may not read it (no such
    day, a year past 9999, a day gone by): a pause "until" it is then refused, not made open-ended."""
    return NAMES_A_DATE.search(lowered) is not None


def pause_until(lowered: str, today: dt.date, *, day_first: bool | None = None) -> dt.date | None:
    """:func:`read_until` that never raises: with the runner's custom (``day_first``) a numeric date
    reads their way; without it an ambiguous one reads as no date (the pause is then open until the
    runner says when)."""
    try:
        return read_until(lowered, today, day_first=day_first)
    except AmbiguousDate:
        return None


# ---- the day a run moved to, the day a question is about ----

# a day said as the one a run is NOT on: "from tuesday", "saturday not sunday", "instead of today"
_NOT_THE_DAY = lazy_re.compile(
    r"(?:\bfrom|\bnot|\binstead of|\brather than|\bcant run|\bcannot run|\bcant do|\bwas|\bwere|\busually"
    r"|\bnormally|\boriginally|\bplanned for|\bscheduled for|\bmeant to be)\s+(?:on\s+|for\s+)?(?:the\s+)?$"
)


def _days(lowered: str, today: dt.date) -> list[Mention]:
    return [m for m in mentions_in(lowered, today, day_first=True) if m.kind is Kind.DAY and m.date is not None]


def moved_to(lowered: str, today: dt.date) -> Weekday | None:
    """The weekday a run moved to: the last day named that is not the one it moved from ("long run
    moved to saturday", "intervals on tue this week not thu", "easy 5k moved from tues to wednesday",
    "my easy jog is tmrw now instead of today", "pushed to the day after tomorrow")."""
    days = _days(lowered, today)
    kept = [m for m in days if not _NOT_THE_DAY.search(lowered, max(0, m.start - 24), m.start)] or days
    return None if not kept or kept[-1].date is None else Weekday.of(kept[-1].date)


# a day said as when something started or ends, not the day asked about: "hurting since monday"
_NOT_ASKED = lazy_re.compile(r"\b(?:since|from|last|till|until|til|after|before|by)\s+(?:this\s+|last\s+)?$")


def read_day(lowered: str, today: dt.date) -> Weekday | None:
    """The weekday a question is about ("what's on thursday", "anything sat?", "what do i have on
    weds", "tmrw" is tomorrow's weekday): the first day named that is not when something started
    ("hurting since monday, what's on friday" asks about Friday), else None."""
    days = [m for m in _days(lowered, today) if not _NOT_ASKED.search(lowered, max(0, m.start - 24), m.start)]
    return None if not days or days[0].date is None else Weekday.of(days[0].date)
