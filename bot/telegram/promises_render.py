"""What the coach's kept promises look like: the welcome back on the day a pause ends (with what
the break's length changed), above that day's session."""

from __future__ import annotations

from bot.coach.gaps import ReturnRule
from bot.coach.model import DayPlan, SessionKind
from bot.content.ui import Ui
from bot.services.ports import Outgoing
from bot.telegram.loop_render import LoopRenderer


def welcome_back(ui: Ui, rule: ReturnRule) -> str:
    """ "Welcome back!" and what the break's length changed (nothing, under a week)."""
    return ui.promises.fmt("welcome_back", rule=getattr(ui.promises, f"back_{rule.value}"))


def welcome_prompt(render: LoopRenderer, rule: ReturnRule, day: DayPlan) -> Outgoing:
    """The first day back's prompt, the welcome above it (a rest day: no check-in buttons)."""
    prompt = render.prompt(day, welcome_back(render.ui, rule))
    return Outgoing(prompt.text) if day.session.kind is SessionKind.REST else prompt
