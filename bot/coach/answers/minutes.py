"""Session length: minutes or hours, in numbers or words, near a choice offered."""

from __future__ import annotations

import re

from bot.coach.answers.words import AnswerError, Unsure, _numbers, _sentence, _settle, _wordset, clean

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
