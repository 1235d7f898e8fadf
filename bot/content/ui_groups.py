"""The groups of the bot's chat texts (`content/ui.yaml`): one frozen pydantic model per group,
each text a field, so a missing or unknown key fails at start-up. :mod:`bot.content.ui` joins them
into ``Ui`` and checks their placeholders."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from bot.coach.plural import Plural, fill
from bot.content.tips import Tip, TipWeek


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def fmt(self, key: str, **fields: object) -> str:
        """A text with its placeholders filled in (in the form its number asks for)."""
        text: str | Plural = getattr(self, key)
        return fill(text, fields)


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
    place_now: str
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
    pick_place: str
    pick_zone: str
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
    button_gone: str
    unknown: str
    stale_button: str
    error: str
    trouble: str
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
    btn_level: str
    btn_run_days: str
    btn_long_day: str
    btn_quality_days: str
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
    changed_level: str
    changed_calendar: str
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
    before_joining: str
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
    pause_planned: str
    pause_bad_date: str
    pause_past: str
    pause_far: str
    already_paused: str
    not_paused: str
    sore_offer: str
    sore_no_lift: str
    ill: str
    ill_swap: str
    ill_pause: str
    ill_urgent: str
    ill_urgent_pause: str
    moved_run: str
    race_morning: str
    race_after: str
    race_ask: str
    btn_race_great: str
    btn_race_ok: str
    btn_race_tough: str
    btn_race_dns: str
    race_told_great: str
    race_told_ok: str
    race_told_tough: str
    race_told_tough_held: str
    race_told_dns: str
    moved_run_week: str
    moved_run_swapped: str
    moved_run_dropped: str
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
    review_done: Plural
    review_partly: str
    review_effort: str
    review_no_effort: str
    review_soreness: Plural
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
    flare_down: str
    flare_rest: str
    flare_pain: str
    ask_level_up_some: str
    ask_level_up_regular: str
    review_next: str
    admin_stats: str
    admin_lag: str  # how late the latest batch of prompts went out
    admin_no_lag: str
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
    tips: tuple[Tip, ...]

    def tip(self, week_number: int, week: TipWeek | None = None) -> str:
        """The tip for a week: consecutive weeks cycle through the tips that fit the runner's week,
        so none repeats sooner than it must."""
        fitting = [tip for tip in self.tips if week is None or tip.fits(week)]
        return (fitting or list(self.tips))[week_number % len(fitting or self.tips)].text
