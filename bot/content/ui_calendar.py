"""/calendar's texts (`content/ui.yaml`, group ``calendar``) and the placeholders each may use."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class CalendarTexts(_Group):
    """/calendar: this week and next, changing a day or the usual week, what a change moved, undo."""

    shown: str
    week_header: str
    hint: str
    btn_template: str
    btn_race: str
    btn_back: str
    ask_day: str
    ask_weekday: str
    ask_weekday_kind: str
    changed: str
    unchanged: str
    day_changed: str
    template_now: str
    sessions_moved: str
    session_moved: str
    session_dropped: str
    session_added: str
    no_room: str
    today_kept: str
    btn_undo: str
    undone: str
    undo_nothing: str
    undo_later: str
    undo_passed: str
    past_date: str
    no_such_date: str
    not_understood: str
    tap_expected: str
    closed: str


CALENDAR_PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("calendar", "week_header"): frozenset({"start", "phase"}),
    ("calendar", "ask_day"): frozenset({"weekday", "date", "run"}),
    ("calendar", "ask_weekday_kind"): frozenset({"weekday", "run"}),
    ("calendar", "day_changed"): frozenset({"weekday", "date", "before", "after"}),
    ("calendar", "template_now"): frozenset({"runs"}),
    ("calendar", "session_moved"): frozenset({"title", "before", "after"}),
    ("calendar", "session_dropped"): frozenset({"title", "before"}),
    ("calendar", "session_added"): frozenset({"title", "after"}),
    ("calendar", "no_room"): frozenset({"start", "note"}),
    ("calendar", "past_date"): frozenset({"date"}),
    ("calendar", "no_such_date"): frozenset({"day", "month"}),
}
