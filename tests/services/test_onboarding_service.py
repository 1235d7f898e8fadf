"""Reading onboarding answers, without Telegram: what each typed text or button value stores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.coach.model import Distance, Equipment, Level, RunKind, Weekday
from bot.services.onboarding import (
    DONE,
    MULTI,
    NONE,
    RACE_DISTANCE_DRAFT,
    Draft,
    Question,
    Reask,
    button_answer,
    draft_key,
    is_draft,
    next_question,
    profile_from_answers,
    typed_answer,
)

TODAY = dt.date(2026, 11, 21)
COMPLETE: dict[str, Any] = {
    "level": "some",
    "run_days": ["mon", "wed", "fri", "sun"],
    "long_day": "sun",
    "quality_days": ["wed"],
    "race": {"distance": "half", "date": "2027-03-14"},
    "equipment": "dumbbells",
    "minutes": 30,
    "niggles": ["knee"],
    "niggle_flags": {"knee": False},
    "timezone": "Europe/Berlin",
    "reminder": "07:00",
    "health": False,
}


def test_questions_come_in_order_and_race_date_follows_a_distance() -> None:
    """The open question is the first unanswered one; a picked distance opens the race date."""
    assert next_question({}) is Question.LEVEL
    assert next_question({"level": "new"}) is Question.RUN_DAYS
    partial = {k: COMPLETE[k] for k in ("level", "run_days", "long_day", "quality_days")}
    assert next_question(partial) is Question.RACE
    assert next_question({**partial, RACE_DISTANCE_DRAFT: "half"}) is Question.RACE_DATE
    assert next_question(COMPLETE) is None


def test_profile_from_answers_builds_the_calendar() -> None:
    """Run days become easy runs, the long and quality days keep their kinds, other days rest."""
    profile = profile_from_answers(COMPLETE)
    assert profile.week == {
        Weekday.MON: RunKind.EASY,
        Weekday.TUE: RunKind.REST,
        Weekday.WED: RunKind.QUALITY,
        Weekday.THU: RunKind.REST,
        Weekday.FRI: RunKind.EASY,
        Weekday.SAT: RunKind.REST,
        Weekday.SUN: RunKind.LONG,
    }
    assert profile.strength_level is Level.SOME and profile.equipment == {Equipment.DUMBBELLS}
    assert profile.race is not None and profile.race.distance is Distance.HALF
    assert profile.race.date == dt.date(2027, 3, 14)


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        (Question.LEVEL, "never", {"level": "new"}),
        (Question.RUN_DAYS, "Mon-Wed, sat", {"run_days": ["mon", "tue", "wed", "sat"]}),
        (Question.RACE, "no race", {"race": None}),
        (Question.RACE, "half", {RACE_DISTANCE_DRAFT: "half"}),
        (Question.RACE, "marathon 2027-04-25", {"race": {"distance": "marathon", "date": "2027-04-25"}}),
        (Question.MINUTES, "45 min", {"minutes": 45}),
        (Question.NIGGLES, "my achilles and lower back", {"niggles": ["ankle", "back"]}),
        (Question.TIMEZONE, "UTC+5:30", {"timezone": "UTC+05:30"}),
        (Question.REMINDER, "6:30pm", {"reminder": "18:30"}),
        (Question.REMINDER, "05:30", {"reminder": "05:30"}),  # dawn runners are welcome
        (Question.REMINDER, "03:00", {"draft:night_reminder": "03:00"}),  # at night: asked "are you sure?"
        (Question.TIMEZONE, "India", {"timezone": "Asia/Kolkata"}),
    ],
)
def test_typed_answers_store_what_the_runner_meant(question: Question, text: str, expected: dict[str, Any]) -> None:
    """Plain typed answers are read into the stored values the profile is built from."""
    assert typed_answer(question, text, COMPLETE, today=TODAY) == expected


@pytest.mark.parametrize(
    ("question", "text", "reask"),
    [
        (Question.LEVEL, "expert-ish", "bad_level"),
        (Question.RUN_DAYS, "purple", "bad_days"),
        (Question.LONG_DAY, "tue", "not_a_run_day"),
        (Question.QUALITY_DAYS, "sun", "long_not_quality"),
        (Question.RACE_DATE, "2020-01-01", "date_past"),
        (Question.RACE_DATE, "2030-01-01", "date_far"),
        (Question.TIMEZONE, "Xyzzyville", "no_place"),
        (Question.REMINDER, "abc", "bad_time"),
        (Question.NIGGLES, "IT band", "it_band"),
        (Question.RACE_DATE, "03/04/2027", "ambiguous_date"),
        (Question.MINUTES, "x" * 300, "too_long"),
    ],
)
def test_typed_answers_that_do_not_fit_name_their_reask(question: Question, text: str, reask: str) -> None:
    """An answer that does not fit raises the re-ask that explains why, and stores nothing."""
    answers = {**COMPLETE, RACE_DISTANCE_DRAFT: "half"}
    with pytest.raises(Reask) as caught:
        typed_answer(question, text, answers, today=TODAY)
    assert caught.value.key == reask


def test_multi_choice_buttons_toggle_in_calendar_order_until_done() -> None:
    """Tapping days toggles them in a draft kept in weekday order; Done turns the draft into the answer."""
    answers: dict[str, Any] = {}
    for day in ("fri", "mon", "wed", "fri"):
        values, answered = button_answer(Question.RUN_DAYS, day, answers)
        assert not answered
        answers.update(values)
    assert answers[draft_key(Question.RUN_DAYS)] == ["mon", "wed"]
    values, answered = button_answer(Question.RUN_DAYS, DONE, answers)
    assert answered and values == {"run_days": ["mon", "wed"]}


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (Question.LEVEL, "superhuman"),
        (Question.RUN_DAYS, "someday"),
        (Question.LONG_DAY, "tue"),  # not a run day
        (Question.QUALITY_DAYS, "sun"),  # the long run day is not offered
        (Question.EQUIPMENT, "spaceship"),
        (Question.MINUTES, "999"),
        (Question.REMINDER, "2561"),
        (Question.RACE, "100mi"),
    ],
)
def test_forged_button_values_are_refused(question: Question, value: str) -> None:
    """A button value the question never offered is refused as a stale button."""
    with pytest.raises(Reask) as caught:
        button_answer(question, value, COMPLETE)
    assert caught.value.key == "stale_button"


def test_done_with_no_run_days_asks_for_one() -> None:
    """Done with no run day picked asks for at least one instead of finishing the question."""
    with pytest.raises(Reask) as caught:
        button_answer(Question.RUN_DAYS, DONE, {})
    assert caught.value.key == "need_run_days"
    assert button_answer(Question.NIGGLES, NONE, {}) == ({"niggles": []}, True)


def test_draft_keys_keep_the_strings_rows_already_hold() -> None:
    """The draft keys are an enum whose values are the stored keys (no migration), each a draft."""
    assert {draft.value for draft in Draft} == {
        "draft:race_distance",
        "draft:race_month",
        "draft:confirm",
        "draft:places",
        "draft:night_reminder",
        "draft:screen",
        "draft:setting",
        "draft:setting_at",
        "draft:niggles_chosen",
        "draft:active",
        "draft:asked",
        "draft:run_days",
        "draft:quality_days",
        "draft:equipment",
        "draft:niggles",
    }
    assert all(is_draft(draft) for draft in Draft) and not any(is_draft(q) for q in Question)
    assert [Draft.ticks(q) for q in MULTI] == [draft_key(q) for q in MULTI]
    with pytest.raises(ValueError):
        Draft.ticks(Question.LEVEL)  # a single-choice question has no ticks


def test_a_place_several_zones_share_is_offered_not_guessed() -> None:
    """ "Valencia" stores no zone: it keeps the places to offer, and a tap on one of them (only) answers."""
    values = typed_answer(Question.TIMEZONE, "Valencia", COMPLETE, today=TODAY)
    assert values == {
        "draft:places": {
            "said": "Valencia",
            "country": False,
            "places": [["Valencia, Venezuela", "America/Caracas"], ["Valencia, Spain", "Europe/Madrid"]],
        }
    }
    answers = {**COMPLETE, **values}
    assert button_answer(Question.TIMEZONE, "Europe/Madrid", answers) == ({"timezone": "Europe/Madrid"}, True)
    with pytest.raises(Reask):
        button_answer(Question.TIMEZONE, "Europe/Oslo", answers)  # never offered
    country = typed_answer(Question.TIMEZONE, "USA", COMPLETE, today=TODAY)["draft:places"]
    assert country["said"] == "United States" and country["country"] is True
