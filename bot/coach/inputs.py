"""What a week decides for its lifting sessions beyond the dose (``LiftingInputs``).

Provisional: this first version carries today's behaviour over to the new inputs (jumps from the
third week, flagged areas at their old rungs, no jumps on a flagged area, no eccentric-heavy work in
the first four weeks); the rulebook's J1 to J3, D4 and N3 to N5 decide them fully.
"""

from __future__ import annotations

import datetime as dt

from bot.coach import niggles
from bot.coach.model import BodyArea, Level, LiftingInputs, Phase, Profile, Reduction, TrainingState

JUMP_FREE_WEEKS = 2  # J2: no jumps in the first two lifting weeks
ECCENTRIC_FREE_WEEKS = 4  # D4: no eccentric-heavy exercise in the first four lifting weeks


def lifting_inputs(
    profile: Profile, state: TrainingState, phase: Phase, start: dt.date, *, deload: bool, eased: bool
) -> LiftingInputs:
    """The week's jump stage, reduction, niggle rungs and eccentric week."""
    level = Level.NEW if state.needs_clearance else profile.strength_level
    if state.weeks_coached < JUMP_FREE_WEEKS or eased:
        stage = 0
    elif phase is Phase.PEAK:
        stage = 3 if level is Level.REGULAR else 0
    elif phase in (Phase.BASE, Phase.BUILD):
        stage = 3 if level is Level.REGULAR else 1
    else:
        stage = 0
    if deload or eased:
        reduction = Reduction.DELOAD
    elif state.set_cut:
        reduction = Reduction.BACK_OFF
    else:
        reduction = Reduction.NONE
    rungs = niggles.area_rungs(state, profile.injuries, start)
    no_jumps: frozenset[BodyArea] = niggles.no_jump_areas(state, profile.injuries, start)
    return LiftingInputs(
        jump_stage=stage,
        reduction=reduction,
        rungs=rungs,
        no_jump_areas=no_jumps,
        eccentric_week=max(0, state.weeks_coached - ECCENTRIC_FREE_WEEKS + 1),
        strength_test=niggles.test_due(state, profile.injuries, start),
    )
