"""The goal race: its distance and date, "a half in March" (the day still to ask), or none."""

from __future__ import annotations

import datetime as dt
import re

from bot.coach import lazy_re
from bot.coach.answers.days import _NO, _NONE_SAID
from bot.coach.answers.words import AnswerError, _sentence, _words, _wordset, clean
from bot.coach.dates import AmbiguousDate, find_dates, read_date
from bot.coach.model import Distance
from bot.coach.profile_io import latest_race_date
from bot.coach.wording import day_words


def parse_race_date(text: str, today: dt.date) -> dt.date:
    """A race date, read by the bot's one date reader: not in the past and at most two years out.

    A numeric date that reads two ways (03/04/2027) is asked back, never guessed.
    """
    try:
        date = read_date(clean(text).strip(" .,"), today)
    except AmbiguousDate as exc:
        first, second = exc.choices
        raise AnswerError("ambiguous_date", first=_long(first), second=_long(second)) from None
    if date is None:
        raise AnswerError("bad_date")
    if date < today:
        raise AnswerError("date_past")
    if date > latest_race_date(today):  # the same rule as `coach plan`
        raise AnswerError("date_far")
    return date


def _long(date: dt.date) -> str:
    """A date as a person writes it, month in words: "3 April 2027"."""
    return day_words(date, weekday=False, year=True)


_DISTANCES = {
    "5k": Distance.K5,
    "5km": Distance.K5,
    "parkrun": Distance.K5,
    "10k": Distance.K10,
    "10km": Distance.K10,
    "half": Distance.HALF,
    "half-marathon": Distance.HALF,
    "hm": Distance.HALF,
    "21k": Distance.HALF,
    "marathon": Distance.MARATHON,
    "42k": Distance.MARATHON,
    "ultra": Distance.ULTRA,
    "50k": Distance.ULTRA,
    "100k": Distance.ULTRA,
}


def parse_distance(text: str) -> Distance | None:
    """A race distance named anywhere in the text ("half marathon", "10k"); None if there is none."""
    lowered = clean(text).lower().replace("half marathon", "half")
    for word in _words(lowered):
        if word in _DISTANCES:
            return _DISTANCES[word]
    return None


def parse_race(text: str, today: dt.date) -> tuple[Distance, dt.date] | None:
    """ "none", or a distance with a date in one line ("half 2027-03-14", "marathon on 12 April")."""
    text = clean(text)
    if text.lower().strip(" .!") in _NO | {"no race", "not yet"}:
        return None
    distance = parse_distance(text)
    if distance is None:
        raise AnswerError("bad_race")
    rest = re.sub(r"half marathon|half-marathon", " ", text.lower())
    rest = " ".join(w for w in rest.split() if w not in _DISTANCES and w not in ("on", "the", "race", "is"))
    if not rest:
        raise AnswerError("race_needs_date")
    return distance, parse_race_date(rest, today)


# --- goal race -----------------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}  # fmt: skip
_MONTH_SHORT = {name[:3]: number for name, number in _MONTHS.items()} | {"sept": 9}
_RACE_FILLER = _wordset(
    """
    race racing run running training train for doing do signed up entered registered my a an the on in
    at is it's its this next coming up planning plan to hope hoping goal target want first road trail
    city
    """
)
_MONTH_ONLY = lazy_re.compile(
    r"^(?:(?:early|mid|late|end of|start of|beginning of|the middle of|middle of)\s+)?"
    r"([a-z]+)(?:\s+(\d{4}))?$"
)
_DAY_ONLY = lazy_re.compile(r"^(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of\s+(?:the\s+)?month)?$")


def month_only(text: str, today: dt.date) -> dt.date | None:
    """The first day of the month a date answer names without a day ("march", "in march", "late
    april 2027"); None when it names a day too (or no month)."""
    said = " ".join(w for w in _sentence(text).split() if w not in ("in", "around", "sometime", "some", "time"))
    match = _MONTH_ONLY.match(said)
    if match is None:
        return None
    month = _MONTHS.get(match.group(1)) or _MONTH_SHORT.get(match.group(1))
    if month is None:
        return None
    year = int(match.group(2)) if match.group(2) else today.year + (month < today.month)
    return dt.date(year, month, 1)


def day_only(text: str, today: dt.date, month: dt.date | None = None) -> dt.date | None:
    """A day of the month without the month ("the 14th", "14th"): in ``month`` when the runner
    named it before, else the next such day from today; None when the text is not a bare day."""
    match = _DAY_ONLY.match(_sentence(text))
    if match is None:
        return None
    day = int(match.group(1))
    start = month or today.replace(day=1)
    for ahead in range(0 if month else 13):
        first = dt.date(start.year + (start.month - 1 + ahead) // 12, (start.month - 1 + ahead) % 12 + 1, 1)
        try:
            date = first.replace(day=day)
        except ValueError:
            continue
        if date >= today:
            return date
    if month is not None:
        try:
            return month.replace(day=day)
        except ValueError:
            raise AnswerError("bad_date") from None
    raise AnswerError("bad_date")


class MonthOnly(AnswerError):
    """A race date given as a month only: the day is asked, never made up."""

    def __init__(self, month: dt.date, distance: Distance | None = None) -> None:
        super().__init__("race_needs_day", month=f"{month:%B}")
        self.month = month
        self.distance = distance


def read_race_date(text: str, today: dt.date, month: dt.date | None = None) -> dt.date:
    """A race date in a sentence: "18 april", "on the 14th", "it's on 3 may"; a month alone raises
    ``MonthOnly`` (the day is asked), and a bare day after it is read in that month."""
    said = _sentence(text)
    said = " ".join(w for w in said.split() if w not in _RACE_FILLER or w in ("on", "the", "next", "this"))
    said = re.sub(r"^(?:it'?s |is |on |the )+", "", said).strip(" ,")
    said = re.sub(r"^(?:it'?s |is )?(?:on )?", "", said)
    found = month_only(said, today)
    if found is not None:
        raise MonthOnly(found)
    bare = day_only(said, today, month)
    if bare is not None:
        return _race_bounds(bare, today)
    try:
        return parse_race_date(said, today)
    except AnswerError as exc:
        if exc.key != "bad_date":
            raise
        inside = find_dates(said, today)  # a date inside the words around it ("I'm doing it on 3 May")
        if len(inside) != 1:
            raise
        return _race_bounds(inside[0].date, today)


def _race_bounds(date: dt.date, today: dt.date) -> dt.date:
    if date < today:
        raise AnswerError("date_past")
    if date > latest_race_date(today):
        raise AnswerError("date_far")
    return date


_NO_RACE = lazy_re.compile(
    r"(?:no|not|none)(?: a| any)? (?:race|races|racing)(?: (?:yet|planned|right now|at the moment|this year))?"
    r"|not (?:yet|training for one|really)|nothing (?:planned|booked|yet)|just running(?: for fun)?|just for fun"
    r"|no goal race"
)


def read_race_none(text: str) -> bool:
    """Whether a race answer says there is none ("no race yet", "not training for one")."""
    said = _sentence(text)
    return bool(_NONE_SAID.match(said) or _NO_RACE.fullmatch(said))


def read_race(text: str, today: dt.date) -> tuple[Distance, dt.date] | None:
    """A goal race in a sentence: "marathon on 18 april", "10k on the 14th", "no race"; "a half in
    march" raises ``MonthOnly`` with the distance (which day is asked); the distance alone raises
    ``race_needs_date``."""
    said = _sentence(text)
    if read_race_none(said):
        return None
    distance = parse_distance(said.replace("half-marathon", "half marathon").replace("full marathon", "marathon"))
    if distance is None:
        raise AnswerError("bad_race")
    rest = re.sub(
        r"half[ -]marathon|full marathon|marathon|ultra ?marathon|ultra|half|parkrun|\b\d+ ?k(?:m)?\b"
        r"|\bhm\b|\bfm\b",
        " ",
        said,
    )
    rest = " ".join(w for w in rest.split() if w not in _RACE_FILLER or w in ("next", "this", "the", "on"))
    rest = re.sub(r"^(?:on |the |this )+(?=\d)", "", rest).strip(" ,")
    if not rest or rest in ("on", "the", "on the"):
        raise AnswerError("race_needs_date")
    try:
        return distance, read_race_date(rest, today)
    except MonthOnly as exc:
        raise MonthOnly(exc.month, distance) from None
