"""The reminder's time of day: "7", "7:30pm", "half six", "after work" (an unsure hour is
asked back).
"""

from __future__ import annotations

import datetime as dt
import re

from bot.coach import lazy_re
from bot.coach.answers.words import AnswerError, Unsure, _fix, _numbers, _sentence, _settle, _wordset, clean

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
_EVENING = lazy_re.compile(r"\b(?:pm|p|evening|evenings|afternoon|afternoons|night|tonight|after work)\b")
_MORNING = lazy_re.compile(r"\b(?:am|a|morning|mornings|before work|breakfast)\b")


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
