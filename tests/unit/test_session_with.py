"""``session._with`` builds a changed prescription by naming every field (cheaper than
``dataclasses.replace``); a field it forgot would silently take its default."""

from __future__ import annotations

import dataclasses

from bot.coach.model import BodyArea, Equipment, ExerciseType, Prescription, Role
from bot.coach.session import _with

# a value other than the default for every field (a new field must be added here, and to _with)
UNUSUAL = Prescription(
    id="x",
    name="X",
    sets=5,
    reps="7",
    rpe=8,
    cue="slow",
    loads=(BodyArea.KNEE,),
    type=ExerciseType.ISOMETRIC,
    equipment=Equipment.GYM,
    rest_s=90,
    work_s=40,
    paired_with="y",
    gentle=True,
    ramp=True,
    load_cue="heavy",
    contacts=12,
    role=Role.CALF,
)


def test_every_field_has_an_unusual_value_here() -> None:
    defaults = Prescription(id="", name="", sets=0, reps="", rpe=None, cue="", loads=())
    assert all(getattr(UNUSUAL, f.name) != getattr(defaults, f.name) for f in dataclasses.fields(Prescription))


def test_with_keeps_every_field_it_is_not_asked_to_change() -> None:
    assert _with(UNUSUAL) == UNUSUAL


def test_with_changes_what_it_is_asked_to() -> None:
    assert _with(UNUSUAL, sets=2, cue="c", paired_with="") == dataclasses.replace(
        UNUSUAL, sets=2, cue="c", paired_with=""
    )
