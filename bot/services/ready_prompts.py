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

Beside the prompt, the few facts of the day the dispatcher decides a plain prompt on (its session
kind, its run, its reason's key: ``DayFacts``), so a plain prompt is sent without decoding the
stored day at all (``StoredDay``: the day is decoded only when something asks for it). A prompt
stored without them (before they were) is decided on the decoded day, as before.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.coach.logged_reasons import AS_LOGGED
from bot.coach.model import DayPlan, RunKind, SessionKind
from bot.coach.vocabulary import ReasonKey
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


@dataclass(frozen=True, slots=True)
class DayFacts:
    """What the dispatcher decides a day's plain prompt on, stored with it: stored as values and
    judged by the running code (which reasons speak of yesterday may change with it)."""

    kind: SessionKind
    run: RunKind
    reason: ReasonKey | None

    @property
    def plain(self) -> bool:
        """A day whose prompt is the stored one when nothing else (a check-in, a race yesterday, a
        quieter rhythm) says otherwise: a session, no race today, no reason about yesterday."""
        return self.kind is not SessionKind.REST and self.run is not RunKind.RACE and self.reason not in AS_LOGGED


def facts_of(day: DayPlan) -> DayFacts:
    return DayFacts(day.session.kind, day.run, day.session.reason.key)


def ready_json(drawer: PromptDrawer, day: DayPlan) -> dict[str, Any]:
    """The day's plain prompt as stored (text, buttons as [label, data] pairs, fingerprint) and
    the day's facts."""
    message = drawer.prompt(day)
    facts = facts_of(day)
    return {
        "v": drawer.fingerprint,
        "text": message.text,
        "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        "facts": {"kind": facts.kind.value, "run": facts.run.value, "reason": facts.reason},
    }


@functools.lru_cache(maxsize=1024)
def _facts(kind: str, run: str, reason: str | None) -> DayFacts:
    """Facts shared: a morning's days hold a few kinds, runs and reasons."""
    return DayFacts(SessionKind(kind), RunKind(run), None if reason is None else ReasonKey(reason))


def facts_from_json(data: Any) -> DayFacts | None:
    """The facts stored with a prompt; None when there are none (an older prompt) or they do not
    read (a value the running code no longer knows): the day is decoded instead."""
    facts = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(facts, dict):
        return None
    try:
        return _facts(facts["kind"], facts["run"], facts["reason"])
    except (KeyError, TypeError, ValueError):
        return None


class StoredDay:
    """A stored day as the dispatcher reads it: its ready prompt and facts at once, the day itself
    decoded only when asked for (once)."""

    __slots__ = ("_day", "_decode", "facts", "ready")

    def __init__(self, ready: ReadyPrompt | None, facts: DayFacts | None, decode: Callable[[], DayPlan]) -> None:
        self.ready = ready
        self.facts = facts
        self._decode: Callable[[], DayPlan] | None = decode
        self._day: DayPlan | None = None

    @classmethod
    def decoded(cls, day: DayPlan, ready: ReadyPrompt | None = None) -> StoredDay:
        """A day already decoded (no facts: every decision reads the day)."""
        stored = cls(ready, None, lambda: day)
        stored._day = day
        return stored

    @property
    def day(self) -> DayPlan:
        if self._day is None:
            assert self._decode is not None
            self._day, self._decode = self._decode(), None
        return self._day

    @property
    def run(self) -> RunKind:
        return self.facts.run if self.facts is not None else self.day.run


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


@functools.lru_cache(maxsize=1024)
def stored_prompt(text: str) -> tuple[ReadyPrompt | None, DayFacts | None]:
    """A stored prompt and its day's facts read from the column's JSON text; (None, None) for
    anything that is not one. Kept by text: a morning's runners on the same plan share a day and
    its prompt, and parsing one (its JSON and buttons) costs more than the rest of its decision."""
    try:
        data = json.loads(text)
    except ValueError:
        return None, None
    ready = ready_from_json(data)
    return ready, facts_from_json(data) if ready is not None else None
