"""A day's prompt stored ready to send, written with the day when it is planned.

The dispatcher's busy minute sends one prompt per runner; drawing each from its stored day costs
more than finding, claiming and recording it. So when a day is stored, its plain prompt (the
session and its check-in buttons, as ``bot.telegram.loop_render.LoopRenderer.prompt`` draws it)
is stored beside it, with the fingerprint of what drew it (texts, names and the drawing code).
The stored plan stays the record of what was prescribed; the prompt is only a copy of its drawing:

- re-planning rewrites the day and its prompt in one statement (no drawer: no prompt);
- a prompt whose fingerprint is not the running drawer's (new wording, new code) is drawn again;
- a prompt that is not the plain one (a reason about yesterday worded as it happened, a "later"
  re-send, a race question, a welcome back) is drawn from the day as always.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Protocol

from bot.coach.model import DayPlan
from bot.services.ports import Button, Outgoing


class PromptDrawer(Protocol):
    """Draws a day's plain prompt; ``fingerprint`` changes whenever what it draws could."""

    @property
    def fingerprint(self) -> str: ...

    def prompt(self, day: DayPlan, intro: str | None = None) -> Outgoing: ...


@dataclass(frozen=True, slots=True)
class ReadyPrompt:
    """A stored prompt and the fingerprint of the drawer that drew it."""

    fingerprint: str
    message: Outgoing


def ready_json(drawer: PromptDrawer, day: DayPlan) -> dict[str, Any]:
    """The day's plain prompt as stored (text, buttons as [label, data] pairs, fingerprint)."""
    message = drawer.prompt(day)
    return {
        "v": drawer.fingerprint,
        "text": message.text,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
    }


@functools.lru_cache(maxsize=4096)
def _button(label: str, data: str) -> Button:
    """One button, shared: a morning's prompts carry the same few buttons for the same date."""
    return Button(label, data)


def ready_from_json(data: Any) -> ReadyPrompt | None:
    """A stored prompt back; None for anything that is not one (so it is drawn afresh)."""
    if not isinstance(data, dict):
        return None
    try:
        rows = tuple(tuple(_button(label, callback) for label, callback in row) for row in data["buttons"])
        return ReadyPrompt(str(data["v"]), Outgoing(str(data["text"]), rows))
    except (KeyError, TypeError, ValueError):
        return None
