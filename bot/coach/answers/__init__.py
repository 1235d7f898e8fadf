"""Reading a runner's typed answers: days, times, dates, levels, niggles.

Every parser takes the raw text and returns a value or raises ``AnswerError`` whose ``key``
names the re-ask message in the content library. Pure: ``today`` is passed in. The strict
``parse_*`` readers take an answer as a button would give it; the ``read_*`` readers find it in a
sentence and raise ``Unsure`` when words are left they cannot place. One module per question;
``words`` holds what they share.
"""

from __future__ import annotations

from bot.coach.answers.areas import find_areas, parse_areas, read_areas
from bot.coach.answers.days import parse_day, parse_days, read_day, read_days, read_days_unsure, says_no_long_run
from bot.coach.answers.kit import parse_equipment, read_equipment
from bot.coach.answers.level import parse_level, read_level
from bot.coach.answers.minutes import SESSION_CHOICES, parse_minutes, read_minutes
from bot.coach.answers.races import (
    MonthOnly,
    day_only,
    month_only,
    parse_distance,
    parse_race,
    parse_race_date,
    read_race,
    read_race_date,
    read_race_none,
)
from bot.coach.answers.times import parse_time, read_time
from bot.coach.answers.words import MAX_ANSWER_CHARS, AnswerError, Unsure, clean, is_question

__all__ = [
    "MAX_ANSWER_CHARS",
    "SESSION_CHOICES",
    "AnswerError",
    "MonthOnly",
    "Unsure",
    "clean",
    "day_only",
    "find_areas",
    "is_question",
    "month_only",
    "parse_areas",
    "parse_day",
    "parse_days",
    "parse_distance",
    "parse_equipment",
    "parse_level",
    "parse_minutes",
    "parse_race",
    "parse_race_date",
    "parse_time",
    "read_areas",
    "read_day",
    "read_days",
    "read_days_unsure",
    "read_equipment",
    "read_level",
    "read_minutes",
    "read_race",
    "read_race_date",
    "read_race_none",
    "read_time",
    "says_no_long_run",
]
