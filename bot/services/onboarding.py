"""Onboarding use cases: store each answer as it comes, and finish with a profile and a first plan.

Answers are stored one by one in the database, so a runner who stops (or a bot that restarts)
loses nothing; ``next_question`` derives where to continue from what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from bot.coach import answers as parse
from bot.coach.library import Library
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
    WeekPlan,
    kit_of,
    kit_values,
)
from bot.services.accounts import RunnerAccount
from bot.services.health import UNTIL_CLEARED
from bot.services.plans import current_weeks, local_today
from bot.services.ports import UnitOfWorkFactory
from bot.services.scheduling import reschedule
from bot.services.timezones import ManyZones, PlaceNotFound, find_timezone


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
RACE_DISTANCE_DRAFT = "draft:race_distance"
RACE_MONTH_DRAFT = "draft:race_month"  # "a half in march": the month said, its day still to ask (never made up)
CONFIRM_DRAFT = "draft:confirm"  # an unsure reading of a typed answer, kept only when its Yes is tapped
NIGHT_REMINDER_DRAFT = "draft:night_reminder"  # a reminder time at night, waiting for "are you sure?"
# /settings: the areas newly declared that wait for their red-flag answer (N1); onboarding screens
# every area of its niggles answer instead
SCREEN_DRAFT = "draft:screen"


def draft_key(question: Question) -> str:
    return f"draft:{question.value}"


def next_question(answers: dict[str, Any]) -> Question | None:
    """The first question without a stored answer; None when onboarding is complete."""
    for question in ORDER:
        if question is Question.NIGGLE_FLAGS:
            if unscreened(answers):
                return question
            continue
        if question.value not in answers:
            if question is Question.RACE and RACE_DISTANCE_DRAFT in answers:
                return Question.RACE_DATE
            if question is Question.REMINDER and NIGHT_REMINDER_DRAFT in answers:
                return Question.REMINDER_SURE
            return question
    return None


def unscreened(answers: dict[str, Any]) -> list[BodyArea]:
    """Declared areas still waiting for their red-flag answer (N1), in body order."""
    areas = answers[SCREEN_DRAFT] if SCREEN_DRAFT in answers else answers.get(Question.NIGGLES.value) or []
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
        equipment=kit_of(answers[Question.EQUIPMENT.value]),
        session_minutes=int(answers[Question.MINUTES.value]),
        injuries=frozenset(BodyArea(area) for area in answers.get(Question.NIGGLES.value, [])) - red_flagged(answers),
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
    """Store one or more answers (and drop drafts they replace) in one transaction; return all answers.

    A draft given as None is dropped too.
    """
    drop = (*drop, *(key for key, value in values.items() if value is None and key.startswith("draft:")))
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
        return {}, (RACE_DISTANCE_DRAFT, RACE_MONTH_DRAFT)
    if question is Question.REMINDER_SURE:
        return {}, (NIGHT_REMINDER_DRAFT,)
    index = ORDER.index(question)
    if index == 0:
        raise Reask("stale_button")
    previous = ORDER[index - 1]
    if previous is Question.NIGGLE_FLAGS and not answers.get(Question.NIGGLES.value):
        previous = Question.NIGGLES  # no area was declared, so none was screened
    drop: tuple[str, ...] = (previous.value, RACE_DISTANCE_DRAFT, RACE_MONTH_DRAFT, NIGHT_REMINDER_DRAFT)
    if previous is Question.NIGGLES:
        drop += (Question.NIGGLE_FLAGS.value,)
    if question in MULTI:
        drop += (draft_key(question),)
    restore: dict[str, Any] = {}
    if previous in MULTI:
        restore[draft_key(previous)] = answered_list(previous, answers.get(previous.value))
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


# --- reading answers -----------------------------------------------------------------------------

DONE = "done"
NONE = "none"
BACK = "back"
SURE = "sure"
YES = "yes"
NO = "no"
NIGHT_STARTS = dt.time(23, 0)  # a reminder from 23:00 to 04:00 is asked back: "are you sure?"
NIGHT_ENDS = dt.time(4, 0)
MINUTE_CHOICES = ("15", "20", "30", "45", "60")
REMINDER_CHOICES = ("06:30", "07:00", "12:00", "17:30", "20:00")
SESSION_CHOICES = ("2", "3")
_SESSION_WORDS = {"2": "2", "two": "2", "3": "3", "three": "3"}


class Reask(Exception):
    """The answer was not usable; ``key`` names the re-ask text in ui.yaml, ``fields`` fill it in."""

    def __init__(self, key: str, **fields: str) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key)


def q(question: Question) -> str:
    return question.value


class Confirm(Reask):
    """A typed answer read, but not surely: ``values`` are what it gives once the runner taps Yes."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__("did_you_mean")
        self.values = values


T = TypeVar("T")


def _take(doubts: list[str], read: Callable[[], T]) -> T:
    """What a reader read; an unsure reading is taken too, and noted in ``doubts``."""
    try:
        return read()
    except parse.Unsure as exc:
        doubts.append(exc.key)
        return exc.value  # type: ignore[return-value]


def typed_answer(question: Question, text: str, answers: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The answers a typed text gives to ``question``; raises Reask when it does not fit, and
    Confirm when it was read but not surely ("5:30" is likelier 17:30, "30-45" minutes)."""
    doubts: list[str] = []
    values = _typed_answer(question, text, answers, today, doubts)
    if doubts:
        raise Confirm(values)
    return values


def _typed_answer(
    question: Question, text: str, answers: dict[str, Any], today: dt.date, doubts: list[str]
) -> dict[str, Any]:
    try:
        if question is Question.LEVEL:
            return {q(question): _take(doubts, lambda: parse.read_level(text)).value}
        if question is Question.RUN_DAYS:
            return {q(question): [d.value for d in _take(doubts, lambda: parse.read_days(text))]}
        if question is Question.LONG_DAY:
            if parse.says_no_long_run(text):
                return {q(question): None}
            return {q(question): _take(doubts, lambda: parse.read_day(text, run_days(answers))).value}
        if question is Question.QUALITY_DAYS:
            days = _take(doubts, lambda: parse.read_days(text, allow_none=True))
            if answers.get(Question.LONG_DAY.value) in [d.value for d in days]:
                raise Reask("long_not_quality")
            if any(d not in run_days(answers) for d in days):
                raise Reask("not_a_run_day")
            return {q(question): [d.value for d in days]}
        if question is Question.RACE:
            try:
                race = parse.read_race(text, today)
            except parse.MonthOnly as exc:
                assert exc.distance is not None
                return {RACE_DISTANCE_DRAFT: exc.distance.value, RACE_MONTH_DRAFT: exc.month.isoformat()}
            except parse.AnswerError as exc:
                distance = parse.parse_distance(text)
                if exc.key != "race_needs_date" or distance is None:
                    raise
                # "half" alone answers the distance: keep it and ask for the date, as the button does
                return {RACE_DISTANCE_DRAFT: distance.value}
            if race is None:
                return {q(question): None}
            return {q(question): {"distance": race[0].value, "date": race[1].isoformat()}}
        if question is Question.RACE_DATE:
            said = parse.clean(text).lower().strip(" .!")
            if said in ("none", "no", "no race", "not yet") or parse.read_race_none(text):
                return {Question.RACE.value: None}
            month = answers.get(RACE_MONTH_DRAFT)
            try:
                date = parse.read_race_date(text, today, dt.date.fromisoformat(month) if month else None)
            except parse.MonthOnly as exc:
                return {RACE_MONTH_DRAFT: exc.month.isoformat()}
            distance = answers[RACE_DISTANCE_DRAFT]
            return {Question.RACE.value: {"distance": distance, "date": date.isoformat()}}
        if question is Question.EQUIPMENT:
            if parse.clean(text).lower().strip(" .!✔") == DONE:  # "done" typed after ticking: the ticks
                return {q(question): list(answers.get(draft_key(question), []))}
            return {q(question): kit_values(_take(doubts, lambda: parse.read_equipment(text)))}
        if question is Question.MINUTES:
            return {q(question): _take(doubts, lambda: parse.read_minutes(text))}
        if question is Question.NIGGLES:
            return {q(question): [a.value for a in _take(doubts, lambda: parse.read_areas(text))]}
        if question is Question.TIMEZONE:
            place = parse.clean(text)
            try:
                return {q(question): find_timezone(place)}
            except ManyZones as exc:
                raise Reask("many_zones", country=exc.country) from None
            except PlaceNotFound:
                raise Reask("no_place", place=place) from None
        if question is Question.NIGGLE_FLAGS:
            said = parse.clean(text).lower().strip(" .!")
            waiting = unscreened(answers)
            if not waiting or (said not in _YES and said not in _NO and said not in _FLAG_YES):
                raise Reask("yes_or_no")
            return flag_answer(answers, waiting[0], said in _YES or said in _FLAG_YES)
        if question is Question.HEALTH:
            said = parse.clean(text).lower().strip(" .!")
            if said in _YES or said in ("yes, one applies", "one applies"):
                return {q(question): True}
            if said in _NO or said in ("none", "none of these", "no, none", "all good"):
                return {q(question): False}
            raise Reask("yes_or_no")
        if question is Question.REMINDER_SURE:
            said = parse.clean(text).lower().strip(" .!")
            if said in _YES:
                return {Question.REMINDER.value: answers[NIGHT_REMINDER_DRAFT]}
            if said in _NO:
                return {NIGHT_REMINDER_DRAFT: None}
        if question is Question.SESSIONS:
            words = parse.clean(text).lower().strip(" .!").split()
            number = _SESSION_WORDS.get(words[0]) if words else None
            if number is None or len(words) > 3:
                raise Reask("bad_sessions")
            return {q(question): int(number)}
        return reminder(_take(doubts, lambda: parse.read_time(text)))
    except parse.AnswerError as exc:
        raise Reask(exc.key, **exc.fields) from None


_YES = {"yes", "y", "yep", "yeah", "sure", "ok", "okay", "i'm sure", "im sure"}
_NO = {"no", "n", "nope", "another", "another time", "change"}
_FLAG_YES = {"yes, one of these", "one of these", "one applies", "yes, one applies"}


def flag_answer(answers: dict[str, Any], area: BodyArea, yes: bool) -> dict[str, Any]:
    """The answers a red-flag yes or no for ``area`` gives (N1): the screened areas so far, with it."""
    flags = dict(answers.get(Question.NIGGLE_FLAGS.value) or {})
    flags[area.value] = yes
    return {Question.NIGGLE_FLAGS.value: flags}


def is_night(time: dt.time) -> bool:
    return time >= NIGHT_STARTS or time < NIGHT_ENDS


def reminder(time: dt.time) -> dict[str, Any]:
    """The answers a reminder time gives: any time is fine, but one at night waits for "are you sure?"."""
    text = time.strftime("%H:%M")
    if is_night(time):
        return {NIGHT_REMINDER_DRAFT: text}
    return {Question.REMINDER.value: text}


def button_answer(question: Question, value: str, answers: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The answers a button press gives; the flag says whether the question is now answered.

    Raises Reask("stale_button") for a value that this question never offered.
    """
    try:
        if question is Question.LEVEL:
            return {q(question): Level(value).value}, True
        if question in MULTI:
            draft = draft_key(question)
            picked = list(answers.get(draft, []))
            if value == DONE:
                if question is Question.RUN_DAYS and not picked:
                    raise Reask("need_run_days")
                return {q(question): picked}, True
            if value == NONE and question is not Question.RUN_DAYS:
                return {q(question): []}, True
            allowed = (
                [d.value for d in Weekday]
                if question is Question.RUN_DAYS
                else [d.value for d in quality_choices(answers)]
                if question is Question.QUALITY_DAYS
                else [e.value for e in KIT_CHOICES]
                if question is Question.EQUIPMENT
                else [a.value for a in BodyArea]
            )
            if value not in allowed:
                raise Reask("stale_button")
            picked = [v for v in picked if v != value] if value in picked else [*picked, value]
            order = {v: i for i, v in enumerate(allowed)}
            return {draft: sorted(picked, key=order.__getitem__)}, False
        if question is Question.LONG_DAY:
            if value == NONE:
                return {q(question): None}, True
            if value not in [d.value for d in run_days(answers)]:
                raise Reask("stale_button")
            return {q(question): value}, True
        if question is Question.RACE:
            if value == NONE:
                return {q(question): None}, True
            return {RACE_DISTANCE_DRAFT: Distance(value).value}, True
        if question is Question.RACE_DATE and value == NONE:
            return {Question.RACE.value: None, RACE_MONTH_DRAFT: None}, True
        if question is Question.NIGGLE_FLAGS:
            area, _, said = value.partition(".")
            if said not in (YES, NO) or area not in [a.value for a in unscreened(answers)]:
                raise Reask("stale_button")
            return flag_answer(answers, BodyArea(area), said == YES), True
        if question is Question.MINUTES:
            if value not in MINUTE_CHOICES:
                raise Reask("stale_button")
            return {q(question): int(value)}, True
        if question is Question.REMINDER:
            if len(value) != 4 or not value.isdigit():
                raise Reask("stale_button")
            return reminder(dt.time(int(value[:2]), int(value[2:]))), True
        if question is Question.SESSIONS:
            if value not in SESSION_CHOICES:
                raise Reask("stale_button")
            return {q(question): int(value)}, True
        if question is Question.HEALTH:
            if value not in (YES, NONE):
                raise Reask("stale_button")
            return {q(question): value == YES}, True
        if question is Question.REMINDER_SURE:
            if value == SURE:
                return {Question.REMINDER.value: answers[NIGHT_REMINDER_DRAFT]}, True
            if value == NONE:
                return {NIGHT_REMINDER_DRAFT: None}, True
    except ValueError:
        raise Reask("stale_button") from None
    raise Reask("stale_button")
