"""/settings use cases: change one onboarding answer after onboarding, and re-plan what it changes.

Which setting is open lives in the database, in the onboarding answers table under
:attr:`~bot.services.questions.Draft.SETTING` (with a multi-choice question's ticks under its usual draft key), so any
process can serve the runner's next tap or message. Answers are read with the onboarding parsers
(``bot.services.answering.typed_answer`` and ``button_answer``); this module only applies them:

- reminder time, timezone: the runner's delivery settings, and their due messages rescheduled;
- strength level, equipment, session length, niggles, sessions a week: the profile, and the rest
  of this week re-planned from the first day not yet sent or logged (days already sent keep what
  they had);
- run days, long-run day, quality days: the weekly run template (``bot.services.settings_calendar``),
  re-planned the same way, and the due messages kept current.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from bot.coach.library import Library
from bot.coach.model import BodyArea, Level, Profile, WeekPlan, kit_of, kit_values
from bot.services import health
from bot.services.accounts import OnboardedRunner, RunnerBrief
from bot.services.pauses import lapsed_now, settled_account
from bot.services.plans import local_today, replan_open_days, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.questions import (
    Draft,
    Question,
    red_flagged,
    unscreened,
)
from bot.services.scheduling import reschedule
from bot.services.settings_calendar import CALENDAR, calendar_answers, merged, next_step, unfit, week_of

DELIVERY = (Question.REMINDER, Question.TIMEZONE)
PLANNING = (Question.LEVEL, *CALENDAR, Question.EQUIPMENT, Question.MINUTES, Question.NIGGLES, Question.SESSIONS)
SETTINGS = (*DELIVERY, *PLANNING)  # in the order /settings shows them


@dataclass(frozen=True)
class Pending:
    """The answer did not settle the question yet (a tick, a night-time reminder to confirm, a
    "pick another"): ask ``question`` again with ``answers``."""

    question: Question
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where and when the runner's messages go, as a delivery setting's change left them: all its
    confirmation shows (changed on the update's brief, the account is not read for it)."""

    timezone: str
    reminder_time: dt.time


@dataclass(frozen=True)
class Changed:
    """The setting was changed. For a plan-changing one, ``week`` is this week as re-planned and
    ``start`` the first day that changed (earlier days keep what they had). ``account``: for a plan
    setting the runner as changed, for a delivery setting its outcome."""

    question: Question
    account: OnboardedRunner | Delivery
    start: dt.date
    week: WeekPlan | None = None
    red_flags: frozenset[BodyArea] = frozenset()  # areas declared with a red-flag sign (N1)


def open_question(answers: dict[str, Any]) -> Question | None:
    """The setting being changed, from the stored answers; None when none is open."""
    value = answers.get(Draft.SETTING)
    if value not in [s.value for s in SETTINGS]:
        return None
    question = Question(value)
    if question is Question.REMINDER and Draft.NIGHT_REMINDER in answers:
        return Question.REMINDER_SURE
    if question is Question.NIGGLES and Draft.SCREEN in answers and unscreened(answers):
        return Question.NIGGLE_FLAGS
    return question


def setting_of(question: Question) -> Question:
    """The setting a question belongs to (the night-time "are you sure?" is the reminder's)."""
    if question is Question.NIGGLE_FLAGS:
        return Question.NIGGLES
    return Question.REMINDER if question is Question.REMINDER_SURE else question


async def open_setting(
    work: UnitOfWork,
    telegram_id: int,
    question: Question,
    now: dt.datetime,
    library: Library,
    known: dict[str, Any] | None = None,
    runner: RunnerBrief | None = None,
) -> dict[str, Any] | Problem:
    """Start changing one setting (closing any other left open); the answers to ask it with, the
    runner's current niggles ticked for the niggles question. ``known``: the stored answers as the
    update read them (none stored: nothing to close); ``runner``: the runner as the update read
    them, enough for a delivery setting (asked without the account) unless a pause has lapsed."""
    if question not in SETTINGS:
        raise ValueError(f"{question.value} is not a setting")
    if question in DELIVERY and runner is not None and _settled(runner, now):
        account = None  # nothing of the account goes into a delivery setting's question
    else:
        account = await settled_account(work, telegram_id, now, library)
        if account is None:
            return Problem.NOT_ONBOARDED
    if known is None or known:
        await work.answers.clear(telegram_id)  # an onboarded runner's answers are only an open setting
    values: dict[str, Any] = {Draft.SETTING: question.value, Draft.SETTING_AT: now.isoformat()}
    if account is not None and question is Question.NIGGLES:
        order = list(BodyArea)
        values[Draft.ticks(question)] = [a.value for a in sorted(account.profile.injuries, key=order.index)]
    if account is not None and question is Question.EQUIPMENT:
        values[Draft.ticks(question)] = kit_values(account.profile.equipment)
    if account is not None and question in CALENDAR:  # asked around the current calendar: buttons that fit it
        values.update(calendar_answers(account.profile.week))
    await work.answers.put_all(telegram_id, values, now)
    return values


def _settled(runner: RunnerBrief, now: dt.datetime) -> bool:
    """Whether the runner is onboarded with no lapsed pause to end (``settled_account`` would
    write nothing, and find them); False when the brief cannot tell."""
    return runner.onboarded and runner.timezone is not None and not lapsed_now(runner, now)


async def close(work: UnitOfWork, telegram_id: int) -> bool:
    """Close the open setting without changing it; False when none was open."""
    answers = await work.answers.get_all(telegram_id)
    if Draft.SETTING not in answers:
        return False
    await work.answers.clear(telegram_id)
    return True


async def answer(
    work: UnitOfWork,
    telegram_id: int,
    question: Question,
    values: dict[str, Any],
    now: dt.datetime,
    library: Library,
    known: dict[str, Any] | None = None,
    runner: RunnerBrief | None = None,
) -> Changed | Pending | Problem:
    """Apply what an answer to the open ``question`` gave (from ``typed_answer`` or ``button_answer``).

    Drafts (ticks, a night-time reminder waiting for "are you sure?") are stored and the question
    stays open; a final answer changes the setting and closes it. ``known``: the stored answers as
    the update read them (else read now); ``runner``: the runner as the update read them, enough
    for a delivery setting (changed without reading the account) unless a pause has lapsed.
    """
    setting = setting_of(question)
    holder: OnboardedRunner | RunnerBrief | None = runner
    if setting not in DELIVERY or runner is None or not _settled(runner, now) or runner.reminder_time is None:
        # the brief cannot vouch for the runner (a plan setting needs the profile besides): the
        # account, a lapsed pause ended first
        holder = await settled_account(work, telegram_id, now, library)
    if holder is None:
        return Problem.NOT_ONBOARDED
    answers = dict(known) if known is not None else await work.answers.get_all(telegram_id)
    if open_question(answers) is not question:
        return Problem.NEED_STATUS  # nothing open, or another setting: a stale answer
    if question is not Question.NIGGLE_FLAGS and setting.value not in values:
        return await _drafted(work, telegram_id, setting, values, now)  # red-flag answers: ``_screened``
    if setting in DELIVERY:
        await work.answers.clear(telegram_id)
        return await _deliver(work, holder, setting, values[setting.value], now)
    assert isinstance(holder, OnboardedRunner)  # only a delivery setting is answered on the brief
    if question is Question.NIGGLE_FLAGS:
        return await _screened(work, holder, values, now, library)
    value = values[setting.value]
    if setting is Question.NIGGLES:
        # N1: each newly declared area first gets its red-flag question
        new = [area for area in value if BodyArea(area) not in holder.profile.injuries]
        if new:
            await work.answers.discard(telegram_id, [Question.NIGGLE_FLAGS.value])
            await work.answers.put(telegram_id, Draft.SCREEN, new, now)
            await work.answers.put(telegram_id, Draft.NIGGLES_CHOSEN, list(value), now)
            return Pending(Question.NIGGLE_FLAGS, await work.answers.get_all(telegram_id))
    if setting in CALENDAR:
        calendar = merged(answers, setting, value)
        again = unfit(calendar)
        if again is not None:  # run days without the long-run day: that question next, nothing changed yet
            await work.answers.put_all(telegram_id, next_step(calendar, again), now)
            return Pending(again, await work.answers.get_all(telegram_id))
        value = week_of(calendar)
    await work.answers.clear(telegram_id)
    return await change(work, holder, setting, value, now, library)


async def _drafted(
    work: UnitOfWork, telegram_id: int, setting: Question, values: dict[str, Any], now: dt.datetime
) -> Pending:
    """A draft stored (a tick, a night-time reminder to confirm; None drops one): the question again."""
    for key, value in values.items():
        if value is None:
            await work.answers.discard(telegram_id, [key])
        else:
            await work.answers.put(telegram_id, key, value, now)
    answers = await work.answers.get_all(telegram_id)
    return Pending(open_question(answers) or setting, answers)


async def _deliver(
    work: UnitOfWork, runner: OnboardedRunner | RunnerBrief, setting: Question, value: Any, now: dt.datetime
) -> Changed:
    """The reminder time or the timezone set to ``value`` (as its answer is stored) and the due
    messages rescheduled, on the runner's account or on the update's brief alike (the brief of a
    runner it vouches for: onboarded, a zone and a reminder time, no lapsed pause)."""
    telegram_id = runner.telegram_id
    if setting is Question.REMINDER:
        reminder = dt.time.fromisoformat(value)
        await work.runners.write_settings(telegram_id, reminder_time=reminder, now=now)
        runner = replace(runner, reminder_time=reminder)
    else:
        await work.runners.write_settings(telegram_id, timezone=str(value), now=now)
        runner = replace(runner, timezone=str(value))
    await reschedule(work, telegram_id, now, runner)
    assert runner.timezone is not None and runner.reminder_time is not None  # vouched for, and just set
    return Changed(setting, Delivery(runner.timezone, runner.reminder_time), local_today(now, runner.timezone))


async def _screened(
    work: UnitOfWork, account: OnboardedRunner, values: dict[str, Any], now: dt.datetime, library: Library
) -> Changed | Pending:
    """A red-flag answer for a newly declared area: the next area's question, or, once every new
    area is answered, the niggles changed. An area with a red-flag sign is not a niggle: it takes
    the red-flag route of a pain report (``bot.services.health.red_flag``)."""
    telegram_id = account.telegram_id
    for key, value in values.items():
        await work.answers.put(telegram_id, key, value, now)
    answers = await work.answers.get_all(telegram_id)
    if unscreened(answers):
        return Pending(Question.NIGGLE_FLAGS, answers)
    flagged = red_flagged(answers)
    chosen = [area for area in answers.get(Draft.NIGGLES_CHOSEN, []) if BodyArea(area) not in flagged]
    await work.answers.clear(telegram_id)
    changed = await change(work, account, Question.NIGGLES, chosen, now, library)
    if not flagged:
        return changed
    for area in sorted(flagged, key=list(BodyArea).index):
        await health.red_flag(work, telegram_id, area, now, library)
    settled = await settled_account(work, telegram_id, now, library)
    if settled is None:  # pragma: no cover - onboarded a moment ago, in this same transaction
        raise LookupError(f"runner {telegram_id} is no longer onboarded")
    start, week = await replan_open_days(work, settled, now, library)
    return Changed(Question.NIGGLES, settled, start, week, red_flags=flagged)


async def change(
    work: UnitOfWork, account: OnboardedRunner, setting: Question, value: Any, now: dt.datetime, library: Library
) -> Changed:
    """Set one plan setting to ``value`` (as its answer is stored) and re-plan (and for the
    calendar reschedule); a delivery setting is ``_deliver``'s."""
    account = await save_profile(work, account, _changed_profile(account.profile, setting, value), now)
    start, week = await replan_open_days(work, account, now, library)
    if setting in CALENDAR:
        await reschedule(work, account.telegram_id, now, account)
    return Changed(setting, account, start, week)


def _changed_profile(profile: Profile, setting: Question, value: Any) -> Profile:
    if setting is Question.LEVEL:
        return profile.model_copy(update={"strength_level": Level(value)})
    if setting in CALENDAR:  # the whole weekly template (``settings_calendar.week_of``)
        return profile.model_copy(update={"week": dict(value)})
    if setting is Question.EQUIPMENT:
        return profile.model_copy(update={"equipment": kit_of(value)})
    if setting is Question.MINUTES:
        return profile.model_copy(update={"session_minutes": int(value)})
    if setting is Question.NIGGLES:
        return profile.model_copy(update={"injuries": frozenset(BodyArea(a) for a in value)})
    if setting is Question.SESSIONS:
        return profile.model_copy(update={"sessions_per_week": int(value)})
    raise ValueError(f"{setting.value} is not a plan setting")
