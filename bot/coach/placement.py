"""Which days of a week get lifting (COACHING.md, P1 to P5b; P7 and P9 come in as ``allowed``).

The search is exhaustive over at most C(7, 3) = 35 subsets, which is both simpler to trust
than a greedy pass and fast enough (a few microseconds a week).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations, pairwise
from typing import NamedTuple

from bot.coach.model import RunKind

KEY_RUNS = frozenset({RunKind.LONG, RunKind.QUALITY, RunKind.RACE})
NO_LIFT_DAYS = frozenset({RunKind.LONG, RunKind.RACE})

_ORDER = {RunKind.EASY: 1, RunKind.REST: 2, RunKind.QUALITY: 3}
_ORDER_HARD_DAYS_HARD = {RunKind.QUALITY: 1, RunKind.EASY: 2, RunKind.REST: 3}
PREFERRED = 0


class DaySlot(NamedTuple):
    """What placement needs to know about one day of the week (a named tuple: cheap to build)."""

    run: RunKind
    next_run: RunKind  # the run of the following day, also past the end of the week
    allowed: bool  # phase and pause allow lifting at all (P7)
    preferred: bool = False
    key_in_two_days: bool = False  # P5b: the next key run after this day is 2 days on (any run type)


def eligible(slot: DaySlot) -> bool:
    """P1, P2 and P7 for a single day."""
    return slot.allowed and slot.run not in NO_LIFT_DAYS and slot.next_run not in KEY_RUNS


def rank(slot: DaySlot, hard_days_hard: bool) -> int:
    """P4's run-kind order, lower is better: easy, rest, quality (quality first for "hard days hard").
    Preferred days rank 0 (``place`` counts them before P5b and this order)."""
    if slot.preferred:
        return PREFERRED
    order = _ORDER_HARD_DAYS_HARD if hard_days_hard else _ORDER
    return order.get(slot.run, 9)


def _spaced(days: Sequence[int], lifted_before: bool, lifted_after: bool, length: int) -> bool:
    """P3: no two lifting days in a row, counting the day before and after the week."""
    if lifted_before and days and days[0] == 0:
        return False
    if lifted_after and days and days[-1] == length - 1:
        return False
    return all(b - a > 1 for a, b in pairwise(days))


@lru_cache(maxsize=4096)
def _most_of(candidates: tuple[int, ...], length: int, target: int, lifted_before: bool) -> int:
    for size in range(min(target, len(candidates)), 0, -1):
        if any(_spaced(days, lifted_before, False, length) for days in combinations(candidates, size)):
            return size
    return 0


class NextWeek(NamedTuple):
    """What placement reads of the week after this one (P5 across the week boundary): the days P1,
    P2 and P7 leave open to lifting, whether its first day is a preferred one, its target and length."""

    open_days: tuple[int, ...]
    first_preferred: bool
    target: int
    length: int = 7


def place(
    slots: Sequence[DaySlot],
    target: int,
    *,
    hard_days_hard: bool = False,
    lifted_before: bool = False,
    lifted_after: bool = False,
    following: NextWeek | None = None,
) -> tuple[int, ...]:
    """Indices of the days that get lifting: as many as fit, up to ``target`` (P5).

    Placement looks across the week boundary: with the next week given (``following``), the sets
    that leave this week and the next the most sessions together win (a Sunday lift that blocks
    Monday must earn its place), then the largest set this week. Among those (P4): the most
    preferred days, then a set that bars none of next week's preferred days (a Sunday lift before a
    preferred Monday that fits), then the fewest days 2 days before their next key run (P5b: 3 or
    more days ranks above 2, whatever the run), then the best run-kind order (easy, rest, quality;
    quality first for "hard days hard"), then the widest spacing, then the earliest days.
    """
    length = len(slots)
    candidates = [i for i, slot in enumerate(slots) if eligible(slot)]
    last = length - 1
    if following is not None and following.target > 0:
        after = [_most_of(following.open_days, following.length, following.target, flag) for flag in (False, True)]
        # a lift on the last day bars next week's first day (P3): count it against a preferred one
        next_preferred = following.first_preferred and bool(following.open_days) and following.open_days[0] == 0
    else:
        after = [0, 0]
        next_preferred = False
    # per candidate day, what a set's key sums (read by index: the search tries up to 35 sets)
    preferred_day, crowded_day, order_day = [0] * length, [0] * length, [0] * length
    for i in candidates:
        slot = slots[i]
        preferred_day[i] = int(slot.preferred)
        crowded_day[i] = int(slot.key_in_two_days)
        order_day[i] = 0 if slot.preferred else rank(slot, hard_days_hard)
    bars_last = int(next_preferred and not slots[last].preferred) if slots else 0
    best: tuple[int, ...] = ()
    best_key: tuple[int, int, int, int, int, int, int, tuple[int, ...]] | None = None
    for size, sets in _spaced_sets(tuple(candidates), min(target, len(candidates)), length):
        for days, gap in sets:
            # P3 across the week's ends: no lift the day after the week before's last, nor before next week's
            if lifted_before and days[0] == 0:
                continue
            on_last = days[-1] == last
            if lifted_after and on_last:
                continue
            key = (
                -(size + after[on_last]),
                -size,
                -sum(map(preferred_day.__getitem__, days)),
                bars_last if on_last else 0,
                sum(map(crowded_day.__getitem__, days)),
                sum(map(order_day.__getitem__, days)),
                -gap,
                days,
            )
            if best_key is None or key < best_key:
                best, best_key = days, key
        if best_key is not None:
            # no smaller set beats it: next week's room with and without a lift on this week's last
            # day differs by at most one, so a day fewer here never leaves more for both weeks
            break
    return best


@lru_cache(maxsize=1024)
def _spaced_sets(
    candidates: tuple[int, ...], most: int, length: int
) -> tuple[tuple[int, tuple[tuple[tuple[int, ...], int], ...]], ...]:
    """By size, from ``most`` down to 1, the sets of the ``candidates`` days with no two in a row (P3
    within the week), each with its smallest gap (``length`` for a single day): the same candidate
    days recur from runner to runner, so a search's sets are listed once."""
    found = []
    for size in range(most, 0, -1):
        sets = []
        for days in combinations(candidates, size):
            gap = min([b - a for a, b in pairwise(days)]) if size > 1 else length
            if gap > 1 or size == 1:
                sets.append((days, gap))
        found.append((size, tuple(sets)))
    return tuple(found)


def room(fits: Sequence[bool], target: int, *, lifted_before: bool = False, repeating: bool = False) -> int:
    """The most lifting days, up to ``target``, on the days that ``fits`` (P1, P2, P7, P9 already
    applied) with no two in a row (P3). ``repeating``: the week repeats, so its last day and its
    first are next to each other (the runner's usual calendar, week after week)."""
    return _room(tuple(fits), target, lifted_before, repeating)


@lru_cache(maxsize=4096)
def _room(fits: tuple[bool, ...], target: int, lifted_before: bool, repeating: bool) -> int:
    days = [i for i, ok in enumerate(fits) if ok]
    length = len(fits)
    for size in range(min(target, len(days)), 0, -1):
        for combo in combinations(days, size):
            if lifted_before and combo[0] == 0:
                continue
            if repeating and size > 1 and combo[0] == 0 and combo[-1] == length - 1:
                continue
            if all(b - a > 1 for a, b in pairwise(combo)):
                return size
    return 0
