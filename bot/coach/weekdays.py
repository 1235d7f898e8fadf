"""The weekday a message names, in any common form: full ("thursday"), short ("thu", "thurs",
"weds") or misspelt ("thrusday", "wensday", "satuday").

Takes ``lowered``, the message lower-cased without apostrophes. A misspelt weekday is looked for
(with ``rapidfuzz``) only among the few words that could be one, and short names that are also
words ("i sat down", "the sun", "wed be back") are not read as days.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach import lazy_re
from bot.coach.model import WEEKDAYS, Weekday

_WORD = lazy_re.compile(r"[a-z]+")

_DAY_WORDS: dict[str, Weekday] = {}
for _day, _names in zip(
    WEEKDAYS,
    (
        ("mon", "monday", "mondays"),
        ("tue", "tues", "tuesday", "tuesdays", "tu"),
        ("wed", "weds", "wednesday", "wednesdays", "wednes"),
        ("thu", "thur", "thurs", "thursday", "thursdays", "thrs"),
        ("fri", "friday", "fridays"),
        ("sat", "saturday", "saturdays", "satur"),
        ("sun", "sunday", "sundays"),
    ),
    strict=True,
):
    for _name in _names:
        _DAY_WORDS[_name] = _day
del _day, _names, _name
_DAY_WORDS.pop("tu")  # too short to be a day on its own in a sentence ("tu" in Spanish, "thank u")
_FULL_DAYS = tuple(name for name in _DAY_WORDS if name.endswith("day"))
# real words close to a weekday name, never read as one
_NOT_DAYS = frozenset({"sundae", "sundaes", "sundry", "funday", "sunray", "fridge"})
# "i sat down", "the sun was out": a short name that is also a word is a day only outside these
_SAT_WORD = lazy_re.compile(r"\b(?:i|we|you|they|he|she|just|had|have|was|were|ive)\s+$")
_SAT_AFTER = lazy_re.compile(r"\s+(?:down|up|around|there|still|in the|on the|on my|at my|for (?:a|an|ages|hours))\b")
_SUN_WORD = lazy_re.compile(r"\b(?:the|in|of|some|no|hot|bright|full|morning|evening|winter|summer|much|a)\s+$")
# "wed" is also "we'd" once apostrophes are gone: "wed be back", "wed rather"
_WED_AFTER = lazy_re.compile(
    r"\s+(?:be|have|had|like|love|go|need|do|prefer|want|rather|get|probably|better|run|never|already|all|both)\b"
)
_SUN_AFTER = lazy_re.compile(r"\s*(?:is|was|came|comes|shining|out|cream|burn|burnt|glasses|screen|block|rise|set)\b")


def _may_be_misspelt(token: str) -> bool:
    """Whether a word that is no weekday's name could be one misspelt (and is worth comparing)."""
    return 5 <= len(token) <= 10 and token[0] in "mtwfs" and "d" in token and token not in _NOT_DAYS


def _weekday_at(token: str, lowered: str, start: int, end: int) -> Weekday | None:
    """The weekday a word is ("thurs", "wensday", "thrusday"), or None (also for "i sat down", "the sun")."""
    day = _DAY_WORDS.get(token)
    if day is not None:
        if token == "sat" and (_SAT_WORD.search(lowered, 0, start) or _SAT_AFTER.match(lowered, end)):
            return None
        if token == "sun" and (_SUN_WORD.search(lowered[:start]) or _SUN_AFTER.match(lowered, end)):
            return None
        if token == "wed" and _WED_AFTER.match(lowered, end):
            return None
        return day
    # a misspelt full name: only words that could be one are compared, so ordinary words are not
    # ("sunny", "mont", "fries" fall far below the cutoff; "sundae" and friends are listed)
    if not _may_be_misspelt(token):
        return None
    from rapidfuzz import fuzz, process  # on the first word that could be a misspelt day: not at start

    close = process.extractOne(token, _FULL_DAYS, scorer=fuzz.ratio, score_cutoff=80)
    return None if close is None else _DAY_WORDS[close[0]]


@dataclass(frozen=True, slots=True)
class Named:
    """A weekday named in a text, and where."""

    start: int
    end: int
    day: Weekday


def named_weekdays(lowered: str) -> list[Named]:
    """Every weekday the text names, with where it stands, in order."""
    found = []
    for match in _WORD.finditer(lowered):
        day = _weekday_at(match.group(), lowered, match.start(), match.end())
        if day is not None:
            found.append(Named(match.start(), match.end(), day))
    return found


def read_weekday(lowered: str) -> Weekday | None:
    """The first weekday the message names, in any common form: full ("thursday"), short ("thu",
    "thurs", "weds") or misspelt ("thrusday", "wensday", "satuday"); None when it names none."""
    found = named_weekdays(lowered)
    return found[0].day if found else None
