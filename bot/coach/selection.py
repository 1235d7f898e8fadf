"""Which mobility routine a day gets, and which of its items spare the areas to avoid.

(A lifting session's exercises are chosen by ``bot.coach.session`` from the exercises' roles.)
"""

from __future__ import annotations

import math
from functools import lru_cache

from bot.coach.library import Exercise, Library, MobilityRoutine
from bot.coach.model import BodyArea

MIN_ROUTINE_ITEMS = 3


def _safe(ex: Exercise, avoid: frozenset[BodyArea]) -> bool:
    return not avoid.intersection(ex.loads)


@lru_cache(maxsize=64)
def rotation_period(library: Library) -> int:
    """Routines rotate day by day within a focus; after this many days every rotation repeats."""
    counts = [sum(1 for r in library.routines if focus in r.focus) for r in library.routines for focus in r.focus]
    return math.lcm(*counts) if counts else 1


def choose_routine(
    library: Library, focus: str, avoid: frozenset[BodyArea], rotation: int
) -> tuple[MobilityRoutine, tuple[int, ...]]:
    """A mobility routine for the day's focus and the indices of its items that are safe.

    Routines with the day's focus come first (rotating day by day), then the others; the
    first one that keeps at least three safe items wins, else the one that keeps the most.
    """
    with_focus = [r for r in library.routines if focus in r.focus]
    others = [r for r in library.routines if focus not in r.focus]
    if with_focus:
        shift = rotation % len(with_focus)
        with_focus = with_focus[shift:] + with_focus[:shift]
    best: tuple[MobilityRoutine, tuple[int, ...]] | None = None
    for routine in with_focus + others:
        keep = tuple(i for i, item in enumerate(routine.items) if _safe(library.exercises[item.exercise], avoid))
        if len(keep) >= MIN_ROUTINE_ITEMS:
            return routine, keep
        if best is None or len(keep) > len(best[1]):
            best = (routine, keep)
    assert best is not None, "the library has no mobility routines"
    return best
