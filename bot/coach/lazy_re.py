"""Regular expressions compiled on first use instead of at import.

The free-text readers (red flags, details, dates, calendar words, intent rules, onboarding answers)
define about a hundred patterns at module level, some of them long alternations; compiling them
all at import cost every process a noticeable part of its start, though most processes (and every
start-up until a runner types something) use few or none of them. ``compile`` here returns a
:class:`LazyPattern`, which compiles with ``re.compile`` the first time it matches anything and
from then on hands each call to the compiled pattern: the same results, the same errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn")


class LazyPattern:
    """A ``re.Pattern[str]`` compiled on first use; the methods and attributes the bot uses of one.

    Each method is an attribute: until the first call, one that compiles the pattern; from then on
    the compiled pattern's own bound method, so a match costs what it costs on a compiled pattern
    (the readers run a few dozen per message), with no call of ours in between.
    """

    __slots__ = ("_compiled", "_flags", "pattern", *_METHODS)

    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    split: Callable[..., list[str | Any]]
    sub: Callable[..., str]
    subn: Callable[..., tuple[str, int]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern  # the source, as re.Pattern.pattern (no compiling needed)
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        for name in _METHODS:
            setattr(self, name, partial(self._first_call, name))

    def _first_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.compiled, method)(*args, **kwargs)

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = re.compile(self.pattern, self._flags)  # a broken pattern raises here, each call
            for name in _METHODS:
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return self._compiled

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def __repr__(self) -> str:
        return f"lazy_re.compile({self.pattern!r}, {self._flags!r})"


def compile(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return LazyPattern(pattern, flags)
