"""Finding the runner's timezone offline, and turning local wall times into instants across DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.services.timezones import (
    ABBREVIATIONS,
    NICKNAMES,
    Choose,
    ManyZones,
    Place,
    PlaceNotFound,
    find_timezone,
    places,
    resolve_timezone,
    timezone_at,
    zone,
)
from bot.services.zone_names import canonical

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


def test_every_zone_the_finder_can_store_opens_for_scheduling() -> None:
    """Each zone a runner's answer can be stored as (any city's, a one-zone country's, an abbreviation's or
    a nickname's) opens as a timezone, so their prompts can be scheduled."""
    stored = {city.zone for cities in places().zones.values() for city in cities}
    stored |= set(ABBREVIATIONS.values()) | set(NICKNAMES.values())
    unopenable = []
    for name in sorted(stored):
        try:
            zone(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            unopenable.append(name)
    assert len(stored) > 300 and unopenable == []
    assert [name for name in sorted(stored) if canonical(name) != name] == []


@given(
    sign=st.sampled_from("+-"),
    hours=st.integers(0, 14),
    minutes=st.sampled_from([0, 15, 30, 45]),
    style=st.sampled_from(["UTC{sign}{h}:{m:02d}", "gmt {sign}{h:02d}{m:02d}", "{sign}{h}:{m:02d}"]),
)
def test_a_typed_offset_is_stored_as_a_zone_with_that_offset(sign: str, hours: int, minutes: int, style: str) -> None:
    """An offset typed in any accepted style is stored as a name that opens with exactly that offset."""
    limit = 14 if sign == "+" else 12
    assume(hours < limit or (hours == limit and minutes == 0))  # no place is further from UTC
    name = resolve_timezone(style.format(sign=sign, h=hours, m=minutes))
    assert name is not None
    offset = dt.timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
    assert zone(name).utcoffset(None) == offset
    assert dt.datetime(2027, 7, 1, 12, 0, tzinfo=zone(name)).utcoffset() == offset  # all year, no DST


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Porto", "Europe/Lisbon"),  # a place's own name before Bordeaux's alternate name "Porto"
        ("Porto Portugal", "Europe/Lisbon"),
        ("Valencia, Spain", "Europe/Madrid"),
        ("Valencia Venezuela", "America/Caracas"),
        ("Venice Italy", "Europe/Rome"),
        ("Venice, FL", "America/New_York"),
        ("London", "Europe/London"),  # London, Ontario is twenty times smaller: no question
        ("Oslo NO", "Europe/Oslo"),  # a two-letter country code counts after a city
        ("Norway", "Europe/Oslo"),
        ("Japan", "Asia/Tokyo"),  # a legacy zone name that is a one-zone country
    ],
)
def test_issue_19_places_resolve_to_their_own_zone(text: str, name: str) -> None:
    """The places issue 19 found wrong, and their neighbours, resolve to the zone where they are."""
    assert find_timezone(text) == name


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("Valencia", [("Valencia, Venezuela", "America/Caracas"), ("Valencia, Spain", "Europe/Madrid")]),
        (
            "Venice",
            [
                ("Venice, Italy", "Europe/Rome"),
                ("Venice, CA, United States", "America/Los_Angeles"),
                ("Venice, FL, United States", "America/New_York"),
            ],
        ),
        ("cambridge", [("Cambridge, United Kingdom", "Europe/London"), ("Cambridge, Canada", "America/Toronto")]),
    ],
)
def test_a_name_shared_across_zones_is_asked(text: str, offered: list[tuple[str, str]]) -> None:
    """A name that places of like size share in different zones is not guessed: each zone's largest
    namesake is offered, largest first."""
    with pytest.raises(Choose) as raised:
        find_timezone(text)
    assert [(p.name, p.zone) for p in raised.value.places][: len(offered)] == offered


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        ("Portugal", ["Europe/Lisbon", "Atlantic/Azores"]),  # Madeira keeps Lisbon's clock: counted once
        ("Spain", ["Europe/Madrid", "Atlantic/Canary"]),  # Ceuta keeps Madrid's clock
        ("USA", ["America/New_York", "America/Los_Angeles", "America/Chicago"]),
    ],
)
def test_a_country_with_several_zones_offers_them(text: str, zones: list[str]) -> None:
    """A country with several clocks offers each (named by its main city), never a legacy zone name."""
    with pytest.raises(ManyZones) as raised:
        find_timezone(text)
    offered = raised.value.places
    assert [p.zone for p in offered][: len(zones)] == zones
    assert all(isinstance(p, Place) and p.name.endswith(("Portugal", "Spain", "United States")) for p in offered)
    assert 1 < len(offered) <= 6


@pytest.mark.parametrize("text", ["no", "No", "NO.", "nope", "yes", "ok", "n"])
def test_a_plain_answer_word_is_never_a_zone(text: str) -> None:
    """ "no" typed at the timezone question is not Norway, nor any other place."""
    with pytest.raises(PlaceNotFound):
        find_timezone(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("america/buenos_aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("GB", "Europe/London"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),  # a zone people live in, though the database links it
    ],
)
def test_legacy_zone_names_are_stored_canonical(text: str, name: str) -> None:
    """A legacy or alias zone name is read as the canonical IANA zone it stands for."""
    assert find_timezone(text) == name


def test_every_answer_is_a_canonical_zone() -> None:
    """Whatever IANA name is typed, what is stored is a canonical name that opens as a zone."""
    for typed in sorted(zoneinfo.available_timezones()):
        try:
            name = find_timezone(typed)
        except LookupError:
            continue
        assert canonical(name) == name, typed
        zone(name)
