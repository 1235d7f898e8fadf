"""Reading a date a person typed ("saturday", "next tuesday", "12 april", "3/14/2027").

One reader for the whole bot, on the ``dateparser`` library, so free text, onboarding answers
and commands agree on what a date means. It never reads the clock: ``today`` is an argument,
and relative words are read from it. A weekday name means the next such day after ``today``;
a date without a year, the next such date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.coach import lazy_re

_SETTINGS: dict[str, object] = {
    "PREFER_DATES_FROM": "future",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": [],
}
_NUMERIC = lazy_re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\s*$")
MAX_TEXT = 64  # a date is never longer than this; longer text is not parsed at all
MAX_SENTENCE = 1000  # find_dates looks no further into a message than this


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


# a period that names no day: dateparser would put it on today's day of that month or year
VAGUE = lazy_re.compile(
    r"(?:(?:in|during|by|around|sometime|some\s+time)(?:\s+in)?\s+)?"
    r"(?:(?:next|this|the\s+coming)\s+(?:year|month|spring|summer|autumn|fall|winter)"
    r"|(?:the\s+)?(?:spring|summer|autumn|fall|winter)(?:\s+\d{4})?|\d{4}|later|soon|sometime)[.!]?$"
)


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
    if VAGUE.match(text.lower()):
        return None  # a period, not a day: asked, never invented ("next year" is not 1 Dec next year)
    base = dt.datetime.combine(today, dt.time(12, 0))  # a wall-clock anchor for relative words
    import dateparser  # its language data takes a tenth of a second: only a typed date pays for it

    found = dateparser.parse(text, languages=["en"], settings={**_SETTINGS, "RELATIVE_BASE": base})
    return found.date() if found is not None else None


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date named inside a longer text, with where it was said (``start``, ``end`` index the text)."""

    start: int
    end: int
    date: dt.date


_WEEKDAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
_WEEKDAY = (
    r"(?P<wd>mon(?:day)?|tue(?:s|sday)?|wed(?:s|nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
# the shapes of a date inside a sentence; each match is then read by ``read_date``
_DATE_IN_TEXT = lazy_re.compile(
    r"\b(?:"
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<num>\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    rf"|(?:the\s+)?(?P<dm_day>\d{{1,2}}){_ORDINAL}(?:\s+of)?\s+(?P<dm_month>{_MONTH})"
    rf"|(?P<md_month>{_MONTH})\s+(?:the\s+)?(?P<md_day>\d{{1,2}}){_ORDINAL}"
    rf"|(?P<rel>(?:next|this|coming)\s+)?{_WEEKDAY}"
    r"|(?P<word>today|tonight|tomorrow|tomorow|tmrw|tmr|2moro)"
    rf"|(?P<span>(?:for|in)\s+{_COUNT}\s+(?P<unit>days?|weeks?))"
    rf"|(?P<bare>{_COUNT})\s+(?P<bare_unit>weeks?)"
    r")\b",
    re.IGNORECASE,
)
_WORD_DAYS = {"today": "today", "tonight": "today"}


def _canonical(match: re.Match[str]) -> str:
    """The matched words in a form ``read_date`` reads: full weekday names, plain day-month."""
    groups = match.groupdict()
    if groups["iso"] or groups["num"]:
        return match.group(0)
    if groups["dm_day"]:
        return f"{groups['dm_day']} {groups['dm_month']}"
    if groups["md_day"]:
        return f"{groups['md_day']} {groups['md_month']}"
    if groups["wd"]:
        rel = (groups["rel"] or "").strip().lower()
        day = _WEEKDAY_NAMES[groups["wd"][:3].lower()]
        return f"next {day}" if rel == "next" else day
    if groups["word"]:
        return _WORD_DAYS.get(groups["word"].lower(), "tomorrow")
    if groups["span"]:
        return "in " + groups["span"].split(None, 1)[1]
    return f"in {groups['bare']} {groups['bare_unit']}"


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every date named inside a longer text ("moving my long run to saturday", "off for 2 weeks").

    Each candidate phrase is read with :func:`read_date`, so a date means the same here as
    anywhere else in the bot; a numeric date that reads two ways is left out, never guessed.
    """
    found: list[FoundDate] = []
    for match in _DATE_IN_TEXT.finditer(text[:MAX_SENTENCE]):
        try:
            date = read_date(_canonical(match), today)
        except AmbiguousDate:
            continue
        if date is not None:
            found.append(FoundDate(match.start(), match.end(), date))
    return found


# Where people write the month first (12/18 is 18 December): the United States, so its IANA zones.
# Everywhere else writes the day first, or year-month-day, which the ISO form covers: a fine first
# rule (Canada mixes both and the Philippines and a few others write month first too; they can be
# added here when a runner there shows up). Unknown or empty zones read day-first.
_MONTH_FIRST_ZONES = frozenset(
    {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Phoenix",
        "America/Anchorage",
        "America/Adak",
        "America/Boise",
        "America/Detroit",
        "America/Juneau",
        "America/Sitka",
        "America/Nome",
        "America/Yakutat",
        "America/Metlakatla",
        "America/Menominee",
        "America/Indiana/Indianapolis",
        "America/Indiana/Knox",
        "America/Indiana/Marengo",
        "America/Indiana/Petersburg",
        "America/Indiana/Tell_City",
        "America/Indiana/Vevay",
        "America/Indiana/Vincennes",
        "America/Indiana/Winamac",
        "America/Kentucky/Louisville",
        "America/Kentucky/Monticello",
        "America/North_Dakota/Beulah",
        "America/North_Dakota/Center",
        "America/North_Dakota/New_Salem",
        "America/Puerto_Rico",
        "Pacific/Honolulu",
        "Pacific/Guam",
        "US/Eastern",
        "US/Central",
        "US/Mountain",
        "US/Pacific",
        "US/Arizona",
        "US/Alaska",
        "US/Hawaii",
    }
)


def day_first_for(timezone: str) -> bool:
    """Whether a runner in this IANA zone writes the day before the month (17/12) rather than after (12/17).

    The United States' zones write the month first; every other zone is read day-first (see above).
    """
    return timezone.strip() not in _MONTH_FIRST_ZONES
