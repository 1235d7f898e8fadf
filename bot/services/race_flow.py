"""/race's questions: which one is open, reading its answer (tapped or typed), and the change it makes.

The open question lives in the database, in the onboarding answers table under :data:`STEP` (with
the distance of a new goal race under :data:`PICK` and the date of a tune-up waiting for its distance
under :data:`DAY`), so any process serves the runner's next tap or message. The changes themselves
are :mod:`bot.services.races`'.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.coach import answers as parse
from bot.coach.library import Library
from bot.coach.model import Distance, Profile, Race
from bot.services import races
from bot.services.pauses import onboarded_runner, settled_account
from bot.services.plans import local_today
from bot.services.ports import UnitOfWork
from bot.services.races import RaceChanged, RaceProblem, Standing

STEP = "draft:race_step"  # the /race question open: a RaceStep's value
AT = "draft:race_at"  # when it was asked (ISO): a day later it has closed
PICK = "draft:race_pick"  # the distance of a new goal race, its date still to ask
DAY = "draft:race_day"  # the date (ISO) of the tune-up whose distance is asked
NOT_SURE = "none"  # "not sure" of a tune-up's distance: the tap's value
DATE_FORMAT = "%Y%m%d"  # a date button's value
PICKED_WEEKS = 4  # date questions offer the weekend days of the next four weeks
_NOT_SURE_SAID = {"not sure", "none", "dunno", "don't know", "dont know", "no idea", "unknown", "not sure yet"}


class RaceStep(StrEnum):
    GOAL_DISTANCE = "gdist"
    GOAL_DATE = "gdate"
    TUNE_DATE = "tdate"
    TUNE_DISTANCE = "tdist"


class RaceAction(StrEnum):
    """A button of the /race message: a question to open, or a change made at once."""

    GOAL_DISTANCE = "gdist"
    GOAL_DATE = "gdate"
    GOAL_CLEAR = "gclear"
    TUNE_ADD = "tadd"
    TUNE_DISTANCE = "tdist"  # its value: the tune-up's date
    TUNE_REMOVE = "tdel"  # its value: the tune-up's date


@dataclass(frozen=True, slots=True)
class Asking:
    """A question to ask (again, after ``reask``, a text key of the ``race`` group with its fields):
    ``distance`` the race whose date is asked, ``day`` the tune-up whose distance is asked."""

    step: RaceStep
    today: dt.date
    distance: Distance | None = None
    day: dt.date | None = None
    reask: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    picks: tuple[dt.date, ...] = ()  # a date question's buttons: the coming weekend days that fit


Outcome = Asking | RaceChanged | RaceProblem
# a date the change refuses: the question is asked again, with why
ASKED_AGAIN = (RaceProblem.PAST, RaceProblem.FAR, RaceProblem.TUNE_UP_AFTER_GOAL, RaceProblem.GOAL_BEFORE_TUNE_UP)


def open_step(answers: dict[str, Any]) -> RaceStep | None:
    """The /race question open, from the stored answers; None when none is."""
    value = answers.get(STEP)
    return RaceStep(value) if value in [s.value for s in RaceStep] else None


async def menu(work: UnitOfWork, telegram_id: int, now: dt.datetime) -> Standing | None:
    """The runner's races as they stand today (None before onboarding); any /race question left
    open is closed."""
    account = await onboarded_runner(work, telegram_id)
    if account is None:
        return None
    await close(work, telegram_id)
    return races.standing(account.profile, local_today(now, account.timezone))


async def close(work: UnitOfWork, telegram_id: int) -> bool:
    """Close the open /race question; False when none was open."""
    answers = await work.answers.get_all(telegram_id)
    if open_step(answers) is None:
        return False
    await work.answers.discard(telegram_id, [STEP, AT, PICK, DAY])
    return True


async def act(
    work: UnitOfWork, telegram_id: int, action: RaceAction, value: str, now: dt.datetime, library: Library
) -> Outcome:
    """A button of the /race message: clearing the goal race and removing a tune-up are made at
    once; the others open their question (closing any other left open)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    day = _date_value(value)
    if action is RaceAction.GOAL_CLEAR:
        await close(work, telegram_id)
        return await races.set_goal_race(work, telegram_id, None, now, library)
    if action is RaceAction.TUNE_REMOVE:
        await close(work, telegram_id)
        return (
            RaceProblem.NO_TUNE_UP if day is None else await races.remove_tune_up(work, telegram_id, day, now, library)
        )
    goal = races.goal_ahead(account.profile, today)
    if action is RaceAction.GOAL_DATE and goal is None:
        return RaceProblem.NO_GOAL
    if action is RaceAction.TUNE_DISTANCE and (day is None or day not in dict(races.tune_ups(account.profile, today))):
        return RaceProblem.NO_TUNE_UP
    await work.answers.clear(telegram_id)  # an onboarded runner's answers are only an open question
    step = RaceStep(action.value) if action is not RaceAction.TUNE_ADD else RaceStep.TUNE_DATE
    await _put(work, telegram_id, {STEP: step.value, AT: now.isoformat()}, now)
    if day is not None:
        await _put(work, telegram_id, {DAY: day.isoformat()}, now)
    distance = goal.distance if goal is not None else None
    return Asking(step, today, distance=distance, day=day, picks=picks(account.profile, today, step))


async def answer(
    work: UnitOfWork, telegram_id: int, step: RaceStep, said: str, typed: bool, now: dt.datetime, library: Library
) -> Outcome:
    """An answer to the open ``step``: a tap's value, or the text typed. One that does not fit asks
    again (the question stays open); a stale one (another question, or none open) is refused."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return RaceProblem.NOT_ONBOARDED
    answers = await work.answers.get_all(telegram_id)
    if open_step(answers) is not step:
        return RaceProblem.STALE
    today = local_today(now, account.timezone)
    goal = races.goal_ahead(account.profile, today)
    picked = Distance(answers[PICK]) if answers.get(PICK) else goal.distance if goal is not None else None
    day = _date_value(answers.get(DAY) or "")
    asking = Asking(step, today, distance=picked, day=day, picks=picks(account.profile, today, step))
    if step in (RaceStep.GOAL_DISTANCE, RaceStep.TUNE_DISTANCE):
        read, distance = read_distance(said, typed, allow_unsure=step is RaceStep.TUNE_DISTANCE)
        if not read:
            return _again(asking, "bad_distance") if typed else RaceProblem.STALE
        if step is RaceStep.TUNE_DISTANCE:
            if day is None:
                return RaceProblem.STALE
            change = races.add_tune_up(work, telegram_id, day, distance, now, library)
            return await _settle(work, telegram_id, asking, change)
        if distance is None:
            return RaceProblem.STALE
        if goal is not None:
            change = races.change_goal(work, telegram_id, now, library, distance=distance)
            return await _settle(work, telegram_id, asking, change)
        await _put(work, telegram_id, {PICK: distance.value, STEP: RaceStep.GOAL_DATE.value}, now)
        return Asking(
            RaceStep.GOAL_DATE, today, distance=distance, picks=picks(account.profile, today, RaceStep.GOAL_DATE)
        )
    date = read_race_day(said, today) if typed else _date_value(said)
    if date is None:
        return RaceProblem.STALE
    if isinstance(date, Asking):
        return _again(asking, date.reask or "bad_date", date.fields)
    if step is RaceStep.TUNE_DATE:
        wrong = races.tune_up_problem(account.profile, date, today)
        if wrong is not None:
            return _again(asking, wrong.value, _goal_fields(goal))
        await _put(work, telegram_id, {DAY: date.isoformat(), STEP: RaceStep.TUNE_DISTANCE.value}, now)
        return Asking(RaceStep.TUNE_DISTANCE, today, day=date)
    if picked is None:  # the goal race cleared meanwhile: nothing to date
        return RaceProblem.STALE
    race = Race(distance=picked, date=date)
    return await _settle(work, telegram_id, asking, races.set_goal_race(work, telegram_id, race, now, library))


async def _settle(
    work: UnitOfWork, telegram_id: int, asking: Asking, change: Awaitable[RaceChanged | RaceProblem]
) -> Outcome:
    """The change made and the question closed; a date the change refuses asks again."""
    result = await change
    if result in ASKED_AGAIN:
        return _again(asking, result.value)
    await close(work, telegram_id)
    return result


def _again(asking: Asking, reask: str, fields: dict[str, str] | None = None) -> Asking:
    return replace(asking, reask=reask, fields=fields or {})


def picks(profile: Profile, today: dt.date, step: RaceStep) -> tuple[dt.date, ...]:
    """The dates a date question offers as buttons: the weekend days of the coming weeks that the
    change would take (a tune-up before the goal race, a goal race after every tune-up)."""
    if step not in (RaceStep.GOAL_DATE, RaceStep.TUNE_DATE):
        return ()
    days = (today + dt.timedelta(days=n) for n in range(1, PICKED_WEEKS * 7 + 1))
    if step is RaceStep.TUNE_DATE:
        return tuple(d for d in days if d.weekday() >= 5 and races.tune_up_problem(profile, d, today) is None)
    latest = max((d for d, _ in races.tune_ups(profile, today)), default=today)
    return tuple(d for d in days if d.weekday() >= 5 and d > latest)


def _goal_fields(goal: Race | None) -> dict[str, str]:
    return {"date": long_date(goal.date)} if goal is not None else {}


async def _put(work: UnitOfWork, telegram_id: int, values: dict[str, Any], now: dt.datetime) -> None:
    for key, value in values.items():
        await work.answers.put(telegram_id, key, value, now)


def _date_value(value: str) -> dt.date | None:
    """A date button's value (or a stored ISO date); None for anything else."""
    for form in (DATE_FORMAT, "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, form).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    return None


def read_distance(said: str, typed: bool, *, allow_unsure: bool) -> tuple[bool, Distance | None]:
    """Whether a race distance was tapped or typed, and which (None: "not sure", where allowed)."""
    if typed:
        try:
            cleaned = parse.clean(said).lower().strip(" .!?")
        except parse.AnswerError:
            return False, None
        if allow_unsure and cleaned in _NOT_SURE_SAID:
            return True, None
        distance = parse.parse_distance(cleaned)
        return distance is not None, distance
    if allow_unsure and said == NOT_SURE:
        return True, None
    try:
        return True, Distance(said)
    except ValueError:
        return False, None


def read_race_day(text: str, today: dt.date) -> dt.date | Asking:
    """A race date typed ("14 March", "2027-03-14", "next sunday"), or the re-ask it needs (as an
    ``Asking`` carrying only the reason): no such date, past, too far, ambiguous, a month alone."""
    try:
        return parse.read_race_date(text, today)
    except parse.MonthOnly as exc:
        return Asking(RaceStep.GOAL_DATE, today, reask="race_needs_day", fields={"month": f"{exc.month:%B}"})
    except parse.AnswerError as exc:
        missing = no_such_date(text)
        if exc.key == "bad_date" and missing is not None:
            return Asking(RaceStep.GOAL_DATE, today, reask="no_such_date", fields={"date": missing})
        return Asking(RaceStep.GOAL_DATE, today, reask=exc.key, fields={k: str(v) for k, v in exc.fields.items()})


_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name
}
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?:\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def no_such_date(text: str) -> str | None:
    """A day the calendar does not have, as typed ("30 February", "2027-04-31"), for saying so;
    None when the text names no such day. 29 February without a year is left to the date reader."""
    said = text.lower()
    found: list[tuple[int, int, int | None]] = []
    if (m := _ISO.search(said)) is not None:
        found.append((int(m.group(3)), int(m.group(2)), int(m.group(1))))
    if (m := _DAY_MONTH.search(said)) is not None and m.group(2) in _MONTHS:
        found.append((int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3)) if m.group(3) else None))
    if (m := _MONTH_DAY.search(said)) is not None and m.group(1) in _MONTHS:
        found.append((int(m.group(2)), _MONTHS[m.group(1)], int(m.group(3)) if m.group(3) else None))
    for day, month, year in found:
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        if day > calendar.monthrange(year if year is not None else 2028, month)[1]:  # 2028: a leap year
            return f"{day} {calendar.month_name[month]}" + (f" {year}" if year is not None else "")
    return None


def long_date(date: dt.date) -> str:
    """A date as a person writes it: "Sun 14 March 2027"."""
    return f"{date:%a} {date.day} {date:%B %Y}"
