"""The bot's chat texts (`content/ui.yaml`), validated at start-up like the rest of the library."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.content.loader import CONTENT_DIR, ContentError


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def fmt(self, key: str, **fields: object) -> str:
        """A text with its placeholders filled in."""
        text: str = getattr(self, key)
        return text.format(**fields)


class ButtonsTexts(_Group):
    level_new: str
    level_some: str
    level_regular: str
    done: str
    no_long_run: str
    no_quality: str
    no_race: str
    equipment_none: str
    equipment_bands: str
    equipment_dumbbells: str
    equipment_gym: str
    no_niggles: str
    share_location: str
    today: str
    week: str
    help: str


class OnboardingTexts(_Group):
    no_name: str
    welcome: str
    ask_level: str
    ask_run_days: str
    run_days_picked: str
    ask_long_day: str
    ask_quality_days: str
    quality_days_picked: str
    ask_race: str
    ask_race_date: str
    ask_equipment: str
    ask_minutes: str
    ask_niggles: str
    niggles_picked: str
    ask_timezone: str
    timezone_found: str
    ask_reminder: str
    summary: str
    why_strength: str
    first_week: str
    cancelled: str
    nothing_to_cancel: str
    resumed: str


class ReasksTexts(_Group):
    empty: str
    too_long: str
    not_text: str
    finish_first: str
    bad_level: str
    bad_days: str
    need_run_days: str
    one_day: str
    not_a_run_day: str
    long_not_quality: str
    bad_race: str
    race_needs_date: str
    bad_date: str
    date_past: str
    date_far: str
    bad_equipment: str
    bad_minutes: str
    bad_areas: str
    bad_timezone: str
    bad_time: str
    night_time: str
    stale_button: str


class GeneralTexts(_Group):
    menu: str
    help: str
    not_onboarded: str
    unknown: str
    stale_button: str
    error: str
    not_text: str
    too_long: str
    why: str


class RenderTexts(_Group):
    week_header: str
    day_line: str
    today_header: str
    session_header: str
    exercise_line: str
    effort: str
    rest_line: str
    reason: str
    none: str
    no_race: str


class Ui(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    buttons: ButtonsTexts
    onboarding: OnboardingTexts
    reasks: ReasksTexts
    general: GeneralTexts
    render: RenderTexts


PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("onboarding", "welcome"): frozenset({"name"}),
    ("onboarding", "run_days_picked"): frozenset({"days"}),
    ("onboarding", "quality_days_picked"): frozenset({"days"}),
    ("onboarding", "ask_race_date"): frozenset({"distance"}),
    ("onboarding", "niggles_picked"): frozenset({"areas"}),
    ("onboarding", "timezone_found"): frozenset({"local_time", "timezone"}),
    ("onboarding", "summary"): frozenset(
        {"level", "runs", "equipment", "name", "minutes", "timezone", "race", "niggles", "reminder"}
    ),
    ("general", "menu"): frozenset({"name"}),
    ("general", "why"): frozenset({"reason"}),
    ("render", "week_header"): frozenset({"phase", "start"}),
    ("render", "day_line"): frozenset({"run", "weekday", "day", "session"}),
    ("render", "today_header"): frozenset({"run", "weekday", "date"}),
    ("render", "session_header"): frozenset({"minutes", "title"}),
    ("render", "exercise_line"): frozenset({"sets", "name", "cue", "effort", "reps"}),
    ("render", "effort"): frozenset({"rpe"}),
    ("render", "reason"): frozenset({"reason"}),
}


def load_ui(directory: Path = CONTENT_DIR) -> Ui:
    """Read `ui.yaml`; every problem names the group, the key and what is wrong."""
    path = directory / "ui.yaml"
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"ui.yaml: cannot read ({exc})"]) from None
    try:
        ui = Ui.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(
            [f"ui.yaml: field '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()]
        ) from None
    problems = []
    for group, texts in ui.model_dump().items():
        for key, text in texts.items():
            try:
                used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            except ValueError as exc:  # a stray "{" or "}"
                problems.append(f"ui.yaml: field '{group}.{key}': broken placeholder braces ({exc})")
                continue
            extra = used - PLACEHOLDERS.get((group, key), frozenset())
            if extra:
                problems.append(f"ui.yaml: field '{group}.{key}': unknown placeholder(s) {', '.join(sorted(extra))}")
    if problems:
        raise ContentError(problems)
    return ui


@cache
def default_ui() -> Ui:
    return load_ui(CONTENT_DIR)
