"""Finding a runner's timezone offline: from a shared location, a city, an IANA name or a UTC offset."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache
from typing import Any

from bot.services.gazetteer import Choose, ManyZones, Place, Places, places
from bot.services.place_index import fold as _fold
from bot.services.zone_names import canonical, iana_names, is_legacy

__all__ = ["Choose", "ManyZones", "Place", "PlaceNotFound", "Places", "canonical", "find_timezone", "places"]

MAX_OFFSET_HOURS = 14  # Kiribati, UTC+14
MAX_WEST_HOURS = 12  # Baker Island, UTC-12


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


class PlaceNotFound(LookupError):
    """No place, zone or offset of that name."""


NOT_PLACES = frozenset({"no", "nope", "nah", "yes", "yeah", "ok", "okay", "none", "skip", "done", "n", "y"})


def find_timezone(text: str) -> str:
    """An IANA name (stored as its canonical name), a UTC offset, a zone abbreviation ("PST"), a city
    ("Berlin", "London UK", "Flagstaff, AZ", "NYC") or a country with one zone ("India").

    Raises ``PlaceNotFound``; ``Choose`` for a name that places in different zones share
    ("Valencia"), or ``ManyZones`` for a country that spans several zones, each with the places to pick.
    """
    text = " ".join(text.split())
    if not text or len(text) > 100:
        raise PlaceNotFound(text)
    folded = _fold(text).strip(" .!")
    if folded in NOT_PLACES:  # "no" typed as an answer is never Norway
        raise PlaceNotFound(text)
    if folded in ABBREVIATIONS:  # before IANA: its "EST" and "MST" never change for summer
        return ABBREVIATIONS[folded]
    name = text.lower().replace(" ", "_")
    iana = iana_names().get(name)
    if iana and ("/" in name or not is_legacy(name_of(name))):  # "Portugal" is the country, asked below
        return iana
    offset = _offset_zone(text)
    if offset:
        return offset
    if folded in NICKNAMES:
        return NICKNAMES[folded]
    gazetteer = places()
    found = gazetteer.city(folded) or gazetteer.country(folded) or iana
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


def name_of(lowered: str) -> str:
    """The IANA name as the database spells it, from its lower-cased form."""
    return _spelled().get(lowered, lowered)


@cache
def _spelled() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def resolve_timezone(text: str) -> str | None:
    """Like ``find_timezone``, with None when no single zone matches."""
    try:
        return find_timezone(text)
    except LookupError:
        return None


def timezone_at(latitude: float, longitude: float) -> str | None:
    """The timezone at a shared location (offline polygon lookup), by its canonical name."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = _finder().timezone_at(lng=longitude, lat=latitude)
    return canonical(str(name)) if name else None


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
