"""The bot's chat texts (`content/ui.yaml`), validated at start-up like the rest of the library.

Each group's texts are a model of :mod:`bot.content.ui_groups`; here they are joined into ``Ui``,
and every text's placeholders are checked against the names its key allows.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.coach.plural import Plural
from bot.content.loader import ContentError
from bot.content.race_texts import RACE_PLACEHOLDERS, RaceTexts
from bot.content.snapshot import kept
from bot.content.ui_calendar import CALENDAR_PLACEHOLDERS, CalendarTexts
from bot.content.ui_feed import FeedTexts
from bot.content.ui_groups import (
    ButtonsTexts,
    GeneralTexts,
    LoopTexts,
    OnboardingTexts,
    ReasksTexts,
    RenderTexts,
    SettingsTexts,
)
from bot.content.ui_history import HISTORY_PLACEHOLDERS, HistoryTexts
from bot.content.ui_imports import PLACEHOLDERS as IMPORT_PLACEHOLDERS
from bot.content.ui_imports import ImportTexts
from bot.content.ui_promises import PromisesTexts
from bot.content.ui_rhythm import RhythmTexts
from bot.resources import CONTENT_DIR


class Ui(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    buttons: ButtonsTexts
    onboarding: OnboardingTexts
    reasks: ReasksTexts
    general: GeneralTexts
    render: RenderTexts
    commands: dict[str, str]
    settings: SettingsTexts
    race: RaceTexts
    loop: LoopTexts
    promises: PromisesTexts
    history: HistoryTexts  # /history, /stats and /export (bot.content.ui_history)
    why: dict[str, str]  # a question's value -> why it is asked, in one line
    imports: ImportTexts
    calendar: CalendarTexts
    feed: FeedTexts  # the live calendar feed of the plan
    rhythm: RhythmTexts


PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("onboarding", "welcome"): frozenset({"name"}),
    ("onboarding", "run_days_picked"): frozenset({"days"}),
    ("onboarding", "quality_days_picked"): frozenset({"days"}),
    ("onboarding", "ask_race_date"): frozenset({"distance"}),
    ("onboarding", "niggles_picked"): frozenset({"areas"}),
    ("onboarding", "equipment_picked"): frozenset({"equipment"}),
    ("onboarding", "ask_niggle_flag"): frozenset({"area"}),
    ("onboarding", "timezone_found"): frozenset({"local_time", "timezone"}),
    ("onboarding", "pick_place"): frozenset({"place"}),
    ("onboarding", "pick_zone"): frozenset({"country"}),
    ("buttons", "place_now"): frozenset({"place", "time"}),
    ("onboarding", "ask_reminder_sure"): frozenset({"time"}),
    ("onboarding", "typed_kept"): frozenset({"kept", "tapped"}),
    ("buttons", "night_sure"): frozenset({"time"}),
    ("reasks", "ambiguous_date"): frozenset({"first", "second"}),
    ("reasks", "no_place"): frozenset({"place"}),
    ("reasks", "did_you_mean"): frozenset({"answer"}),
    ("reasks", "race_needs_day"): frozenset({"month"}),
    ("onboarding", "ask_race_day"): frozenset({"month", "distance"}),
    ("onboarding", "pain_noted"): frozenset({"area"}),
    ("onboarding", "pain_added"): frozenset({"area"}),
    ("onboarding", "summary"): frozenset(
        {"level", "runs", "equipment", "name", "minutes", "timezone", "race", "niggles", "reminder"}
    ),
    ("settings", "summary"): frozenset(
        {"name", "level", "runs", "equipment", "minutes", "niggles", "sessions", "reminder", "timezone"}
    ),
    ("settings", "sessions_set"): frozenset({"count"}),
    ("rhythm", "log_logged"): frozenset({"day", "title", "status"}),
    ("rhythm", "fix_changed"): frozenset({"field", "before", "after"}),
    ("rhythm", "ask_prompts"): frozenset({"current"}),
    ("rhythm", "changed_prompts"): frozenset({"current"}),
    ("settings", "changed_delivery"): frozenset({"reminder", "timezone", "local_time"}),
    ("settings", "changed_equipment"): frozenset({"equipment"}),
    ("settings", "changed_minutes"): frozenset({"minutes"}),
    ("settings", "changed_niggles"): frozenset({"niggles"}),
    ("settings", "changed_sessions"): frozenset({"sessions"}),
    ("settings", "changed_level"): frozenset({"level"}),
    ("settings", "changed_calendar"): frozenset({"runs"}),
    ("general", "menu"): frozenset({"name"}),
    ("general", "why"): frozenset({"reason"}),
    ("general", "private_only_link"): frozenset({"link"}),
    ("render", "week_header"): frozenset({"phase", "start"}),
    ("render", "day_line"): frozenset({"run", "weekday", "day", "session"}),
    ("render", "race_day_line"): frozenset({"weekday", "day"}),
    ("render", "today_header"): frozenset({"run", "weekday", "date"}),
    ("render", "session_header"): frozenset({"minutes", "title"}),
    ("render", "warmup"): frozenset({"warmup"}),
    ("render", "exercise_name"): frozenset({"name"}),
    ("render", "dose"): frozenset({"sets", "reps"}),
    ("render", "rest"): frozenset({"time"}),
    ("render", "rest_minutes"): frozenset({"minutes"}),
    ("render", "rest_minutes_range"): frozenset({"low", "high"}),
    ("render", "rest_seconds"): frozenset({"seconds"}),
    ("render", "contacts"): frozenset({"contacts"}),
    ("render", "load_cue"): frozenset({"cue"}),
    ("render", "effort"): frozenset({"rpe"}),
    ("render", "reason"): frozenset({"reason"}),
    ("loop", "nudge"): frozenset({"title"}),
    ("loop", "logged_rpe"): frozenset({"rpe"}),
    ("loop", "logged_soreness"): frozenset({"soreness"}),
    ("loop", "logged_pain"): frozenset({"area"}),
    ("loop", "swapped_moved"): frozenset({"weekday"}),
    ("loop", "pain_rule"): frozenset({"area"}),
    ("loop", "pain_check"): frozenset({"area"}),
    ("loop", "logged_niggle_ok"): frozenset({"area"}),
    ("loop", "logged_niggle_flare"): frozenset({"area"}),
    ("loop", "ask_niggle"): frozenset({"area"}),
    ("loop", "logged_test"): frozenset({"count"}),
    ("loop", "ask_test"): frozenset({"count", "side"}),
    ("loop", "ask_morning"): frozenset({"area"}),
    ("loop", "morning_logged"): frozenset({"area", "answer"}),
    ("loop", "ask_compare"): frozenset({"area"}),
    ("loop", "niggle_up"): frozenset({"area"}),
    ("loop", "niggle_held"): frozenset({"area"}),
    ("loop", "niggle_down"): frozenset({"area"}),
    ("loop", "niggle_removed"): frozenset({"area"}),
    ("loop", "niggle_pain"): frozenset({"area"}),
    ("loop", "ask_red_flag"): frozenset({"area"}),
    ("loop", "red_flag"): frozenset({"area"}),
    ("loop", "red_flag_no"): frozenset({"area"}),
    ("loop", "level_up"): frozenset({"level"}),
    ("loop", "review_niggle_down"): frozenset({"area"}),
    ("loop", "flare_down"): frozenset({"area"}),
    ("loop", "flare_rest"): frozenset({"area"}),
    ("loop", "flare_pain"): frozenset({"area"}),
    ("loop", "pain_better"): frozenset({"area"}),
    ("loop", "pain_same"): frozenset({"area"}),
    ("loop", "log_day"): frozenset({"weekday", "date", "title"}),
    ("loop", "pause_until"): frozenset({"date"}),
    ("loop", "pause_planned"): frozenset({"start", "until"}),
    ("loop", "moved_run"): frozenset({"run", "weekday"}),
    ("loop", "moved_run_swapped"): frozenset({"run", "weekday"}),
    ("loop", "moved_run_dropped"): frozenset({"run", "weekday"}),
    ("loop", "ask_tune_up_distance"): frozenset({"weekday"}),
    ("loop", "tune_up_set"): frozenset({"distance", "weekday"}),
    ("loop", "tune_up_unsure"): frozenset({"weekday"}),
    ("loop", "greeting"): frozenset({"name"}),
    ("loop", "cheer"): frozenset({"name"}),
    ("loop", "unknown_command"): frozenset({"commands"}),
    ("loop", "welcome_back"): frozenset({"name"}),
    ("loop", "admin_stats"): frozenset(
        {"runners", "onboarded", "active", "paused", "since", "prompts", "nudges", "reviews"}
    ),
    ("loop", "admin_lag"): frozenset({"at", "sent", "p50", "max"}),
    ("promises", "btn_later_soon"): frozenset({"time"}),
    ("promises", "btn_later_evening"): frozenset({"time"}),
    ("promises", "later_set"): frozenset({"time"}),
    ("promises", "welcome_back"): frozenset({"rule"}),
    ("loop", "review_title"): frozenset({"start", "end"}),
    ("loop", "review_done"): frozenset({"done", "planned", "partly"}),
    ("loop", "review_partly"): frozenset({"partial"}),
    ("loop", "review_effort"): frozenset({"rpe"}),
    ("loop", "review_soreness"): frozenset({"count"}),
    ("loop", "review_pain"): frozenset({"areas"}),
    **RACE_PLACEHOLDERS,
    **IMPORT_PLACEHOLDERS,
    **CALENDAR_PLACEHOLDERS,
    **HISTORY_PLACEHOLDERS,
    ("feed", "link"): frozenset({"link"}),
    ("feed", "event_title"): frozenset({"title", "minutes"}),
}


def load_ui(directory: Path = CONTENT_DIR) -> Ui:
    """Read `ui.yaml`; every problem names the group, the key and what is wrong."""
    import yaml  # only when the texts are read: a start with their snapshot never does

    from bot.content.yamlfile import load_yaml

    path = directory / "ui.yaml"
    try:
        raw: Any = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"ui.yaml: cannot read ({exc})"]) from None
    try:
        ui = Ui.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(
            [f"ui.yaml: field '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()]
        ) from None
    problems: list[str] = []
    for group, texts in ui.model_dump().items():
        for key, value in texts.items():
            for text in _forms(group, key, value, problems):
                problems.extend(_placeholder_problems(group, key, text))
    if problems:
        raise ContentError(problems)
    return ui


def _forms(group: str, key: str, value: Any, problems: list[str]) -> list[str]:
    """The texts one key holds: a list's items, a plural text's forms (its number must be a
    placeholder the key allows), or the text itself."""
    if isinstance(value, tuple | list):  # a list of texts, or of tips (a text and when it fits)
        return [item["text"] if isinstance(item, dict) else item for item in value]
    if isinstance(value, dict):  # a Plural, dumped
        if value["by"] not in PLACEHOLDERS.get((group, key), frozenset()):
            problems.append(f"ui.yaml: field '{group}.{key}': its forms are chosen by an unknown placeholder")
        return list(Plural.model_validate(value).forms())
    return [value]


def _placeholder_problems(group: str, key: str, text: str) -> list[str]:
    """What is wrong with one text's placeholders: stray braces, or names its key does not allow."""
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError as exc:  # a stray "{" or "}"
        return [f"ui.yaml: field '{group}.{key}': broken placeholder braces ({exc})"]
    extra = used - PLACEHOLDERS.get((group, key), frozenset())
    if extra:
        return [f"ui.yaml: field '{group}.{key}': unknown placeholder(s) {', '.join(sorted(extra))}"]
    return []


@cache
def default_ui() -> Ui:
    """The texts shipped in `content/`, loaded once per process (from their snapshot: bot.content.snapshot)."""
    return kept("ui", [CONTENT_DIR / "ui.yaml"], lambda: load_ui(CONTENT_DIR))
