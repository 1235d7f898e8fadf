"""Which exercises: by pattern, equipment, level, session length and the areas to spare.

Choices are cached per library and situation, so planning many runners costs a dictionary
look-up per slot.
"""

from __future__ import annotations

import math
from functools import lru_cache

from bot.coach.library import Exercise, Library, MobilityRoutine
from bot.coach.model import BodyArea, Kit, Level, Pattern, kit_offers

MIN_ROUTINE_ITEMS = 3


def _usable(ex: Exercise, equipment: Kit, level: Level) -> bool:
    return kit_offers(equipment, ex.equipment) and ex.min_level.rank <= level.rank


LEGS = frozenset({BodyArea.KNEE, BodyArea.HIP, BodyArea.ANKLE, BodyArea.SHIN, BodyArea.FOOT, BodyArea.HAMSTRING})


def _safe(ex: Exercise, avoid: frozenset[BodyArea]) -> bool:
    return not avoid.intersection(ex.loads)


@lru_cache(maxsize=4096)
def _ranked(library: Library, pattern: Pattern, equipment: Kit, level: Level) -> tuple[Exercise, ...]:
    """Usable exercises of a pattern, best suited first: most of the runner's kit, then level.

    Gentle forms are left out: they are for niggles only.
    """
    usable = [ex for ex in library.by_pattern.get(pattern, ()) if _usable(ex, equipment, level) and not ex.gentle]
    return tuple(sorted(usable, key=lambda ex: (-ex.equipment.rank, -ex.min_level.rank, ex.id)))


def _climb(
    library: Library, ex: Exercise, links: int, equipment: Kit, level: Level, avoid: frozenset[BodyArea]
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


def top_tier(library: Library, pattern: Pattern, equipment: Kit, level: Level) -> tuple[Exercise, ...]:
    """The exercises a pattern rotates through: those using most of the runner's kit, without the
    easier step of another one for a lifter past `new`."""
    ranked = _ranked(library, pattern, equipment, level)
    if not ranked:
        return ()
    top = ranked[0].equipment.rank
    tier = [ex for ex in ranked if ex.equipment.rank == top]
    if level is Level.NEW:
        return tuple(tier)
    # a lifter past `new` skips the easier steps meant for a lower level (a sit-to-stand beside a squat)
    ids = {ex.id for ex in tier}
    easier = {ex.id for ex in tier if ex.progression in ids and ex.min_level.rank < level.rank}
    return tuple(ex for ex in tier if ex.id not in easier) or tuple(tier)


@lru_cache(maxsize=65536)
def pick(
    library: Library,
    pattern: Pattern,
    equipment: Kit,
    level: Level,
    avoid: frozenset[BodyArea],
    variation: int,
    rotation: int,
    exclude: frozenset[str],
    niggles: frozenset[BodyArea] = frozenset(),
    high_impact: bool = True,
    easier: frozenset[BodyArea] = frozenset(),
) -> Exercise | None:
    """The exercise for one slot of a session, or None if the pattern has nothing safe.

    ``exclude`` holds the slots the session already fills. The best-suited exercises rotate
    with ``rotation`` (a new block, another session of the week). ``avoid`` are areas that
    must not be loaded at all (pain, red flags); ``niggles`` may be loaded only in a gentle
    form: an exercise loading one is replaced by its gentle form (so the area is still
    trained, gently), else by another exercise of the pattern that spares it, else by any
    gentle exercise of the pattern; ``easier`` are niggles a rung up, loaded by the easier
    step of the usual exercise. Jumps are never a gentle form, and a resting leg area (pain, a
    red flag) stops every jump, since landing loads the whole leg.
    """
    if pattern is Pattern.POWER and avoid & LEGS:
        return None
    ranked = [
        ex
        for ex in _ranked(library, pattern, equipment, level)
        if ex.slot_key not in exclude and (high_impact or not ex.high_impact)
    ]
    if not ranked:
        return None
    strict = avoid | niggles | easier
    tier = [ex for ex in top_tier(library, pattern, equipment, level) if ex in ranked] or ranked[:1]
    first = tier[rotation % len(tier)]
    if _safe(first, strict):
        chosen = _climb(library, first, variation, equipment, level, strict)
        return first if chosen.slot_key in exclude else chosen
    if _safe(first, avoid | niggles):
        # a niggle a rung up from its gentle form: the easier step of the usual exercise, else the
        # usual exercise itself (dosed at a lower effort under the pain rule)
        step = library.exercises[first.regression] if first.regression else None
        usable = step is not None and _usable(step, equipment, level) and step.slot_key not in exclude
        if step is not None and usable and _safe(step, avoid | niggles):
            return step
        return first
    # the area is a niggle: its gentle form first, if the runner can do it and it spares the rest
    if first.gentle_form is not None:
        gentle = library.exercises[first.gentle_form]
        if _usable(gentle, equipment, level) and _safe(gentle, avoid) and gentle.slot_key not in exclude:
            return gentle
    safe = next((ex for ex in ranked if _safe(ex, strict)), None)
    if safe is not None:
        return _climb(library, safe, variation, equipment, level, strict)
    return next(
        (
            ex
            for ex in library.by_pattern.get(pattern, ())
            if ex.gentle and _usable(ex, equipment, level) and _safe(ex, avoid) and ex.slot_key not in exclude
        ),
        None,
    )


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
