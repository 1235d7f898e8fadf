"""The texts of the runner's own data (``history:`` in `content/ui.yaml`): /history and /stats with
their chart, and /export. Joined into ``bot.content.ui.Ui`` with their placeholders."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class HistoryTexts(_Group):
    title: str
    week: str
    effort: str
    no_effort: str
    this_week: str
    not_reviewed: str
    rule_A1: str
    rule_A2: str
    rule_A3: str
    rule_A4: str
    rule_A5: str
    niggle_down: str
    rungs: str
    rung: str
    summary: str
    summary_effort: str
    nothing_yet: str
    chart_caption: str
    chart_title: str
    chart_sessions: str
    chart_effort: str
    chart_planned: str
    chart_done: str
    chart_partly: str
    export_json: str
    export_csv: str
    export_empty: str
    btn_chart_setting: str
    ask_chart: str
    chart_on: str
    chart_off: str
    btn_chart_on: str
    btn_chart_off: str
    btn_chart_cancel: str
    chart_changed: str


HISTORY_PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("history", "title"): frozenset({"start"}),
    ("history", "week"): frozenset({"start", "planned", "done", "partly", "skipped", "swapped", "effort", "rule"}),
    ("history", "effort"): frozenset({"rpe"}),
    ("history", "niggle_down"): frozenset({"area"}),
    ("history", "rungs"): frozenset({"rungs"}),
    ("history", "rung"): frozenset({"area", "rung"}),
    ("history", "summary"): frozenset({"start", "done", "planned", "partly", "skipped", "swapped"}),
    ("history", "summary_effort"): frozenset({"rpe"}),
    ("history", "ask_chart"): frozenset({"current"}),
    ("history", "chart_changed"): frozenset({"current"}),
}
