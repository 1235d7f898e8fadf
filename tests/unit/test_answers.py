"""Reading the runner's typed onboarding answers: days, times, dates, races, levels, kit and niggles."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager

import pytest

from bot.coach import answers
from bot.coach.answers import AnswerError
from bot.coach.model import WEEKDAYS, BodyArea, Distance, Equipment, Level, Weekday

MON, TUE, WED, THU, FRI, SAT, SUN = WEEKDAYS
TODAY = dt.date(2026, 11, 21)  # a Saturday


def refused(key: str) -> AbstractContextManager[pytest.ExceptionInfo[AnswerError]]:
    """Expect the parser to refuse with the re-ask ``key``."""
    return pytest.raises(AnswerError, match=f"^{key}$")


# --- days ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon wed fri", [MON, WED, FRI]),
        ("Monday, Wednesday and Friday", [MON, WED, FRI]),
        ("tue & thu", [TUE, THU]),
        ("sun sat sun", [SAT, SUN]),
        ("Tuesdays; Thursdays.", [TUE, THU]),
        ("mo we fr", [MON, WED, FRI]),
        ("Thurs/Sat", [THU, SAT]),
        ("mon-fri", [MON, TUE, WED, THU, FRI]),
        ("fri-mon", [MON, FRI, SAT, SUN]),
        ("weekdays", [MON, TUE, WED, THU, FRI]),
        ("weekends", [SAT, SUN]),
        ("weekdays and sunday", [MON, TUE, WED, THU, FRI, SUN]),
        ("every day", list(WEEKDAYS)),
        ("Daily", list(WEEKDAYS)),
        ("wensday", [WED]),  # misspelt full names are forgiven
        ("tusday, thurday", [TUE, THU]),
        ("monady satuday", [MON, SAT]),
    ],
)
def test_days_in_any_common_form(text: str, days: list[Weekday]) -> None:
    """Day names, short forms, ranges (also across the weekend), weekdays/weekends and typos all read as days."""
    assert answers.parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("blursday", "bad_days"),
        ("mon xyz", "bad_days"),
        ("mon-xyz", "bad_days"),
        ("today", "bad_days"),
        ("🏃🏃", "bad_days"),
        ("none", "bad_days"),
        ("", "empty"),
        ("   ", "empty"),
        ("mon " * 60, "too_long"),
    ],
)
def test_days_that_are_not_days_are_refused(text: str, key: str) -> None:
    """Words that are no day, an empty or an over-long text are refused with the matching re-ask."""
    with refused(key):
        answers.parse_days(text)


@pytest.mark.parametrize("text", ["none", "No", "nope", "0", "-"])
def test_no_days_where_none_is_allowed(text: str) -> None:
    """Where "none" is an answer (quality days), it reads as no days."""
    assert answers.parse_days(text, allow_none=True) == []


@pytest.mark.parametrize(
    ("text", "result"),
    [("sat", SAT), ("Sunday", SUN), ("sat sun", "one_day"), ("wed", "not_a_run_day"), ("xyz", "bad_days")],
)
def test_one_day_among_the_run_days(text: str, result: Weekday | str) -> None:
    """The long-run day is one day, and one of the run days."""
    if isinstance(result, Weekday):
        assert answers.parse_day(text, [MON, SAT, SUN]) == result
    else:
        with refused(result):
            answers.parse_day(text, [MON, SAT, SUN])


# --- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("7", dt.time(7, 0)),
        ("7:30", dt.time(7, 30)),
        ("07.30", dt.time(7, 30)),
        ("7h30", dt.time(7, 30)),
        ("7am", dt.time(7, 0)),
        ("7 AM", dt.time(7, 0)),
        ("7 a.m.", dt.time(7, 0)),
        ("6:30pm", dt.time(18, 30)),
        ("6:30 P.M.", dt.time(18, 30)),
        ("12pm", dt.time(12, 0)),
        ("12am", dt.time(0, 0)),
        ("19:00", dt.time(19, 0)),
        ("0:00", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        ("noon", dt.time(12, 0)),
        ("Midnight", dt.time(0, 0)),
        ("0700", dt.time(7, 0)),
        ("0530", dt.time(5, 30)),
        ("1930", dt.time(19, 30)),
        ("7 o'clock", dt.time(7, 0)),
    ],
)
def test_times_of_day(text: str, time: dt.time) -> None:
    """24-hour and am/pm times, with colon, dot or h, read as that time of day."""
    assert answers.parse_time(text) == time


@pytest.mark.parametrize("text", ["24:00", "25", "7:60", "7:5", "13pm", "0am", "abc", "2400", "soonish", "⏰"])
def test_impossible_times_are_refused(text: str) -> None:
    """24:00, 13pm, minutes past 59 and words are not times."""
    with refused("bad_time"):
        answers.parse_time(text)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2027-03-14", dt.date(2027, 3, 14)),
        ("2027-3-14", dt.date(2027, 3, 14)),
        ("14 March", dt.date(2027, 3, 14)),  # this year's has passed: next year's
        ("14 March 2027", dt.date(2027, 3, 14)),
        ("14th March", dt.date(2027, 3, 14)),
        ("14th of March", dt.date(2027, 3, 14)),
        ("14 mar.", dt.date(2027, 3, 14)),
        ("March 14", dt.date(2027, 3, 14)),
        ("March 14th, 2027", dt.date(2027, 3, 14)),
        ("14/03/2027", dt.date(2027, 3, 14)),
        ("14.03.2027", dt.date(2027, 3, 14)),
        ("14/03/27", dt.date(2027, 3, 14)),
        ("14.3.", dt.date(2027, 3, 14)),
        ("Sept 5", dt.date(2027, 9, 5)),
        ("today", TODAY),  # a race today is still to come
        ("Tue 1 Dec", dt.date(2026, 12, 1)),
        ("next sunday", dt.date(2026, 11, 22)),
        ("3/14/2027", dt.date(2027, 3, 14)),  # month first: no 14th month
        ("2028-11-21", dt.date(2028, 11, 21)),  # exactly two years out
        ("20 Nov", dt.date(2027, 11, 20)),
        ("29 Feb", dt.date(2028, 2, 29)),  # the next leap day
        ("2028-11-20", dt.date(2028, 11, 20)),  # exactly two years (730 days) out
    ],
)
def test_race_dates(text: str, date: dt.date) -> None:
    """ISO, day-month and month-day dates, with or without a year, read as the next such date."""
    assert answers.parse_race_date(text, TODAY) == date


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("30 February 2027", "bad_date"),
        ("Feb 30", "bad_date"),
        ("2027-02-30", "bad_date"),
        ("31/04/2027", "bad_date"),
        ("14/14/2027", "bad_date"),  # no 14th month either way
        ("14 Smarch", "bad_date"),
        ("soon", "bad_date"),
        ("📅", "bad_date"),
        # a period names no day: asked, never put on today's day of it (issue 20, point 4)
        ("next year", "bad_date"),
        ("next month", "bad_date"),
        ("sometime in 2027", "bad_date"),
        ("2027", "bad_date"),
        ("in the spring", "bad_date"),
        ("2026-11-20", "date_past"),
        ("20/11/2026", "date_past"),
        ("1 January 2020", "date_past"),
        ("2028-11-22", "date_far"),
        ("21 November 2029", "date_far"),
    ],
)
def test_impossible_past_or_far_race_dates_are_refused(text: str, key: str) -> None:
    """Feb 30, a date already past, or one more than two years out get their own re-ask."""
    with refused(key):
        answers.parse_race_date(text, TODAY)


@pytest.mark.parametrize(
    ("text", "race"),
    [
        ("half 2027-03-14", (Distance.HALF, dt.date(2027, 3, 14))),
        ("Half marathon on 14 March", (Distance.HALF, dt.date(2027, 3, 14))),
        ("marathon 13/04/2027", (Distance.MARATHON, dt.date(2027, 4, 13))),
        ("5k tomorrow", (Distance.K5, dt.date(2026, 11, 22))),
        ("half next sunday", (Distance.HALF, dt.date(2026, 11, 22))),
        ("10k in March 14", (Distance.K10, dt.date(2027, 3, 14))),
        ("parkrun 5 Dec", (Distance.K5, dt.date(2026, 12, 5))),
        ("none", None),
        ("No race.", None),
        ("not yet", None),
    ],
)
def test_a_race_in_one_line(text: str, race: tuple[Distance, dt.date] | None) -> None:
    """A distance and a date in one line make the goal race; "none" or "not yet" mean no race."""
    assert answers.parse_race(text, TODAY) == race


@pytest.mark.parametrize("text", ["03/04/2027", "marathon 12/04/2027", "4.3.2027"])
def test_a_date_that_reads_two_ways_is_asked_back(text: str) -> None:
    """A numeric date that could be day or month first is asked back with both readings, never guessed."""
    with refused("ambiguous_date") as refusal:
        answers.parse_race(text if " " in text else f"half {text}", TODAY)
    fields = refusal.value.fields
    readings = {fields["first"], fields["second"]}
    assert readings in ({"4 Mar 2027", "3 Apr 2027"}, {"12 Apr 2027", "4 Dec 2027"})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("half", "race_needs_date"),
        ("a swim 2027-03-14", "bad_race"),
        ("🏅", "bad_race"),
        ("half 2020-01-01", "date_past"),
        ("ultra 2030-01-01", "date_far"),
        ("10k on 30 February 2027", "bad_date"),
    ],
)
def test_incomplete_or_impossible_races_are_refused(text: str, key: str) -> None:
    """A distance alone, no distance at all, or a bad date are refused with the matching re-ask."""
    with refused(key):
        answers.parse_race(text, TODAY)


@pytest.mark.parametrize(
    ("text", "distance"),
    [("I'm doing a half marathon", Distance.HALF), ("parkrun", Distance.K5), ("50k trail", Distance.ULTRA)],
)
def test_distance_named_anywhere(text: str, distance: Distance) -> None:
    """A race distance is found anywhere in a sentence."""
    assert answers.parse_distance(text) == distance


# --- level, equipment, minutes, niggles --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("new", Level.NEW),
        ("Never", Level.NEW),
        ("now and then", Level.SOME),
        ("Sometimes!", Level.SOME),
        ("weekly", Level.REGULAR),
        ("3", Level.REGULAR),
    ],
)
def test_levels(text: str, level: Level) -> None:
    """Strength experience in a word or the option's number."""
    assert answers.parse_level(text) == level


@pytest.mark.parametrize(
    ("text", "kit"),
    [
        ("gym", {Equipment.GYM}),
        ("Dumbbells", {Equipment.DUMBBELLS}),
        ("kettlebell", {Equipment.DUMBBELLS}),
        ("bands", {Equipment.BANDS}),
        ("bodyweight", set()),
        ("nothing", set()),
        ("none", set()),
        ("just bodyweight", set()),
        ("dumbbells and bands", {Equipment.DUMBBELLS, Equipment.BANDS}),
        ("I have a barbell at the gym", {Equipment.GYM}),
        ("Bands, kettlebells", {Equipment.BANDS, Equipment.DUMBBELLS}),
        ("no weights, just a resistance band", {Equipment.BANDS}),
        ("no equipment", set()),
        ("bands + dumbbells + gym", {Equipment.BANDS, Equipment.DUMBBELLS, Equipment.GYM}),
    ],
)
def test_equipment_is_a_set(text: str, kit: set[Equipment]) -> None:
    """Equipment in a word or a sentence: every item named, the empty kit for bodyweight only."""
    assert answers.parse_equipment(text) == frozenset(kit)


@pytest.mark.parametrize(
    ("parse", "text", "key"),
    [
        (answers.parse_level, "abc", "bad_level"),
        (answers.parse_level, "", "empty"),
        (answers.parse_equipment, "a spaceship", "bad_equipment"),
    ],
)
def test_unknown_level_or_equipment_is_refused(parse: object, text: str, key: str) -> None:
    """Words that name no level or equipment are refused."""
    with refused(key):
        parse(text)  # type: ignore[operator]


@pytest.mark.parametrize(("text", "minutes"), [("30", 30), ("45 min", 45), ("20mins", 20), ("10", 10), ("90", 90)])
def test_minutes(text: str, minutes: int) -> None:
    """Session length in minutes, with or without a unit, from 10 to 90."""
    assert answers.parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["5", "9", "91", "abc", "30 hours", "-10", "half an hour"])
def test_minutes_out_of_range_are_refused(text: str) -> None:
    """Fewer than 10 or more than 90 minutes, or no number, are refused."""
    with refused("bad_minutes"):
        answers.parse_minutes(text)


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("knee", [BodyArea.KNEE]),
        ("my left knee and achilles", [BodyArea.KNEE, BodyArea.ANKLE]),
        ("Hamstrings, lower back", [BodyArea.BACK, BodyArea.HAMSTRING]),
        ("none", []),
        ("All good!", []),
        ("IT band, at the knee", [BodyArea.KNEE]),
        ("ITB hip", [BodyArea.HIP]),
    ],
)
def test_niggles(text: str, areas: list[BodyArea]) -> None:
    """Body areas named anywhere in a sentence; "none" or "all good" mean no niggles."""
    assert answers.parse_areas(text) == areas


@pytest.mark.parametrize("text", ["IT band", "my itb", "IT-band tightness", "iliotibial"])
def test_the_it_band_alone_is_asked_back(text: str) -> None:
    """The IT band runs from hip to knee: on its own it is asked back (knee or hip?), never guessed."""
    with refused("it_band"):
        answers.parse_areas(text)


def test_unknown_niggle_is_refused() -> None:
    """An area the coach does not know is refused with the list of areas it knows."""
    with refused("bad_areas"):
        answers.parse_areas("my elbow")


def test_answers_are_bounded_in_length() -> None:
    """200 characters are read; 201 are refused as too long."""
    assert answers.clean(" " + "a" * 200 + " ") == "a" * 200
    with refused("too_long"):
        answers.clean("a" * 201)
