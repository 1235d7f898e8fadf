"""Onboarding use cases: store each answer as it comes, and finish with a profile and a first plan.

Answers are stored one by one in the database, so a runner who stops (or a bot that restarts)
loses nothing; ``next_question`` derives where to continue from what is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.coach.model import WEEKDAYS, BodyArea, Distance, Equipment, Level, Profile, Race, RunKind, Weekday, WeekPlan
from bot.coach.profile_io import week_to_json
from bot.content.loader import Library
from bot.db.repositories import RunnerAccount
from bot.db.uow import UnitOfWorkFactory
from bot.services.plans import current_weeks, local_today


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
    TIMEZONE = "timezone"
    REMINDER = "reminder"


ORDER = (
    Question.LEVEL,
    Question.RUN_DAYS,
    Question.LONG_DAY,
    Question.QUALITY_DAYS,
    Question.RACE,
    Question.EQUIPMENT,
    Question.MINUTES,
    Question.NIGGLES,
    Question.TIMEZONE,
    Question.REMINDER,
)
MULTI = (Question.RUN_DAYS, Question.QUALITY_DAYS, Question.NIGGLES)
RACE_DISTANCE_DRAFT = "draft:race_distance"


def draft_key(question: Question) -> str:
    return f"draft:{question.value}"


def next_question(answers: dict[str, Any]) -> Question | None:
    """The first question without a stored answer; None when onboarding is complete."""
    for question in ORDER:
        if question.value not in answers:
            if question is Question.RACE and RACE_DISTANCE_DRAFT in answers:
                return Question.RACE_DATE
            return question
    return None


def run_days(answers: dict[str, Any]) -> list[Weekday]:
    return [Weekday(day) for day in answers.get(Question.RUN_DAYS.value, [])]


def quality_choices(answers: dict[str, Any]) -> list[Weekday]:
    long_day = answers.get(Question.LONG_DAY.value)
    return [day for day in run_days(answers) if day.value != long_day]


def profile_from_answers(answers: dict[str, Any]) -> Profile:
    """The coach's profile from a complete set of answers."""
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
        equipment=Equipment(answers[Question.EQUIPMENT.value]),
        session_minutes=int(answers[Question.MINUTES.value]),
        injuries=frozenset(BodyArea(area) for area in answers.get(Question.NIGGLES.value, [])),
    )


async def stored_answers(uow: UnitOfWorkFactory, telegram_id: int) -> dict[str, Any]:
    async with uow() as work:
        return await work.answers.get_all(telegram_id)


async def save_answer(
    uow: UnitOfWorkFactory,
    telegram_id: int,
    values: dict[str, Any],
    *,
    now: dt.datetime,
    drop: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Store one or more answers (and drop drafts they replace) in one transaction; return all answers."""
    async with uow() as work:
        await work.answers.discard(telegram_id, [key for key in drop if key not in values])
        for key, value in values.items():
            await work.answers.put(telegram_id, key, value, now)
        answers = await work.answers.get_all(telegram_id)
        await work.commit()
    return answers


@dataclass(frozen=True)
class Onboarded:
    account: RunnerAccount
    profile: Profile
    weeks: list[WeekPlan]
    today: dt.date


async def finish(
    uow: UnitOfWorkFactory,
    *,
    telegram_id: int,
    chat_id: int,
    first_name: str,
    now: dt.datetime,
    library: Library,
) -> Onboarded:
    """Turn the stored answers into the runner's profile, plan the first week, clear the answers."""
    async with uow() as work:
        answers = await work.answers.get_all(telegram_id)
        profile = profile_from_answers(answers)
        timezone = str(answers[Question.TIMEZONE.value])
        reminder = dt.time.fromisoformat(answers[Question.REMINDER.value])
        await work.runners.ensure(telegram_id, chat_id, first_name, now=now)
        account = await work.runners.save_profile(
            telegram_id, profile, timezone=timezone, reminder_time=reminder, now=now
        )
        today = local_today(now, timezone)
        weeks = current_weeks(profile, account.state, today, library)
        for week in weeks:
            await work.plans.save(telegram_id, week.start, week.phase.value, week_to_json(week), now)
        await work.answers.clear(telegram_id)
        await work.commit()
    return Onboarded(account=account, profile=profile, weeks=weeks, today=today)
