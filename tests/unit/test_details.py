"""The detail readers: efforts, body areas, runs, weekdays and pause ends read as a person means them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from plan_strategies import examples

from bot.coach.dates import AmbiguousDate, day_first_for
from bot.coach.day_readers import moved_to, pause_until, read_day, read_until
from bot.coach.details import read_area, read_rpe, read_run
from bot.coach.model import BodyArea, RunKind, Weekday
from bot.coach.weekdays import read_weekday

WEDNESDAY = dt.date(2026, 11, 25)
D = dt.date


def lowered(text: str) -> str:
    """The text as the parser hands it to the readers: lower case, no apostrophes."""
    return text.lower().replace("'", "").replace("’", "")


# ---- effort ----


@pytest.mark.parametrize(
    ("text", "rpe"),
    [
        ("rpe 7", 7),
        ("RPE7", 7),
        ("rpe six", 6),
        ("rpe around 5", 5),
        ("effort seven", 7),
        ("effort was a seven", 7),
        ("effort: 8", 8),
        ("intensity of about 6", 6),
        ("an eight out of ten", 8),
        ("ten out of ten", 10),
        ("7/10", 7),
        ("done 8 / 10 💪", 8),
        ("9 outta 10 tbh", 9),
        ("about a 6", 6),
        ("felt like a 5 out of 10", 5),
        ("7 ish", 7),
        ("7ish I reckon", 7),
        ("like a three", 3),
        ("maybe a four, easy day", 4),
        ("a bare effort at the end: tough one, 9", 9),
        ("did it all, five", 5),
        ("done - 7", 7),
        ("smashed it 🔥 9", 9),
        ("Did it!! felt like an 8", 8),
        ("ok so I did the session this morning and it was pretty hard I'd say an eight out of ten", 8),
        ("finished everything but the last set, rpe 6.5", 7),
        ("rpe 7-8, legs heavy", 8),
        ("did 3 sets of squats, effort probably a 6", 6),
        ("20 min session, about a 5 out of 10", 5),
        ("about two thirds of it, felt like a 7", 7),
    ],
)
def test_an_effort_is_read_in_digits_words_and_hedges(text: str, rpe: int) -> None:
    """An effort said as a number, a word, a fraction of ten, a hedge or a bare closing number is read."""
    assert read_rpe(lowered(text)) == rpe


@pytest.mark.parametrize(
    "text",
    [
        "did 2 sets of 10",
        "20 min",
        "set 2 of 3",
        "ran 5k after",
        "did 3 of the 5 exercises",
        "finished at 6:30",
        "did it on the 20th",
        "done, hard one",
        "done, rpe 14",
        "did it",
        "3x10 squats done",
        "done, about 5 km of running after",
        "did 8 reps",
        "done in 25 minutes",
        "did about two thirds of it",
        "got through maybe three quarters",
    ],
)
def test_numbers_that_are_not_efforts_are_not_read(text: str) -> None:
    """Counts, distances, times, dates and out-of-range efforts give no effort."""
    assert read_rpe(lowered(text)) is None


# ---- body area ----


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("shin splints again", BodyArea.SHIN),
        ("my shin hurts", BodyArea.SHIN),
        ("sore shins 😩", BodyArea.SHIN),
        ("achiles is tender", BodyArea.ANKLE),
        ("achillies pain", BodyArea.ANKLE),
        ("Achilles tendon is sore", BodyArea.ANKLE),
        ("tight calves", BodyArea.ANKLE),
        ("calf is tight", BodyArea.ANKLE),
        ("twisted my ankle", BodyArea.ANKLE),
        ("hammy is twinging", BodyArea.HAMSTRING),
        ("my hammies are tight", BodyArea.HAMSTRING),
        ("hamstirng pulled", BodyArea.HAMSTRING),
        ("hamstring niggle", BodyArea.HAMSTRING),
        ("kneecap pain going downstairs", BodyArea.KNEE),
        ("my ITB is flaring up", BodyArea.KNEE),
        ("it band tight on the outside", BodyArea.KNEE),
        ("knees hurt", BodyArea.KNEE),
        ("hip flexor is sore", BodyArea.HIP),
        ("glute pain", BodyArea.HIP),
        ("big toe hurts", BodyArea.FOOT),
        ("heel pain in the morning", BodyArea.FOOT),
        ("plantar fasciitis is back", BodyArea.FOOT),
        ("sciatica flaring", BodyArea.BACK),
        ("lower back is stiff", BodyArea.BACK),
        ("my back hurts", BodyArea.BACK),
        ("back pain after deadlifts", BodyArea.BACK),
        ("rotator cuff twinge", BodyArea.SHOULDER),
        ("shoudler hurts on presses", BodyArea.SHOULDER),
        ("knee pain is back", BodyArea.KNEE),
    ],
)
def test_a_body_area_is_read_with_slang_and_misspellings(text: str, area: BodyArea) -> None:
    """Each rulebook area is read from its common words, slang and misspellings; the shin is the shin."""
    assert read_area(lowered(text)) is area


@pytest.mark.parametrize(
    "text", ["quads are toast", "everything aches", "tired legs", "the pain is back", "back on monday"]
)
def test_no_area_is_read_where_none_is_named(text: str) -> None:
    """Sore quads, whole-body aches and "back" meaning again name no area."""
    assert read_area(lowered(text)) is None


# ---- run ----


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("long run moved to saturday", RunKind.LONG),
        ("doing the long one on satuday instead", RunKind.LONG),
        ("LSR is on sunday now", RunKind.LONG),
        ("club speed session moved to thurs", RunKind.QUALITY),
        ("hill reps on friday instead", RunKind.QUALITY),
        ("fartlek moved to thrusday", RunKind.QUALITY),
        ("tempo's on tue", RunKind.QUALITY),
        ("easy 5k moved from tues to wednesday", RunKind.EASY),
        ("recovery jog tmrw", RunKind.EASY),
        ("strides moved to monday", RunKind.EASY),
        ("cross country race is on saturday", RunKind.RACE),
        ("parkrun moved to sunday", RunKind.RACE),
        ("moved it to friday", None),
    ],
)
def test_a_run_is_read_from_runners_words(text: str, run: RunKind | None) -> None:
    """The run a message names is read from its usual words and abbreviations."""
    assert read_run(lowered(text)) is run


# ---- weekday ----


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("monday", Weekday.MON),
        ("Mon", Weekday.MON),
        ("tue", Weekday.TUE),
        ("tues", Weekday.TUE),
        ("tuseday", Weekday.TUE),
        ("wed", Weekday.WED),
        ("weds", Weekday.WED),
        ("wendsday", Weekday.WED),
        ("wensday", Weekday.WED),
        ("thu", Weekday.THU),
        ("thur", Weekday.THU),
        ("Thurs.", Weekday.THU),
        ("thrusday", Weekday.THU),
        ("thursady", Weekday.THU),
        ("fri", Weekday.FRI),
        ("fridya", Weekday.FRI),
        ("sat", Weekday.SAT),
        ("satuday", Weekday.SAT),
        ("saterday", Weekday.SAT),
        ("sun", Weekday.SUN),
        ("Sundays are for long runs", Weekday.SUN),
        ("on sat 🏃", Weekday.SAT),
        ("Monday's session", Weekday.MON),
    ],
)
def test_a_weekday_is_read_in_any_common_form(text: str, day: Weekday) -> None:
    """Full names, abbreviations and the usual misspellings all name their weekday."""
    assert read_weekday(lowered(text)) is day


@pytest.mark.parametrize(
    "text",
    ["sunny today", "mont blanc", "fries", "i sat down after", "the sun was out", "a sundae after", "today", "sundry"],
)
def test_ordinary_words_are_not_read_as_weekdays(text: str) -> None:
    """Words near a weekday name ("sunny", "fries", "sat down", "the sun") are not one."""
    assert read_weekday(lowered(text)) is None


def test_wed_is_not_we_would() -> None:
    """Once apostrophes are gone "we'd be" reads "wed be": that is not a Wednesday."""
    assert read_weekday(lowered("we'd be away")) is None
    assert read_weekday(lowered("wed is fine")) is Weekday.WED


# ---- the end of a pause ----


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("till sun", D(2026, 11, 29)),
        ("pause till sunday pls", D(2026, 11, 29)),
        ("til the 20th", D(2026, 12, 20)),
        ("until 12/18", D(2026, 12, 18)),
        ("till 17/12", D(2026, 12, 17)),
        ("for a fortnight", D(2026, 12, 8)),
        ("away for two weeks", D(2026, 12, 8)),
        ("off for 3 days", D(2026, 11, 27)),
        ("need a week off", D(2026, 12, 1)),
        ("for a couple of weeks", D(2026, 12, 8)),
        ("for a month", D(2026, 12, 24)),
        ("rest of the month", D(2026, 11, 30)),
        ("pause to the end of the month", D(2026, 11, 30)),
        ("until end of dec", D(2026, 12, 31)),
        ("end of next month", D(2026, 12, 31)),
        ("on holiday 14th-21st", D(2026, 12, 21)),
        ("away from the 28th to the 3rd", D(2026, 12, 3)),
        ("back on the 4th", D(2026, 12, 3)),
        ("back monday", D(2026, 11, 29)),
        ("back on 9 December", D(2026, 12, 8)),
        ("back in 2 weeks", D(2026, 12, 8)),
        ("just for today and tmrw", D(2026, 11, 26)),
        ("until the day after tomorrow", D(2026, 11, 27)),
        ("tmrw", D(2026, 11, 26)),
        ("tomoz", D(2026, 11, 26)),
        ("2moro", D(2026, 11, 26)),
        ("until the fifteenth", D(2026, 12, 15)),
        ("till sat 5th", D(2026, 12, 5)),
        ("dec 10th", D(2026, 12, 10)),
        ("till 3rd jan", D(2027, 1, 3)),
        ("over christmas, back on the 27th", D(2026, 12, 26)),
        ("till fridya", D(2026, 11, 27)),
        ("pause until 5 January 2027", D(2027, 1, 5)),
        ("until 2027-02-01", D(2027, 2, 1)),
        ("till 3/1/2027 please", D(2027, 1, 3)),
        ("flying out tomorrow, pause until the 20th", D(2026, 12, 20)),
        ("pause from friday until monday", D(2026, 11, 30)),
        ("the twenty-first of december", D(2026, 12, 21)),
        ("ill be off over the weekend", D(2026, 11, 29)),
        ("pause pls, I'm sick", None),
        ("pause until next week", None),
    ],
)
def test_the_last_day_of_a_pause_is_read_from_the_forms_people_use(text: str, until: dt.date | None) -> None:
    """Weekdays, days of the month, spans, period ends, ranges, "back on" days and short forms give
    the last paused day, read from the runner's today (day-first, as outside the US)."""
    assert read_until(lowered(text), WEDNESDAY, day_first=True) == until


@pytest.mark.parametrize(
    ("today", "text", "until"),
    [
        (D(2026, 12, 29), "till the 3rd", D(2027, 1, 3)),
        (D(2026, 12, 29), "rest of the month", D(2026, 12, 31)),
        (D(2026, 12, 29), "for a week", D(2027, 1, 4)),
        (D(2026, 12, 29), "back on 2 jan", D(2027, 1, 1)),
        (D(2026, 12, 29), "until dec 30th", D(2026, 12, 30)),
        (D(2026, 12, 29), "till 5/1", D(2027, 1, 5)),
        (D(2027, 1, 31), "till the 31st", D(2027, 1, 31)),
        (D(2027, 2, 1), "till the 31st", D(2027, 3, 31)),
        (D(2027, 1, 30), "till the 30th", D(2027, 1, 30)),
        (D(2027, 1, 31), "for a month", D(2027, 2, 27)),
        (D(2027, 4, 30), "end of the month", D(2027, 4, 30)),
        (D(2027, 1, 10), "till christmas", D(2027, 12, 25)),
        (D(2026, 11, 29), "till sunday", D(2026, 12, 6)),
        (D(2026, 11, 30), "back tomorrow", D(2026, 11, 30)),
    ],
)
def test_a_pause_end_across_a_month_or_year_end_is_the_next_such_day(today: dt.date, text: str, until: dt.date) -> None:
    """A date without a year or month is its next occurrence from today on, across month and year ends."""
    assert read_until(lowered(text), today, day_first=True) == until


def test_a_numeric_date_both_ways_possible_is_read_by_the_runners_custom_or_asked() -> None:
    """04/12 is 4 December day-first and 12 April month-first; with the custom unknown, both come back to ask."""
    assert read_until("till 04/12", WEDNESDAY, day_first=True) == D(2026, 12, 4)
    assert read_until("till 04/12", WEDNESDAY, day_first=False) == D(2027, 4, 12)
    with pytest.raises(AmbiguousDate) as caught:
        read_until("till 04/12", WEDNESDAY)
    assert caught.value.choices == (D(2026, 12, 4), D(2027, 4, 12))
    assert pause_until("till 04/12", WEDNESDAY) is None
    assert read_until("till 12/18", WEDNESDAY) == D(2026, 12, 18)  # one part over 12: no question
    assert read_until("till 12/12", WEDNESDAY) == D(2026, 12, 12)  # both readings the same day


@pytest.mark.parametrize(
    ("text", "until"),
    [("back today", None), ("until 3 march 2025", None), ("till 30/02", None), ("pause, back on the 25th", None)],
)
def test_a_pause_never_ends_before_today(text: str, until: dt.date | None) -> None:
    """A day already past (or today, said as the day back) is no end of a pause."""
    assert read_until(lowered(text), WEDNESDAY, day_first=True) == until


@pytest.mark.parametrize(
    ("zone", "day_first"),
    [
        ("America/New_York", False),
        ("America/Los_Angeles", False),
        ("Pacific/Honolulu", False),
        ("America/Phoenix", False),
        ("Europe/London", True),
        ("Europe/Berlin", True),
        ("Australia/Sydney", True),
        ("America/Sao_Paulo", True),
        ("Asia/Kolkata", True),
        ("", True),
    ],
)
def test_a_runners_zone_says_how_they_write_a_date(zone: str, day_first: bool) -> None:
    """United States zones write the month first; everywhere else is read day-first."""
    assert day_first_for(zone) is day_first


# ---- the day a run moved to, the day a question is about ----


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("long run moved to saturday", Weekday.SAT),
        ("intervals are on tue this week not thu", Weekday.TUE),
        ("easy 5k moved from tues to wednesday", Weekday.WED),
        ("my easy jog is tmrw now instead of today", Weekday.THU),
        ("pushed to the day after tomorrow", Weekday.FRI),
        ("fartlek moved to thrusday", Weekday.THU),
        ("doing the long one on satuday instead", Weekday.SAT),
        ("cant run thursday so tempo is friday", Weekday.FRI),
        ("long run sunday not saturday", Weekday.SUN),
        ("race is on the 28th", Weekday.SAT),
        ("moved my long run", None),
    ],
)
def test_the_day_a_run_moved_to_is_the_one_it_is_on_now(text: str, day: Weekday | None) -> None:
    """Of the days a moved run names, the one it moved to is read, not the one it moved from."""
    assert moved_to(lowered(text), WEDNESDAY) is day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("what's on thursday", Weekday.THU),
        ("anything saturday?", Weekday.SAT),
        ("why no lifting thursday?", Weekday.THU),
        ("what do i have on weds", Weekday.WED),
        ("tmrw?", Weekday.THU),
        ("what's the plan for tomorrow", Weekday.THU),
        ("whats on this week", None),
    ],
)
def test_the_day_a_question_is_about(text: str, day: Weekday | None) -> None:
    """A question about a day names it by weekday or as tomorrow, read from today."""
    assert read_day(lowered(text), WEDNESDAY) is day


def test_tomorrow_follows_the_runners_today() -> None:
    """ "tmrw" on a Saturday is Sunday."""
    assert read_day("tmrw", D(2026, 11, 28)) is Weekday.SUN


# ---- never a date in the past, never an exception ----

TODAYS = st.dates(min_value=D(2000, 1, 1), max_value=D(2200, 12, 31))
_DATE_WORDS = (
    "till|until|back on|the|for|a|two|3|31st|29th|feb|dec|12/18|31/12|2/3|weeks|days|month|end of|rest of the"
    "|sat|thrusday|tmrw|day after|2025|2031|-|,|fortnight|christmas|the fifteenth|from| "
)
DATEISH = st.lists(
    st.sampled_from(_DATE_WORDS.split("|")),
    max_size=8,
).map(" ".join)


@examples(300)
@given(text=st.one_of(st.text(max_size=200), DATEISH), today=TODAYS, day_first=st.sampled_from([True, False, None]))
@example(text="till 29th feb", today=D(2027, 3, 1), day_first=True)
@example(text="back on the 1st", today=D(2026, 12, 31), day_first=True)
def test_read_until_never_gives_a_past_day_nor_breaks(text: str, today: dt.date, day_first: bool | None) -> None:
    """Whatever is typed, a pause end is today or later, or none; only an ambiguous numeric date with
    the custom unknown is raised, with both readings from today on."""
    try:
        until = read_until(text, today, day_first=day_first)
    except AmbiguousDate as ambiguous:
        assert day_first is None
        assert all(choice >= today for choice in ambiguous.choices)
        return
    assert until is None or until >= today
    assert pause_until(text, today) is None or pause_until(text, today) >= today


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("going to spain on friday for a week", D(2026, 12, 3)),
        ("for a week from tomorrow", D(2026, 12, 2)),
        ("for 2 weeks starting monday", D(2026, 12, 13)),
        ("pause til sunday week", D(2026, 12, 6)),
    ],
)
def test_a_span_counts_from_the_day_it_starts(text: str, until: dt.date) -> None:
    """A span said with its first day ("from tomorrow", "on friday") ends counted from that day;
    "sunday week" is a week on from the coming Sunday."""
    assert read_until(text, WEDNESDAY, day_first=True) == until
