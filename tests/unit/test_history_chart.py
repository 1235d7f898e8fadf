"""/history's chart: what it plots is the weeks it is given, at a size that reads on a phone, and
the bot does not load matplotlib until a chart is drawn."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

from bot.content.ui import default_ui
from bot.services.history import History, WeekHistory
from bot.telegram.chart import draw

ROOT = Path(__file__).resolve().parents[2]
MONDAY = dt.date(2026, 10, 12)


def weeks(*counts: tuple[int, int, int, float | None]) -> History:
    found = tuple(
        WeekHistory(MONDAY + dt.timedelta(weeks=i), planned, done, partly, 0, 0, effort)
        for i, (planned, done, partly, effort) in enumerate(counts)
    )
    return History(found[-1].start, found, ())


def test_the_chart_plots_each_weeks_sessions_and_effort_on_a_phone_sized_png() -> None:
    """Bars of planned, done and partly sessions, the effort line (a gap for a week without one),
    the weeks as dates; about 1000 x 700 px."""
    chart = draw(weeks((3, 2, 1, 6.5), (3, 3, 0, None), (2, 1, 0, 8.0)), default_ui().history)
    assert chart.png.startswith(b"\x89PNG") and (chart.figure.bbox.width, chart.figure.bbox.height) == (1000, 700)
    sessions, effort = chart.figure.axes
    planned, done, partly = sessions.containers
    assert [bar.get_height() for bar in planned] == [3, 3, 2]
    assert [bar.get_height() for bar in done] == [2, 3, 1]
    assert [bar.get_height() for bar in partly] == [1, 0, 0] and [bar.get_y() for bar in partly] == [2, 3, 1]
    ydata = list(effort.get_lines()[0].get_ydata())
    assert ydata[0] == 6.5 and math.isnan(ydata[1]) and ydata[2] == 8.0
    assert [label.get_text() for label in sessions.get_xticklabels()] == ["12 Oct", "19 Oct", "26 Oct"]
    assert chart.data.planned == (3, 3, 2)


def test_the_bot_does_not_load_matplotlib_until_a_chart_is_drawn() -> None:
    """Building the whole bot imports no matplotlib: an idle bot stays light."""
    code = "import sys, bot.app, bot.telegram.history_handlers; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
