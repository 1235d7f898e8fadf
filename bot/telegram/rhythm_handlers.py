"""The rhythm: every tap, text or command moves ``runners.last_heard_at``, which the dispatcher reads
to quieten the rhythm for a runner who stopped answering (``bot.services.rhythm``); and the /settings
choice of which days get a prompt (every session day, or the lifting days only)."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services import rhythm_cases
from bot.services.ports import Outgoing
from bot.telegram import log_render
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import PROMPTS
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap

CHOICES = (("ask", "-"), ("set", "all"), ("set", "lifting"), ("set", "cancel"))


async def heard_gate(update: object, context: CoachContext) -> None:
    """Runs ahead of every handler and lets the update go on: a new message or a tap is an answer."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    if update.message is None and update.callback_query is None:
        return
    user_id = update.effective_user.id
    if (await context.brief(user_id)).heard_due(context.deps.clock.now()):  # else written within the hour
        await rhythm_cases.heard(context.deps.coach, user_id)


async def prompts_tap(update: Update, context: CoachContext) -> None:
    """``pr|ask|-`` (the /settings button) asks which days get a prompt; ``pr|set|all``,
    ``pr|set|lifting`` answer it and ``pr|set|cancel`` leaves it, the question edited in place."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[1:] not in CHOICES or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    if parsed[2] == "cancel":
        return await _leave(update, context, query.message, context.deps.ui.settings.cancelled)
    lifting = None if parsed[1] == "ask" else parsed[2] == "lifting"
    result = await rhythm_cases.prompts(context.deps.coach, user.id, lifting)
    if result is None:
        return await answer_tap(update, context, context.deps.ui.general.not_onboarded)
    if lifting is not None:
        return await _leave(update, context, query.message, log_render.prompts_changed(context, result))
    await answer_tap(update, context)
    await context.deps.sender.send(query.message.chat.id, log_render.prompts_question(context, result))


async def _leave(update: Update, context: CoachContext, message: Message, text: str) -> None:
    """The tap answered, and the tapped question left in the chat as ``text``, its buttons gone."""
    await answer_tap(update, context)
    await context.deps.sender.edit(message.chat.id, message.message_id, Outgoing(text))


def rhythm_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [CallbackQueryHandler(prompts_tap, pattern=rf"^{PROMPTS}\|")]
