"""Which exercises: by pattern, equipment, level, session length and the areas to spare.

Choices are cached per library and situation, so planning many runners costs a dictionary
look-up per slot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from bot.coach.model import BodyArea, Equipment, Level, Pattern, SessionKind
from bot.content.loader import Library
from bot.content.schema import Exercise, MobilityRoutine, SessionTemplate

MIN_ROUTINE_ITEMS = 3


def template_for(library: Library, kind: SessionKind, minutes: int) -> SessionTemplate:
    """The longest template of that kind that fits the minutes, or the shortest one."""
    templates = sorted((t for t in library.sessions.templates if t.kind is kind), key=lambda t: t.minutes)
    fitting = [t for t in templates if t.minutes <= minutes]
    return fitting[-1] if fitting else templates[0]


def _usable(ex: Exercise, equipment: Equipment, level: Level) -> bool:
    return equipment.offers(ex.equipment) and ex.min_level.rank <= level.rank


def _safe(ex: Exercise, avoid: frozenset[BodyArea]) -> bool:
    return not avoid.intersection(ex.loads)


@lru_cache(maxsize=4096)
def _ranked(library: Library, pattern: Pattern, equipment: Equipment, level: Level) -> tuple[Exercise, ...]:
    """Usable exercises of a pattern, best suited first: most of the runner's kit, then level."""
    usable = [ex for ex in library.by_pattern.get(pattern, ()) if _usable(ex, equipment, level)]
    return tuple(sorted(usable, key=lambda ex: (-ex.equipment.rank, -ex.min_level.rank)))


def _climb(
    library: Library, ex: Exercise, links: int, equipment: Equipment, level: Level, avoid: frozenset[BodyArea]
) -> Exercise:
    """Follow the progression chain up to ``links`` times while the next one is usable and safe."""
    for _ in range(links):
        if ex.progression is None:
            break
        nxt = library.exercises[ex.progression]
        if not (_usable(nxt, equipment, level) and _safe(nxt, avoid)):
            break
        ex = nxt
    return ex


@lru_cache(maxsize=65536)
def pick(
    library: Library,
    pattern: Pattern,
    equipment: Equipment,
    level: Level,
    avoid: frozenset[BodyArea],
    variation: int,
    rotation: int,
    exclude: frozenset[str],
) -> Exercise | None:
    """The exercise for one slot of a session, or None if the pattern has nothing safe.

    The best-suited exercise is taken (rotating among equally suited ones from session to
    session); if it loads an area to spare, its regressions are tried first, then any other
    safe exercise of the pattern.
    """
    ranked = [ex for ex in _ranked(library, pattern, equipment, level) if ex.id not in exclude]
    if not ranked:
        return None
    top_key = (ranked[0].equipment.rank, ranked[0].min_level.rank)
    top = [ex for ex in ranked if (ex.equipment.rank, ex.min_level.rank) == top_key]
    first = top[rotation % len(top)]
    if not _safe(first, avoid):
        regression = first.regression
        first_safe: Exercise | None = None
        while regression is not None:
            candidate = library.exercises[regression]
            if _usable(candidate, equipment, level) and _safe(candidate, avoid) and candidate.id not in exclude:
                first_safe = candidate
                break
            regression = candidate.regression
        if first_safe is None:
            first_safe = next((ex for ex in ranked if _safe(ex, avoid)), None)
        if first_safe is None:
            return None
        first = first_safe
    chosen = _climb(library, first, variation, equipment, level, avoid)
    return first if chosen.id in exclude else chosen


def choose_exercises(
    library: Library,
    patterns: Sequence[Pattern],
    count: int,
    *,
    equipment: Equipment,
    level: Level,
    avoid: frozenset[BodyArea],
    variation: int,
    rotation: int,
) -> tuple[list[Exercise], bool]:
    """Fill a session's pattern slots in order; a slot with nothing safe is filled from spare patterns.

    Also says whether any exercise is a harder variation than the runner's first one (so a
    ladder rung that found nothing harder can be told apart).
    """
    chosen: list[Exercise] = []
    used: set[str] = set()
    climbed = False
    spares = list(library.sessions.spare_patterns)
    queue = list(patterns)
    while queue and len(chosen) < count:
        pattern = queue.pop(0)
        ex = pick(library, pattern, equipment, level, avoid, variation, rotation, frozenset(used))
        while ex is None and spares:
            pattern = spares.pop(0)
            ex = pick(library, pattern, equipment, level, avoid, variation, rotation, frozenset(used))
        if ex is not None:
            if variation and ex != pick(library, pattern, equipment, level, avoid, 0, rotation, frozenset(used)):
                climbed = True
            chosen.append(ex)
            used.add(ex.id)
    return chosen, climbed


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
