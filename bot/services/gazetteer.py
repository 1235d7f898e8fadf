"""The offline gazetteer behind the timezone question: city names (and their alternate names) and
countries, folded for lookup, and the rule for when a name is too ambiguous to take on its own.

A name is taken when its largest place outweighs every namesake in another zone tenfold ("London",
not London, Ontario); otherwise the runner is asked to pick ("Valencia": Venezuela or Spain). A
place's own name counts before an alternate name of another place ("Porto" is Porto, not Bordeaux).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import cache

from bot.services.place_index import INDEX_FILE, City, PlaceIndex, country_keys, fold

MIN_LONE_POPULATION = 100_000  # a smaller town counts only with its country ("Tübingen Germany")
DOMINANCE = 10  # the largest namesake is taken when it outweighs every namesake in another zone this much
MAX_CHOICES = 6  # buttons offered for one name or one country

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


@dataclass(frozen=True)
class Place:
    """One answer to offer: a place's name as shown ("Valencia, Spain") and its zone."""

    name: str
    zone: str


class Choose(LookupError):
    """Several places of that name lie in different zones: the runner picks one."""

    def __init__(self, places: tuple[Place, ...]) -> None:
        super().__init__(", ".join(p.name for p in places))
        self.places = places


class ManyZones(Choose):
    """A country that spans several time zones: the runner picks one of its zones (or names a city)."""

    def __init__(self, country: str, places: tuple[Place, ...] = ()) -> None:
        super().__init__(places)
        self.country = country


def _offsets(name: str) -> tuple[dt.timedelta | None, ...]:
    """A zone's offsets through a year: zones that agree on them (Madrid, Ceuta) are one to a runner."""
    tz = zoneinfo.ZoneInfo(name)
    return tuple(dt.datetime(2026, m, 15, 12, tzinfo=tz).utcoffset() for m in (1, 4, 7, 10))


class Places:
    """City names (own and alternate) and countries, folded for lookup."""

    def __init__(self, index: PlaceIndex) -> None:
        self.country_names = {c.iso: c.name for c in index.countries}
        self.countries = country_keys(index.countries, COUNTRY_NICKNAMES)  # a lone two-letter code is "no"
        self.codes = {fold(c.iso): c.iso for c in index.countries}  # only after a city ("Oslo NO")
        self.cities = index.named  # folded name -> its cities, own names first, then the largest first
        largest: dict[tuple[str, str], City] = {}  # (country, zone) -> its largest city
        for city in index.cities():
            key = (city.country, city.zone)
            if key not in largest or largest[key].population < city.population:
                largest[key] = city
        self.zones: dict[str, list[City]] = {}  # ISO-2 -> the largest city of each of its zones, largest first
        for (iso, _), city in largest.items():
            self.zones.setdefault(iso, []).append(city)
        for cities in self.zones.values():
            cities.sort(key=lambda e: e.population, reverse=True)

    def label(self, city: City) -> str:
        country = self.country_names.get(city.country, city.country)
        if city.country == "US" and city.admin1:
            return f"{city.name}, {city.admin1}, {country}"
        return f"{city.name}, {country}"

    def _choices(self, cities: list[City]) -> tuple[Place, ...]:
        """One place per zone (the largest), zones that keep the same clock counted once."""
        seen: set[tuple[dt.timedelta | None, ...]] = set()
        places = []
        for city in cities:
            offsets = _offsets(city.zone)
            if offsets not in seen:
                seen.add(offsets)
                places.append(Place(self.label(city), city.zone))
        return tuple(places[:MAX_CHOICES])

    def city(self, name: str, within: str | None = None) -> str | None:
        """The zone of the city called ``name`` (in the country or US state ``within``); ``Choose`` when
        namesakes of like size lie in different zones."""
        entries = self.cities(fold(name))
        if within is not None:
            where = fold(within)
            country = self.countries.get(where) or self.codes.get(where)
            matching = [e for e in entries if e.country == country or (e.country == "US" and e.admin1.lower() == where)]
            return matching[0].zone if matching else None
        own = [e for e in entries if e.own_name]
        pool = own or entries
        if not pool:
            return None
        top = pool[0]
        rivals = [e for e in pool if e.population * DOMINANCE >= top.population]
        choices = self._choices(rivals)
        if len(choices) > 1:
            raise Choose(choices)
        return top.zone if top.population >= MIN_LONE_POPULATION else None

    def country(self, name: str) -> str | None:
        """The one timezone of a country; ``ManyZones`` (with its zones to pick) when it spans several."""
        iso = self.countries.get(fold(name))
        if iso is None or iso not in self.zones:
            return None
        choices = self._choices(self.zones[iso])
        if len(choices) > 1:
            raise ManyZones(self.country_names.get(iso, name), choices)
        return self.zones[iso][0].zone


@cache
def places() -> Places:
    """The gazetteer, read once from the shipped index when a runner first types a place (about 0.1 s
    and 12 MiB); onboarding reads a typed place in a worker thread."""
    from bot.resources import CONTENT_DIR

    return Places(PlaceIndex.load(CONTENT_DIR / INDEX_FILE))
