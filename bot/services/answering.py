"""Reading one onboarding (or /settings) answer, typed or tapped, into the answers it stores.

A typed answer is read by ``bot.coach.answers``; one read but not surely raises :class:`Confirm`,
one that does not fit :class:`Reask`. A tap must name a choice the question offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from bot.coach import answers as parse
from bot.coach.model import BodyArea, Distance, Level, Weekday, kit_values
from bot.services.questions import (
    KIT_CHOICES,
    MULTI,
    Confirm,
    Draft,
    Question,
    Reask,
    quality_choices,
    run_days,
    unscreened,
)
from bot.services.timezones import Choose, ManyZones, PlaceNotFound, find_timezone

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


def q(question: Question) -> str:
    return question.value


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
                return {Draft.RACE_DISTANCE: exc.distance.value, Draft.RACE_MONTH: exc.month.isoformat()}
            except parse.AnswerError as exc:
                distance = parse.parse_distance(text)
                if exc.key != "race_needs_date" or distance is None:
                    raise
                # "half" alone answers the distance: keep it and ask for the date, as the button does
                return {Draft.RACE_DISTANCE: distance.value}
            if race is None:
                return {q(question): None}
            return {q(question): {"distance": race[0].value, "date": race[1].isoformat()}}
        if question is Question.RACE_DATE:
            said = parse.clean(text).lower().strip(" .!")
            if said in ("none", "no", "no race", "not yet") or parse.read_race_none(text):
                return {Question.RACE.value: None}
            month = answers.get(Draft.RACE_MONTH)
            try:
                date = parse.read_race_date(text, today, dt.date.fromisoformat(month) if month else None)
            except parse.MonthOnly as exc:
                return {Draft.RACE_MONTH: exc.month.isoformat()}
            distance = answers[Draft.RACE_DISTANCE]
            return {Question.RACE.value: {"distance": distance, "date": date.isoformat()}}
        if question is Question.EQUIPMENT:
            if parse.clean(text).lower().strip(" .!✔") == DONE:  # "done" typed after ticking: the ticks
                return {q(question): list(answers.get(Draft.ticks(question), []))}
            return {q(question): kit_values(_take(doubts, lambda: parse.read_equipment(text)))}
        if question is Question.MINUTES:
            return {q(question): _take(doubts, lambda: parse.read_minutes(text))}
        if question is Question.NIGGLES:
            return {q(question): [a.value for a in _take(doubts, lambda: parse.read_areas(text))]}
        if question is Question.TIMEZONE:
            place = parse.clean(text)
            try:
                return {q(question): find_timezone(place)}
            except Choose as exc:  # several zones: each offered with its time now, never a guess
                return {Draft.PLACES: offered_places(exc, place)}
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
                return {Question.REMINDER.value: answers[Draft.NIGHT_REMINDER]}
            if said in _NO:
                return {Draft.NIGHT_REMINDER: None}
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
        return {Draft.NIGHT_REMINDER: text}
    return {Question.REMINDER.value: text}


def button_answer(question: Question, value: str, answers: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The answers a button press gives; the flag says whether the question is now answered.

    Raises Reask("stale_button") for a value that this question never offered.
    """
    try:
        if question is Question.LEVEL:
            return {q(question): Level(value).value}, True
        if question in MULTI:
            draft = Draft.ticks(question)
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
            return {Draft.RACE_DISTANCE: Distance(value).value}, True
        if question is Question.RACE_DATE and value == NONE:
            return {Question.RACE.value: None, Draft.RACE_MONTH: None}, True
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
            if len(value) != 4 or not (value.isascii() and value.isdigit()):
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
        if question is Question.TIMEZONE:
            offered = answers.get(Draft.PLACES) or {}
            if value not in [zone for _, zone in offered.get("places", [])]:
                raise Reask("stale_button")
            return {q(question): value}, True
        if question is Question.REMINDER_SURE:
            if value == SURE:
                return {Question.REMINDER.value: answers[Draft.NIGHT_REMINDER]}, True
            if value == NONE:
                return {Draft.NIGHT_REMINDER: None}, True
    except ValueError:
        raise Reask("stale_button") from None
    raise Reask("stale_button")


def offered_places(choice: Choose, said: str) -> dict[str, Any]:
    """The draft that offers a typed place's zones: what was typed (or the country), and each place."""
    country = choice.country if isinstance(choice, ManyZones) else None
    return {
        "said": country or said,
        "country": country is not None,
        "places": [[p.name, p.zone] for p in choice.places],
    }
