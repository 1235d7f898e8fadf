"""How much: sets, reps and effort by strength level and phase (COACHING.md, "Dose").

The table is written once, as data; the progression ladder and the weekly adjustments move
a runner along it: rung 0 is the table as written, rung 1 adds reps, rung 2 keeps the reps
and adds load, and every third rung moves to a harder variation of each exercise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from bot.coach.model import Level, Phase, TrainingState


@dataclass(frozen=True, slots=True)
class Dose:
    sets: int
    reps_low: int
    reps_high: int
    rpe: int
    max_exercises: int | None = None
    more_sets: int = 0  # the top of a "2 to 3 sets" range, reached from the first rung up
    jump_sets: int = 0
    jump_reps: str = ""
    add_load: bool = False
    # the jumps of a power session, also outside the phases whose table lists jumps
    power_jump_sets: int = 0
    power_jump_reps: str = ""

    def __hash__(self) -> int:
        # the session caches hash a dose per lookup (several a session): what tells doses apart most
        # often, not every field (equal doses still hash alike)
        return hash((self.sets, self.reps_low, self.rpe, self.jump_sets))

    @property
    def reps(self) -> str:
        if self.reps_low == self.reps_high:
            return str(self.reps_low)
        return f"{self.reps_low}-{self.reps_high}"


_TABLE: dict[tuple[Level, Phase], Dose] = {
    (Level.NEW, Phase.BASE): Dose(sets=2, reps_low=10, reps_high=12, rpe=6, max_exercises=4),
    (Level.NEW, Phase.BUILD): Dose(sets=2, more_sets=1, reps_low=8, reps_high=10, rpe=6),
    (Level.NEW, Phase.PEAK): Dose(sets=2, reps_low=8, reps_high=8, rpe=6),
    (Level.SOME, Phase.BASE): Dose(sets=3, reps_low=6, reps_high=8, rpe=7),
    (Level.SOME, Phase.BUILD): Dose(sets=3, reps_low=4, reps_high=6, rpe=7),
    (Level.SOME, Phase.PEAK): Dose(sets=2, reps_low=4, reps_high=5, rpe=7),
    (Level.REGULAR, Phase.BASE): Dose(sets=3, more_sets=1, reps_low=4, reps_high=6, rpe=7),
    (Level.REGULAR, Phase.BUILD): Dose(
        sets=3, more_sets=1, reps_low=3, reps_high=5, rpe=8, jump_sets=3, jump_reps="5-8"
    ),
    (Level.REGULAR, Phase.PEAK): Dose(sets=2, reps_low=3, reps_high=3, rpe=8, jump_sets=2, jump_reps="5"),
}

POWER_JUMPS = (3, "5-8")
DELOAD_VOLUME = 0.6  # a deload keeps about 60 % of the sets: volume down about 40 %
HEAVY_REPS_CAP = 5  # heavy work for experienced lifters stays at 1 to 5 reps


def table_dose(level: Level, phase: Phase) -> Dose | None:
    """The dose table as written; None for phases without lifting."""
    return _TABLE.get((level, phase))


def rung_of(step: int) -> int:
    return step % 3


def variation_of(step: int) -> int:
    """How many links up each exercise's progression chain the runner has climbed."""
    return step // 3


def dose_for(level: Level, phase: Phase, state: TrainingState, *, deload: bool = False) -> Dose | None:
    """The dose this week: the table, moved along the ladder, cut after a back-off or for a deload."""
    return dose_at(level, phase, state.step, state.set_cut, deload=deload)


@lru_cache(maxsize=1024)
def dose_at(level: Level, phase: Phase, step: int, set_cut: int, *, deload: bool = False) -> Dose | None:
    """``dose_for`` at a ladder step and back-off cut (few combinations recur, so each is made once)."""
    base = table_dose(level, phase)
    if base is None:
        return None
    rung = rung_of(step)
    dose = base
    if step > 0 and base.more_sets:
        dose = replace(dose, sets=base.sets + base.more_sets)
    if rung == 1:
        extra = 2 if level is Level.NEW else 1
        high = base.reps_high + extra
        if level is not Level.NEW:
            high = min(high, max(HEAVY_REPS_CAP, base.reps_high))
        dose = replace(dose, reps_low=min(base.reps_low + extra, high), reps_high=high)
    elif rung == 2:
        dose = replace(dose, add_load=True)
    sets = max(1, dose.sets - set_cut)
    jump_sets = dose.jump_sets
    power_sets = jump_sets or POWER_JUMPS[0]
    if deload:
        sets = max(1, round(sets * DELOAD_VOLUME))
        jump_sets = max(1, round(jump_sets * DELOAD_VOLUME)) if jump_sets else 0
        power_sets = max(1, round(power_sets * DELOAD_VOLUME))
    return replace(
        dose,
        sets=sets,
        jump_sets=jump_sets,
        power_jump_sets=power_sets,
        power_jump_reps=dose.jump_reps or POWER_JUMPS[1],
    )
