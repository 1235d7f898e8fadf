"""Private chats only: the coach talks to one runner at a time, in that runner's own chat.

Everything a runner told the coach (injuries, race date, timezone) is shown in replies, so a reply
must never land where others read it. This gate runs before every other handler (after the one
that binds the update to the log lines):

- a group, supergroup or channel gets one polite note (with a link to a private chat with the bot)
  the first time anything arrives from it, and nothing else, ever (the ``told_groups`` table
  remembers it across restarts and processes; a channel is never written to); a tapped button
  there gets a short pop-up;
- a message sent on behalf of a chat (``sender_chat``: anonymous group admins, linked channels)
  is dropped, since its sender is not a person the coach knows;
- a "private" update whose chat is not the sender's own chat cannot come from Telegram (a private
  chat's id is the user's id) and is dropped, so a forged update cannot fetch a runner's data.
"""

from __future__ import annotations

import contextlib

import structlog
from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import CoachContext

log = structlog.get_logger(__name__)


async def private_only(update: Update, context: CoachContext) -> None:
    """Let an update through only if it comes from a person in their own private chat."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:  # inline queries, polls...: nothing the coach handles, nothing to answer
        raise ApplicationHandlerStop
    if chat.type != Chat.PRIVATE:
        await _tell_group(update, context, chat)
        raise ApplicationHandlerStop
    message = update.effective_message
    if user is None or user.is_bot or chat.id != user.id or (message is not None and message.sender_chat):
        log.warning("update.dropped", reason="not the sender's own private chat")
        raise ApplicationHandlerStop


async def _tell_group(update: Update, context: CoachContext, chat: Chat) -> None:
    ui = context.deps.ui.general
    query = update.callback_query
    if query is not None:
        with contextlib.suppress(TelegramError):  # too old to answer: nothing else to do
            await query.answer(ui.private_only_tap)
    if chat.type == Chat.CHANNEL or not await context.deps.coach.first_word_to_group(chat.id):
        return
    log.info("group.told_private_only", chat_type=chat.type)
    username = context.bot.username
    text = ui.fmt("private_only_link", link=f"https://t.me/{username}") if username else ui.private_only
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as error:
        log.info("group.note_failed", error=type(error).__name__)
