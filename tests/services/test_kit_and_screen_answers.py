"""The onboarding answers behind the equipment multi-select and the N1 red-flag question: stored
answers of the old single form keep working, and a red-flag yes at sign-up takes the red-flag route."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fakes import FakeDatabase
from onboarded import ANSWERS, onboard

from bot.coach.library import Library
from bot.coach.model import BodyArea, Equipment
from bot.services.health import UNTIL_CLEARED
from bot.services.onboarding import (
    Question,
    Reask,
    button_answer,
    next_question,
    profile_from_answers,
    step_back,
    typed_answer,
)

BEFORE_TIMEZONE = {k: v for k, v in ANSWERS.items() if k not in ("timezone", "reminder", "health")}
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("stored", "kit"),
    [
        ("dumbbells", {Equipment.DUMBBELLS}),
        ("none", set()),
        ("gym", {Equipment.GYM}),
        (["bands", "dumbbells"], {Equipment.BANDS, Equipment.DUMBBELLS}),
        ([], set()),
    ],
)
def test_stored_equipment_answers_of_either_form_build_the_kit(stored: Any, kit: set[Equipment]) -> None:
    """An answer stored before equipment became a set ("dumbbells", "none") builds the same kit as its list."""
    assert profile_from_answers({**ANSWERS, "equipment": stored}).equipment == kit


def test_going_back_to_an_old_single_equipment_answer_ticks_it() -> None:
    """Back from the minutes question reopens the equipment with the stored single item ticked."""
    answers = {**BEFORE_TIMEZONE, "equipment": "gym"}
    restore, drop = step_back(Question.MINUTES, answers)
    assert restore == {"draft:equipment": ["gym"]} and "equipment" in drop


def test_equipment_buttons_toggle_and_done_answers() -> None:
    """A tap toggles an item in the draft (in rank order); Done answers with the ticks; None is []."""
    values, answered = button_answer(Question.EQUIPMENT, "gym", {})
    assert (values, answered) == ({"draft:equipment": ["gym"]}, False)
    values, _ = button_answer(Question.EQUIPMENT, "bands", values)
    assert values == {"draft:equipment": ["bands", "gym"]}
    values, _ = button_answer(Question.EQUIPMENT, "gym", values)
    assert values == {"draft:equipment": ["bands"]}
    assert button_answer(Question.EQUIPMENT, "done", values) == ({"equipment": ["bands"]}, True)
    assert button_answer(Question.EQUIPMENT, "none", values) == ({"equipment": []}, True)
    with pytest.raises(Reask):
        button_answer(Question.EQUIPMENT, "barbell", {})


def test_typed_equipment_is_stored_as_a_list() -> None:
    """Typed kits are stored as the list of their items."""
    assert typed_answer(Question.EQUIPMENT, "just bodyweight", {}, today=TODAY) == {"equipment": []}
    assert typed_answer(Question.EQUIPMENT, "kettlebells + bands", {}, today=TODAY) == {
        "equipment": ["bands", "dumbbells"]
    }
    ticked = {"draft:equipment": ["bands"]}
    assert typed_answer(Question.EQUIPMENT, "Done", ticked, today=TODAY) == {"equipment": ["bands"]}


def test_N1_each_declared_area_is_screened_before_the_timezone() -> None:
    """After the niggles, each area waits for its red-flag answer, one at a time, in body order."""
    answers = {**BEFORE_TIMEZONE, "niggles": ["hip", "shin"]}
    assert next_question(answers) is Question.NIGGLE_FLAGS
    values, answered = button_answer(Question.NIGGLE_FLAGS, "hip.no", answers)
    assert answered and values == {"niggle_flags": {"hip": False}}
    answers = {**answers, **values}
    assert next_question(answers) is Question.NIGGLE_FLAGS
    with pytest.raises(Reask):  # the hip is answered already: a stale tap
        button_answer(Question.NIGGLE_FLAGS, "hip.yes", answers)
    answers = {**answers, **typed_answer(Question.NIGGLE_FLAGS, "yes", answers, today=TODAY)}
    assert answers["niggle_flags"] == {"hip": False, "shin": True}
    assert next_question(answers) is Question.TIMEZONE
    assert next_question({**BEFORE_TIMEZONE, "niggles": []}) is Question.TIMEZONE


async def test_N1_a_yes_at_sign_up_rests_the_area_until_cleared(uow: FakeDatabase, library: Library) -> None:
    """A red-flag yes for a declared shin: not a niggle, rested until a professional clears it
    (as a pain report's red-flag yes), and no planned exercise loads it; a no keeps the foot a niggle."""
    done = await onboard(uow, library, niggles=["shin", "foot"], niggle_flags={"shin": True, "foot": False})
    assert done.red_flags == {BodyArea.SHIN}
    assert done.profile.injuries == {BodyArea.FOOT}
    assert done.account.state.pain == {BodyArea.SHIN: UNTIL_CLEARED}
    loading = [p.id for week in done.weeks for d in week.days for p in d.session.exercises if BodyArea.SHIN in p.loads]
    assert loading == []
