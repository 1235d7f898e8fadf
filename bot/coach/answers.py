"""Reading a runner's typed answers: days, times, dates, levels, niggles.

Every parser takes the raw text and returns a value or raises ``AnswerError`` whose ``key``
names the re-ask message in the content library. Pure: ``today`` is passed in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from bot.coach.dates import AmbiguousDate, find_dates, read_date
from bot.coach.model import BODYWEIGHT, WEEKDAYS, BodyArea, Distance, Equipment, Kit, Level, Weekday
from bot.coach.profile_io import latest_race_date

MAX_ANSWER_CHARS = 200


class AnswerError(ValueError):
    """An answer that does not fit; ``fields`` fill the re-ask's placeholders (the dates to choose from...)."""

    def __init__(self, key: str, **fields: str) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9:.+\-/']+", text.lower())


def clean(text: str) -> str:
    """Guard every typed answer: too long or empty text gets its own re-ask."""
    text = text.strip()
    if not text:
        raise AnswerError("empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError("too_long")
    return text


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


_LEVELS = {
    Level.NEW: ("new", "never", "no", "none", "beginner", "not really", "1"),
    Level.SOME: ("some", "sometimes", "now and then", "occasionally", "a bit", "a little", "2"),
    Level.REGULAR: ("regular", "regularly", "weekly", "yes", "often", "always", "experienced", "3"),
}


def parse_level(text: str) -> Level:
    text = clean(text).lower().strip(" .!")
    for level, names in _LEVELS.items():
        if text in names:
            return level
    raise AnswerError("bad_level")


_EQUIPMENT_WORDS = {
    Equipment.BANDS: ("band", "bands", "resistance band", "resistance bands", "mini band", "mini bands", "loop band"),
    Equipment.DUMBBELLS: (
        "dumbbell",
        "dumbbells",
        "dumbell",
        "dumbells",
        "db",
        "dbs",
        "kettlebell",
        "kettlebells",
        "kb",
        "kbs",
        "weights",
        "free weights",
    ),
    Equipment.GYM: ("gym", "gyms", "barbell", "barbells", "full gym", "rack", "squat rack", "machines", "machine"),
}
_BODYWEIGHT_WORDS = (
    "none",
    "nothing",
    "no",
    "bodyweight",
    "body weight",
    "body-weight",
    "just bodyweight",
    "only bodyweight",
    "no equipment",
    "no kit",
    "home",
    "just me",
)


def parse_equipment(text: str) -> Kit:
    """The kit a typed answer names ("dumbbells and bands", "I have a barbell at the gym"); "none"
    or "just bodyweight" is the empty kit (bodyweight is always in it). COACHING.md, "Vocabulary"."""
    said = " " + " ".join(re.findall(r"[a-z]+(?:-[a-z]+)?", clean(text).lower())) + " "
    # "no barbell, just bands": an item said to be missing is not in the kit
    kept = re.sub(r" (?:no|not|without|dont|don't|haven't|havent)(?: have| got)?(?: a| any)? [a-z-]+", " ", said)
    kit = {item for item, names in _EQUIPMENT_WORDS.items() if any(f" {name} " in kept for name in names)}
    if kit:
        return frozenset(kit)
    if any(f" {name} " in said for name in _BODYWEIGHT_WORDS):
        return BODYWEIGHT
    raise AnswerError("bad_equipment")


SESSION_CHOICES = (15, 20, 30, 45, 60)


def parse_minutes(text: str) -> int:
    """Minutes for a session: a number from 10 to 90, with or without "min"."""
    match = re.fullmatch(r"(\d{1,3})\s*(m|min|mins|minutes)?", clean(text).lower())
    if not match:
        raise AnswerError("bad_minutes")
    minutes = int(match.group(1))
    if not 10 <= minutes <= 90:
        raise AnswerError("bad_minutes")
    return minutes


_AREAS: dict[str, BodyArea] = {
    "knee": BodyArea.KNEE,
    "knees": BodyArea.KNEE,
    "hip": BodyArea.HIP,
    "hips": BodyArea.HIP,
    "glute": BodyArea.HIP,
    "glutes": BodyArea.HIP,
    "groin": BodyArea.HIP,
    "ankle": BodyArea.ANKLE,
    "ankles": BodyArea.ANKLE,
    "achilles": BodyArea.ANKLE,
    "calf": BodyArea.ANKLE,
    "calves": BodyArea.ANKLE,
    "shin": BodyArea.SHIN,  # its own area (COACHING.md, "Vocabulary"): shin bone pain is a red flag
    "shins": BodyArea.SHIN,
    "tibia": BodyArea.SHIN,
    "foot": BodyArea.FOOT,
    "feet": BodyArea.FOOT,
    "plantar": BodyArea.FOOT,
    "heel": BodyArea.FOOT,
    "back": BodyArea.BACK,
    "spine": BodyArea.BACK,
    "hamstring": BodyArea.HAMSTRING,
    "hamstrings": BodyArea.HAMSTRING,
    "hammy": BodyArea.HAMSTRING,
    "shoulder": BodyArea.SHOULDER,
    "shoulders": BodyArea.SHOULDER,
}


_IT_BAND = re.compile(r"\b(?:it\s*-?\s*band|itb|itbs|iliotibial)\b", re.IGNORECASE)


def find_areas(text: str) -> list[BodyArea]:
    """Body areas mentioned anywhere in a sentence ("my left knee and achilles")."""
    found = {_AREAS[word] for word in _words(text) if word in _AREAS}
    return [area for area in BodyArea if area in found]


def parse_areas(text: str) -> list[BodyArea]:
    """Niggles by area. The IT band runs from hip to knee, so on its own it is asked back: knee or hip?"""
    text = clean(text)
    if text.lower().strip(" .!") in _NO | {"all good", "healthy", "fine"}:
        return []
    areas = find_areas(text)
    if _IT_BAND.search(text) and not {BodyArea.KNEE, BodyArea.HIP} & set(areas):
        raise AnswerError("it_band")
    if not areas:
        raise AnswerError("bad_areas")
    return areas


_TIME_WORDS = {"noon": dt.time(12, 0), "midday": dt.time(12, 0), "midnight": dt.time(0, 0)}


def parse_time(text: str) -> dt.time:
    """A time of day: "7", "7:30", "07.30", "0700", "1930", "7am", "7:30 pm", "19:00", "noon"."""
    text = clean(text).lower().replace(" ", "").removesuffix("o'clock").removesuffix("oclock").strip(".!")
    if text in _TIME_WORDS:
        return _TIME_WORDS[text]
    match = re.fullmatch(r"(\d{1,2})(?:[:.h]?(\d{2}))?(am|pm|a\.m\.|p\.m\.|a\.m|p\.m)?", text)
    if not match:
        raise AnswerError("bad_time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise AnswerError("bad_time")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise AnswerError("bad_time")
    return dt.time(hour, minute)


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
    return f"{date.day} {date:%B %Y}"


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


# --- sentences: the same answers said the way people type them (issue 16) ------------------------
#
# Each reader finds its answer anywhere in a sentence and ignores the words people wrap it in
# ("I run ...", "remind me at ...", "about ...", "pls"). Words it cannot place make the reading
# unsure: it raises ``Unsure`` with what it read, and the runner confirms it with a tap.


class Unsure(AnswerError):
    """A reading that is probably right but not certainly: ``value`` is it, to confirm with a tap."""

    def __init__(self, value: object) -> None:
        super().__init__("did_you_mean")
        self.value = value


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# words that frame an answer without changing it, in any question
_FILLER = _wordset(
    """
    i i'm im i'd id i've ive me my mine we our us you it it's its is are am be was were been a an the
    this that these those some any of on at in to for from with by per each every and or but so ok okay
    well um uh hmm erm yeah yep sure like just only also too really usually normally generally typically
    mostly always often probably maybe perhaps ideally about around roughly approx approximately ish say
    guess think would will could can should prefer prefers preferably best works work fine good please
    pls plz thanks thank thx ta cheers have has got get do does doing go going lets let's let
    """
)
_POLITE = re.compile(r"\b(?:please|pls|plz|thanks|thank you|thx|cheers)\b")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENS = {"twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def _sentence(text: str) -> str:
    """An answer as plain lower-case words: apostrophes straight, politeness and end marks gone."""
    text = clean(text).lower().replace("’", "'").replace("‘", "'")
    text = _POLITE.sub(" ", text)
    return " ".join(text.replace("!", " ").split()).strip(" .?")


def _fix(token: str, vocabulary: list[str], cutoff: float = 0.8) -> str:
    """A misspelt word of ``vocabulary`` ("quater", "minuts") read as the word; others unchanged."""
    if len(token) < 4 or token in vocabulary or not token.isalpha():
        return token
    close = difflib.get_close_matches(token, vocabulary, n=1, cutoff=cutoff)
    return close[0] if close else token


def _numbers(text: str) -> str:
    """Words for numbers as digits: "forty five" -> "45", "forty-five" -> "45", "seven" -> "7"."""
    tokens = re.sub(r"\b([a-z]+)-([a-z]+)\b", r"\1 \2", text).split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = _fix(tokens[i], list(_NUMBER_WORDS), 0.85)  # "night" is not "eight"
        if word in _TENS and i + 1 < len(tokens):
            unit = _fix(tokens[i + 1], list(_NUMBER_WORDS), 0.85)
            if unit in _NUMBER_WORDS and 1 <= _NUMBER_WORDS[unit] <= 9:
                out.append(str(_NUMBER_WORDS[word] + _NUMBER_WORDS[unit]))
                i += 2
                continue
        out.append(str(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else tokens[i])
        i += 1
    return " ".join(out)


def _leftover(text: str, also: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that are neither framing nor ``also``: what a reading could not place."""
    return [w for w in re.findall(r"[a-z0-9']+", text) if w not in _FILLER and w not in also]


def _settle(value: object, rest: str, also: frozenset[str] = frozenset()) -> None:
    """Raise ``Unsure`` when words were left that the reading could not place."""
    if _leftover(rest, also):
        raise Unsure(value)


# --- days ----------------------------------------------------------------------------------------

_DAY_FILLER = _wordset(
    """
    run runs running jog jogging train training days day week weekly a week time times morning mornings
    evening evenings long easy quality hard tempo intervals interval hills hill track speed workout
    workouts sessions session usually mostly generally normally then also as well too
    """
)
_EXCEPT = re.compile(r"\b(?:except(?: for| on)?|but not(?: on)?|apart from|other than|not on|not|besides|minus|bar)\b")
_ALL_WEEK = re.compile(r"\b(?:every ?day|daily|all days|all week|each day|7 days|seven days|all of them|all)\b")
_RANGE = re.compile(r"\b([a-z]+)\s*(?:-|to|through|thru|till|til|until)\s*([a-z]+)\b")
_NONE_SAID = re.compile(
    r"^(?:none|no|nope|nah|nothing|not really|no thanks|n/a|na|-|0|zero|skip|not yet|nil|none really|"
    r"none at the moment|none right now|not at the moment|no,? none|no,? not really)$"
)


_NO_HARD_DAYS = re.compile(
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


_NO_LONG_RUN = re.compile(
    r"^(?:none|no|nope|nah|no long runs?|not really|i don'?t(?: do| have)?(?: a)? long runs?|"
    r"no long run really|none really|n/a)$"
)


def says_no_long_run(text: str) -> bool:
    return bool(_NO_LONG_RUN.match(_sentence(text)))


# --- strength experience -------------------------------------------------------------------------

_LEVEL_NEW = re.compile(
    r"\b(?:never|not really|not at all|none|nothing|zero|no(?:pe)?|beginner|newbie|novice|new to (?:it|this|lifting)|"
    r"brand new|don'?t(?: really)?(?: lift| do)|haven'?t|have not|not yet|not lifting|no experience|first time)\b"
)
_LEVEL_SOME = re.compile(
    r"\b(?:some(?:times)?|occasionally|on and off|off and on|now and then|a bit|a little|bits|rarely|irregular(?:ly)?|"
    r"once a month|twice a month|monthly|once in a while|here and there|when i can|not (?:very )?(?:much|often|"
    r"regularly|consistently)|just started|recently started|started recently|a few (?:weeks|months)|"
    r"couple of (?:weeks|months)|casual(?:ly)?|in winter|in the off ?season|bits and pieces|not much)\b"
)
_LEVEL_REGULAR = re.compile(
    r"\b(?:regular(?:ly)?|weekly|every week|(?:once|twice|\d+ ?(?:x|times)|two times|three times) (?:a|per|each) week|"
    r"\d+ ?x ?(?:a |per )?(?:wk|week)|often|always|experienced|consistently|for years|years|a lot|loads|yes|yep|"
    r"yeah|gym rat|powerlift(?:ing|er)?|olympic lifting|bodybuilding|crossfit(?:ter)?|lift(?:ing)? (?:a lot|heavy))\b"
)
_LEVEL_PAST = re.compile(
    r"\b(?:did|used to|years ago|in the past|back in|before|was|stopped|quit|gave up|no longer|not any more|"
    r"not anymore|anymore)\b"
)
_LEVEL_ANSWERS = {**{name: level for level, names in _LEVELS.items() for name in names}}


def read_level(text: str) -> Level:
    """Strength experience in a sentence: "never lifted" (new), "I lift twice a week" (regular),
    "did crossfit for years" (unsure: some, as it is not now)."""
    if text.strip().endswith("?"):
        raise AnswerError("bad_level")  # "what should I lift today?" asks, it does not answer
    said = _sentence(text)
    if said in _LEVEL_ANSWERS:
        return _LEVEL_ANSWERS[said]
    past = bool(_LEVEL_PAST.search(said)) and "still" not in said
    if past and re.search(r"\b(?:lift|lifted|lifting|gym|weights|crossfit|strength)\b", said) and "never" not in said:
        raise Unsure(Level.SOME)  # it was once; now is what the plan needs
    if _LEVEL_SOME.search(said):
        return Level.SOME
    if _LEVEL_NEW.search(said) and not _LEVEL_REGULAR.search(said.replace("years", "")):
        if past and not re.search(r"\bnever\b", said):
            raise Unsure(Level.SOME)  # "used to, not any more": some, to confirm
        return Level.NEW
    if _LEVEL_REGULAR.search(said) or re.search(r"\b(?:i lift|lifting|gym|weights|strength)\b", said):
        if past:
            raise Unsure(Level.SOME)  # it was regular once; now is what the plan needs
        if not _LEVEL_REGULAR.search(said):
            raise Unsure(Level.SOME)  # "I lift", how often not said
        return Level.REGULAR
    raise AnswerError("bad_level")


# --- equipment -----------------------------------------------------------------------------------

_KIT_TYPOS = {
    "dumbel": "dumbbell", "dumbels": "dumbbells", "dumbbel": "dumbbell", "dumbbels": "dumbbells",
    "dumbbell's": "dumbbells", "kettle": "kettlebell", "kettlebel": "kettlebell", "kettlebels": "kettlebells",
    "barbel": "barbell", "barbels": "barbells", "resistence": "resistance", "theraband": "bands",
    "therabands": "bands", "elastic": "bands",
}  # fmt: skip
_KIT_VOCABULARY = [
    "dumbbell",
    "dumbbells",
    "kettlebell",
    "kettlebells",
    "barbell",
    "barbells",
    "bands",
    "band",
    "resistance",
    "bodyweight",
    "nothing",
    "weights",
    "machines",
]
_KIT_FILLER = _wordset(
    """
    home house garage flat apartment gym gyms at the local work pair set couple few light heavy
    adjustable own owns membership member access kit equipment stuff plus lifting lift weights weight
    bells bell bar bars plates plate rack cable cables machine machines full proper big small mini loop
    resistance only no nothing none just bodyweight body
    """
)


def read_equipment(text: str) -> Kit:
    """Kit in a sentence: "I have a barbell at the gym", "just dumbbells at home", "nothing,
    bodyweight only", "full gym"; "kettle bells" and "dumbels" read as meant."""
    said = _sentence(text).replace("kettle bell", "kettlebell").replace("free weights", "dumbbells")
    said = " ".join(_KIT_TYPOS.get(w, _fix(w, _KIT_VOCABULARY)) for w in said.replace(",", " , ").split())
    said = said.replace(" ,", ",")
    kit = parse_equipment(said)
    kit_words = {name for names in _EQUIPMENT_WORDS.values() for name in names for name in name.split()}
    _settle(kit, said, _KIT_FILLER | kit_words | frozenset(_BODYWEIGHT_WORDS))
    return kit


# --- session length ------------------------------------------------------------------------------

_MINUTE_UNITS = r"(?:m|min|mins|minute|minutes|minuts|minits|mintues|minuets|mnts|mn)"
_HOUR_UNITS = r"(?:h|hr|hrs|hour|hours|hoursm)"
_MINUTE_FILLER = _wordset(
    """
    minutes minute mins min m hour hours hr hrs h session sessions time max maximum most up no more less
    than tops or so spare give can lift lifting strength workout long each per week day a an half
    quarter ish of
    """
)


def read_minutes(text: str) -> int:
    """Minutes for a session in a sentence: "45 minutes", "forty five minutes", "an hour", "half an
    hour", "1h", "90 mins", "about 30", "30-45" (the shorter, to confirm)."""
    said = _numbers(_sentence(text))
    said = said.replace("an hour and a half", "90 min").replace("hour and a half", "90 min")
    said = re.sub(r"\b(?:1|one|an?)\s*(?:and a half|1/2|½) ?" + _HOUR_UNITS + r"\b", "90 min", said)
    said = re.sub(r"\b1\.5 ?" + _HOUR_UNITS + r"\b", "90 min", said)
    said = re.sub(r"\bthree quarters? (?:of )?an? " + _HOUR_UNITS + r"\b", "45 min", said)
    said = re.sub(r"\b(?:a )?quarter (?:of )?an? " + _HOUR_UNITS + r"\b", "15 min", said)
    said = re.sub(r"\bhalf (?:an? )?" + _HOUR_UNITS + r"\b", "30 min", said)
    said = re.sub(r"\b(?:an?|one|1) ?" + _HOUR_UNITS + r"\b", "60 min", said)
    said = re.sub(r"\b1 ?h ?(\d{2})\b", lambda m: f"{60 + int(m.group(1))} min", said)
    said = re.sub(r"(\d+) ?" + _HOUR_UNITS + r"\b", lambda m: f"{60 * int(m.group(1))} min", said)
    said = re.sub(r"(\d+) ?" + _MINUTE_UNITS + r"\b", r"\1 min", said)
    said = re.sub(r"(\d+) ?-?ish\b", r"\1", said)
    numbers = [int(n) for n in re.findall(r"\b\d{1,3}\b", said)]
    if not numbers:
        raise AnswerError("bad_minutes")
    minutes = numbers[0]
    if not 10 <= minutes <= 90:
        raise AnswerError("bad_minutes")
    if len(numbers) > 1:
        raise Unsure(minutes)  # "30-45", "20 or 30": the shorter one, to confirm
    _settle(minutes, re.sub(r"\d+", " ", said), _MINUTE_FILLER)
    return minutes


# --- niggles -------------------------------------------------------------------------------------

_AREA_VOCABULARY = sorted({*_AREAS, "achilles"})
_NIGGLE_FILLER = _wordset(
    """
    left right both side sides a bit little slightly sore sorish tight stiff achy aches ache ache's
    hurts hurt hurting painful pain niggle niggles niggly dodgy bad weak old injury injured issue issues
    problem problems tendon tendons knees when sometimes after running runs run lately recently since
    then now still there is it's been occasionally mild minor ongoing recurring flare flares up plantar
    fasciitis tendonitis tendinopathy strain strained pulled lower upper outer inner front back of the
    and my
    """
)
_NO_NIGGLES = re.compile(
    r"^(?:none|no|nope|nah|nothing|all good|healthy|fine|i'?m fine|all fine|no niggles|no injuries|not really|"
    r"nothing really|none really|none right now|nothing right now|none at the moment|nothing at the moment|"
    r"none atm|nothing atm|no,? all good|all good thanks|no issues|no problems|injury free|n/a|na|-|0|zero|"
    r"no,? none|no,? nothing|i'?m good|good|feeling good|all healthy)$"
)


def read_areas(text: str) -> list[BodyArea]:
    """Niggles in a sentence: "my left achilles is a bit sore" (ankle), "none", "knee and hip"."""
    said = _sentence(text)
    if _NO_NIGGLES.match(said):
        return []
    fixed = " ".join(_fix(w, _AREA_VOCABULARY) for w in said.split())
    areas = parse_areas(fixed)  # the IT band and the unknown are asked back as before
    _settle(areas, fixed, _NIGGLE_FILLER | frozenset(_AREAS) | {"it", "band", "itb", "iliotibial"})
    return areas


# --- time of day ---------------------------------------------------------------------------------

_TIME_VOCABULARY = [
    "half",
    "past",
    "quarter",
    "noon",
    "midday",
    "midnight",
    "morning",
    "evening",
    "afternoon",
    "night",
    "tonight",
    "after",
    "before",
]
_TIME_FILLER = _wordset(
    """
    remind reminder reminders send sending it them message messages text ping notify notification me at
    around about by time session daily every day each o'clock oclock clock sharp ish in the morning
    mornings evening evenings afternoon afternoons night tonight early late am pm a p before after work
    lunch lunchtime breakfast wake up past to quarter half noon midday midnight till til
    """
)
_EVENING = re.compile(r"\b(?:pm|p|evening|evenings|afternoon|afternoons|night|tonight|after work)\b")
_MORNING = re.compile(r"\b(?:am|a|morning|mornings|before work|breakfast)\b")


def read_time(text: str) -> dt.time:
    """A time of day in a sentence: "remind me at 6:30am", "half past seven", "quarter to 7", "7ish",
    "18:00", "noon", "7 in the morning", "7pm". A bare 1 to 5 o'clock is read as afternoon, to confirm."""
    said = _sentence(text).replace("a.m.", "am").replace("p.m.", "pm").replace("a.m", "am").replace("p.m", "pm")
    said = re.sub(r"o'? ?clock", " ", said)
    said = _numbers(" ".join(_fix(w, _TIME_VOCABULARY, 0.85) for w in said.split()))
    said = re.sub(r"(\d)\s*-?ish\b", r"\1", said)
    said = re.sub(r"(\d)(am|pm|a|p)\b", r"\1 \2", said)
    unsure = False
    time = _time_in(said)
    if time is None:
        raise AnswerError("bad_time")
    hour, minute, twelve, rest = time
    if twelve and hour <= 12:
        if _EVENING.search(said):
            hour = hour % 12 + 12 if not (hour == 12 and "night" in said) else 0
        elif _MORNING.search(said):
            hour %= 12
        elif 1 <= hour <= 5:
            hour += 12  # "half past five": the afternoon is likelier than dawn, but ask
            unsure = True
    if hour > 23 or minute > 59:
        raise AnswerError("bad_time")
    found = dt.time(hour, minute)
    if unsure or re.search(r"\d", rest):  # "6 or 7": the first, to confirm
        raise Unsure(found)
    _settle(found, rest, _TIME_FILLER)
    return found


def _time_in(said: str) -> tuple[int, int, bool, str] | None:
    """(hour, minute, whether the hour may be a 12-hour one, the rest of the text) of the first time
    named in ``said``."""

    def rest(match: re.Match[str]) -> str:
        return f"{said[: match.start()]} {said[match.end() :]}"

    for word, value in _TIME_WORDS.items():
        found = re.search(rf"\b{word}\b", said)
        if found is not None:
            return value.hour, value.minute, False, rest(found)
    match = re.search(r"\b(quarter|half|\d{1,2}) (?:minutes )?(past|after|to|before|till|til) (\d{1,2})\b", said)
    if match is not None:
        amount = {"quarter": 15, "half": 30}.get(match.group(1)) or int(match.group(1))
        hour = int(match.group(3))
        if match.group(2) in ("past", "after"):
            return hour, amount, True, rest(match)
        if match.group(1) == "half" or amount >= 60:
            return None
        return (hour - 1) % 24 if hour != 1 else 12, 60 - amount, True, rest(match)
    match = re.search(r"\bhalf (\d{1,2})\b", said)  # "half seven": 7:30
    if match is not None:
        return int(match.group(1)), 30, True, rest(match)
    match = re.search(r"\b(\d{1,2})[:.h](\d{2})\b", said)
    if match is not None:
        hour = int(match.group(1))
        return hour, int(match.group(2)), not match.group(1).startswith("0") and hour <= 12, rest(match)
    match = re.search(r"\b(\d{3,4})\b", said)
    if match is not None:
        digits = match.group(1)
        return int(digits[:-2]), int(digits[-2:]), len(digits) == 3, rest(match)
    match = re.search(r"\b(\d{1,2}) (\d{2})\b", said)  # "six thirty", "7 15"
    if match is not None:
        return int(match.group(1)), int(match.group(2)), True, rest(match)
    match = re.search(r"\b(\d{1,2})\b", said)
    if match is not None:
        hour = int(match.group(1))
        return hour, 0, not match.group(1).startswith("0") and hour <= 12, rest(match)
    return None


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
_MONTH_ONLY = re.compile(
    r"^(?:(?:early|mid|late|end of|start of|beginning of|the middle of|middle of)\s+)?"
    r"([a-z]+)(?:\s+(\d{4}))?$"
)
_DAY_ONLY = re.compile(r"^(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+of\s+(?:the\s+)?month)?$")


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


_NO_RACE = re.compile(
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


# --- not an answer -------------------------------------------------------------------------------

_QUESTION = re.compile(
    r"^(?:why|how come|huh|eh|wait)\b|\bwhy (?:do|does|should|would|is|are)\b"
    r"|\bwhat(?:'s| is|s)? (?:this|that|it) for\b|\bwhat for\b|\bwhat do you (?:mean|need)"
    r"|\bwhat does (?:this|that|it) (?:mean|do|change)\b|\bdo you (?:need|have to)"
    r"|\bdoes (?:it|this|that) matter\b|\bwhat(?:'s| is) the point\b|\bhow does (?:this|that|it) (?:work|help)\b"
)


def is_question(text: str) -> bool:
    """Whether a message asks something back ("why do you need this?", "what's this for") rather
    than answering."""
    return bool(_QUESTION.search(" ".join(text.lower().replace("’", "'").split())))
