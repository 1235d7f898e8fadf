"""The options a session's exercises are chosen with: dosing's fields set aside so sessions that differ
only in them share one choice, every other field passed on as it was (``_choice_of`` names each one)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.coach import session
from bot.coach.library import Library
from bot.coach.model import BodyArea, Equipment, Level, Pattern, Reduction, SessionKind
from bot.coach.session_choice import Options
from bot.content.loader import default_library

# a value other than the default for every field (a new field must be added here, and to _choice_of)
UNUSUAL = {
    "kind": SessionKind.POWER,
    "equipment": frozenset({Equipment.GYM}),
    "level": Level.REGULAR,
    "avoid": frozenset({BodyArea.HIP}),
    "rungs": ((BodyArea.KNEE, 2),),
    "no_jump_areas": frozenset({BodyArea.ANKLE}),
    "jump_stage": 2,
    "reduction": Reduction.DELOAD,
    "eccentric_week": 3,
    "strength_test": BodyArea.KNEE,
    "main_pattern": Pattern.SQUAT,
    "heavy_deadlift": False,
    "rotation": 5,
    "session_index": 7,
    "variation": 2,
    "minutes": 30,
    "after_run": True,
    "peak": True,
}
SET_ASIDE = {"minutes": 0, "after_run": False, "reduction": Reduction.NONE}  # dosing and timing read them


def test_every_field_of_the_options_has_an_unusual_value_here() -> None:
    assert {f.name for f in dataclasses.fields(Options)} == set(UNUSUAL)


@pytest.mark.parametrize("field", sorted(UNUSUAL))
def test_choosing_sees_each_field_but_dosings_own(field: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Options] = []

    def choose(library: Library, opts: Options) -> tuple[tuple[()], SessionKind, bool]:
        seen.append(opts)
        return (), opts.kind, False

    monkeypatch.setattr(session, "_choose", choose)
    # hinge-led with jumps: no field is set aside for what the session leaves out
    base = Options(
        kind=SessionKind.STRENGTH, equipment=frozenset(), level=Level.SOME, jump_stage=1, main_pattern=Pattern.HINGE
    )
    opts = dataclasses.replace(base, **{field: UNUSUAL[field]})
    session._choice_of(default_library(), opts)
    assert getattr(seen[0], field) == SET_ASIDE.get(field, UNUSUAL[field])
