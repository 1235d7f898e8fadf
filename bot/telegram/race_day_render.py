"""What race day and the day after look like: the race morning's message with the days after it,
"How did your race go?" with four taps (under the day's prompt, or on its own), and the answer."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import DayPlan
from bot.services.ports import Button, Outgoing
from bot.services.problems import Problem
from bot.services.race_day import RaceFeel, RaceTold
from bot.telegram.loop_render import LoopRenderer, data

RACE_FEEL = "rf"  # rf|<race date>|<feel>: how yesterday's race went


def race_morning(loop: LoopRenderer, day: DayPlan, after: tuple[DayPlan, ...]) -> Outgoing:
    t = loop.text
    lines = [t.race_morning]
    if after:
        lines += ["", t.race_after, *(loop.render.day_line(d) for d in after)]
    return Outgoing("\n".join(lines))


def race_buttons(loop: LoopRenderer, race_day: dt.date) -> tuple[tuple[Button, ...], ...]:
    t = loop.text
    labels = {RaceFeel.GREAT: t.btn_race_great, RaceFeel.OK: t.btn_race_ok, RaceFeel.TOUGH: t.btn_race_tough}
    labels[RaceFeel.DNS] = t.btn_race_dns
    return (tuple(Button(label, data(RACE_FEEL, race_day, feel.value)) for feel, label in labels.items()),)


def with_race_question(loop: LoopRenderer, prompt: Outgoing | None, race_day: dt.date) -> Outgoing:
    """The day's prompt (if any) with "How did your race go?" and its taps under it."""
    if prompt is None:
        return Outgoing(loop.text.race_ask, race_buttons(loop, race_day))
    return Outgoing(f"{prompt.text}\n\n{loop.text.race_ask}", prompt.buttons + race_buttons(loop, race_day))


def race_told(loop: LoopRenderer, told: RaceTold) -> str:
    t = loop.text
    if told.feel is RaceFeel.TOUGH:
        return t.race_told_tough if told.eased else t.race_told_tough_held
    return str(getattr(t, f"race_told_{told.feel.value}"))


def parse_feel(value: str) -> RaceFeel | Problem:
    return RaceFeel(value) if value in RaceFeel.__members__.values() else Problem.NEED_STATUS
