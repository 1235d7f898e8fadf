"""A slot's ready candidates (``slot_pools``) choose what filtering the library afresh chose: every
session below is chosen both ways, the second with the picker's default as it was before the pools."""

from __future__ import annotations

import itertools

import pytest

from bot.coach.library import Exercise
from bot.coach.model import BodyArea, Equipment, Kit, Level, Pattern, SessionKind
from bot.coach.session_choice import Options, Picker, choose
from bot.coach.slot_pools import slot_pool, slot_tier
from bot.content.loader import default_library

KITS: tuple[Kit, ...] = (
    frozenset(),
    frozenset({Equipment.BANDS}),
    frozenset({Equipment.DUMBBELLS}),
    frozenset({Equipment.GYM, Equipment.BANDS}),
)
FLAGS: tuple[tuple[tuple[BodyArea, int], ...], ...] = ((), ((BodyArea.ANKLE, 2),), ((BodyArea.KNEE, 1),))


def _sessions() -> list[Options]:
    out = []
    for kit, level, kind, pattern, rungs in itertools.product(
        KITS, list(Level), (SessionKind.STRENGTH, SessionKind.POWER), list(Pattern)[:2], FLAGS
    ):
        for turn, eccentric, test in ((0, 0, None), (5, 3, None), (7, 1, BodyArea.KNEE), (11, 0, BodyArea.ANKLE)):
            out.append(
                Options(
                    kind=kind,
                    equipment=kit,
                    level=level,
                    rungs=rungs,
                    jump_stage=1 + turn % 3,
                    eccentric_week=eccentric,
                    strength_test=test,
                    main_pattern=pattern,
                    heavy_deadlift=turn % 2 == 0,
                    rotation=turn,
                    session_index=turn + 1,
                    variation=turn % 3,
                )
            )
    return out


def test_ready_candidates_choose_as_filtering_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    library = default_library()
    sessions = _sessions()
    fast = [choose(library, opts) for opts in sessions]

    def afresh(self: Picker, slot: str, turn: int, spread: bool, keep: tuple[str | None, ...]) -> Exercise | None:
        # the picker's default as it was before the pools: the library filtered for every session
        opts = self.opts
        every = list(slot_tier(self.library, slot, opts.equipment, opts.level, spread))
        pool = slot_pool(self.library, slot, opts.equipment, opts.level)
        if slot == "calf" and opts.level is Level.NEW:
            every = [
                ex for ex in pool if ex.per_side and ex.equipment is Equipment.NONE and not ex.niggle_only
            ] or every
        elif slot == "calf":
            every = [ex for ex in pool if not ex.niggle_only]
            every = [ex for ex in every if self.allowed(ex)] or every
        tier = [ex for ex in every if not keep or ex.slot in keep] or every
        if slot == "calf" and tier:
            top = max(ex.equipment.rank for ex in tier)
            tier = [ex for ex in tier if ex.equipment.rank == top]
        swapped = [
            library.exercises[ex.eccentric_form]
            if ex.eccentric and not opts.eccentric_week and ex.eccentric_form
            else ex
            for ex in tier
        ]
        tier = [ex for ex in swapped if self.allowed(ex)]
        return self._climb(tier[turn % len(tier)], slot) if tier else None

    monkeypatch.setattr(Picker, "default", afresh)
    slow = [choose(library, opts) for opts in sessions]
    assert fast == slow
