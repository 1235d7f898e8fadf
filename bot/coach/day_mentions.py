"""Every day, span and period end a message names ("thrusday", "tmrw", "the 27th", "12/18", "for a
fortnight", "end of dec", "sat 5th", "christmas"), each with where it stands and its date.

The grammar the day readers (:mod:`bot.coach.day_readers`) share. Pure: ``today`` is an argument.
``dateparser`` is not called: the forms people use for a day are read by the rules below, so a
message is read in tens of microseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.coach import lazy_re
from bot.coach.details import NUMBER_WORDS
from bot.coach.model import WEEKDAYS, Weekday
from bot.coach.weekdays import named_weekdays

_DAY = dt.timedelta(days=1)

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_DOM = r"(?:[12]\d|3[01]|0?[1-9])"
_SUFFIX = r"(?:st|nd|rd|th)"
# any year said is read (a date past 9999 or before today then reads as no date, and the callers
# refuse it), so "31 december 9999" never quietly becomes this year's 31 December
_YEAR = r"(?:,?\s*(?P<{}>[1-9]\d{{3,}})\b)?"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|couple of|\d{1,3})"
_TOMORROW = (
    r"(?:tomorrow|tomorow|tommorow|tommorrow|tomorrrow|tmrw|tmrow|tmoro|tmr|tmw|2moro|2morrow|2mrw|2mro|tomoz|tomo)"
)
_DATES = lazy_re.compile(
    r"\b(?:"
    r"(?P<iso>(?P<iso_y>\d{4,})-(?P<iso_m>\d\d?)-(?P<iso_d>\d\d?))"
    r"|(?P<num>(?P<num_a>\d{1,2})[/.](?P<num_b>\d{1,2})(?:[/.](?P<num_y>\d{4}|\d{2}))?)(?![/.]?\d)"
    rf"|(?:the\s+)?(?P<dm_d>{_DOM}){_SUFFIX}?(?:\s+of)?\s+(?P<dm_m>{_MONTH}){_YEAR.format('dm_y')}"
    rf"|(?:the\s+)?(?P<dmw_d>{_ORDINAL_WORD})(?:\s+of)?\s+(?P<dmw_m>{_MONTH}){_YEAR.format('dmw_y')}"
    rf"|(?P<md_m>{_MONTH})\s+(?:the\s+)?(?:(?P<md_d>{_DOM}){_SUFFIX}?|(?P<mdw_d>{_ORDINAL_WORD}))\b"
    rf"{_YEAR.format('md_y')}"
    rf"|(?:the\s+)?(?P<od>{_DOM}){_SUFFIX}"
    rf"|the\s+(?P<odw>{_ORDINAL_WORD})"
    rf"|(?P<after>(?:the\s+)?day\s+after\s+{_TOMORROW})"
    rf"|(?P<tomorrow>{_TOMORROW})"
    r"|(?P<today>today|tonight|tday|2day|2nite)"
    rf"|(?P<span>(?P<count>{_COUNT})\s+(?P<unit>days?|weeks?|wks?|months?))"
    r"|(?P<fortnight>(?:a\s+)?fortnight)"
    rf"|(?:the\s+)?(?P<eo>end|rest)\s+of\s+(?:the\s+|this\s+)?(?P<eo_next>next\s+)?(?P<eo_what>month|week|year|{_MONTH})"
    r"|(?P<weekend>(?:the|this|next)\s+weekend)"
    r"|(?P<xmas>christmas eve|xmas eve|christmas|xmas|boxing day|new years eve|nye|new years day|new years?)"
    r")(?:\b|(?<=\.))"
)
_HOLIDAYS = {
    "christmas eve": (12, 24),
    "xmas eve": (12, 24),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "boxing day": (12, 26),
    "new years eve": (12, 31),
    "nye": (12, 31),
    "new years day": (1, 1),
    "new years": (1, 1),
    "new year": (1, 1),
}


class Kind(StrEnum):
    """What a mention names."""

    DAY = "day"  # a day: a weekday, "tomorrow", a date
    SPAN = "span"  # a length of time: "for two weeks", "a fortnight"; its date is its last day
    END = "end"  # the end of a period: "rest of the month", "end of dec"


@dataclass(frozen=True, slots=True)
class Mention:
    """A day, span or period end named in a text: where it stands, and its date."""

    start: int
    end: int
    kind: Kind
    date: dt.date | None  # None when ambiguous (``choices`` then holds both readings)
    choices: tuple[dt.date, ...] = ()
    month_day: int | None = None  # "the 5th" without a month: re-read when a weekday goes with it
    span: tuple[int, bool] | None = None  # a span's length: (count, in months rather than days)


def span_end(first: dt.date, span: tuple[int, bool]) -> dt.date:
    """The last day of a span starting on ``first``: "a week" from a Friday ends on the Thursday."""
    count, months = span
    return (_add_months(first, count) if months else first + dt.timedelta(days=count)) - _DAY


def _next_month_day(day: int, today: dt.date, weekday: Weekday | None = None) -> dt.date | None:
    """The next ``day`` of a month from today on (the 31st skips short months); with a weekday ("sat
    5th"), the next one that falls on it within a year, else simply the next."""
    year, month = today.year, today.month
    first: dt.date | None = None
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            date = dt.date(year, month, day)
            if date >= today:
                if weekday is None or Weekday.of(date) is weekday:
                    return date
                first = first or date
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first


def _next_date(month: int, day: int, today: dt.date, year: int | None = None) -> dt.date | None:
    """That day of that month: in the year given (None if it has passed), else its next occurrence."""
    if year is not None:
        try:
            date = dt.date(year, month, day)
        except (ValueError, OverflowError):
            return None
        return date if date >= today else None
    for offset in range(9):  # 29 February waits for a leap year
        try:
            date = dt.date(today.year + offset, month, day)
        except ValueError:
            continue
        if date >= today:
            return date
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _next_weekday(day: Weekday, today: dt.date) -> dt.date:
    """The next such day after today ("sunday" said on a Sunday is a week away)."""
    ahead = (WEEKDAYS.index(day) - today.weekday()) % 7
    return today + dt.timedelta(days=ahead or 7)


def _ordinal(word: str) -> int:
    word = word.replace("-", " ")
    if word in _ORDINALS:
        return _ORDINALS[word]
    tens, _, unit = word.partition(" ") if " " in word else (word[:6], "", word[6:])
    return (20 if tens.startswith("twenty") else 30) + _ORDINALS[unit.strip()]


def _count(word: str) -> int:
    if "couple" in word:
        return 2
    if word in ("a", "an"):
        return 1
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _numeric(
    a: int, b: int, year: int | None, today: dt.date, day_first: bool | None
) -> tuple[dt.date | None, tuple[dt.date, ...]]:
    """12/18 or 17/12 (a year optional): unambiguous when one part is over 12, else read by the
    runner's custom (``day_first``); with no custom known, both readings come back to ask."""
    readings = {(b, a), (a, b)} if a <= 12 and b <= 12 else {(b, a)} if b <= 12 else {(a, b)} if a <= 12 else set()
    if len(readings) == 2 and day_first is not None:
        readings = {(b, a) if day_first else (a, b)}
    dates = sorted({date for month, day in readings if (date := _next_date(month, day, today, year)) is not None})
    if len(dates) == 1:
        return dates[0], ()
    return None, tuple(dates)


def _read(match: re.Match[str], today: dt.date, day_first: bool | None) -> Mention | None:
    group = match.group
    start, end = match.start(), match.end()

    def day(date: dt.date | None, month_day: int | None = None) -> Mention | None:
        return None if date is None else Mention(start, end, Kind.DAY, date, month_day=month_day)

    if group("iso"):
        return day(_next_date(int(group("iso_m")), int(group("iso_d")), today, int(group("iso_y"))))
    if group("num"):
        date, choices = _numeric(int(group("num_a")), int(group("num_b")), _year(group("num_y")), today, day_first)
        if date is None and not choices:
            return None
        return Mention(start, end, Kind.DAY, date, choices)
    if group("dm_d"):
        return day(_next_date(_MONTHS[group("dm_m")[:3]], int(group("dm_d")), today, _year(group("dm_y"))))
    if group("dmw_d"):
        return day(_next_date(_MONTHS[group("dmw_m")[:3]], _ordinal(group("dmw_d")), today, _year(group("dmw_y"))))
    if group("md_m"):
        number = int(group("md_d")) if group("md_d") else _ordinal(group("mdw_d"))
        return day(_next_date(_MONTHS[group("md_m")[:3]], number, today, _year(group("md_y"))))
    if group("od") or group("odw"):
        number = int(group("od")) if group("od") else _ordinal(group("odw"))
        return day(_next_month_day(number, today), number)
    if group("after"):
        return day(today + 2 * _DAY)
    if group("tomorrow"):
        return day(today + _DAY)
    if group("today"):
        return day(today)
    if group("span") or group("fortnight"):
        if group("fortnight"):
            span = (14, False)
        else:
            count, unit = _count(group("count")), group("unit")
            if count == 0:
                return None
            span = (count, True) if unit.startswith("m") else (count * (7 if unit.startswith("w") else 1), False)
        return Mention(start, end, Kind.SPAN, span_end(today, span), span=span)  # back on the day after
    if group("eo"):
        what = group("eo_what")
        later = 1 if group("eo_next") else 0
        if what == "week":
            return Mention(start, end, Kind.END, today + dt.timedelta(days=6 - today.weekday() + 7 * later))
        if what == "year":
            return Mention(start, end, Kind.END, dt.date(today.year + later, 12, 31))
        if what == "month":
            month = _add_months(today.replace(day=1), later)
            return Mention(start, end, Kind.END, _month_end(month.year, month.month))
        month_number = _MONTHS[what[:3]]
        year = today.year if month_number >= today.month else today.year + 1
        return Mention(start, end, Kind.END, _month_end(year, month_number))
    if group("weekend"):
        sunday = today + dt.timedelta(days=6 - today.weekday())
        return Mention(start, end, Kind.END, sunday + (7 * _DAY if group("weekend").startswith("next") else _DAY * 0))
    if group("xmas"):
        holiday = _HOLIDAYS[group("xmas")]
        return day(_next_date(*holiday, today))
    return None  # pragma: no cover - every alternative is read above


_WEEK_ON = lazy_re.compile(r"\s+week\b")
_JOINED = lazy_re.compile(r"[\s,]*(?:the\s+)?")


def mentions_in(lowered: str, today: dt.date, day_first: bool | None = None) -> list[Mention]:
    """Every day, span and period end the text names, in order."""
    found = [m for match in _DATES.finditer(lowered) if (m := _read(match, today, day_first)) is not None]
    taken = [(m.start, m.end) for m in found]
    for named in named_weekdays(lowered):
        if any(start <= named.start < end for start, end in taken):
            continue
        after = next((m for m in found if m.start >= named.end), None)
        if after is not None and _JOINED.fullmatch(lowered, named.end, after.start):
            # "sat 5th", "monday the 14th", "sunday 3 jan": the date says which day; a bare day of the
            # month is re-read as the next one falling on that weekday
            if after.month_day is not None:
                found[found.index(after)] = Mention(
                    named.start, after.end, Kind.DAY, _next_month_day(after.month_day, today, named.day)
                )
            continue
        week = _WEEK_ON.match(lowered, named.end)  # "sunday week": a week on from the coming Sunday
        date = _next_weekday(named.day, today) + (7 * _DAY if week else dt.timedelta(0))
        found.append(Mention(named.start, week.end() if week else named.end, Kind.DAY, date))
    found.sort(key=lambda m: m.start)
    for n, mention in enumerate(found[1:], start=1):
        earlier = found[n - 1].date
        if mention.month_day is None or earlier is None or mention.date is None or mention.date >= earlier:
            continue
        if UNTIL_BEFORE.search(lowered, 0, mention.start) or BACK_BEFORE.search(lowered, 0, mention.start):
            # "over christmas, back on the 27th", "28th-3rd": a day of the month ending a span comes after its start
            later = _next_month_day(mention.month_day, earlier)
            found[n] = Mention(mention.start, mention.end, mention.kind, later, month_day=mention.month_day)
    return found


# ---- what is said before a day that ends a span ----

UNTIL_BEFORE = lazy_re.compile(
    r"(?:\buntil|\buntill|\bunitl|\btill|\btil|\bthru|\bthrough|\bto|\bup to|\bending|\bends|\bend|\bby|[-–—]|\band)"
    r"\s*(?:on\s+|the\s+)?$"
)
BACK_BEFORE = lazy_re.compile(
    r"(?:\bback|\breturn|\breturning|\bhome|\bresume|\bresuming|\brestart|\brestarting|\bstart again|\bstarting again"
    r"|\brunning again|\btraining again|\bsee you)\s+(?:on\s+|in\s+|by\s+|for\s+|from\s+|at\s+)?(?:the\s+)?$"
)
