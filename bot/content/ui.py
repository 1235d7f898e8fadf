"""The bot's chat texts (`content/ui.yaml`), validated at start-up like the rest of the library."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.content.loader import ContentError
from bot.content.yamlfile import load_yaml
from bot.resources import CONTENT_DIR


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
    back: str
    change_timezone: str
    night_sure: str
    night_other: str
    health_no: str
    health_yes: str
    cleared: str
    today: str
    week: str
    help: str
    confirm_yes: str
    confirm_no: str
    cancel: str


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
    equipment_picked: str
    ask_minutes: str
    ask_niggles: str
    niggles_picked: str
    ask_niggle_flag: str
    ask_timezone: str
    timezone_found: str
    ask_reminder: str
    ask_reminder_sure: str
    ask_health: str
    needs_clearance: str
    typed_kept: str
    summary: str
    why_strength: str
    first_week: str
    cancelled: str
    nothing_to_cancel: str
    resumed: str
    ask_race_day: str
    expired: str
    pain_noted: str
    pain_added: str
    pain_where: str


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
    ambiguous_date: str
    date_past: str
    date_far: str
    bad_equipment: str
    bad_minutes: str
    bad_areas: str
    it_band: str
    bad_timezone: str
    no_place: str
    many_zones: str
    bad_time: str
    yes_or_no: str
    bad_sessions: str
    stale_button: str
    did_you_mean: str
    race_needs_day: str


class GeneralTexts(_Group):
    menu: str
    help: str
    help_pause: str
    help_pain: str
    help_move: str
    help_log: str
    help_settings: str
    not_onboarded: str
    stale_button_new: str
    unknown: str
    stale_button: str
    error: str
    private_only: str
    private_only_link: str
    private_only_tap: str
    not_text: str
    too_long: str
    why: str

    def help_on(self, topic: str | None) -> str:
        """The help for what a "how do I ...?" asked about (pause, pain, move, log, settings); all of it otherwise."""
        text: str = getattr(self, f"help_{topic}", self.help) if topic else self.help
        return text


class RenderTexts(_Group):
    week_header: str
    day_line: str
    race_day_line: str
    today_header: str
    session_header: str
    warmup: str
    exercise_name: str
    dose: str
    effort: str
    rest: str
    rest_minutes: str
    rest_minutes_range: str
    rest_seconds: str
    ramp: str
    contacts: str
    load_cue: str
    rest_line: str
    reason: str
    none: str
    no_race: str


class SettingsTexts(_Group):
    """/settings: the current settings, a button for each, and what a change did."""

    summary: str
    sessions_default: str
    sessions_set: str
    btn_reminder: str
    btn_timezone: str
    btn_equipment: str
    btn_minutes: str
    btn_niggles: str
    btn_sessions: str
    btn_sessions_2: str
    btn_sessions_3: str
    ask_sessions: str
    changed_delivery: str
    changed_equipment: str
    changed_minutes: str
    changed_niggles: str
    changed_sessions: str
    replanned: str
    cancelled: str
    closed: str


class LoopTexts(_Group):
    """The daily loop: prompts, check-ins, nudges, the weekly review, pause and resume."""

    btn_done: str
    btn_partly: str
    btn_skip: str
    btn_swap: str
    btn_later: str
    btn_mobility_done: str
    btn_sore_none: str
    btn_sore_bit: str
    btn_sore_very: str
    btn_sore_pain: str
    btn_pain_better: str
    btn_pain_same: str
    btn_niggle_ok: str
    btn_niggle_flare: str
    btn_morning_ok: str
    btn_morning_worse: str
    btn_week_better: str
    btn_week_same: str
    btn_week_worse: str
    btn_red_flag_yes: str
    btn_red_flag_no: str
    btn_level_yes: str
    btn_level_no: str
    btn_pause: str
    nudge: str
    later_again: str
    logged_done: str
    logged_partly: str
    logged_skipped: str
    logged_mobility: str
    logged_rpe: str
    logged_soreness: str
    logged_pain: str
    logged_niggle_ok: str
    logged_niggle_flare: str
    logged_test: str
    ask_test: str
    test_each_side: str
    ask_morning: str
    morning_logged: str
    ask_compare: str
    niggle_up: str
    niggle_held: str
    niggle_down: str
    niggle_removed: str
    niggle_pain: str
    ask_rpe: str
    ask_soreness: str
    ask_pain_area: str
    ask_niggle: str
    checkin_thanks: str
    already_logged: str
    later_set: str
    later_too_late: str
    soreness_none: str
    soreness_a_bit: str
    soreness_very: str
    soreness_pain: str
    swapped_moved: str
    swapped_dropped: str
    not_lifting_today: str
    week_closed: str
    future_day: str
    no_session: str
    pain_rule: str
    ask_red_flag: str
    red_flag: str
    red_flag_no: str
    cleared: str
    area_cleared: str
    nothing_to_clear: str
    level_up: str
    level_kept: str
    delete_confirm: str
    btn_delete_yes: str
    btn_delete_no: str
    deleted: str
    delete_kept: str
    nothing_to_delete: str
    pain_check: str
    pain_better: str
    pain_same: str
    log_pick: str
    log_nothing: str
    log_day: str
    pause_until: str
    pause_open: str
    pause_bad_date: str
    pause_past: str
    already_paused: str
    resumed: str
    not_paused: str
    sore_offer: str
    sore_no_lift: str
    ill: str
    ill_swap: str
    ill_pause: str
    ill_urgent: str
    ill_urgent_pause: str
    moved_run: str
    moved_run_unclear: str
    moved_run_past: str
    ask_tune_up_distance: str
    btn_tune_up_unsure: str
    tune_up_set: str
    tune_up_unsure: str
    greeting: str
    thanks: str
    cheer: str
    unknown_command: str
    welcome_back: str
    review_title: str
    review_done: str
    review_partly: str
    review_effort: str
    review_no_effort: str
    review_soreness: str
    review_pain: str
    review_A1: str
    review_A1_blocked: str
    review_A1_later: str
    review_A1_top: str
    review_A1_held_step: str
    review_eased: str
    review_A2: str
    review_A2_no_answers: str
    review_A2_short: str
    review_A3: str
    review_A3_again: str
    review_A4: str
    review_A5: str
    review_no_lifting: str
    review_niggle_down: str
    ask_level_up_some: str
    ask_level_up_regular: str
    review_next: str
    admin_stats: str
    still_lifting: str
    btn_still_lifting_yes: str
    btn_still_lifting_no: str
    still_lifting_yes: str
    still_lifting_no: str
    offer_lighter: str
    btn_lighter_yes: str
    btn_lighter_no: str
    lighter_yes: str
    lighter_no: str
    tips: tuple[str, ...]

    def tip(self, week_number: int) -> str:
        """The tip for a week: consecutive weeks cycle through all tips, so none repeats sooner."""
        return self.tips[week_number % len(self.tips)]


class Ui(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    buttons: ButtonsTexts
    onboarding: OnboardingTexts
    reasks: ReasksTexts
    general: GeneralTexts
    render: RenderTexts
    commands: dict[str, str]
    settings: SettingsTexts
    loop: LoopTexts
    why: dict[str, str]  # a question's value -> why it is asked, in one line


PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("onboarding", "welcome"): frozenset({"name"}),
    ("onboarding", "run_days_picked"): frozenset({"days"}),
    ("onboarding", "quality_days_picked"): frozenset({"days"}),
    ("onboarding", "ask_race_date"): frozenset({"distance"}),
    ("onboarding", "niggles_picked"): frozenset({"areas"}),
    ("onboarding", "equipment_picked"): frozenset({"equipment"}),
    ("onboarding", "ask_niggle_flag"): frozenset({"area"}),
    ("onboarding", "timezone_found"): frozenset({"local_time", "timezone"}),
    ("onboarding", "ask_reminder_sure"): frozenset({"time"}),
    ("onboarding", "typed_kept"): frozenset({"kept", "tapped"}),
    ("buttons", "night_sure"): frozenset({"time"}),
    ("reasks", "ambiguous_date"): frozenset({"first", "second"}),
    ("reasks", "no_place"): frozenset({"place"}),
    ("reasks", "many_zones"): frozenset({"country"}),
    ("reasks", "did_you_mean"): frozenset({"answer"}),
    ("reasks", "race_needs_day"): frozenset({"month"}),
    ("onboarding", "ask_race_day"): frozenset({"month", "distance"}),
    ("onboarding", "pain_noted"): frozenset({"area"}),
    ("onboarding", "pain_added"): frozenset({"area"}),
    ("onboarding", "summary"): frozenset(
        {"level", "runs", "equipment", "name", "minutes", "timezone", "race", "niggles", "reminder"}
    ),
    ("settings", "summary"): frozenset({"name", "equipment", "minutes", "niggles", "sessions", "reminder", "timezone"}),
    ("settings", "sessions_set"): frozenset({"count"}),
    ("settings", "changed_delivery"): frozenset({"reminder", "timezone"}),
    ("settings", "changed_equipment"): frozenset({"equipment"}),
    ("settings", "changed_minutes"): frozenset({"minutes"}),
    ("settings", "changed_niggles"): frozenset({"niggles"}),
    ("settings", "changed_sessions"): frozenset({"sessions"}),
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
    ("loop", "later_set"): frozenset({"time"}),
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
    ("loop", "pain_better"): frozenset({"area"}),
    ("loop", "pain_same"): frozenset({"area"}),
    ("loop", "log_day"): frozenset({"weekday", "date", "title"}),
    ("loop", "pause_until"): frozenset({"date"}),
    ("loop", "moved_run"): frozenset({"run", "weekday"}),
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
    ("loop", "review_title"): frozenset({"start", "end"}),
    ("loop", "review_done"): frozenset({"done", "planned", "partly"}),
    ("loop", "review_partly"): frozenset({"partial"}),
    ("loop", "review_effort"): frozenset({"rpe"}),
    ("loop", "review_soreness"): frozenset({"count"}),
    ("loop", "review_pain"): frozenset({"areas"}),
}


def load_ui(directory: Path = CONTENT_DIR) -> Ui:
    """Read `ui.yaml`; every problem names the group, the key and what is wrong."""
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
    problems = []
    for group, texts in ui.model_dump().items():
        for key, value in texts.items():
            for text in value if isinstance(value, tuple | list) else [value]:
                problems.extend(_placeholder_problems(group, key, text))
    if problems:
        raise ContentError(problems)
    return ui


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
    return load_ui(CONTENT_DIR)
