"""How a handler answers the runner: a text in their chat, a tapped button's pop-up, a problem's
words; each through the one way out, ``deps.sender`` (``bot.services.chat.Chat``)."""

from __future__ import annotations

import structlog
from telegram import Update

from bot.services.loop import Problem
from bot.services.ports import Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.render import Asked

log = structlog.get_logger(__name__)


async def say(context: CoachContext, chat_id: int, text: str) -> int:
    """Send a plain text to the chat; the message's id."""
    return await context.deps.sender.send(chat_id, Outgoing(text))


async def answer_tap(update: Update, context: CoachContext, text: str | None = None) -> None:
    """Answer the tap so the button stops spinning; an old query that can no longer be answered
    is not the runner's problem."""
    query = update.callback_query
    assert query is not None
    try:
        await context.deps.sender.answer(query.id, text)
    except Exception:
        log.info("checkin.answer_late")


def problem_text(context: CoachContext, problem: Problem) -> str:
    if problem is Problem.NOT_ONBOARDED:
        return context.deps.ui.general.not_onboarded
    if problem is Problem.NEED_STATUS:
        return context.deps.ui.general.stale_button
    ui = context.deps.ui
    return str(getattr(ui.loop, problem.value, None) or getattr(ui.promises, problem.value))


async def ask(context: CoachContext, chat_id: int, asked: Asked) -> int:
    """Send a question with its inline buttons, or with its keys under the text field; its id."""
    if asked.keys is not None:
        return await context.deps.sender.reply(chat_id, asked.text, asked.keys)
    return await context.deps.sender.send(chat_id, Outgoing(asked.text, asked.buttons))
