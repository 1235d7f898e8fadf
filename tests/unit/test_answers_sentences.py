"""Onboarding and /settings answers said as sentences (issue 16): the framing is ignored, words
for numbers and times are read, typos are forgiven, and a reading that could be wrong is unsure."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach import answers
from bot.coach.answers import AnswerError, MonthOnly, Unsure
from bot.coach.model import WEEKDAYS, BodyArea, Distance, Equipment, Level

MON, TUE, WED, THU, FRI, SAT, SUN = WEEKDAYS
TODAY = dt.date(2026, 11, 21)  # a Saturday


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("I run mon, wed and sat", [MON, WED, SAT]),
        ("mondays wednesdays and saturdays", [MON, WED, SAT]),
        ("every day except friday", [MON, TUE, WED, THU, SAT, SUN]),
        ("everyday but not fri", [MON, TUE, WED, THU, SAT, SUN]),
        ("weekends", [SAT, SUN]),
        ("on the weekend", [SAT, SUN]),
        ("tues thurs", [TUE, THU]),
        ("weekdays", [MON, TUE, WED, THU, FRI]),
        ("weekdays except wednesday", [MON, TUE, THU, FRI]),
        ("mon to fri", [MON, TUE, WED, THU, FRI]),
        ("Monday through Thursday", [MON, TUE, WED, THU]),
        ("usually tuesday, thursday & sunday", [TUE, THU, SUN]),
        ("wensday and frday", [WED, FRI]),
        ("I normally go running on Tuesdays and Sundays pls", [TUE, SUN]),
        ("we run mondays", [MON]),
        ("mon wed fri sun", [MON, WED, FRI, SUN]),
        ("daily", list(WEEKDAYS)),
        ("Sat.", [SAT]),
    ],
)
def test_run_days_in_a_sentence(said: str, days: list[object]) -> None:
    """Day lists in any everyday form, with the words around them ignored."""
    assert answers.read_days(said) == days


def test_days_with_words_it_cannot_place_are_unsure() -> None:
    """ "mon and wed, and fri if the kids are at school" reads Mon, Wed, Fri but asks first."""
    with pytest.raises(Unsure) as caught:
        answers.read_days("mon and wed, and fri if the kids are at school")
    assert caught.value.value == [MON, WED, FRI]


@pytest.mark.parametrize("said", ["my knee hurts", "why do you need this?", "lots", ""])
def test_no_days_is_refused(said: str) -> None:
    with pytest.raises(AnswerError):
        answers.read_days(said)


@pytest.mark.parametrize("said", ["none", "no quality days", "nope, all easy", "just easy runs", "not really"])
def test_no_quality_days(said: str) -> None:
    assert answers.read_days(said, allow_none=True) == []


@pytest.mark.parametrize(
    ("said", "day"),
    [("long run on sundays", SUN), ("my long run is on sat", SAT), ("Sunday usually", SUN), ("sun", SUN)],
)
def test_the_long_run_day_in_a_sentence(said: str, day: object) -> None:
    assert answers.read_day(said, [TUE, SAT, SUN]) == day


def test_two_long_run_days_ask_for_one() -> None:
    with pytest.raises(AnswerError, match=r"^one_day$"):
        answers.read_day("sat or sun", [SAT, SUN])


@pytest.mark.parametrize("said", ["no long run", "I don't do long runs", "none", "nope"])
def test_no_long_run(said: str) -> None:
    assert answers.says_no_long_run(said)


@pytest.mark.parametrize(
    ("said", "level"),
    [
        ("never lifted", Level.NEW),
        ("I've never done any strength training", Level.NEW),
        ("not really", Level.NEW),
        ("beginner", Level.NEW),
        ("I lift twice a week", Level.REGULAR),
        ("gym 3 times a week", Level.REGULAR),
        ("3x per week for a couple of years", Level.REGULAR),
        ("yes, regularly", Level.REGULAR),
        ("sometimes", Level.SOME),
        ("on and off", Level.SOME),
        ("a bit, not very regularly", Level.SOME),
        ("just started a few weeks ago", Level.SOME),
        ("some", Level.SOME),
        ("2", Level.SOME),
    ],
)
def test_strength_experience_in_a_sentence(said: str, level: Level) -> None:
    assert answers.read_level(said) == level


@pytest.mark.parametrize("said", ["did crossfit for years", "used to lift at uni", "I lift"])
def test_past_or_unsaid_lifting_is_unsure(said: str) -> None:
    """Lifting once but maybe not now, or lifting without how often: "now and then", to confirm."""
    with pytest.raises(Unsure) as caught:
        answers.read_level(said)
    assert caught.value.value is Level.SOME


@pytest.mark.parametrize("said", ["my knee hurts", "what's this for?", "banana"])
def test_not_a_level(said: str) -> None:
    with pytest.raises(AnswerError, match=r"^bad_level$"):
        answers.read_level(said)


@pytest.mark.parametrize(
    ("said", "kit"),
    [
        ("I have a barbell at the gym", {Equipment.GYM}),
        ("just dumbbells at home", {Equipment.DUMBBELLS}),
        ("nothing, bodyweight only", set()),
        ("full gym", {Equipment.GYM}),
        ("dumbells and a resistence band", {Equipment.DUMBBELLS, Equipment.BANDS}),
        ("a pair of kettle bells", {Equipment.DUMBBELLS}),
        ("I've got a gym membership", {Equipment.GYM}),
        ("no kit, just me", set()),
        ("bands", {Equipment.BANDS}),
    ],
)
def test_equipment_in_a_sentence(said: str, kit: set[Equipment]) -> None:
    assert answers.read_equipment(said) == frozenset(kit)


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        ("45 minutes", 45),
        ("forty five minutes", 45),
        ("forty-five mins", 45),
        ("an hour", 60),
        ("half an hour", 30),
        ("1h", 60),
        ("90 mins", 90),
        ("about 30", 30),
        ("twenty minuts", 20),
        ("1h30", 90),
        ("an hour and a half", 90),
        ("a quarter of an hour", 15),
        ("around 20 min max pls", 20),
        ("usually 25", 25),
    ],
)
def test_session_length_in_a_sentence(said: str, minutes: int) -> None:
    assert answers.read_minutes(said) == minutes


def test_a_range_of_minutes_is_the_shorter_one_to_confirm() -> None:
    with pytest.raises(Unsure) as caught:
        answers.read_minutes("30-45 minutes")
    assert caught.value.value == 30


@pytest.mark.parametrize("said", ["2 hours", "5 minutes", "my knee hurts", "as long as it takes"])
def test_minutes_out_of_range_or_missing(said: str) -> None:
    with pytest.raises(AnswerError, match=r"^bad_minutes$"):
        answers.read_minutes(said)


@pytest.mark.parametrize(
    ("said", "areas"),
    [
        ("my left achilles is a bit sore", [BodyArea.ANKLE]),
        ("none", []),
        ("no niggles", []),
        ("nothing at the moment", []),
        ("all good thanks", []),
        ("achillies", [BodyArea.ANKLE]),
        ("tight hamstrings and a dodgy knee", [BodyArea.KNEE, BodyArea.HAMSTRING]),
        ("lower back", [BodyArea.BACK]),
    ],
)
def test_niggles_in_a_sentence(said: str, areas: list[BodyArea]) -> None:
    assert answers.read_areas(said) == areas


@pytest.mark.parametrize(
    ("said", "time"),
    [
        ("remind me at 6:30am", dt.time(6, 30)),
        ("half past seven", dt.time(7, 30)),
        ("quarter to 7", dt.time(6, 45)),
        ("7ish", dt.time(7, 0)),
        ("18:00", dt.time(18, 0)),
        ("noon", dt.time(12, 0)),
        ("7 in the morning", dt.time(7, 0)),
        ("7pm", dt.time(19, 0)),
        ("seven thirty", dt.time(7, 30)),
        ("10 past 6 in the evening", dt.time(18, 10)),
        ("half seven", dt.time(7, 30)),
        ("quater past 8", dt.time(8, 15)),
        ("around 6 pm please", dt.time(18, 0)),
        ("1930", dt.time(19, 30)),
        ("05:30", dt.time(5, 30)),
        ("4am", dt.time(4, 0)),
        ("at six o'clock", dt.time(6, 0)),
        ("twenty to eight", dt.time(7, 40)),
        ("9 at night", dt.time(21, 0)),
    ],
)
def test_times_in_a_sentence(said: str, time: dt.time) -> None:
    assert answers.read_time(said) == time


@pytest.mark.parametrize(
    ("said", "guess"),
    [("5:30", dt.time(17, 30)), ("half past 4", dt.time(16, 30)), ("6 or 7", dt.time(6, 0))],
)
def test_a_time_that_reads_two_ways_is_unsure(said: str, guess: dt.time) -> None:
    """A bare 1 to 5 o'clock is likelier the afternoon than dawn, and two times the first: both asked."""
    with pytest.raises(Unsure) as caught:
        answers.read_time(said)
    assert caught.value.value == guess


@pytest.mark.parametrize("said", ["my knee hurts", "I had chest pain on my run", "whenever", "quarter to"])
def test_no_time(said: str) -> None:
    with pytest.raises(AnswerError, match=r"^bad_time$"):
        answers.read_time(said)


@pytest.mark.parametrize(
    ("said", "race"),
    [
        ("marathon on 18 april", (Distance.MARATHON, dt.date(2027, 4, 18))),
        ("10k on the 14th", (Distance.K10, dt.date(2026, 12, 14))),
        ("I'm doing a half marathon on 3 May", (Distance.HALF, dt.date(2027, 5, 3))),
        ("training for the Berlin marathon, 26 September 2027", (Distance.MARATHON, dt.date(2027, 9, 26))),
        ("5k tomorrow", (Distance.K5, dt.date(2026, 11, 22))),
        ("half 2027-03-14", (Distance.HALF, dt.date(2027, 3, 14))),
    ],
)
def test_a_race_in_a_sentence(said: str, race: tuple[Distance, dt.date]) -> None:
    assert answers.read_race(said, TODAY) == race


@pytest.mark.parametrize("said", ["no race", "not yet", "no race planned", "nope", "just running for fun"])
def test_no_race(said: str) -> None:
    assert answers.read_race(said, TODAY) is None


@pytest.mark.parametrize(
    ("said", "distance", "month"),
    [
        ("a half in march", Distance.HALF, dt.date(2027, 3, 1)),
        ("marathon late april", Distance.MARATHON, dt.date(2027, 4, 1)),
    ],
)
def test_a_race_month_without_a_day_asks_the_day(said: str, distance: Distance, month: dt.date) -> None:
    """Never a made-up day: the month is kept and its day asked."""
    with pytest.raises(MonthOnly) as caught:
        answers.read_race(said, TODAY)
    assert (caught.value.distance, caught.value.month) == (distance, month)
    assert caught.value.fields == {"month": f"{month:%B}"}


def test_the_day_after_a_month_is_read_in_that_month() -> None:
    march = dt.date(2027, 3, 1)
    assert answers.read_race_date("the 14th", TODAY, march) == dt.date(2027, 3, 14)
    assert answers.read_race_date("14", TODAY, march) == dt.date(2027, 3, 14)
    assert answers.read_race_date("on the 21st", TODAY) == dt.date(2026, 11, 21)
    assert answers.read_race_date("20th", TODAY) == dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    "said",
    ["why do you need this?", "what's this for", "Why?", "what do you need that for", "how does this work"],
)
def test_questions_back_are_recognised(said: str) -> None:
    assert answers.is_question(said)


@pytest.mark.parametrize("said", ["my knee hurts", "mon wed fri", "7am", "I had chest pain on my run"])
def test_answers_and_reports_are_not_questions(said: str) -> None:
    assert not answers.is_question(said)
