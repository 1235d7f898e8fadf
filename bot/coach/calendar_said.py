"""A calendar change said in words: "no run on the 24th", "long run saturday this week", "I run mon
wed sat now", "race on the 14th, a 10k". Pure: ``today`` is an argument.

Days are read with the shared readers (:mod:`bot.coach.day_mentions`, :mod:`bot.coach.weekdays`),
run days with onboarding's (:func:`bot.coach.answers.days.read_days_unsure`), the run with
:func:`bot.coach.details.read_run` and a race's distance with onboarding's race reader. A date that
does not exist ("the 31st" of a 30-day month, "Feb 30") and one already past are said as such, never
moved to another day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot.coach import lazy_re
from bot.coach.answers.days import read_days_unsure
from bot.coach.answers.races import parse_distance
from bot.coach.answers.words import AnswerError
from bot.coach.day_mentions import Kind, mentions_in
from bot.coach.details import read_run
from bot.coach.model import WEEKDAYS, Distance, RunKind, Weekday
from bot.coach.weekdays import named_weekdays

LOOK_AHEAD = dt.timedelta(days=14)  # a bare "the 2nd" past this month's is next month's, if that near
PAST_BACK = dt.timedelta(days=183)  # "1 december" said on the 6th has passed; in July it is to come


@dataclass(frozen=True, slots=True)
class OneOff:
    """Just this date's run, and a tune-up race's distance when said."""

    day: dt.date
    run: RunKind
    distance: Distance | None = None


@dataclass(frozen=True, slots=True)
class MovedRun:
    """The week's long run or quality run moved to ``day`` (as ``move_run`` moves it)."""

    run: RunKind
    day: dt.date


@dataclass(frozen=True, slots=True)
class RunDays:
    """The usual week's run days from now on."""

    days: tuple[Weekday, ...]


@dataclass(frozen=True, slots=True)
class NoSuchDate:
    day: int
    month: int


@dataclass(frozen=True, slots=True)
class PastDate:
    day: dt.date


CalendarSaid = OneOff | MovedRun | RunDays | NoSuchDate | PastDate

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<{}>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_SUFFIX = r"(?:st|nd|rd|th)"
_DAY_MONTH = lazy_re.compile(
    rf"\b(?P<d1>\d{{1,2}}){_SUFFIX}?\s+(?:of\s+)?{_MONTH.format('m1')}(?:,?\s*(?P<y1>\d{{4}}))?"
    rf"|\b{_MONTH.format('m2')}\s+(?:the\s+)?(?P<d2>\d{{1,2}}){_SUFFIX}?\b(?:,?\s*(?P<y2>\d{{4}}))?"
)
_ISO = lazy_re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_ORDINAL = lazy_re.compile(rf"\b(?:the\s+)?(?P<d>\d{{1,2}}){_SUFFIX}\b")
_RUN_DAYS = lazy_re.compile(
    r"\b(?:i\s+(?:now\s+|only\s+|will\s+|ll\s+)?run(?:\s+on)?|my\s+run(?:ning)?\s+days\s+are|run(?:ning)?\s+days?\s*:)"
)
_FROM_NOW = lazy_re.compile(r"\bnow\b|\bthese days\b|\bnowadays\b|\banymore\b|\bdays\s+are\b|\bdays?\s*:")
_RACE = lazy_re.compile(r"\b(?:race|racing|parkrun)\b")
_REST = lazy_re.compile(r"\bno\s+run|\bnot\s+running|\bno\s+running|\brest\s+day|\bday\s+off|\bcant\s+run|\brest\b")
_NEXT_WEEK = lazy_re.compile(r"\bnext\s+week\b")
_THIS_WEEK = lazy_re.compile(r"\bthis\s+week\b")


def _said_date(lowered: str, today: dt.date) -> tuple[dt.date | NoSuchDate | PastDate | None, bool]:
    """The date the text names and whether it was a date rather than a weekday or "tomorrow"."""
    iso = _ISO.search(lowered)
    if iso is not None and 1 <= int(iso.group("m")) <= 12:
        return _month_day(int(iso.group("d")), int(iso.group("m")), int(iso.group("y")), today), True
    found = _DAY_MONTH.search(lowered)
    if found is not None:
        day = int(found.group("d1") or found.group("d2"))
        month = _MONTHS.index((found.group("m1") or found.group("m2"))[:3]) + 1
        year = found.group("y1") or found.group("y2")
        return _month_day(day, month, int(year) if year else None, today), True
    found = _ORDINAL.search(lowered)
    if found is not None:
        return _ordinal(int(found.group("d")), today), True
    named = named_weekdays(lowered)
    if named:
        return _weekday(named[0].day, lowered, today), False
    days = [m for m in mentions_in(lowered, today, day_first=True) if m.kind is Kind.DAY and m.date is not None]
    return (days[0].date if days else None), False


def _month_day(day: int, month: int, year: int | None, today: dt.date) -> dt.date | NoSuchDate | PastDate:
    longest = 29 if month == 2 else calendar.monthrange(year or today.year, month)[1]
    if not 1 <= day <= longest:
        return NoSuchDate(day, month)
    if year is None:
        year = today.year
        if dt.date(year, month, min(day, 28)) < today - PAST_BACK:
            year += 1  # "3 january" said in December: the coming one
    try:
        date = dt.date(year, month, day)
    except ValueError:  # 29 February of a year that has none
        return NoSuchDate(day, month)
    return PastDate(date) if date < today else date


def _ordinal(day: int, today: dt.date) -> dt.date | NoSuchDate | PastDate:
    """ "the 24th": this month's, or next month's when this month's has passed and it is near."""
    this_month = calendar.monthrange(today.year, today.month)[1]
    if day < 1:
        return NoSuchDate(day, today.month)
    nxt = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    near = day <= calendar.monthrange(nxt.year, nxt.month)[1] and nxt.replace(day=day) - today <= LOOK_AHEAD
    if near and (day > this_month or today.replace(day=day) < today):
        return nxt.replace(day=day)
    if day > this_month:
        return NoSuchDate(day, today.month)
    date = today.replace(day=day)
    return PastDate(date) if date < today else date


def _weekday(day: Weekday, lowered: str, today: dt.date) -> dt.date | PastDate:
    """That weekday this week ("this week" said or not), or next week's when said; a weekday of this
    week already gone is next week's, unless "this week" was said."""
    date = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=WEEKDAYS.index(day))
    if _NEXT_WEEK.search(lowered):
        return date + dt.timedelta(days=7)
    if date < today:
        return PastDate(date) if _THIS_WEEK.search(lowered) else date + dt.timedelta(days=7)
    return date


def _run_days_said(lowered: str, *, anywhere: bool) -> bool:
    """ "I run mon wed sat now": run days, no distance or date ("I run 5k on monday" is no new
    week); outside /calendar only with a word that says it is from now on."""
    if not _RUN_DAYS.search(lowered) or not named_weekdays(lowered) or re.search(r"\d", lowered):
        return False
    return not anywhere or _FROM_NOW.search(lowered) is not None


def read_calendar(text: str, today: dt.date, *, anywhere: bool = False) -> CalendarSaid | None:
    """The calendar change ``text`` says, or None when it says none.

    ``anywhere``: the text came outside /calendar, so only what cannot be anything else is read:
    run days from now on ("I run mon wed sat now"), and a race or no run on a date ("the 24th").
    """
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    if _run_days_said(lowered, anywhere=anywhere):
        try:
            days, _sure = read_days_unsure(lowered)
        except AnswerError:  # "mon and blursday": not run days I can read
            days = []
        if days:
            return RunDays(tuple(days))
    race, rest = _RACE.search(lowered) is not None, _REST.search(lowered) is not None
    run = RunKind.RACE if race else RunKind.REST if rest else read_run(lowered)
    if run is None:
        return None
    date, is_date = _said_date(lowered, today)
    if date is None or (anywhere and not (is_date and (race or rest))):
        return None
    if isinstance(date, NoSuchDate | PastDate):
        return date
    if run is RunKind.RACE:
        return OneOff(date, run, parse_distance(lowered) or (Distance.K5 if "parkrun" in lowered else None))
    if run in (RunKind.LONG, RunKind.QUALITY):
        return MovedRun(run, date)
    return OneOff(date, run)
