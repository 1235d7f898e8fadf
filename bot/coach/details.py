"""The details of a runner's message, read the way a person reads them.

Once the intent is known (:mod:`bot.coach.intents`), small readers pick out what it carries: an
effort out of ten ("an eight out of ten", "7ish", "tough one, 9"), a body area ("hammy", "shin
splints", "achiles"), a kind of run ("hill reps", "the long one"), a weekday ("thrusday", "weds",
"tmrw"), the last day of a pause ("till sun", "for a fortnight", "back on the 27th"). Numbers may
be digits or words, weekdays misspelt, dates short.

Every reader takes ``lowered``: the message lower-cased with its apostrophes removed, as the
parser makes it. Pure: no clock (``today`` is an argument), no I/O. Fast: the patterns are
compiled at import, a misspelt weekday is looked for (with ``rapidfuzz``) only among the few
words that could be one, and ``dateparser`` is not called at all: the forms people use for a day
are read by the rules below, so a message is read in tens of microseconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.coach.dates import AmbiguousDate
from bot.coach.model import WEEKDAYS, BodyArea, RunKind, Weekday

_DAY = dt.timedelta(days=1)

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def _number(word: str) -> float | None:
    """A number said in digits ("7", "6.5") or words ("seven"), else None."""
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    try:
        return float(word)
    except ValueError:
        return None


# ---- effort ----

_N = r"(?:10|[1-9](?:\.5)?|one|two|three|four|five|six|seven|eight|nine|ten)"
_TEN = r"(?:10|ten)"
# what follows a number that makes it a count, distance, time or date rather than an effort
_NOT_EFFORT = (
    r"(?!\s*(?:k\b|km|kms|kilo|mi\b|miles?|m\b|min|mins|minutes?|secs?|seconds?|h\b|hrs?|hours?|sets?|reps?|x\b"
    r"|times|rounds?|exercises?|moves?|laps?|days?|weeks?|months?|am\b|pm\b|st\b|nd\b|rd\b|th\b|%|[:/]\d|\.\d"
    r"|thirds?\b|quarters?\b|halves\b|fifths?\b"
    r"|of\b(?!\s*(?:10|ten)\b)|out of (?!10|ten)|-?\d))"
)
_RPE_PATTERNS = (
    # "7/10", "an eight out of ten", "8 outta 10", "7 of 10"
    re.compile(rf"\b({_N})\s*(?:/|out of|outta|oo|of)\s*{_TEN}\b(?!\s*(?:reps?|sets?|exercises?|moves?|min|k\b|km))"),
    # "rpe 7", "rpe six", "effort was a seven", "rpe around 5", "effort: 8", "intensity of about 6"
    re.compile(
        r"\b(?:rpe|effort|intensity|exertion)(?![a-z])(?:\s*(?:level|score|rating|[:=~-]|was|is|of|at|about|around"
        r"|roughly|maybe|probably|prob|like|solid|a|an|id say|i(?:d| would) say|felt|felt like|approx|prolly))*"
        rf"\s*(\d{{1,2}}(?:\.5)?|{_N})(?:\s*(?:-|–|to|or)\s*({_N}))?\b{_NOT_EFFORT}"
    ),
    # "7 ish", "7ish", "a 6-ish"
    re.compile(rf"\b({_N})\s*-?\s*ish\b"),
    # "about a 6", "like a three", "felt like a 5", "id say an eight", "a solid 8", "maybe a seven"
    re.compile(
        r"\b(?:about|around|like|maybe|probably|prolly|prob|say|solid|roughly|approx|easily|def|definitely|call it)"
        rf"\s+(?:a\s+|an\s+)?(?:solid\s+|hard\s+|tough\s+|good\s+|strong\s+)?({_N})\b{_NOT_EFFORT}"
    ),
)
# a bare effort at the very end: "tough one, 9", "did it all, five", "done 7 💪"
# ("one" is left out: "done, hard one" is a hard session, not an effort of 1)
_TRAILING = re.compile(rf"(?:^|(?P<sep>[,;:.!–—-])\s*|\s)((?!one\b){_N})\s*[!.?]*\s*$")
_TAIL_JUNK = re.compile(r"[^\w!.?]+$")
# words before a trailing number that make it a count ("2 sets of 10", "set 2 of 3", "ran 5")
_COUNT_BEFORE = re.compile(
    r"\b(?:of|x|by|at|than|to|from|in|on|for|the|last|first|only|all|did|do|ran|run|walked|set|sets|rep|reps"
    r"|round|rounds|lap|laps|week|day|number|no|about|around|like|maybe|under|over|just|minus|plus|times)\s*$"
)


def _effort(value: float | None) -> int | None:
    if value is None:
        return None
    rounded = int(value + 0.5)  # "6.5" is a 7: the harder reading, the safer one for adapting
    return rounded if 1 <= rounded <= 10 else None


def read_rpe(lowered: str) -> int | None:
    """An effort from 1 to 10 said in the message, in digits or words, else None.

    Read: "rpe 7", "rpe six", "effort was a seven", "an eight out of ten", "7/10", "about a 6",
    "felt like a 5 out of 10", "7 ish", "like a three", and a bare number closing the message
    ("tough one, 9"). Not read: counts, distances, times and dates ("2 sets of 10", "set 2 of 3",
    "5k", "20 min", "6:30", "the 20th"). An effort named but out of range ("rpe 14") is None.
    """
    for pattern in _RPE_PATTERNS:
        match = pattern.search(lowered)
        if match is not None:  # "rpe 7-8" is an 8: the harder reading
            return _effort(max(filter(None, map(_number, filter(None, match.groups()))), default=None))
    tail = _TAIL_JUNK.sub("", lowered)
    match = _TRAILING.search(tail)
    if match is None:
        return None
    sep = match.group("sep")
    if sep is None and _COUNT_BEFORE.search(tail, 0, match.start(2)):
        return None  # "2 sets of 10", "set 2 of 3"
    if sep is not None and sep in ":/." and tail[: match.start("sep")][-1:].isdigit():
        return None  # "at 6:30", "1/2"
    return _effort(_number(match.group(2)))


# ---- body area ----

# "back" is the body part only when said as one ("my back", "lower back", "back pain"), never in
# "my knee is back", "back on monday" or "back to running"
_BACK = (
    r"\b(?:my|the|lower|low|upper|mid|middle|sore|bad|stiff|tight|achy|achey|painful|tweaked|hurt|pulled|put out my"
    r"|threw out my|twinged|tweaked my)\s+back\b(?!\s+(?:to|on|again|in|from|home|into|up|out)\b)"
    r"|^back\b(?!\s+(?:to|on|again|in|from|home|into|up|out)\b)"
    r"|\bback\s+(?:pain|ache|aches|achy|spasms?|hurts|hurting|started|starting|went|locked|muscles?|problems?|issues?"
    r"|injury|twinge|is|feels|stiff|tight|sore)"
)
AREAS: tuple[tuple[BodyArea, re.Pattern[str]], ...] = (
    # the IT band runs from hip to knee; runners feel it at the knee (ITB syndrome), so it is the knee
    (BodyArea.KNEE, re.compile(r"\bknee+s?\b|\bkneecaps?\b|\bknee ?cap|\bpatell\w*|\bit ?-?bands?\b|\bitbs?\b")),
    # the shin is its own area (COACHING.md "Vocabulary"): shin pain can be a stress fracture
    (BodyArea.SHIN, re.compile(r"\bshins?\b|\btibia\w*|\bmtss\b")),
    (
        BodyArea.ANKLE,
        re.compile(r"\bankles?\b|\bach+il+[ei]*s\b|\bachil+[ei]*s?\b|\bcal(?:f|ves|fs|vs)\b|\bsoleus\b|\bgastroc\w*"),
    ),
    (
        BodyArea.FOOT,
        re.compile(
            r"\bfoot\b|\bpf\b|\bfeet\b|\bheels?\b|\bplantar\b|\b(?:big |little )?toes?\b|\barch(?:es)?\b"
            r"|\bbunions?\b|\bmetatarsals?\b|\bsole of\b"
        ),
    ),
    (
        BodyArea.HIP,
        re.compile(
            r"\bhips?\b|\bhip ?flexors?\b|\bglutes?\b|\bglute?us\b|\bgroin\b|\bpiriformis\b|\bbum\b|\bbutt\b"
            r"|\badductors?\b"
        ),
    ),
    (BodyArea.HAMSTRING, re.compile(r"\bham(?:st?ri?n?g|mie|my|mies|stirng|strig|strung)s?\b|\bhammy\b|\bhams\b")),
    (BodyArea.BACK, re.compile(_BACK + r"|\bspine\b|\bspinal\b|\blumbar\b|\bsciatica?\b|\bsi joint\b")),
    (BodyArea.SHOULDER, re.compile(r"\bshoulders?\b|\bsholders?\b|\bshoudlers?\b|\brotator\b|\brotator cuff\b")),
)
# Quads and thighs name no area on purpose: the rulebook has no thigh, and sore quads after a run are
# muscle soreness, not a knee niggle; a runner whose knee hurts says "knee". Read as no area, the
# coach asks or simply logs the soreness rather than easing knee work for a tired thigh.

# misspellings of the longer area words, matched by similarity ("hamstirng", "shoudler", "achillis")
_AREA_WORDS: dict[str, BodyArea] = {
    "achilles": BodyArea.ANKLE,
    "hamstring": BodyArea.HAMSTRING,
    "hamstrings": BodyArea.HAMSTRING,
    "shoulder": BodyArea.SHOULDER,
    "shoulders": BodyArea.SHOULDER,
    "plantar": BodyArea.FOOT,
    "piriformis": BodyArea.HIP,
    "kneecap": BodyArea.KNEE,
}
_AREA_NAMES = tuple(_AREA_WORDS)
_WORD = re.compile(r"[a-z]+")


def first_of(table: Sequence[tuple[StrEnum, re.Pattern[str]]], lowered: str) -> StrEnum | None:
    """The member whose words come first in the text ("plantar fasciitis is back" is the foot)."""
    best: tuple[int, StrEnum] | None = None
    for member, pattern in table:
        match = pattern.search(lowered)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), member)
    return None if best is None else best[1]


def read_area(lowered: str) -> BodyArea | None:
    """The body area a message names first, else None.

    Per the rulebook's areas: an Achilles or calf is the ankle, a shin is the shin, the IT band is the
    knee, a glute or hip flexor the hip, sciatica the back; slang ("hammy") and common misspellings
    ("achiles", "hamstirng") are read too. Quads and thighs are no area (see above).
    """
    found = first_of(AREAS, lowered)
    if found is not None:
        return BodyArea(found)
    for word in _WORD.findall(lowered):
        if 7 <= len(word) <= 11:
            close = process.extractOne(word, _AREA_NAMES, scorer=fuzz.ratio, score_cutoff=85)
            if close is not None:
                return _AREA_WORDS[close[0]]
    return None


# ---- run ----

_RUNS: tuple[tuple[RunKind, re.Pattern[str]], ...] = (
    (RunKind.LONG, re.compile(r"\blong\b|\blongrun\b|\blr\b|\blsr\b|\blong slow\b")),
    (
        RunKind.QUALITY,
        re.compile(
            r"\btempos?\b|\bintervals?\b|\bspeed(?:work)?\b|\btrack\b|\bthreshold\b|\bhills?\b|\brepeats\b"
            r"|\bfartleks?\b|\bquality\b|\bworkouts?\b|\breps\b|\bvo2\w*|\btime trial\b|\bprogression\b"
            r"|\b\d{3,4}s\b|\bcruise\b"
        ),
    ),
    # strides are short pick-ups at the end of an easy run: a run "with strides" moves as the easy run
    (RunKind.EASY, re.compile(r"\beasy\b|\brecovery\b|\bjog\b|\bshake ?out\b|\bstrides\b")),
    (
        RunKind.RACE,
        re.compile(r"\brace\b|\bparkrun\b|\bcross ?country\b|\bxc\b|\b(?:half )?marathon\b(?! pace)|\bultra\b"),
    ),
)


def read_run(lowered: str) -> RunKind | None:
    """The kind of run a message names first ("long run", "the long one", "lsr", "hill reps", "club speed
    session", "cross country race", "recovery jog"), else None."""
    found = first_of(_RUNS, lowered)
    return None if found is None else RunKind(found)


# ---- weekday ----

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
_SAT_WORD = re.compile(r"\b(?:i|we|you|they|he|she|just|had|have|was|were|ive)\s+$")
_SAT_AFTER = re.compile(r"\s+(?:down|up|around|there|still|in the|on the|on my|at my|for (?:a|an|ages|hours))\b")
_SUN_WORD = re.compile(r"\b(?:the|in|of|some|no|hot|bright|full|morning|evening|winter|summer|much|a)\s+$")
# "wed" is also "we'd" once apostrophes are gone: "wed be back", "wed rather"
_WED_AFTER = re.compile(
    r"\s+(?:be|have|had|like|love|go|need|do|prefer|want|rather|get|probably|better|run|never|already|all|both)\b"
)
_SUN_AFTER = re.compile(r"\s*(?:is|was|came|comes|shining|out|cream|burn|burnt|glasses|screen|block|rise|set)\b")


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
    if not 5 <= len(token) <= 10 or token[0] not in "mtwfs" or "d" not in token or token in _NOT_DAYS:
        return None
    close = process.extractOne(token, _FULL_DAYS, scorer=fuzz.ratio, score_cutoff=80)
    return None if close is None else _DAY_WORDS[close[0]]


@dataclass(frozen=True, slots=True)
class _Named:
    start: int
    end: int
    day: Weekday


def _weekdays(lowered: str) -> list[_Named]:
    found = []
    for match in _WORD.finditer(lowered):
        day = _weekday_at(match.group(), lowered, match.start(), match.end())
        if day is not None:
            found.append(_Named(match.start(), match.end(), day))
    return found


def read_weekday(lowered: str) -> Weekday | None:
    """The first weekday the message names, in any common form: full ("thursday"), short ("thu",
    "thurs", "weds") or misspelt ("thrusday", "wensday", "satuday"); None when it names none."""
    found = _weekdays(lowered)
    return found[0].day if found else None


# ---- dates ----

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
_YEAR = r"(?:,?\s*(?P<{}>20\d\d)\b)?"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|couple of|\d{1,3})"
_TOMORROW = (
    r"(?:tomorrow|tomorow|tommorow|tommorrow|tomorrrow|tmrw|tmrow|tmoro|tmr|tmw|2moro|2morrow|2mrw|2mro|tomoz|tomo)"
)
_DATES = re.compile(
    r"\b(?:"
    r"(?P<iso>(?P<iso_y>20\d\d)-(?P<iso_m>\d\d?)-(?P<iso_d>\d\d?))"
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


class _Kind(StrEnum):
    DAY = "day"  # a day: a weekday, "tomorrow", a date
    SPAN = "span"  # a length of time: "for two weeks", "a fortnight"; its date is its last day
    END = "end"  # the end of a period: "rest of the month", "end of dec"


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    kind: _Kind
    date: dt.date | None  # None when ambiguous (``choices`` then holds both readings)
    choices: tuple[dt.date, ...] = ()
    month_day: int | None = None  # "the 5th" without a month: re-read when a weekday goes with it
    span: tuple[int, bool] | None = None  # a span's length: (count, in months rather than days)


def _span_end(first: dt.date, span: tuple[int, bool]) -> dt.date:
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
        except ValueError:
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
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


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


def _read(match: re.Match[str], today: dt.date, day_first: bool | None) -> _Mention | None:
    group = match.group
    start, end = match.start(), match.end()

    def day(date: dt.date | None, month_day: int | None = None) -> _Mention | None:
        return None if date is None else _Mention(start, end, _Kind.DAY, date, month_day=month_day)

    if group("iso"):
        return day(_next_date(int(group("iso_m")), int(group("iso_d")), today, int(group("iso_y"))))
    if group("num"):
        date, choices = _numeric(int(group("num_a")), int(group("num_b")), _year(group("num_y")), today, day_first)
        if date is None and not choices:
            return None
        return _Mention(start, end, _Kind.DAY, date, choices)
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
        return _Mention(start, end, _Kind.SPAN, _span_end(today, span), span=span)  # back on the day after
    if group("eo"):
        what = group("eo_what")
        later = 1 if group("eo_next") else 0
        if what == "week":
            return _Mention(start, end, _Kind.END, today + dt.timedelta(days=6 - today.weekday() + 7 * later))
        if what == "year":
            return _Mention(start, end, _Kind.END, dt.date(today.year + later, 12, 31))
        if what == "month":
            month = _add_months(today.replace(day=1), later)
            return _Mention(start, end, _Kind.END, _month_end(month.year, month.month))
        month_number = _MONTHS[what[:3]]
        year = today.year if month_number >= today.month else today.year + 1
        return _Mention(start, end, _Kind.END, _month_end(year, month_number))
    if group("weekend"):
        sunday = today + dt.timedelta(days=6 - today.weekday())
        return _Mention(start, end, _Kind.END, sunday + (7 * _DAY if group("weekend").startswith("next") else _DAY * 0))
    if group("xmas"):
        holiday = _HOLIDAYS[group("xmas")]
        return day(_next_date(*holiday, today))
    return None  # pragma: no cover - every alternative is read above


_WEEK_ON = re.compile(r"\s+week\b")
_JOINED = re.compile(r"[\s,]*(?:the\s+)?")


def _mentions(lowered: str, today: dt.date, day_first: bool | None = None) -> list[_Mention]:
    """Every day, span and period end the text names, in order."""
    found = [m for match in _DATES.finditer(lowered) if (m := _read(match, today, day_first)) is not None]
    taken = [(m.start, m.end) for m in found]
    for named in _weekdays(lowered):
        if any(start <= named.start < end for start, end in taken):
            continue
        after = next((m for m in found if m.start >= named.end), None)
        if after is not None and _JOINED.fullmatch(lowered, named.end, after.start):
            # "sat 5th", "monday the 14th", "sunday 3 jan": the date says which day; a bare day of the
            # month is re-read as the next one falling on that weekday
            if after.month_day is not None:
                found[found.index(after)] = _Mention(
                    named.start, after.end, _Kind.DAY, _next_month_day(after.month_day, today, named.day)
                )
            continue
        week = _WEEK_ON.match(lowered, named.end)  # "sunday week": a week on from the coming Sunday
        date = _next_weekday(named.day, today) + (7 * _DAY if week else dt.timedelta(0))
        found.append(_Mention(named.start, week.end() if week else named.end, _Kind.DAY, date))
    found.sort(key=lambda m: m.start)
    for n, mention in enumerate(found[1:], start=1):
        earlier = found[n - 1].date
        if mention.month_day is None or earlier is None or mention.date is None or mention.date >= earlier:
            continue
        if _UNTIL_BEFORE.search(lowered, 0, mention.start) or _BACK_BEFORE.search(lowered, 0, mention.start):
            # "over christmas, back on the 27th", "28th-3rd": a day of the month ending a span comes after its start
            later = _next_month_day(mention.month_day, earlier)
            found[n] = _Mention(mention.start, mention.end, mention.kind, later, month_day=mention.month_day)
    return found


# ---- the end of a pause ----

_UNTIL_BEFORE = re.compile(
    r"(?:\buntil|\buntill|\bunitl|\btill|\btil|\bthru|\bthrough|\bto|\bup to|\bending|\bends|\bend|\bby|[-–—]|\band)"
    r"\s*(?:on\s+|the\s+)?$"
)
_BACK_BEFORE = re.compile(
    r"(?:\bback|\breturn|\breturning|\bhome|\bresume|\bresuming|\brestart|\brestarting|\bstart again|\bstarting again"
    r"|\brunning again|\btraining again|\bsee you)\s+(?:on\s+|in\s+|by\s+|for\s+|from\s+|at\s+)?(?:the\s+)?$"
)
_FROM_BEFORE = re.compile(
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
    mentions = _mentions(lowered, today, day_first)
    if not mentions:
        return None
    ranked: list[tuple[int, dt.date | None, _Mention]] = []
    for mention in mentions:
        before = lowered[max(0, mention.start - 24) : mention.start]
        date = mention.date
        if mention.kind is _Kind.DAY and _BACK_BEFORE.search(before):
            rank, date = 2, None if date is None else date - _DAY
        elif mention.kind is not _Kind.DAY or _UNTIL_BEFORE.search(before):
            rank = 2
        elif _FROM_BEFORE.search(before):
            rank = 0
        else:
            rank = 1
        if mention.span is not None and ranked and ranked[-1][0] < 2 and ranked[-1][2].kind is _Kind.DAY:
            start = ranked[-1][1]  # "away from friday for a week": the span starts on the day just named
            if start is not None and start > today:
                date = _span_end(start, mention.span)
        ranked.append((rank, date, mention))
    for n, (rank, _, mention) in enumerate(ranked[:-1]):
        start = ranked[n + 1][1]  # "for a week from tomorrow": the start said after the span
        if mention.span is not None and ranked[n + 1][0] == 0 and start is not None and start > today:
            ranked[n] = (rank, _span_end(start, mention.span), mention)
    best = max(rank for rank, _, _ in ranked)
    _, date, chosen = [entry for entry in ranked if entry[0] == best][-1]
    if chosen.date is None:
        raise AmbiguousDate(*chosen.choices[:2])
    return date if date is not None and date >= today else None


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
_NOT_THE_DAY = re.compile(
    r"(?:\bfrom|\bnot|\binstead of|\brather than|\bcant run|\bcannot run|\bcant do|\bwas|\bwere|\busually"
    r"|\bnormally|\boriginally|\bplanned for|\bscheduled for|\bmeant to be)\s+(?:on\s+|for\s+)?(?:the\s+)?$"
)


def _days(lowered: str, today: dt.date) -> list[_Mention]:
    return [m for m in _mentions(lowered, today, day_first=True) if m.kind is _Kind.DAY and m.date is not None]


def moved_to(lowered: str, today: dt.date) -> Weekday | None:
    """The weekday a run moved to: the last day named that is not the one it moved from ("long run
    moved to saturday", "intervals on tue this week not thu", "easy 5k moved from tues to wednesday",
    "my easy jog is tmrw now instead of today", "pushed to the day after tomorrow")."""
    days = _days(lowered, today)
    kept = [m for m in days if not _NOT_THE_DAY.search(lowered, max(0, m.start - 24), m.start)] or days
    return None if not kept or kept[-1].date is None else Weekday.of(kept[-1].date)


# a day said as when something started or ends, not the day asked about: "hurting since monday"
_NOT_ASKED = re.compile(r"\b(?:since|from|last|till|until|til|after|before|by)\s+(?:this\s+|last\s+)?$")


def read_day(lowered: str, today: dt.date) -> Weekday | None:
    """The weekday a question is about ("what's on thursday", "anything sat?", "what do i have on
    weds", "tmrw" is tomorrow's weekday): the first day named that is not when something started
    ("hurting since monday, what's on friday" asks about Friday), else None."""
    days = [m for m in _days(lowered, today) if not _NOT_ASKED.search(lowered, max(0, m.start - 24), m.start)]
    return None if not days or days[0].date is None else Weekday.of(days[0].date)
