"""Onboarding use cases: store each answer as it comes, and finish with a profile and a first plan.

Answers are stored one by one in the database, so a runner who stops (or a bot that restarts)
loses nothing; ``next_question`` derives where to continue from what is stored.

The questions are in :mod:`bot.services.questions`, reading an answer in
:mod:`bot.services.answering`; their names are importable from here too, where the edges import them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.coach.library import Library
from bot.coach.model import BodyArea, Profile, WeekPlan
from bot.services.accounts import RunnerAccount
from bot.services.answering import (
    BACK,
    DONE,
    MINUTE_CHOICES,
    NIGHT_ENDS,
    NIGHT_STARTS,
    NO,
    NONE,
    REMINDER_CHOICES,
    SESSION_CHOICES,
    SURE,
    YES,
    button_answer,
    flag_answer,
    is_night,
    q,
    reminder,
    typed_answer,
)
from bot.services.health import UNTIL_CLEARED
from bot.services.plans import current_weeks, local_today
from bot.services.ports import UnitOfWorkFactory
from bot.services.questions import (
    CONFIRM_DRAFT,
    KIT_CHOICES,
    MULTI,
    NIGHT_REMINDER_DRAFT,
    ORDER,
    RACE_DISTANCE_DRAFT,
    RACE_MONTH_DRAFT,
    SCREEN_DRAFT,
    Confirm,
    Draft,
    Question,
    Reask,
    answered_list,
    draft_key,
    is_draft,
    next_question,
    profile_from_answers,
    quality_choices,
    red_flagged,
    run_days,
    unscreened,
)
from bot.services.scheduling import reschedule

__all__ = [
    "BACK",
    "CONFIRM_DRAFT",
    "DONE",
    "KIT_CHOICES",
    "MINUTE_CHOICES",
    "MULTI",
    "NIGHT_ENDS",
    "NIGHT_REMINDER_DRAFT",
    "NIGHT_STARTS",
    "NO",
    "NONE",
    "ORDER",
    "RACE_DISTANCE_DRAFT",
    "RACE_MONTH_DRAFT",
    "REMINDER_CHOICES",
    "SCREEN_DRAFT",
    "SESSION_CHOICES",
    "SURE",
    "YES",
    "Confirm",
    "Draft",
    "Onboarded",
    "Question",
    "Reask",
    "answered_list",
    "button_answer",
    "draft_key",
    "finish",
    "flag_answer",
    "go_back",
    "is_draft",
    "is_night",
    "next_question",
    "profile_from_answers",
    "q",
    "quality_choices",
    "red_flagged",
    "reminder",
    "run_days",
    "save_answer",
    "step_back",
    "stored_answers",
    "typed_answer",
    "unscreened",
]


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
    """Store one or more answers (and drop drafts they replace) in one transaction; return all answers.

    A draft given as None is dropped too.
    """
    drop = (*drop, *(key for key, value in values.items() if value is None and is_draft(key)))
    values = {key: value for key, value in values.items() if key not in drop}
    async with uow() as work:
        await work.answers.discard(telegram_id, list(drop))
        for key, value in values.items():
            await work.answers.put(telegram_id, key, value, now)
        answers = await work.answers.get_all(telegram_id)
        await work.commit()
    return answers


def step_back(question: Question, answers: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Going back from ``question``: the answers to restore and the keys to drop, so the question
    before it is open again (a multi-choice one with its earlier picks ticked).

    Raises Reask("stale_button") on the first question, which has nothing before it.
    """
    if question is Question.RACE_DATE:
        return {}, (Draft.RACE_DISTANCE, Draft.RACE_MONTH)
    if question is Question.REMINDER_SURE:
        return {}, (Draft.NIGHT_REMINDER,)
    index = ORDER.index(question)
    if index == 0:
        raise Reask("stale_button")
    previous = ORDER[index - 1]
    if previous is Question.NIGGLE_FLAGS and not answers.get(Question.NIGGLES.value):
        previous = Question.NIGGLES  # no area was declared, so none was screened
    drop: tuple[str, ...] = (previous.value, Draft.RACE_DISTANCE, Draft.RACE_MONTH, Draft.NIGHT_REMINDER, Draft.PLACES)
    if previous is Question.NIGGLES:
        drop += (Question.NIGGLE_FLAGS.value,)
    if question in MULTI:
        drop += (Draft.ticks(question),)
    restore: dict[str, Any] = {}
    if previous in MULTI:
        restore[Draft.ticks(previous)] = answered_list(previous, answers.get(previous.value))
    return restore, drop


async def go_back(uow: UnitOfWorkFactory, telegram_id: int, question: Question, *, now: dt.datetime) -> dict[str, Any]:
    """Reopen the question before ``question``; returns all answers."""
    answers = await stored_answers(uow, telegram_id)
    restore, drop = step_back(question, answers)
    return await save_answer(uow, telegram_id, restore, now=now, drop=drop)


@dataclass(frozen=True)
class Onboarded:
    account: RunnerAccount
    profile: Profile
    weeks: list[WeekPlan]
    today: dt.date
    red_flags: frozenset[BodyArea] = frozenset()  # declared areas sent to a professional first (N1)


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
        flagged = red_flagged(answers)
        if flagged:
            # N1: a declared area with a red-flag sign rests until a professional clears it, as
            # after a pain report's red-flag yes (bot.services.health.red_flag)
            pain = {**account.state.pain, **dict.fromkeys(flagged, UNTIL_CLEARED)}
            state = replace(account.state, pain=pain)
            await work.runners.save_state(telegram_id, state)
            account = replace(account, state=state)
        if answers.get(Question.HEALTH.value):
            # a yes to the health screen: the base dose of a new lifter until they say they are cleared
            state = replace(account.state, needs_clearance=True)
            await work.runners.save_state(telegram_id, state)
            account = replace(account, state=state)
        today = local_today(now, timezone)
        weeks = current_weeks(profile, account.state, today, library, joined=today)
        for week in weeks:
            await work.plans.save_week(telegram_id, week, now)
        await work.answers.clear(telegram_id)
        await reschedule(work, telegram_id, now)  # the first prompt, nudge and review are now due
        await work.commit()
    return Onboarded(account=account, profile=profile, weeks=weeks, today=today, red_flags=flagged)
