"""Onboarding's questions: their order, the drafts a half-given answer waits in, the question still
open (derived from the answers stored so far), the profile a complete set gives, and :class:`Reask`
for an answer that does not fit.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    Level,
    Profile,
    Race,
    RunKind,
    Weekday,
    kit_of,
    kit_values,
)


class Question(StrEnum):
    LEVEL = "level"
    RUN_DAYS = "run_days"
    LONG_DAY = "long_day"
    QUALITY_DAYS = "quality_days"
    RACE = "race"
    RACE_DATE = "race_date"
    EQUIPMENT = "equipment"
    MINUTES = "minutes"
    NIGGLES = "niggles"
    NIGGLE_FLAGS = "niggle_flags"  # N1: each declared area's red-flag signs, one yes/no an area
    TIMEZONE = "timezone"
    REMINDER = "reminder"
    REMINDER_SURE = "reminder_sure"
    HEALTH = "health"
    SESSIONS = "sessions"  # strength sessions a week: never asked in onboarding, only in /settings


ORDER = (
    Question.LEVEL,
    Question.RUN_DAYS,
    Question.LONG_DAY,
    Question.QUALITY_DAYS,
    Question.RACE,
    Question.EQUIPMENT,
    Question.MINUTES,
    Question.NIGGLES,
    Question.NIGGLE_FLAGS,
    Question.TIMEZONE,
    Question.REMINDER,
    Question.HEALTH,
)
MULTI = (Question.RUN_DAYS, Question.QUALITY_DAYS, Question.EQUIPMENT, Question.NIGGLES)
KIT_CHOICES = (Equipment.BANDS, Equipment.DUMBBELLS, Equipment.GYM)  # "none" is its own button


class Draft(StrEnum):
    """The keys a half-given answer (or an open question's state) waits under in the answers table.

    Stored as their values (the strings the rows always held), so stored drafts read back as the
    same keys and no migration is needed. Every value starts with :data:`DRAFT_PREFIX`.
    """

    RACE_DISTANCE = "draft:race_distance"
    RACE_MONTH = "draft:race_month"  # "a half in march": the month said, its day still to ask (never made up)
    CONFIRM = "draft:confirm"  # an unsure reading of a typed answer, kept only when its Yes is tapped
    PLACES = "draft:places"  # a typed place several zones share: the places offered, one to tap
    NIGHT_REMINDER = "draft:night_reminder"  # a reminder time at night, waiting for "are you sure?"
    # /settings: the areas newly declared that wait for their red-flag answer (N1); onboarding screens
    # every area of its niggles answer instead
    SCREEN = "draft:screen"
    SETTING = "draft:setting"  # /settings: the setting being changed: its question's value
    SETTING_AT = "draft:setting_at"  # /settings: when it was opened (ISO): a day later it has closed
    NIGGLES_CHOSEN = "draft:niggles_chosen"  # /settings: the niggles ticked, while new ones wait for their red flags
    ACTIVE = "draft:active"  # onboarding is open: the runner's next message or tap answers it
    ASKED = "draft:asked"  # the question last asked: its message id and clean text
    # the ticks of a multi-choice question (MULTI) so far
    RUN_DAYS_TICKS = "draft:run_days"
    QUALITY_DAYS_TICKS = "draft:quality_days"
    EQUIPMENT_TICKS = "draft:equipment"
    NIGGLES_TICKS = "draft:niggles"

    @classmethod
    def ticks(cls, question: Question) -> Draft:
        """The draft holding a multi-choice question's ticks (ValueError for a single-choice one)."""
        return cls(f"{DRAFT_PREFIX}{question.value}")


DRAFT_PREFIX = "draft:"
# the names the Telegram edge still imports; typed as str so a dict literal keyed by one is a dict[str, Any]
RACE_DISTANCE_DRAFT: str = Draft.RACE_DISTANCE
RACE_MONTH_DRAFT: str = Draft.RACE_MONTH
CONFIRM_DRAFT: str = Draft.CONFIRM
NIGHT_REMINDER_DRAFT: str = Draft.NIGHT_REMINDER
SCREEN_DRAFT: str = Draft.SCREEN


def is_draft(key: str) -> bool:
    """Whether an answers key is a draft rather than a question's answer."""
    return key.startswith(DRAFT_PREFIX)


def draft_key(question: Question) -> str:
    """The key of a question's ticks: :meth:`Draft.ticks` for a multi-choice question; a
    single-choice one has none, and its key names nothing ever stored."""
    return Draft.ticks(question) if question in MULTI else f"{DRAFT_PREFIX}{question.value}"


def next_question(answers: dict[str, Any]) -> Question | None:
    """The first question without a stored answer; None when onboarding is complete."""
    for question in ORDER:
        if question is Question.NIGGLE_FLAGS:
            if unscreened(answers):
                return question
            continue
        if question.value not in answers:
            if question is Question.RACE and Draft.RACE_DISTANCE in answers:
                return Question.RACE_DATE
            if question is Question.REMINDER and Draft.NIGHT_REMINDER in answers:
                return Question.REMINDER_SURE
            return question
    return None


def unscreened(answers: dict[str, Any]) -> list[BodyArea]:
    """Declared areas still waiting for their red-flag answer (N1), in body order."""
    areas = answers[Draft.SCREEN] if Draft.SCREEN in answers else answers.get(Question.NIGGLES.value) or []
    flags = answers.get(Question.NIGGLE_FLAGS.value) or {}
    return [BodyArea(area) for area in areas if area not in flags]


def red_flagged(answers: dict[str, Any]) -> frozenset[BodyArea]:
    """Declared areas whose red-flag question got a yes: they take the red-flag route, not the niggle one."""
    flags = answers.get(Question.NIGGLE_FLAGS.value) or {}
    return frozenset(BodyArea(area) for area, yes in flags.items() if yes)


def answered_list(question: Question, value: Any) -> list[str]:
    """A multi-choice answer as the list of its ticks (equipment stored in its old single form too)."""
    if question is Question.EQUIPMENT:
        return kit_values(kit_of(value if value is not None else []))
    return list(value or [])


def run_days(answers: dict[str, Any]) -> list[Weekday]:
    return [Weekday(day) for day in answers.get(Question.RUN_DAYS.value, [])]


def quality_choices(answers: dict[str, Any]) -> list[Weekday]:
    long_day = answers.get(Question.LONG_DAY.value)
    return [day for day in run_days(answers) if day.value != long_day]


def week_from_answers(answers: dict[str, Any]) -> dict[Weekday, RunKind]:
    """The weekly run template the run-days, long-run and quality-days answers give."""
    runs = set(run_days(answers))
    long_day = answers.get(Question.LONG_DAY.value)
    quality = set(answers.get(Question.QUALITY_DAYS.value, []))
    week: dict[Weekday, RunKind] = {}
    for day in WEEKDAYS:
        if day.value == long_day:
            week[day] = RunKind.LONG
        elif day.value in quality:
            week[day] = RunKind.QUALITY
        elif day in runs:
            week[day] = RunKind.EASY
        else:
            week[day] = RunKind.REST
    return week


def profile_from_answers(answers: dict[str, Any]) -> Profile:
    """The coach's profile from a complete set of answers."""
    week = week_from_answers(answers)
    race_answer = answers.get(Question.RACE.value)
    race = (
        Race(distance=Distance(race_answer["distance"]), date=dt.date.fromisoformat(race_answer["date"]))
        if race_answer
        else None
    )
    return Profile(
        strength_level=Level(answers[Question.LEVEL.value]),
        week=week,
        race=race,
        equipment=kit_of(answers[Question.EQUIPMENT.value]),
        session_minutes=int(answers[Question.MINUTES.value]),
        injuries=frozenset(BodyArea(area) for area in answers.get(Question.NIGGLES.value, [])) - red_flagged(answers),
    )


class Reask(Exception):
    """The answer was not usable; ``key`` names the re-ask text in ui.yaml, ``fields`` fill it in."""

    def __init__(self, key: str, **fields: str) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key)


class Confirm(Reask):
    """A typed answer read, but not surely: ``values`` are what it gives once the runner taps Yes."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__("did_you_mean")
        self.values = values
