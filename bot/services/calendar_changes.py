"""The calendars /calendar's changes make, from the runner's profile: one date's run, one weekday of
the usual week, the usual run days, a run moved within its week (``move_run``'s calendar), and a
change said in words (:mod:`bot.coach.calendar_said`). Pure: the use cases store and re-plan them
(:func:`bot.services.calendar_edit.change_calendar`).

The usual week is changed as /settings changes it (:mod:`bot.services.settings_calendar`): as
onboarding's calendar answers, so the long-run day stays one run day and quality days are run days.
"""

from __future__ import annotations

import datetime as dt

from bot.coach.calendar_said import CalendarSaid, MovedRun, OneOff, RunDays
from bot.coach.model import Distance, Profile, RunKind, Weekday
from bot.services.moved_runs import moved_calendar
from bot.services.questions import Question
from bot.services.settings_calendar import calendar_answers, merged, week_of

TEMPLATE_KINDS = (RunKind.EASY, RunKind.QUALITY, RunKind.LONG, RunKind.REST)
ONE_OFF_KINDS = (*TEMPLATE_KINDS, RunKind.RACE)


def with_one_off(profile: Profile, day: dt.date, run: RunKind, distance: Distance | None = None) -> Profile:
    """Just ``day``'s run (its one-off date dropped when it is the usual week's run again); a race
    keeps the distance said (a tune-up race, P9)."""
    overrides = dict(profile.overrides)
    distances = dict(profile.tune_up_distances)
    overrides.pop(day, None)
    distances.pop(day, None)
    if profile.model_copy(update={"overrides": overrides}).run_on(day) is not run:
        overrides[day] = run
    if run is RunKind.RACE and distance is not None:
        distances[day] = distance
    return profile.model_copy(update={"overrides": overrides, "tune_up_distances": distances})


def with_weekday(profile: Profile, weekday: Weekday, run: RunKind) -> Profile:
    """Every ``weekday`` from now on: its run in the usual week. A new long-run day takes the long
    run from the old one (which stays an easy run day), as /settings' long-run question does."""
    answers = calendar_answers(profile.week)
    runs = [d for d in answers[Question.RUN_DAYS.value] if d != weekday.value]
    quality = [d for d in answers[Question.QUALITY_DAYS.value] if d != weekday.value]
    long_day = answers[Question.LONG_DAY.value]
    if long_day == weekday.value:
        long_day = None
    if run is not RunKind.REST:
        runs.append(weekday.value)
    if run is RunKind.QUALITY:
        quality.append(weekday.value)
    if run is RunKind.LONG:
        long_day = weekday.value
    return profile.model_copy(update={"week": _week(runs, long_day, quality)})


def _week(runs: list[str], long_day: str | None, quality: list[str]) -> dict[Weekday, RunKind]:
    """The usual week the calendar answers give, read as /settings reads them."""
    answers = {Question.QUALITY_DAYS.value: quality, Question.LONG_DAY.value: long_day}
    return week_of(merged(answers, Question.RUN_DAYS, runs))


def with_run_days(profile: Profile, days: tuple[Weekday, ...]) -> Profile:
    """The usual run days from now on: a day that stays a run day keeps its run, a new one is easy,
    and the long run or a quality run on a day no longer run is dropped, not moved (the reply shows it)."""
    answers = calendar_answers(profile.week)
    runs = [d.value for d in days]
    quality = [d for d in answers[Question.QUALITY_DAYS.value] if d in runs]
    long_day = answers[Question.LONG_DAY.value] if answers[Question.LONG_DAY.value] in runs else None
    return profile.model_copy(update={"week": _week(runs, long_day, quality)})


def with_said(profile: Profile, said: CalendarSaid, today: dt.date) -> Profile:
    """The calendar a change said in words makes (a date that does not exist or has passed is
    refused before this)."""
    if isinstance(said, RunDays):
        return with_run_days(profile, said.days)
    if isinstance(said, MovedRun):
        return moved_calendar(profile, said.run, said.day, today)
    if isinstance(said, OneOff):
        return with_one_off(profile, said.day, said.run, said.distance)
    raise ValueError(f"{said!r} changes no calendar")
