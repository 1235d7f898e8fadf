"""The candidates of each slot of a lifting session, computed once per (library, slot, kit, level,
...) rather than per session: choosing reads them for every turn of the 12-session rotation and
every runner with the same kit and level, so filtering and sorting the whole library each time was
most of a cold session's cost (issue 22)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from bot.coach.library import Exercise, Library
from bot.coach.model import Equipment, Kit, Level, Pattern, Role, kit_offers

SINGLE_LEG_HINGE = "single_leg_hinge"


def usable(ex: Exercise, equipment: Kit, level: Level) -> bool:
    return kit_offers(equipment, ex.equipment) and ex.min_level.rank <= level.rank


def _hinge_like(ex: Exercise) -> bool:
    return ex.pattern is Pattern.HINGE or ex.slot == SINGLE_LEG_HINGE


def _in_slot(ex: Exercise, slot: str) -> bool:
    role = ex.role
    if slot in ("main_squat", "main_hinge"):
        pattern = Pattern.SQUAT if slot == "main_squat" else Pattern.HINGE
        return role in (Role.MAIN, Role.BILATERAL) and ex.pattern is pattern
    if slot in ("uni_squat", "uni_hinge"):
        return role is Role.UNILATERAL and _hinge_like(ex) == (slot == "uni_hinge")
    if slot == "calf":
        return role is Role.CALF
    if slot == "core":
        return role in (Role.CORE, Role.CARRY)
    if slot == "accessory":
        return role in (Role.ACCESSORY, Role.UPPER)
    return False


@lru_cache(maxsize=64)
def _slot_members(library: Library, slot: str) -> tuple[Exercise, ...]:
    """The library's exercises that may fill a slot, for any kit and level (the library is read once
    per slot, not once per kit and level); strength tests and gentle holds left out."""
    return tuple(
        ex
        for ex in library.exercises.values()
        if _in_slot(ex, slot) and not ex.strength_test and (not ex.gentle or slot in ("accessory", "core"))
    )


@lru_cache(maxsize=4096)
def slot_pool(library: Library, slot: str, equipment: Kit, level: Level) -> tuple[Exercise, ...]:
    """Every usable exercise of a slot, best suited first: `main` before other bilateral lifts, then
    most of the runner's kit, then the highest level; strength tests and gentle holds left out."""
    found = [ex for ex in _slot_members(library, slot) if usable(ex, equipment, level)]
    return tuple(
        sorted(found, key=lambda ex: (ex.role is not Role.MAIN, -ex.equipment.rank, -ex.min_level.rank, ex.id))
    )


@lru_cache(maxsize=4096)
def slot_tier(library: Library, slot: str, equipment: Kit, level: Level, spread: bool) -> tuple[Exercise, ...]:
    """The default choices a slot rotates through: not niggle-only; for the lifts, those using most of
    the kit, without the easier step of another one for a lifter past `new`."""
    ranked = [ex for ex in slot_pool(library, slot, equipment, level) if not ex.niggle_only]
    if not ranked:
        return ()
    if not spread:
        first = ranked[0]
        same_role = slot.startswith("main")  # a `main` lift before any other bilateral one
        ranked = [
            ex
            for ex in ranked
            if ex.equipment.rank == first.equipment.rank and (not same_role or ex.role is first.role)
        ]
    if level is Level.NEW or slot == "calf":  # D3: single-leg or loaded raises rotate
        return tuple(ranked)
    ids = {ex.id for ex in ranked}
    easier = {ex.id for ex in ranked if ex.progression in ids and ex.min_level.rank < level.rank}
    return tuple(ex for ex in ranked if ex.id not in easier) or tuple(ranked)


def allowed_always(ex: Exercise, eccentric: bool, ankle: bool) -> bool:
    """``Picker.allowed`` before what the session has used: no eccentric-heavy exercise before its
    first week (D4); with an ankle flagged, calf work only from a flat floor (N6)."""
    if ex.eccentric and not eccentric:
        return False
    return not (ankle and ex.role is Role.CALF and not ex.flat_floor)


@lru_cache(maxsize=4096)
def ready(
    library: Library,
    slot: str,
    equipment: Kit,
    level: Level,
    spread: bool,
    keep: tuple[str | None, ...],
    eccentric: bool,
    ankle: bool,
) -> tuple[tuple[Exercise, ...], frozenset[str]]:
    """``Picker.default``'s candidates, in order, for a session that has used none of the exercises
    it looked at (the second value, their ids): then the turn only picks one. ``eccentric`` is
    whether the week allows eccentric-heavy work, ``ankle`` whether an ankle is flagged."""
    seen: set[str] = set()

    def allowed(ex: Exercise) -> bool:
        seen.add(ex.id)
        return allowed_always(ex, eccentric, ankle)

    tier = candidates(library, slot, equipment, level, spread, keep, eccentric, allowed)
    return tier, frozenset(seen)


def _swap_eccentric(library: Library, ex: Exercise, eccentric: bool) -> Exercise:
    if ex.eccentric and not eccentric and ex.eccentric_form:
        return library.exercises[ex.eccentric_form]
    return ex


@lru_cache(maxsize=4096)
def pool_ids(library: Library, slot: str, equipment: Kit, level: Level) -> frozenset[str]:
    """The ids of ``_pool``'s exercises (a climb asks whether the next step is among them)."""
    return frozenset(ex.id for ex in slot_pool(library, slot, equipment, level))


def candidates(
    library: Library,
    slot: str,
    equipment: Kit,
    level: Level,
    spread: bool,
    keep: tuple[str | None, ...],
    eccentric: bool,
    allowed: Callable[[Exercise], bool],
) -> tuple[Exercise, ...]:
    """A slot's default candidates in the order its turns take them, for the picker's ``allowed``:
    the slot's tier (keeping the ``keep`` slots when it has them), eccentric-heavy work swapped for
    its form before its week."""
    every = list(slot_tier(library, slot, equipment, level, spread))
    if slot == "calf" and level is Level.NEW:
        # D3: a new lifter starts at single-leg bodyweight raises
        every = [
            ex
            for ex in slot_pool(library, slot, equipment, level)
            if ex.per_side and ex.equipment is Equipment.NONE and not ex.niggle_only
        ] or every
    elif slot == "calf":
        # D3: straight and bent knee alternate, each with the most of the kit that offers one
        every = [ex for ex in slot_pool(library, slot, equipment, level) if not ex.niggle_only]
        every = [ex for ex in every if allowed(ex)] or every
    tier = [ex for ex in every if not keep or ex.slot in keep] or every
    if slot == "calf" and tier:
        top = max(ex.equipment.rank for ex in tier)
        tier = [ex for ex in tier if ex.equipment.rank == top]
    tier = [_swap_eccentric(library, ex, eccentric) for ex in tier]
    tier = [ex for ex in tier if allowed(ex)]
    return tuple(tier)
