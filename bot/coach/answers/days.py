"""Days: the run days ("mon wed fri", "every day except monday"), the long-run day, and "no long
run".
"""

from __future__ import annotations

import difflib
import re

from bot.coach import lazy_re
from bot.coach.answers.words import AnswerError, Unsure, _leftover, _sentence, _settle, _wordset, clean
from bot.coach.model import WEEKDAYS, Weekday

_DAY_NAMES: dict[str, Weekday] = {}
for _day, _names in zip(
    WEEKDAYS,
    (
        ("mon", "monday", "mo", "mondays"),
        ("tue", "tues", "tuesday", "tu", "tuesdays"),
        ("wed", "weds", "wednesday", "we", "wednesdays"),
        ("thu", "thur", "thurs", "thursday", "th", "thursdays"),
        ("fri", "friday", "fr", "fridays"),
        ("sat", "saturday", "sa", "saturdays"),
        ("sun", "sunday", "su", "sundays"),
    ),
    strict=True,
):
    for _name in _names:
        _DAY_NAMES[_name] = _day

_FULL_DAY_NAMES = [name for name in _DAY_NAMES if len(name) > 5]


def _day_name(token: str) -> Weekday | None:
    """A weekday name, or a misspelt full one ("wensday", "thurday")."""
    if token in _DAY_NAMES:
        return _DAY_NAMES[token]
    if len(token) < 5:
        return None
    close = difflib.get_close_matches(token, _FULL_DAY_NAMES, n=1, cutoff=0.8)
    return _DAY_NAMES[close[0]] if close else None


_NO = {"none", "no", "nope", "nothing", "skip", "n/a", "na", "-", "0"}


def parse_days(text: str, *, allow_none: bool = False) -> list[Weekday]:
    """Weekday names in any common form, ranges like "mon-fri", or "every day"/"weekdays"."""
    text = clean(text).lower()
    if allow_none and text in _NO:
        return []
    if text in ("every day", "everyday", "daily", "all", "all days"):
        return list(WEEKDAYS)
    days: set[Weekday] = set()
    if "weekdays" in text:
        days |= set(WEEKDAYS[:5])
        text = text.replace("weekdays", " ")
    if "weekend" in text:
        days |= {Weekday.SAT, Weekday.SUN}
        text = re.sub(r"weekends?", " ", text)
    for token in re.split(r"[\s,;&/]+|\band\b", text):
        token = token.strip(" .")
        if not token:
            continue
        if "-" in token:
            first, _, last = token.partition("-")
            if first in _DAY_NAMES and last in _DAY_NAMES:
                a, b = WEEKDAYS.index(_DAY_NAMES[first]), WEEKDAYS.index(_DAY_NAMES[last])
                span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
                days |= {WEEKDAYS[i] for i in span}
                continue
        day = _day_name(token)
        if day is None:
            raise AnswerError("bad_days")
        days.add(day)
    if not days:
        raise AnswerError("bad_days")
    return [day for day in WEEKDAYS if day in days]


def parse_day(text: str, among: list[Weekday]) -> Weekday:
    days = parse_days(text)
    if len(days) != 1:
        raise AnswerError("one_day")
    if days[0] not in among:
        raise AnswerError("not_a_run_day")
    return days[0]


# --- days ----------------------------------------------------------------------------------------

_DAY_FILLER = _wordset(
    """
    run runs running jog jogging train training days day week weekly a week time times morning mornings
    evening evenings long easy quality hard tempo intervals interval hills hill track speed workout
    workouts sessions session usually mostly generally normally then also as well too
    """
)
_EXCEPT = lazy_re.compile(
    r"\b(?:except(?: for| on)?|but not(?: on)?|apart from|other than|not on|not|besides|minus|bar)\b"
)
_ALL_WEEK = lazy_re.compile(r"\b(?:every ?day|daily|all days|all week|each day|7 days|seven days|all of them|all)\b")
_RANGE = lazy_re.compile(r"\b([a-z]+)\s*(?:-|to|through|thru|till|til|until)\s*([a-z]+)\b")
_NONE_SAID = lazy_re.compile(
    r"^(?:none|no|nope|nah|nothing|not really|no thanks|n/a|na|-|0|zero|skip|not yet|nil|none really|"
    r"none at the moment|none right now|not at the moment|no,? none|no,? not really)$"
)


_NO_HARD_DAYS = lazy_re.compile(
    r"\b(?:no|none|nope|not any)\b.*\b(?:quality|hard|speed)\b|\ball (?:easy|slow)\b|\bjust easy\b"
)


def _day_token(token: str, alone: bool) -> Weekday | None:
    """A day said in a sentence: "we" and "sa"-style short forms only in a bare list of days."""
    if len(token) <= 2 and not alone:
        return None
    return _day_name(token.strip("'s") if token.endswith("'s") else token)


def read_days(text: str, *, allow_none: bool = False) -> list[Weekday]:
    """Run days in a sentence: "I run mon, wed and sat", "mondays wednesdays and saturdays",
    "every day except friday", "weekends", "tues thurs", "mon to fri"; unsure when words are left over."""
    said = _sentence(text)
    if allow_none and (_NONE_SAID.match(said) or _NO_HARD_DAYS.search(said)):
        return []
    said = said.replace("week days", "weekdays").replace("week-days", "weekdays")
    said = re.sub(r"\bweek ?ends?\b", "weekend", said)
    keep, drop = _split_except(said)
    days = _days_in(keep)
    if drop is not None:
        if not days:
            days = set(WEEKDAYS)
        days -= _days_in(drop)
    if not days:
        raise AnswerError("bad_days")
    found = [day for day in WEEKDAYS if day in days]
    rest = _without_days(said)
    if any(w.endswith("day") for w in _leftover(rest, _DAY_FILLER)) or _half_range(said):
        raise AnswerError("bad_days")  # "mon blursday", "mon-xyz": a day meant but not one we know
    _settle(found, rest, _DAY_FILLER)
    return found


def _half_range(said: str) -> bool:
    """A hyphen between a day and a word that is not one ("mon-xyz")."""
    pairs = re.finditer(r"\b([a-z]+)-([a-z]+)\b", said)
    return any((_day_name(m.group(1)) is None) != (_day_name(m.group(2)) is None) for m in pairs)


def _split_except(said: str) -> tuple[str, str | None]:
    match = _EXCEPT.search(said)
    if match is None:
        return said, None
    return said[: match.start()], said[match.end() :]


def _days_in(text: str) -> set[Weekday]:
    days: set[Weekday] = set()
    if _ALL_WEEK.search(text):
        days |= set(WEEKDAYS)
    if "weekdays" in text:
        days |= set(WEEKDAYS[:5])
    if "weekend" in text:
        days |= {Weekday.SAT, Weekday.SUN}
    tokens = re.findall(r"[a-z']+", text)
    alone = all(_day_name(t) is not None or t in ("and", "or") for t in tokens)
    for match in _RANGE.finditer(text):
        first, last = _day_token(match.group(1), alone), _day_token(match.group(2), alone)
        if first is not None and last is not None:
            a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
            days |= {WEEKDAYS[i % 7] for i in range(a, b + 1 if a <= b else b + 8)}
    for token in tokens:
        day = _day_token(token, alone)
        if day is not None:
            days.add(day)
    return days


def _without_days(said: str) -> str:
    """The sentence with every day word (and the words around a range or an exception) taken out."""
    said = _ALL_WEEK.sub(" ", _EXCEPT.sub(" ", said))
    said = re.sub(r"\b(?:weekdays|weekend|to|through|thru|till|til|until)\b", " ", said)
    return " ".join(t for t in re.findall(r"[a-z0-9']+", said) if _day_name(t) is None)


def read_day(text: str, among: list[Weekday]) -> Weekday:
    """The long-run day: "long run on sundays", "sunday usually", "my long run is on sat"."""
    days = read_days_unsure(text)
    if len(days[0]) != 1:
        raise AnswerError("one_day")
    if days[0][0] not in among:
        raise AnswerError("not_a_run_day")
    if not days[1]:
        raise Unsure(days[0][0])
    return days[0][0]


def read_days_unsure(text: str, *, allow_none: bool = False) -> tuple[list[Weekday], bool]:
    """``read_days`` as (days, sure) for callers that check more before asking."""
    try:
        return read_days(text, allow_none=allow_none), True
    except Unsure as exc:
        days: list[Weekday] = exc.value  # type: ignore[assignment]
        return days, False


_NO_LONG_RUN = lazy_re.compile(
    r"^(?:none|no|nope|nah|no long runs?|not really|i don'?t(?: do| have)?(?: a)? long runs?|"
    r"no long run really|none really|n/a)$"
)


def says_no_long_run(text: str) -> bool:
    return bool(_NO_LONG_RUN.match(_sentence(text)))
