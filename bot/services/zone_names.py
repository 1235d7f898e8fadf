"""Canonical IANA zone names: a legacy or alias name ("Portugal", "US/Eastern", "Asia/Calcutta",
"Europe/Kiev") read as the zone it links to, so only canonical names are stored and shown.

Offline and from the tz database itself: the ``tzdata`` package's ``zone.tab`` and ``zone1970.tab``
list the zones people live in (canonical, including those the database now keeps as links, like
Europe/Amsterdam), and its ``tzdata.zi`` names every link's target.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from importlib import resources


def _tz_file(name: str) -> str:
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@cache
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    listed = {"UTC"}
    for table in ("zone.tab", "zone1970.tab"):
        for line in _tz_file(table).splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) >= 3:
                listed.add(fields[2])
    links: dict[str, str] = {}
    for line in _tz_file("tzdata.zi").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":
            links[fields[2]] = fields[1]
    return frozenset(listed), links


def canonical(name: str) -> str:
    """The canonical name of an IANA zone (itself when it is canonical, or not a zone at all)."""
    listed, links = _tables()
    seen = {name}
    while name not in listed and name in links and links[name] not in seen:
        name = links[name]
        seen.add(name)
    return name


def is_legacy(name: str) -> bool:
    """A name the tz database keeps only for old systems: a link to another zone."""
    return canonical(name) != name


@cache
def iana_names() -> dict[str, str]:
    """Every IANA name, lower-cased, to its canonical name."""
    return {name.lower(): canonical(name) for name in zoneinfo.available_timezones()}
