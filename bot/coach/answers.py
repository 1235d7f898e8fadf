"""Reading a runner's typed answers: days, times, dates, levels, niggles.

Every parser takes the raw text and returns a value or raises ``AnswerError`` whose ``key``
names the re-ask message in the content library. Pure: ``today`` is passed in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from bot.coach.dates import AmbiguousDate, read_date
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
