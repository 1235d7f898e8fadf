"""Importing a training calendar: an ``.ics`` file sent as a document, then Confirm / Cancel, and
a race of the calendar given its place. The pending import lives in the database
(``bot.services.calendar_imports``), so any process serves the taps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.coach.calendar_import import MAX_ICS_BYTES, IcsProblem
from bot.services.calendar_imports import Preview, RaceChoice, RaceSet
from bot.services.feed_fetch import FetchProblem
from bot.services.ports import Outgoing
from bot.services.problems import Problem
from bot.telegram.calendar_render import changed_message
from bot.telegram.context import CoachContext
from bot.telegram.import_render import CANCEL, CONFIRM, SCOPE
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say

log = structlog.get_logger(__name__)

# a message that is one link and nothing else is a calendar feed, never free text for the intent reader
FEED_LINK = re.compile(r"^\s*(?:webcals?|https?)://\S+\s*$", re.IGNORECASE)


async def document_import(update: Update, context: CoachContext) -> None:
    """A calendar file: read for the runner's next two weeks and shown with Confirm / Cancel (a
    file announced over 1 MB is refused before it is downloaded)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.document is not None and user is not None
    size = message.document.file_size
    if size is not None and size > MAX_ICS_BYTES:
        await say(context, message.chat_id, context.deps.import_render.problem(IcsProblem.TOO_BIG))
        return
    data = await (await message.document.get_file()).download_as_bytearray()
    await show_preview(context, message.chat_id, await context.deps.imports.preview(user.id, bytes(data)))


async def feed_import(update: Update, context: CoachContext) -> None:
    """A message that is a calendar feed link (``webcal://``, ``https://``): fetched, read for the
    runner's next two weeks and shown with Confirm / Cancel. The link is never logged."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    result = await context.deps.imports.preview_feed(user.id, message.text.strip())
    await show_preview(context, message.chat_id, result)


async def show_preview(
    context: CoachContext, chat_id: int, result: Preview | IcsProblem | FetchProblem | Problem
) -> None:
    """The calendar understood, with Confirm / Cancel; or why it could not be used."""
    if isinstance(result, Problem):
        await say(context, chat_id, problem_text(context, result))
    elif isinstance(result, IcsProblem | FetchProblem):
        log.info("import.refused", problem=result.name)
        await say(context, chat_id, context.deps.import_render.problem(result))
    else:
        log.info("import.read", days=len(result.days), ignored=result.ignored)
        await context.deps.sender.send(chat_id, context.deps.import_render.preview(result))


async def import_tap(update: Update, context: CoachContext) -> None:
    """``ics|ok|-`` stores the pending import, ``ics|no|-`` drops it, ``ics|<choice>|<date>`` places a race."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[0] != SCOPE or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    if parsed[1] == CONFIRM:
        return await _confirm(update, context, user.id, query.message)
    if parsed[1] == CANCEL:
        return await _cancel(update, context, user.id, query.message)
    await _race(update, context, user.id, query.message, parsed[1], parsed[2])


async def _confirm(update: Update, context: CoachContext, user_id: int, message: Message) -> None:
    result = await context.deps.imports.confirm(user_id)
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    await answer_tap(update, context)
    log.info("import.stored", feed=result.url is not None, race=result.race is not None)
    await _settled(context, message, None)
    for outgoing in context.deps.import_render.stored(result, changed_message(context, result.changed)):
        await context.deps.sender.send(message.chat_id, outgoing)


async def _cancel(update: Update, context: CoachContext, user_id: int, message: Message) -> None:
    if not await context.deps.imports.cancel(user_id):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    await answer_tap(update, context)
    await _settled(context, message, context.deps.ui.imports.cancelled)


async def _race(update: Update, context: CoachContext, user_id: int, message: Message, choice: str, value: str) -> None:
    try:
        result: RaceSet | Problem = await context.deps.imports.choose_race(
            user_id, dt.date.fromisoformat(value), RaceChoice(choice)
        )
    except ValueError:
        result = Problem.NEED_STATUS
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    await answer_tap(update, context)
    await _settled(context, message, context.deps.import_render.race_set(result.race, result.choice))
    if result.changed is not None:
        await context.deps.sender.send(message.chat_id, changed_message(context, result.changed))
    if result.following is not None:
        await context.deps.sender.send(message.chat_id, context.deps.import_render.race_question(result.following))


async def _settled(context: CoachContext, message: Message, said: str | None) -> None:
    """The message kept, its buttons gone, with ``said`` added under it."""
    text = f"{message.text or ''}\n\n{said}" if said else message.text or ""
    await context.deps.sender.edit(message.chat.id, message.message_id, Outgoing(text.strip()))


def import_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    new = filters.UpdateType.MESSAGE
    return [
        MessageHandler(filters.Document.ALL & new, document_import),
        MessageHandler(filters.Regex(FEED_LINK) & filters.TEXT & ~filters.COMMAND & new, feed_import),
        CallbackQueryHandler(import_tap, pattern=rf"^{SCOPE}\|"),
    ]
