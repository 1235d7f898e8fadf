"""The gate in front of every handler that reads a tap: only buttons this bot offered in this chat
get through (see :mod:`bot.telegram.signing`)."""

from __future__ import annotations

import structlog
from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import CoachContext
from bot.telegram.replies import answer_tap

log = structlog.get_logger(__name__)


def offered(message: object, data: str) -> bool:
    """Whether the message the tap came from still carries a button with this data (True when
    Telegram does not show the message: then the MAC alone vouches for the tap)."""
    if not isinstance(message, Message):
        return True
    markup = message.reply_markup
    return markup is not None and any(b.callback_data == data for row in markup.inline_keyboard for b in row)


async def signed_taps(update: Update, context: CoachContext) -> None:
    """Let a tap through only if its button was offered in this chat; answer any other tap
    "that button no longer works" and stop it there, so nothing stored changes."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    if context.deps.signer.verify(chat.id, query.data) and offered(query.message, query.data or ""):
        return
    log.warning("tap.refused", reason="not a button offered in this chat", size=len(query.data or ""))
    await answer_tap(update, context, context.deps.ui.general.button_gone)  # a late one: nothing else to do
    raise ApplicationHandlerStop
