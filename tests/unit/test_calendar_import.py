"""Reading a runner's training calendar from iCalendar: run kinds per date, time zones, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar_import import (
    MAX_ICS_BYTES,
    IcsProblem,
    ImportedCalendar,
    classify,
    read_calendar,
)
from bot.coach.model import Distance, RunKind

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "calendars"
BERLIN = ZoneInfo("Europe/Berlin")
FIRST, LAST = dt.date(2026, 3, 23), dt.date(2026, 4, 5)  # the weeks around the 29 March 2026 clock change
E, Q, L, R, REST = RunKind.EASY, RunKind.QUALITY, RunKind.LONG, RunKind.RACE, RunKind.REST


def _read(name: str, zone: ZoneInfo = BERLIN, first: dt.date = FIRST, last: dt.date = LAST) -> ImportedCalendar:
    result = read_calendar((SAMPLES / name).read_bytes(), first, last, zone)
    assert isinstance(result, ImportedCalendar), result
    return result


def _kinds(calendar: ImportedCalendar) -> dict[str, RunKind]:
    return {day.date.isoformat(): day.kind for day in calendar.days}


def _ics(*events: str, head: str = "") -> bytes:
    uids = [f"UID:{n}@test\r\n" if "UID:" not in event else "" for n, event in enumerate(events)]
    body = "".join(
        f"BEGIN:VEVENT\r\n{uid}{event.strip()}\r\nEND:VEVENT\r\n" for uid, event in zip(uids, events, strict=True)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{head}{body}END:VCALENDAR\r\n".encode()


def test_a_trainingpeaks_feed_gives_each_date_its_run_kind() -> None:
    """An X-WR-TIMEZONE-only feed with UTC and floating times reads as the runner's week in Berlin."""
    calendar = _read("trainingpeaks.ics")
    assert _kinds(calendar) == {
        "2026-03-23": REST,
        "2026-03-24": E,
        "2026-03-25": Q,  # titled "Run": its description's 5 x 1000m makes it a quality session
        "2026-03-27": E,  # 23:00 UTC on the 26th is past midnight in Berlin
        "2026-03-29": L,
        "2026-03-31": Q,
        "2026-04-04": R,
        "2026-04-05": E,
    }
    assert calendar.zone == "Europe/Berlin"
    assert calendar.ignored == 5  # strength, bike, swim, yoga and a note


def test_a_race_in_the_feed_carries_its_distance_and_title() -> None:
    """ "Race: Paderborner Osterlauf 10K" is a 10k race on its date, titled as written."""
    race = next(day for day in _read("trainingpeaks.ics").days if day.kind is R)
    assert (race.date, race.distance, race.title) == (
        dt.date(2026, 4, 4),
        Distance.K10,
        "Race: Paderborner Osterlauf 10K",
    )


def test_a_garmin_style_export_expands_its_weekly_runs_with_their_exceptions() -> None:
    """VTIMEZONE and TZID times, a Tue/Thu RRULE with an EXDATE, all-day events, a race over a long run."""
    calendar = _read("garmin_connect.ics")
    assert _kinds(calendar) == {
        "2026-03-23": REST,
        "2026-03-24": E,
        "2026-03-25": Q,
        # Thursday 26 March is an EXDATE; Saturday's run is cancelled
        "2026-03-29": L,
        "2026-03-31": E,
        "2026-04-01": Q,
        "2026-04-02": E,
        "2026-04-05": R,  # the half marathon wins over the weekly long run that day
    }
    assert calendar.days[-1].distance is Distance.HALF
    assert calendar.ignored == 2  # strength training and cycling intervals


def test_a_weekly_berlin_morning_run_keeps_its_weekday_across_the_clock_change() -> None:
    """The 07:00 Sunday long run is on every Sunday, before and after 29 March 2026, in Berlin and London."""
    for zone in (BERLIN, ZoneInfo("Europe/London")):
        calendar = _read("garmin_connect.ics", zone, dt.date(2026, 3, 16), dt.date(2026, 4, 13))
        longs = [day.date for day in calendar.days if day.kind is L]
        assert longs == [dt.date(2026, 3, 22), dt.date(2026, 3, 29), dt.date(2026, 4, 12)]
        assert all(day.weekday() == 6 for day in longs)


def test_an_intervals_icu_style_export_reads_in_new_york() -> None:
    """New York times, weekly rules with COUNT and UNTIL across the US clock change, a race named in the title."""
    calendar = _read("intervals_icu.ics", ZoneInfo("America/New_York"), dt.date(2026, 3, 2), dt.date(2026, 3, 15))
    assert _kinds(calendar) == {
        "2026-03-03": Q,
        "2026-03-05": E,
        "2026-03-07": L,
        "2026-03-08": E,  # the clock change's Sunday, the ride beside it ignored
        "2026-03-10": Q,
        "2026-03-12": E,  # an easy run outranks the rest day noted that Thursday
        "2026-03-15": R,
    }
    assert (calendar.zone, calendar.days[-1].distance, calendar.ignored) == ("America/New_York", Distance.HALF, 2)


def test_an_evening_run_in_new_york_is_the_next_day_in_berlin_until_the_us_clocks_change() -> None:
    """Tuesday 18:30 in New York is Wednesday 00:30 in Berlin, then Tuesday 23:30 once the US is on summer time."""
    calendar = _read("intervals_icu.ics", BERLIN, dt.date(2026, 3, 2), dt.date(2026, 3, 15))
    quality = [day.date for day in calendar.days if day.kind is Q]
    assert quality == [dt.date(2026, 3, 4), dt.date(2026, 3, 10)]


def test_utc_times_land_on_the_runners_own_date() -> None:
    """For a runner in Los Angeles, Tuesday 05:30 UTC is Monday evening and Sunday 06:00 UTC Saturday night."""
    calendar = _read("trainingpeaks.ics", ZoneInfo("America/Los_Angeles"))
    assert _kinds(calendar) == {
        "2026-03-23": E,  # the run outranks Monday's all-day rest
        "2026-03-25": Q,  # floating 18:30 is Berlin time (the feed's X-WR-TIMEZONE): 10:30 in Los Angeles
        "2026-03-26": E,
        "2026-03-28": L,
        "2026-03-31": Q,
        "2026-04-04": R,
        "2026-04-05": E,
    }


def test_only_the_window_is_returned() -> None:
    """Days outside [first, last] are left out."""
    calendar = _read("garmin_connect.ics", BERLIN, dt.date(2026, 3, 25), dt.date(2026, 3, 29))
    assert [day.date.isoformat() for day in calendar.days] == ["2026-03-25", "2026-03-29"]


def test_floating_times_without_a_calendar_zone_are_the_runners_wall_time() -> None:
    """A floating 23:30 run is that date for the runner, wherever they are."""
    data = _ics("DTSTART:20260324T233000\r\nSUMMARY:Easy run")
    for zone in (BERLIN, ZoneInfo("Asia/Tokyo")):
        result = read_calendar(data, FIRST, LAST, zone)
        assert isinstance(result, ImportedCalendar)
        assert [day.date for day in result.days] == [dt.date(2026, 3, 24)]
        assert result.zone is None


def test_an_unknown_x_wr_timezone_is_ignored() -> None:
    """A calendar naming a zone nobody knows still reads, in the runner's zone."""
    data = _ics("DTSTART:20260324T070000\r\nSUMMARY:Tempo", head="X-WR-TIMEZONE:Mars/Olympus\r\n")
    result = read_calendar(data, FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    assert (result.zone, _kinds(result)) == (None, {"2026-03-24": Q})


def test_two_runs_on_one_date_the_harder_kind_wins() -> None:
    """An easy double and a long run on one Sunday make it a long-run day."""
    data = _ics(
        "DTSTART:20260329T070000Z\r\nSUMMARY:Long Run 22 km",
        "DTSTART:20260329T160000Z\r\nSUMMARY:Easy 20'",
        "DTSTART;VALUE=DATE:20260329\r\nSUMMARY:Rest day",
    )
    result = read_calendar(data, FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    assert [(day.kind, day.title) for day in result.days] == [(L, "Long Run 22 km")]


def test_a_long_title_is_trimmed() -> None:
    """A title is kept as written, its spaces tidied and at most 80 characters."""
    data = _ics("DTSTART;VALUE=DATE:20260324\r\nSUMMARY:  Easy   run " + "and more " * 20)
    result = read_calendar(data, FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    title = result.days[0].title
    assert title.startswith("Easy run and more") and len(title) <= 80


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", IcsProblem.EMPTY),
        (b"  \r\n ", IcsProblem.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", IcsProblem.BINARY),
        (b"BEGIN:VCALENDAR\r\n\xff\xfe\xfa", IcsProblem.BINARY),
        (b"<!DOCTYPE html><html><body>Log in</body></html>", IcsProblem.NOT_ICS),
        (b'{"events": []}', IcsProblem.NOT_ICS),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n", IcsProblem.NOT_ICS),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", IcsProblem.NO_RUNS),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * MAX_ICS_BYTES, IcsProblem.TOO_BIG),
    ],
    ids=["empty", "blank", "png", "not-utf8", "html", "json", "truncated", "no-events", "too-big"],
)
def test_bad_files_are_named_not_raised(data: bytes, problem: IcsProblem) -> None:
    """Empty, binary, non-iCalendar, broken and over-size files each come back as their problem."""
    assert read_calendar(data, FIRST, LAST, BERLIN) is problem


def test_a_calendar_of_other_sports_has_no_runs() -> None:
    """Bike, swim and yoga only, or runs outside the window: no runs."""
    data = _ics(
        "DTSTART:20260324T070000Z\r\nSUMMARY:Bike: Endurance",
        "DTSTART:20260325T070000Z\r\nSUMMARY:Swim 2000m",
        "DTSTART;VALUE=DATE:20260326\r\nSUMMARY:Rest day",
        "DTSTART:20260501T070000Z\r\nSUMMARY:Easy run",
    )
    assert read_calendar(data, FIRST, LAST, BERLIN) is IcsProblem.NO_RUNS


def test_a_malformed_event_is_skipped_and_the_rest_kept() -> None:
    """An event with a broken start or rule is left out; the good ones are read."""
    data = _ics(
        "DTSTART:not-a-date\r\nSUMMARY:Tempo",
        "SUMMARY:Intervals without a start",
        "DTSTART:20260324T070000Z\r\nRRULE:FREQ=SOMETIMES;BYDAY=XX\r\nSUMMARY:Long run",
        "DTSTART:20260325T070000Z\r\nSUMMARY:Easy run",
    )
    result = read_calendar(data, FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    assert _kinds(result) == {"2026-03-25": E}


@pytest.mark.parametrize(
    "rule",
    [
        "DTSTART:20000101T000000Z\r\nRRULE:FREQ=SECONDLY",
        "DTSTART:19700101T000000Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=1",
        "DTSTART:20260101T000000Z\r\nRRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11;BYMINUTE=0,10,20,30,40,50",
        "DTSTART:00010101T070000Z\r\nRRULE:FREQ=DAILY",
        "DTSTART:20000101T000000Z\r\nRECURRENCE-ID:20260325T000000Z\r\nRRULE:FREQ=SECONDLY",
    ],
    ids=["secondly", "minutely", "hourly-in-disguise", "daily-since-year-1", "secondly-moved-occurrence"],
)
def test_a_pathological_recurrence_cannot_blow_up(rule: str) -> None:
    """Endless fine-grained or ancient rules (twenty of them) are left out; the calendar's other runs are read.

    Expanded, any one of them would take minutes or never end; the bound is loose for a busy machine.
    """
    events = [f"{rule}\r\nSUMMARY:Easy run"] * 20 + ["DTSTART:20260325T070000Z\r\nSUMMARY:Tempo"]
    result = read_calendar(_ics(*events), FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    assert _kinds(result) == {"2026-03-25": Q}


@pytest.mark.slow  # parses a 300 KB calendar of 2,500 endless series: seconds
@pytest.mark.timeout(120)  # bounded by MAX_EVENTS and the days rules may step; no wall-clock assertion
def test_many_daily_runs_are_read_within_bounds() -> None:
    """A file of thousands of endless daily runs is read in bounded time, each date at most once."""
    events = [f"DTSTART:2026{n % 12 + 1:02}01T0{n % 10}0000Z\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Easy" for n in range(2500)]
    result = read_calendar(_ics(*events), FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar)
    dates = [day.date for day in result.days]
    assert dates and len(set(dates)) == len(dates) and all(FIRST <= date <= LAST for date in dates)


def test_years_of_history_do_not_hide_the_window() -> None:
    """A feed with thousands of past workouts still gives the window's runs, moved occurrences included."""
    past = [
        f"DTSTART;VALUE=DATE:{dt.date(2020, 1, 1) + dt.timedelta(days=n):%Y%m%d}\r\nSUMMARY:Easy" for n in range(2200)
    ]
    weekly = "UID:tempo\r\nDTSTART:20260101T170000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=TH\r\nSUMMARY:Tempo"
    moved = "UID:tempo\r\nDTSTART:20260327T170000Z\r\nRECURRENCE-ID:20260326T170000Z\r\nSUMMARY:Tempo"
    result = read_calendar(
        _ics(*past, weekly, moved, "DTSTART:20260329T070000Z\r\nSUMMARY:Long run"), FIRST, LAST, BERLIN
    )
    assert isinstance(result, ImportedCalendar)
    assert _kinds(result) == {"2026-03-27": Q, "2026-03-29": L, "2026-04-02": Q}


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        ("Long Run 22 km", "", (L, None)),
        ("Intervals 6x800", "", (Q, None)),
        ("Tempo 5 km", "", (Q, None)),
        ("Threshold", "", (Q, None)),
        ("Fartlek", "", (Q, None)),
        ("Hills", "", (Q, None)),
        ("Track", "", (Q, None)),
        ("VO2max 5x3'", "", (Q, None)),
        ("Marathon pace 16 km", "", (Q, None)),
        ("Parkrun", "", (Q, None)),
        ("Easy 40'", "", (E, None)),
        ("Recovery run", "", (E, None)),
        ("Run 8 km", "", (E, None)),
        ("Shakeout", "", (E, None)),
        ("Run", "WU 15', 6x800 @ 5k pace, CD", (Q, None)),
        ("Workout", "Run 45' easy", (E, None)),
        ("Race: Berlin Half", "", (R, Distance.HALF)),
        ("Berlin Marathon", "", (R, Distance.MARATHON)),
        ("Race", "Valencia 10K", (R, Distance.K10)),
        ("NYC Half", "Race day, goal 1:38", (R, Distance.HALF)),
        ("Parkrun race", "", (R, Distance.K5)),
        ("Race: Zugspitz Ultratrail", "", (R, None)),
        ("Tempo at race pace", "", (Q, None)),
        ("Rest day", "", (REST, None)),
        ("Day off", "", (REST, None)),
        ("Lauf locker 10 km", "", (E, None)),
        ("Tempodauerlauf", "", (Q, None)),
        ("Ruhetag", "", (REST, None)),
        ("Rodaje suave", "", (E, None)),
        ("Series 10x400", "", (Q, None)),
        ("Medio Maratón de Sevilla", "", (R, Distance.HALF)),
        ("Sortie longue", "", (L, None)),
        ("Fractionné", "", (Q, None)),
        ("Duurloop", "", (E, None)),
        ("LONG RUN", "", (L, None)),
    ],
)
def test_run_titles_are_read_as_their_kind(title: str, description: str, expected: tuple[RunKind, Distance]) -> None:
    """Titles runners and platforms write are read as the run they describe."""
    assert classify(title, description) == expected


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Cycling intervals", ""),
        ("Bike: Endurance 90'", ""),
        ("Swim", ""),
        ("Yoga", ""),
        ("Strength", ""),
        ("Gym", ""),
        ("Cross-training", ""),
        ("Walk", ""),
        ("Long ride", ""),
        ("Hill walk", ""),
        ("Workout", "Swim 2k easy"),
        ("Dentist", "take it easy"),
        ("Note: coach call", ""),
        ("Trackpad shopping", ""),
    ],
)
def test_other_sports_and_notes_are_no_runs(title: str, description: str) -> None:
    """Other sports and notes are not runs, even when they share a run's words."""
    assert classify(title, description) is None


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode)))
def test_any_bytes_are_read_or_named_never_raised(data: bytes) -> None:
    """Whatever a runner sends, the reader answers with a calendar or a problem."""
    result = read_calendar(data, FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar | IcsProblem)


_LINES = st.sampled_from(
    [
        "DTSTART:20260324T070000Z",
        "DTSTART;VALUE=DATE:20260325",
        "DTSTART;TZID=Nowhere/Else:20260326T070000",
        "DTSTART:2026",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "RRULE:FREQ=SECONDLY",
        "RRULE:FREQ=DAILY;UNTIL=20200101",
        "EXDATE:20260331T070000Z",
        "SUMMARY:Long run",
        "SUMMARY:Bike",
        "DTEND:20260301T000000Z",
        "X-WR-TIMEZONE:Europe/Berlin",
        "RECURRENCE-ID:20260331T070000Z",
        "BEGIN:VALARM",
        "END:VALARM",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=6), max_size=5))
def test_any_mix_of_event_lines_is_read_or_named_never_raised(events: list[list[str]]) -> None:
    """Events built from real and broken lines never make the reader raise."""
    result = read_calendar(_ics(*("\r\n".join(lines) for lines in events)), FIRST, LAST, BERLIN)
    assert isinstance(result, ImportedCalendar | IcsProblem)
