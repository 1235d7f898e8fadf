"""The timezone question's choices: when a typed place names several zones ("Valencia", "Portugal"),
each is offered as a button with its local time now, so a wrong zone is visible before it is picked;
and the local time now that every timezone confirmation shows."""

from __future__ import annotations

from typing import Any

from bot.services.onboarding import Draft, Question
from bot.services.timezones import zone
from bot.telegram.context import CoachContext
from bot.telegram.render import Asked, callback, keyboard


def local_time(context: CoachContext, name: str) -> str:
    """The time now (the app's clock) in zone ``name``, as "14:05"."""
    return context.deps.clock.now().astimezone(zone(name)).strftime("%H:%M")


def offered(answers: dict[str, Any]) -> dict[str, Any] | None:
    """The places waiting to be picked at the timezone question, if any."""
    draft = answers.get(Draft.PLACES)
    return draft if isinstance(draft, dict) and draft.get("places") else None


def pick_place(context: CoachContext, scope: str, draft: dict[str, Any]) -> Asked:
    """ "Which Valencia is yours?": one button a place, each with its time now."""
    ui = context.deps.ui
    said = str(draft["said"])
    text = (
        ui.onboarding.fmt("pick_zone", country=said)
        if draft["country"]
        else ui.onboarding.fmt("pick_place", place=said)
    )
    q = Question.TIMEZONE.value
    rows = [
        [(ui.buttons.fmt("place_now", place=name, time=local_time(context, name_zone)), callback(scope, q, name_zone))]
        for name, name_zone in draft["places"]
    ]
    return Asked(text, keyboard(rows))
