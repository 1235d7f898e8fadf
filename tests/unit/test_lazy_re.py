"""Patterns compiled on first use behave as compiled ones (bot.coach.lazy_re)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest

import bot.coach
from bot.coach import lazy_re
from bot.coach.lazy_re import LazyPattern

PATTERNS = [
    (r"\b(\d+)\s*(km|mi)\b", 0),
    (r"(?P<day>mon|tue|wed)(?:day)?", re.IGNORECASE),
    (r"^run", re.MULTILINE),
    (r"\s+", 0),
    (r"x*", 0),
]
TEXTS = ["ran 5 km and 3 mi", "MONDAY and wed", "rest\nrun\nrun", "  two  spaces ", "", "xx"]


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_a_lazy_pattern_answers_as_the_compiled_one(source: str, flags: int) -> None:
    lazy, compiled = lazy_re.compile(source, flags), re.compile(source, flags)
    assert lazy.pattern == compiled.pattern
    for text in TEXTS:
        for pos, endpos in [(0, len(text)), (1, len(text)), (0, max(len(text) - 2, 0))]:
            for method in ("search", "match", "fullmatch"):
                mine, theirs = getattr(lazy, method)(text, pos, endpos), getattr(compiled, method)(text, pos, endpos)
                assert (mine and (mine.span(), mine.groups())) == (theirs and (theirs.span(), theirs.groups()))
            assert [m.span() for m in lazy.finditer(text, pos, endpos)] == [
                m.span() for m in compiled.finditer(text, pos, endpos)
            ]
            assert lazy.findall(text, pos, endpos) == compiled.findall(text, pos, endpos)
        assert lazy.sub("-", text) == compiled.sub("-", text)
        assert lazy.sub(lambda m: m.group(0).upper(), text, 1) == compiled.sub(lambda m: m.group(0).upper(), text, 1)
        assert lazy.subn("", text) == compiled.subn("", text)
        assert lazy.split(text, 1) == compiled.split(text, 1)
    assert (lazy.flags, lazy.groups, dict(lazy.groupindex)) == (compiled.flags, compiled.groups, compiled.groupindex)


def test_a_broken_pattern_raises_res_own_error_when_first_used() -> None:
    broken = lazy_re.compile(r"(unclosed")
    assert broken.pattern == "(unclosed"  # reading the source compiles nothing
    with pytest.raises(re.error):
        broken.search("text")


def _lazy_patterns(value: object) -> Iterator[LazyPattern]:
    if isinstance(value, LazyPattern):
        yield value
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _lazy_patterns(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _lazy_patterns(item)


def test_every_pattern_of_the_free_text_readers_compiles() -> None:
    """A mistake in a pattern no longer stops the import: this finds it instead, in every module of the core."""
    found = 0
    for module in pkgutil.walk_packages(bot.coach.__path__, "bot.coach."):
        for value in vars(importlib.import_module(module.name)).values():
            for pattern in _lazy_patterns(value):
                assert isinstance(pattern.compiled, re.Pattern), pattern
                found += 1
    assert found > 90
