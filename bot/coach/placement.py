"""Which days of a week get lifting (COACHING.md, P1 to P5).

The search is exhaustive over at most C(7, 3) = 35 subsets, which is both simpler to trust
than a greedy pass and fast enough (a few microseconds a week).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from bot.coach.model import RunKind

KEY_RUNS = frozenset({RunKind.LONG, RunKind.QUALITY, RunKind.RACE})
NO_LIFT_DAYS = frozenset({RunKind.LONG, RunKind.RACE})

_ORDER = {RunKind.EASY: 1, RunKind.REST: 2, RunKind.QUALITY: 3}
_ORDER_HARD_DAYS_HARD = {RunKind.QUALITY: 1, RunKind.EASY: 2, RunKind.REST: 3}
PREFERRED = 0


@dataclass(frozen=True, slots=True)
class DaySlot:
    """What placement needs to know about one day of the week."""

    run: RunKind
    next_run: RunKind  # the run of the following day, also past the end of the week
    allowed: bool  # phase and pause allow lifting at all (P7)
    preferred: bool = False
    long_in_two_days: bool = False  # P5b: the day before the day before a long run


def eligible(slot: DaySlot) -> bool:
    """P1, P2 and P7 for a single day."""
    return slot.allowed and slot.run not in NO_LIFT_DAYS and slot.next_run not in KEY_RUNS


def rank(slot: DaySlot, hard_days_hard: bool) -> int:
    """P4: lower is better. Preferred days first, then easy, rest, quality (or quality first)."""
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


def _most(slots: Sequence[DaySlot], target: int, lifted_before: bool) -> int:
    """The most lifting days P1 to P3 allow in a week, up to ``target``."""
    candidates = [i for i, slot in enumerate(slots) if eligible(slot)]
    for size in range(min(target, len(candidates)), 0, -1):
        if any(_spaced(days, lifted_before, False, len(slots)) for days in combinations(candidates, size)):
            return size
    return 0


def place(
    slots: Sequence[DaySlot],
    target: int,
    *,
    hard_days_hard: bool = False,
    lifted_before: bool = False,
    lifted_after: bool = False,
    following: Sequence[DaySlot] = (),
    following_target: int = 0,
) -> tuple[int, ...]:
    """Indices of the days that get lifting: as many as fit, up to ``target`` (P5).

    Placement looks across the week boundary: with the next week's days (``following``) given,
    the sets that leave this week and the next the most sessions together win (a Sunday lift
    that blocks Monday must earn its place), then the largest set this week. Among those, the
    best uses the most of the runner's preferred days (they win over the P4 order), then has
    the best P4 ranks, then avoids the day before the day before a long run (P5b), then has
    the widest spacing, then the earliest days.
    """
    candidates = [i for i, slot in enumerate(slots) if eligible(slot)]
    ranks = {i: rank(slots[i], hard_days_hard) for i in candidates}
    last = len(slots) - 1
    if following:
        after = {flag: _most(following, following_target, flag) for flag in (False, True)}
    else:
        after = {False: 0, True: 0}
    best: tuple[int, ...] = ()
    best_key: tuple[int, int, int, int, int, int, tuple[int, ...]] | None = None
    for size in range(min(target, len(candidates)), 0, -1):
        for days in combinations(candidates, size):
            if not _spaced(days, lifted_before, lifted_after, len(slots)):
                continue
            gap = min((b - a for a, b in pairwise(days)), default=len(slots))
            preferred = sum(1 for d in days if slots[d].preferred)
            crowding = sum(1 for d in days if slots[d].long_in_two_days)
            total = size + after[days[-1] == last]
            key = (-total, -size, -preferred, sum(ranks[d] for d in days), crowding, -gap, days)
            if best_key is None or key < best_key:
                best, best_key = days, key
    return best
