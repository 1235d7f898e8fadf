"""The chart of /history and /stats: sessions planned and done per week, and the mean effort.

Drawn in memory with matplotlib's Agg canvas (no display, no ``pyplot`` and its global state),
as a PNG about 1000 x 700 px with large type, so it reads on a phone. matplotlib is imported
inside :func:`draw`: the bot loads it the first time a chart is asked for, not at start.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.content.ui_history import HistoryTexts
from bot.services.history import History
from bot.telegram.render import day_month

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 10, 7, 100  # 1000 x 700 px
PLANNED, DONE, PARTLY, EFFORT = "#c9ced6", "#2e8b57", "#9fd3b4", "#d2691e"
BIG, MEDIUM = 26, 20


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart plots, week by week (oldest first); ``effort`` is None for a week with none."""

    weeks: tuple[str, ...]
    planned: tuple[int, ...]
    done: tuple[int, ...]
    partly: tuple[int, ...]
    effort: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    png: bytes
    data: ChartData
    figure: Figure  # the drawn figure: its bars and line can be read back


def chart_data(history: History) -> ChartData:
    weeks = history.weeks
    return ChartData(
        weeks=tuple(day_month(w.start) for w in weeks),
        planned=tuple(w.planned for w in weeks),
        done=tuple(w.done for w in weeks),
        partly=tuple(w.partial for w in weeks),
        effort=tuple(w.mean_rpe for w in weeks),
    )


def draw(history: History, t: HistoryTexts) -> Chart:
    """The chart as a PNG, with the figure it was drawn from."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # loaded when the first chart is drawn
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    data = chart_data(history)
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    sessions = figure.add_subplot()
    x = list(range(len(data.weeks)))
    sessions.bar([i - 0.2 for i in x], data.planned, 0.4, color=PLANNED, label=t.chart_planned)
    sessions.bar([i + 0.2 for i in x], data.done, 0.4, color=DONE, label=t.chart_done)
    sessions.bar([i + 0.2 for i in x], data.partly, 0.4, bottom=data.done, color=PARTLY, label=t.chart_partly)
    sessions.set_xticks(x, data.weeks, fontsize=MEDIUM, rotation=45 if len(x) > 5 else 0)
    top = max([*data.planned, *(d + p for d, p in zip(data.done, data.partly, strict=True)), 1])
    sessions.set_ylim(0, top + 1)
    sessions.yaxis.set_major_locator(MaxNLocator(integer=True))
    sessions.tick_params(axis="y", labelsize=MEDIUM)
    sessions.set_ylabel(t.chart_sessions, fontsize=MEDIUM)
    sessions.set_title(t.chart_title, fontsize=BIG)
    effort = sessions.twinx()
    values = [math.nan if e is None else e for e in data.effort]
    effort.plot(x, values, color=EFFORT, marker="o", markersize=12, linewidth=4, label=t.chart_effort)
    effort.set_ylim(0, 10.5)
    effort.tick_params(axis="y", labelsize=MEDIUM, colors=EFFORT)
    effort.set_ylabel(t.chart_effort, fontsize=MEDIUM, color=EFFORT)
    handles = [*sessions.get_legend_handles_labels()[0], *effort.get_legend_handles_labels()[0]]
    figure.legend(handles=handles, fontsize=MEDIUM, loc="outside lower center", ncols=4, frameon=False)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return Chart(out.getvalue(), data, figure)
