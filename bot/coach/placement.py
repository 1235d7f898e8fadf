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


def place(
    slots: Sequence[DaySlot],
    target: int,
    *,
    hard_days_hard: bool = False,
    lifted_before: bool = False,
    lifted_after: bool = False,
) -> tuple[int, ...]:
    """Indices of the days that get lifting: as many as fit, up to ``target`` (P5).

    Among the sets of that size that satisfy P1 to P3, the best uses the most of the runner's
    preferred days (they win over the P4 order), then has the best P4 ranks, then the widest
    spacing, then the earliest days.
    """
    candidates = [i for i, slot in enumerate(slots) if eligible(slot)]
    ranks = {i: rank(slots[i], hard_days_hard) for i in candidates}
    for size in range(min(target, len(candidates)), 0, -1):
        best: tuple[int, ...] | None = None
        best_key: tuple[int, int, int, tuple[int, ...]] | None = None
        for days in combinations(candidates, size):
            if not _spaced(days, lifted_before, lifted_after, len(slots)):
                continue
            gap = min((b - a for a, b in pairwise(days)), default=len(slots))
            preferred = sum(1 for d in days if slots[d].preferred)
            key = (-preferred, sum(ranks[d] for d in days), -gap, days)
            if best_key is None or key < best_key:
                best, best_key = days, key
        if best is not None:
            return best
    return ()
