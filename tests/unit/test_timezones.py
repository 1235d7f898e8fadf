"""Finding the runner's timezone offline, and turning local wall times into instants across DST."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services.timezones import ManyZones, PlaceNotFound, find_timezone, resolve_timezone, timezone_at, zone

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Berlin", "Europe/Berlin"),
        ("  berlin ", "Europe/Berlin"),
        ("München", "Europe/Berlin"),
        ("Zürich", "Europe/Zurich"),
        ("zurich", "Europe/Zurich"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("Kraków", "Europe/Warsaw"),
        ("New York", "America/New_York"),
        ("Paris, France", "Europe/Paris"),
        ("Mumbai", "Asia/Kolkata"),
    ],
)
def test_cities_with_or_without_accents(text: str, name: str) -> None:
    """A city name, with or without its accents and in any case, gives the city's timezone."""
    assert resolve_timezone(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("UTC", "UTC"),
    ],
)
def test_iana_names_in_any_case(text: str, name: str) -> None:
    """An IANA zone name is found whatever its case, and with a space for the underscore."""
    assert resolve_timezone(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("UTC+2", "UTC+02:00"),
        ("utc +1", "UTC+01:00"),
        ("GMT-5", "UTC-05:00"),
        ("+05:30", "UTC+05:30"),
        ("UTC+5:30", "UTC+05:30"),
        ("+0530", "UTC+05:30"),
        ("UTC+5:45", "UTC+05:45"),
        ("UTC+14", "UTC+14:00"),
        ("-3", "UTC-03:00"),
    ],
)
def test_utc_offsets(text: str, name: str) -> None:
    """A UTC offset, in hours or hours and minutes, becomes a fixed-offset zone."""
    assert resolve_timezone(text) == name


@pytest.mark.parametrize("text", ["UTC+15", "UTC+99", "UTC+2:10", "GMT+1:07", "+123"])
def test_offsets_that_no_place_uses_are_refused(text: str) -> None:
    """Offsets beyond ±14 hours, or with minutes other than 00, 15, 30 or 45, are not timezones."""
    assert resolve_timezone(text) is None


@pytest.mark.parametrize("text", ["Narnia", "Xyzzyville", "Mars/Olympus_Mons", "hello", "🌍", "", "   ", "x" * 101])
def test_unknown_text_finds_nothing(text: str) -> None:
    """Text that names no city, zone or offset gives no timezone."""
    assert resolve_timezone(text) is None


@pytest.mark.parametrize("text", ["abc", "yes", "done", "UTC-13", "UTC+15"])
def test_everyday_words_are_not_taken_for_cities(text: str) -> None:
    """Short everyday words are not silently read as some city's timezone."""
    assert resolve_timezone(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("NYC", "America/New_York"),
        ("LA", "America/Los_Angeles"),
        ("London UK", "Europe/London"),
        ("london, england", "Europe/London"),
        ("Paris France", "Europe/Paris"),
        ("India", "Asia/Kolkata"),  # a country with one time zone
        ("Germany", "Europe/Berlin"),
        ("PST", "America/Los_Angeles"),
        ("cet", "Europe/Berlin"),
        ("EST", "America/New_York"),  # not IANA's "EST", which has no summer time
        ("IST", "Asia/Kolkata"),
        ("Tübingen Germany", "Europe/Berlin"),  # a smaller town, with its country
        ("Flagstaff, AZ", "America/Phoenix"),  # a US town, with its state
    ],
)
def test_places_as_people_type_them(text: str, name: str) -> None:
    """Nicknames, a city with its country, a one-zone country and zone abbreviations all find the zone."""
    assert find_timezone(text) == name


@pytest.mark.parametrize("text", ["Atlantis", "Tübingen", "London Narnia"])
def test_a_lone_small_town_or_unknown_place_finds_nothing(text: str) -> None:
    """A name only a small far-away town carries ("Atlantis") finds nothing rather than that town's zone."""
    with pytest.raises(PlaceNotFound):
        find_timezone(text)


@pytest.mark.parametrize(("text", "country"), [("USA", "United States"), ("Australia", "Australia")])
def test_a_country_with_several_zones_asks_for_a_city(text: str, country: str) -> None:
    """A country spanning several zones is named back, so the runner can give a city instead."""
    with pytest.raises(ManyZones) as raised:
        find_timezone(text)
    assert raised.value.country == country


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (40.7128, -74.006, "America/New_York"),
        (-33.87, 151.21, "Australia/Sydney"),
        (0.0, -30.0, "Etc/GMT+2"),  # the open Atlantic: a nautical zone
        (91.0, 0.0, None),
        (0.0, 181.0, None),
    ],
)
def test_timezone_at_a_shared_location(lat: float, lon: float, name: str | None) -> None:
    """A shared location gives the timezone there; coordinates off the globe give none."""
    assert timezone_at(lat, lon) == name


def test_fixed_offsets_are_zones_too() -> None:
    """A stored fixed offset like UTC+05:30 is a zone with that offset all year."""
    india = zone("UTC+05:30")
    for month in (1, 7):
        assert dt.datetime(2027, month, 1, 7, 0, tzinfo=india).astimezone(UTC).time() == dt.time(1, 30)
    assert dt.datetime(2027, 1, 1, 7, 0, tzinfo=zone("UTC-03:00")).astimezone(UTC).time() == dt.time(10, 0)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (dt.date(2026, 12, 1), 6),  # winter, CET
        (dt.date(2027, 7, 1), 5),  # summer, CEST
        (dt.date(2027, 3, 27), 6),  # the day before the clocks go forward
        (dt.date(2027, 3, 28), 5),  # spring-forward day: 02:00 became 03:00, 07:00 is CEST
        (dt.date(2027, 10, 30), 5),  # the day before the clocks go back
        (dt.date(2027, 10, 31), 6),  # fall-back day: 07:00 is CET again
    ],
)
def test_seven_in_the_morning_in_berlin_across_dst(day: dt.date, utc_hour: int) -> None:
    """07:00 in Berlin is 06:00 UTC in winter and 05:00 UTC in summer, switching on the DST days."""
    local = dt.datetime.combine(day, dt.time(7, 0), tzinfo=zone("Europe/Berlin"))
    assert local.astimezone(UTC) == dt.datetime.combine(day, dt.time(utc_hour, 0), tzinfo=UTC)


def test_the_spring_forward_day_is_23_hours_long() -> None:
    """On 28 March 2027 Berlin's day lasts 23 hours, and 02:30 does not exist (it reads as 03:30 CEST)."""
    berlin = zone("Europe/Berlin")
    start = dt.datetime(2027, 3, 28, 0, 0, tzinfo=berlin)
    end = dt.datetime(2027, 3, 29, 0, 0, tzinfo=berlin)
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=23)
    gap = dt.datetime(2027, 3, 28, 2, 30, tzinfo=berlin).astimezone(UTC)
    assert gap == dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert gap.astimezone(berlin).time() == dt.time(3, 30)
