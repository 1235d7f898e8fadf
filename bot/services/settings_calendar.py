"""/settings for the run calendar: run days, the long-run day and quality days.

The calendar questions are onboarding's, asked with the runner's current calendar in the answers, so
their buttons and typed readers (``bot.services.answering``) offer and accept only what fits it: a
long-run day must be a run day, a quality day a run day other than the long run's. An answer that
leaves the rest of the calendar impossible (run days without the long-run day) asks that question
next, with nothing stored yet; a whole calendar changes the profile, re-plans the rest of the week
from the first open day, and keeps the due messages current.
"""

from __future__ import annotations

from typing import Any

from bot.coach.model import RunKind, Weekday
from bot.services.questions import Draft, Question, quality_choices, run_days, week_from_answers

CALENDAR = (Question.RUN_DAYS, Question.LONG_DAY, Question.QUALITY_DAYS)


def calendar_answers(week: dict[Weekday, RunKind]) -> dict[str, Any]:
    """The calendar as onboarding's answers (and, for the multi-choice questions, their ticks)."""
    days = [(day, week.get(day, RunKind.REST)) for day in Weekday]  # stored weeks need not be in order
    runs = [day.value for day, kind in days if kind is not RunKind.REST]
    long_day = next((day.value for day, kind in days if kind is RunKind.LONG), None)
    quality = [day.value for day, kind in days if kind is RunKind.QUALITY]
    return {
        Question.RUN_DAYS.value: runs,
        Question.LONG_DAY.value: long_day,
        Question.QUALITY_DAYS.value: quality,
        Draft.ticks(Question.RUN_DAYS): runs,
        Draft.ticks(Question.QUALITY_DAYS): quality,
    }


def merged(answers: dict[str, Any], setting: Question, value: Any) -> dict[str, Any]:
    """The calendar answers with ``setting`` answered ``value``."""
    calendar = {q.value: answers.get(q.value) for q in CALENDAR}
    calendar[setting.value] = value
    return calendar


def unfit(calendar: dict[str, Any]) -> Question | None:
    """The calendar question a changed calendar must ask again, or None when it holds together."""
    runs = {day.value for day in run_days(calendar)}
    long_day = calendar.get(Question.LONG_DAY.value)
    if long_day is not None and long_day not in runs:
        return Question.LONG_DAY
    choices = {day.value for day in quality_choices(calendar)}
    if any(day not in choices for day in calendar.get(Question.QUALITY_DAYS.value) or []):
        return Question.QUALITY_DAYS
    return None


def next_step(calendar: dict[str, Any], question: Question) -> dict[str, Any]:
    """The answers to store for asking ``question`` again: the calendar so far, the setting moved
    on to it, and (for quality days) the ticks that still fit."""
    values: dict[str, Any] = {**calendar, Draft.SETTING: question.value}
    if question is Question.LONG_DAY:
        values[Question.LONG_DAY.value] = None
    if question is Question.QUALITY_DAYS:
        choices = {day.value for day in quality_choices(calendar)}
        values[Draft.ticks(question)] = [d for d in calendar.get(question.value) or [] if d in choices]
    return values


def week_of(calendar: dict[str, Any]) -> dict[Weekday, RunKind]:
    """The weekly template a whole calendar gives (onboarding's own reading of its answers)."""
    return week_from_answers(calendar)
