"""The runner heard from: every tap, text or command moves ``runners.last_heard_at``, which the
dispatcher reads to quieten the rhythm for a runner who stopped answering (``bot.services.rhythm``)."""

from __future__ import annotations

from telegram import Update

from bot.services import rhythm_cases
from bot.telegram.context import CoachContext


async def heard_gate(update: object, context: CoachContext) -> None:
    """Runs ahead of every handler and lets the update go on: a new message or a tap is an answer."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    if update.message is None and update.callback_query is None:
        return
    await rhythm_cases.heard(context.deps.coach, update.effective_user.id)
