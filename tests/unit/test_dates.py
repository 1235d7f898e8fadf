"""The one date reader: what a runner types, read relative to their today."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach.dates import AmbiguousDate, find_dates, read_date

SATURDAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", dt.date(2026, 11, 29)),
        ("next tuesday", dt.date(2026, 12, 1)),
        ("Tuesday", dt.date(2026, 12, 1)),
        ("12 april", dt.date(2027, 4, 12)),
        ("5 Dec", dt.date(2026, 12, 5)),
        ("2027-03-14", dt.date(2027, 3, 14)),
        ("3/14/2027", dt.date(2027, 3, 14)),
        ("14.3.2027", dt.date(2027, 3, 14)),
        ("4/4/27", dt.date(2027, 4, 4)),
    ],
)
def test_dates_a_person_types_are_read_from_today(text: str, expected: dt.date) -> None:
    """Relative words, weekday names, day-month text and numeric dates all name the right day."""
    assert read_date(text, SATURDAY) == expected


@pytest.mark.parametrize("text", ["", "banana", "the day after the thing", "x" * 500, "31/31/2027"])
def test_text_that_names_no_date_gives_none(text: str) -> None:
    """Nonsense, an impossible date or a huge string is no date, never an exception."""
    assert read_date(text, SATURDAY) is None


def test_a_numeric_date_that_reads_two_ways_is_not_guessed() -> None:
    """03/04/2027 could be 4 March or 3 April: the caller is told both, to ask the runner."""
    with pytest.raises(AmbiguousDate) as caught:
        read_date("03/04/2027", SATURDAY)
    assert caught.value.choices == (dt.date(2027, 3, 4), dt.date(2027, 4, 3))


WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("long run moved to saturday", [dt.date(2026, 11, 28)]),
        ("moved intervals from tues to thurs", [dt.date(2026, 12, 1), dt.date(2026, 11, 26)]),
        ("pause until the 10th of december please", [dt.date(2026, 12, 10)]),
        ("away till December 20", [dt.date(2026, 12, 20)]),
        ("off for 2 weeks", [dt.date(2026, 12, 9)]),
        ("taking a week off", [dt.date(2026, 12, 2)]),
        ("running tomorrow instead", [dt.date(2026, 11, 26)]),
        ("pause it until 2027-01-15", [dt.date(2027, 1, 15)]),
        ("no date in here at all", []),
        ("back on 03/04/2027", []),
    ],
)
def test_dates_inside_a_sentence_are_found_and_read_from_today(text: str, expected: list[dt.date]) -> None:
    """Each date a sentence names is found in order and read like a date on its own; an ambiguous one is left out."""
    assert [found.date for found in find_dates(text, WEDNESDAY)] == expected


def test_a_found_date_says_where_it_was_in_the_text() -> None:
    """The span of a found date points at the words that named it."""
    text = "moving my long run to next tuesday"
    [found] = find_dates(text, WEDNESDAY)
    assert text[found.start : found.end] == "next tuesday"
    assert found.date == dt.date(2026, 12, 1)
