"""What a calendar change changed (``bot.coach.calendar_diff``), what a typed one says
(``bot.coach.calendar_said``), and the calendars taps and typed changes make
(``bot.services.calendar_changes``)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach.calendar_diff import DayChange, SessionMove, calendar_changes, no_room, session_moves
from bot.coach.calendar_said import MovedRun, NoSuchDate, OneOff, PastDate, RunDays, read_calendar
from bot.coach.library import Library
from bot.coach.model import Distance, NoteKey, Profile, RunKind, Weekday
from bot.coach.planner import plan_weeks
from bot.content.loader import default_library
from bot.services.calendar_changes import with_one_off, with_run_days, with_said, with_weekday

MONDAY = dt.date(2026, 11, 16)
WED = dt.date(2026, 11, 18)
USUAL = {d: RunKind.REST for d in Weekday} | {
    Weekday.MON: RunKind.EASY,
    Weekday.WED: RunKind.QUALITY,
    Weekday.FRI: RunKind.EASY,
    Weekday.SUN: RunKind.LONG,
}
PROFILE = Profile(strength_level="some", week=USUAL, equipment=["dumbbells"], session_minutes=30)


@pytest.fixture(scope="module")
def library() -> Library:
    return default_library()


def test_calendar_changes_lists_each_day_whose_run_differs() -> None:
    """A one-off rest and a new usual Saturday show as the dates they change, in order."""
    after = with_weekday(with_one_off(PROFILE, dt.date(2026, 11, 22), RunKind.REST), Weekday.SAT, RunKind.EASY)
    assert calendar_changes(PROFILE, after, WED, dt.date(2026, 11, 29)) == (
        DayChange(dt.date(2026, 11, 21), RunKind.REST, RunKind.EASY),
        DayChange(dt.date(2026, 11, 22), RunKind.LONG, RunKind.REST),
        DayChange(dt.date(2026, 11, 28), RunKind.REST, RunKind.EASY),
    )
    assert calendar_changes(PROFILE, PROFILE, WED, dt.date(2026, 11, 29)) == ()


def test_session_moves_and_no_room_from_two_plans(library: Library) -> None:
    """Lifting that left a day pairs with the day that gained one; a week packed with key runs says it has no room."""
    before = tuple(plan_weeks(PROFILE, MONDAY, 2, library))
    packed = PROFILE.model_copy(update={"week": {d: RunKind.QUALITY for d in Weekday} | {Weekday.SUN: RunKind.LONG}})
    after = tuple(plan_weeks(packed, MONDAY, 2, library))
    moves = session_moves(before, after, MONDAY)
    assert moves and all(m.after is None for m in moves), "no day has room: every session is off"
    assert session_moves(before, before, MONDAY) == ()
    assert {r.part.key for r in no_room(after)} <= {NoteKey.NONE_FIT, NoteKey.FEWER_FIT, NoteKey.FEWER_KEY_RUNS}
    assert [r.start for r in no_room(after)] == [MONDAY, MONDAY + dt.timedelta(days=7)]
    assert isinstance(moves[0], SessionMove)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no run on the 24th", OneOff(dt.date(2026, 11, 24), RunKind.REST)),
        ("long run saturday this week", MovedRun(RunKind.LONG, dt.date(2026, 11, 21))),
        ("I run mon wed sat now", RunDays((Weekday.MON, Weekday.WED, Weekday.SAT))),
        ("race on the 28th, a 10k", OneOff(dt.date(2026, 11, 28), RunKind.RACE, Distance.K10)),
        ("race on the 2nd", OneOff(dt.date(2026, 12, 2), RunKind.RACE)),
        ("no run on the 31st", NoSuchDate(31, 11)),
        ("no run on Feb 30", NoSuchDate(30, 2)),
        ("easy run on 29 feb 2027", NoSuchDate(29, 2)),
        ("race on the 14th", PastDate(dt.date(2026, 11, 14))),
        ("no run on 1 november", PastDate(dt.date(2026, 11, 1))),
        ("rest monday this week", PastDate(dt.date(2026, 11, 16))),
        ("easy run monday next week", OneOff(dt.date(2026, 11, 23), RunKind.EASY)),
        ("done, rpe 7", None),
        ("my knee hurts", None),
    ],
)
def test_read_calendar(text: str, expected: object) -> None:
    """Each phrasing reads as the change it says, or as the date problem it has."""
    assert read_calendar(text, WED) == expected


LOOP_TEXTS = ["long run saturday this week", "easy run tomorrow", "pause until feb 30", "rest", "I run 5k on monday"]


@pytest.mark.parametrize("text", [*LOOP_TEXTS, "i run mon"])
def test_outside_calendar_only_what_can_be_nothing_else_is_read(text: str) -> None:
    """Outside /calendar a weekday move or a bare kind is the loop's, not the calendar's."""
    assert read_calendar(text, WED, anywhere=True) is None


def test_the_calendars_changes_make() -> None:
    """A one-off back to the usual run drops it; a new long-run day takes the long run; run days keep their runs."""
    rest = with_one_off(PROFILE, dt.date(2026, 11, 23), RunKind.REST)
    assert rest.overrides == {dt.date(2026, 11, 23): RunKind.REST}
    assert with_one_off(rest, dt.date(2026, 11, 23), RunKind.EASY).overrides == {}
    race = with_one_off(PROFILE, dt.date(2026, 11, 28), RunKind.RACE, Distance.HALF)
    assert race.tune_up_distances == {dt.date(2026, 11, 28): Distance.HALF}
    assert with_one_off(race, dt.date(2026, 11, 28), RunKind.REST).tune_up_distances == {}
    moved = with_weekday(PROFILE, Weekday.SAT, RunKind.LONG).week
    assert moved[Weekday.SAT] is RunKind.LONG and moved[Weekday.SUN] is RunKind.EASY
    days = with_run_days(PROFILE, (Weekday.MON, Weekday.WED, Weekday.SUN)).week
    assert days == {**USUAL, Weekday.FRI: RunKind.REST}
    said = with_said(PROFILE, MovedRun(RunKind.LONG, dt.date(2026, 11, 21)), WED)
    assert said.overrides == {dt.date(2026, 11, 21): RunKind.LONG, dt.date(2026, 11, 22): RunKind.REST}


@pytest.mark.parametrize(
    "text",
    ["race on the 0th", "race on 0000-01-01", "I run mon, and blursday", "race on 2026-13-01", "no run 99th", "race"],
)
def test_odd_text_never_raises(text: str) -> None:
    """Odd dates and days read as a date problem or nothing, never an error."""
    said = read_calendar(text, WED)
    assert said is None or isinstance(said, NoSuchDate | PastDate)
