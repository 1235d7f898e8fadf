"""Which mobility routine a day gets, and which of its items spare the areas to avoid.

(A lifting session's exercises are chosen by ``bot.coach.session`` from the exercises' roles.)
"""

from __future__ import annotations

from functools import lru_cache

from bot.coach.library import Exercise, Library, MobilityRoutine
from bot.coach.model import BodyArea

MIN_ROUTINE_ITEMS = 3


def _safe(ex: Exercise, avoid: frozenset[BodyArea]) -> bool:
    return not avoid.intersection(ex.loads)


@lru_cache(maxsize=64)
def focus_turns(library: Library, focus: str) -> int:
    """How many routines take turns on a day of ``focus`` (1 when none has it): the day's routine
    depends on its rotation only modulo this, so a day's routines are cached on few numbers."""
    return sum(1 for r in library.routines if focus in r.focus) or 1


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
