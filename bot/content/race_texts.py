"""/race's chat texts (the ``race`` group of `content/ui.yaml`) and the placeholders each may use."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class RaceTexts(_Group):
    """/race: the goal race and tune-ups with their buttons, its questions, and what a change did."""

    goal: str
    no_goal: str
    weeks_to_go: str
    days_to_go: str
    race_today: str
    tune_ups: str
    tune_up_line: str
    tune_up_unknown: str
    no_tune_ups: str
    phase_now: str
    phase_taper: str
    phase_after: str
    phase_no_goal: str
    tap_to_change: str
    btn_goal_set: str
    btn_goal_distance: str
    btn_goal_date: str
    btn_goal_clear: str
    btn_tune_add: str
    btn_tune_distance: str
    btn_tune_remove: str
    btn_not_sure: str
    ask_goal_distance: str
    ask_goal_date: str
    ask_tune_date: str
    ask_tune_distance: str
    done: str
    replanned: str
    today_changed: str
    bad_distance: str
    bad_date: str
    no_such_date: str
    date_past: str
    date_far: str
    ambiguous_date: str
    race_needs_day: str
    tune_up_after_goal: str
    goal_before_tune_up: str
    no_goal_to_change: str
    no_tune_up: str
    cancelled: str
    closed: str


RACE_PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("race", "goal"): frozenset({"distance", "date", "to_go"}),
    ("race", "weeks_to_go"): frozenset({"weeks"}),
    ("race", "days_to_go"): frozenset({"days"}),
    ("race", "tune_up_line"): frozenset({"date", "distance"}),
    ("race", "phase_now"): frozenset({"phase", "date"}),
    ("race", "phase_taper"): frozenset({"date"}),
    ("race", "phase_after"): frozenset({"phase"}),
    ("race", "btn_tune_distance"): frozenset({"date"}),
    ("race", "btn_tune_remove"): frozenset({"date"}),
    ("race", "ask_goal_date"): frozenset({"distance"}),
    ("race", "ask_tune_distance"): frozenset({"date"}),
    ("race", "replanned"): frozenset({"date"}),
    ("race", "no_such_date"): frozenset({"date"}),
    ("race", "ambiguous_date"): frozenset({"first", "second"}),
    ("race", "race_needs_day"): frozenset({"month"}),
    ("race", "tune_up_after_goal"): frozenset({"date"}),
}
