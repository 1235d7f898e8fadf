"""The runner's history in words and as a chart (``/history``, ``/stats``), and ``/export``'s files."""

from __future__ import annotations

from typing import NamedTuple

from bot.content.ui_history import HistoryTexts
from bot.services.history import History, WeekHistory
from bot.services.runner_data import Export
from bot.telegram.chart import draw
from bot.telegram.render import day_month

CHART_FILE = "history.png"
EXPORT_FILE = "coach-export.json"
CHECKINS_FILE = "coach-checkins.csv"


class File(NamedTuple):
    name: str
    content: bytes
    caption: str


class HistoryRenderer:
    def __init__(self, texts: HistoryTexts) -> None:
        self.t = texts

    def weeks(self, history: History) -> str:
        """/history: one line per week, oldest first, then each niggle's rung now."""
        t = self.t
        lines = [t.fmt("title", start=day_month(history.weeks[0].start))]
        lines += [self._week(week, week is history.weeks[-1]) for week in history.weeks]
        if history.rungs:
            rungs = ", ".join(t.fmt("rung", area=area.value, rung=rung) for area, rung in history.rungs)
            lines.append(t.fmt("rungs", rungs=rungs))
        return "\n".join(lines)

    def _week(self, week: WeekHistory, current: bool) -> str:
        t = self.t
        rule = ", ".join(getattr(t, f"rule_{r}") for r in week.rules if hasattr(t, f"rule_{r}"))
        rule = rule or (t.this_week if current else t.not_reviewed)
        rule = "; ".join([rule, *(t.fmt("niggle_down", area=area) for area in week.niggles_down)])
        return t.fmt(
            "week",
            start=day_month(week.start),
            planned=week.planned,
            done=week.done,
            partly=week.partial,
            skipped=week.skipped,
            swapped=week.swapped,
            effort=self._effort(week.mean_rpe),
            rule=rule,
        )

    def _effort(self, rpe: float | None) -> str:
        return self.t.no_effort if rpe is None else self.t.fmt("effort", rpe=f"{rpe:g}")

    def summary(self, history: History) -> str:
        """/stats: the weeks in one sum, and the average effort over them."""
        weeks = history.weeks
        efforts = [w.mean_rpe for w in weeks if w.mean_rpe is not None]
        text = self.t.fmt(
            "summary",
            start=day_month(weeks[0].start),
            done=sum(w.done for w in weeks),
            planned=sum(w.planned for w in weeks),
            partly=sum(w.partial for w in weeks),
            skipped=sum(w.skipped for w in weeks),
            swapped=sum(w.swapped for w in weeks),
        )
        rpe = f"{round(sum(efforts) / len(efforts), 1):g}" if efforts else "-"
        return f"{text}\n{self.t.fmt('summary_effort', rpe=rpe)}"

    def chart(self, history: History) -> File:
        """The chart as a picture to send: its name, the PNG, its caption."""
        return File(CHART_FILE, draw(history, self.t).png, self.t.chart_caption)

    def export(self, export: Export) -> tuple[File, File]:
        """/export's two documents: the JSON of everything, the CSV of the check-ins."""
        return (
            File(EXPORT_FILE, export.json, self.t.export_empty if export.empty else self.t.export_json),
            File(CHECKINS_FILE, export.csv, self.t.export_csv),
        )
