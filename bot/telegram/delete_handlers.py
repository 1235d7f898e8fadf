"""/delete: everything the bot stores about a runner, erased after one confirmation.

The erasing is one use case, ``Coach.forget`` (``bot.services.forget.forget_runner`` in its own unit
of work); afterwards this process also forgets that it saw them onboarded, so nothing about them is
left in memory either.
"""

from __future__ import annotations

from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.services.ports import Button, Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import DELETE
from bot.telegram.render import SEP, parse_callback
from bot.telegram.replies import answer_tap

log = structlog.get_logger(__name__)


def confirmation(context: CoachContext) -> Outgoing:
    t = context.deps.ui.loop
    return Outgoing(
        t.delete_confirm,
        (
            (
                Button(t.btn_delete_yes, SEP.join((DELETE, "all", "yes"))),
                Button(t.btn_delete_no, SEP.join((DELETE, "all", "no"))),
            ),
        ),
    )


async def delete_command(update: Update, context: CoachContext) -> None:
    """/delete asks first: a tap on "Yes, delete everything" erases."""
    message = update.effective_message
    assert message is not None
    await context.deps.sender.send(message.chat.id, confirmation(context))


async def delete_tap(update: Update, context: CoachContext) -> None:
    """``del|all|yes`` erases everything; ``del|all|no`` keeps it. The question becomes the answer."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[:2] != (DELETE, "all") or parsed[2] not in ("yes", "no"):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    await answer_tap(update, context)
    message = query.message if isinstance(query.message, Message) else None
    text = await _forget(context, user.id) if parsed[2] == "yes" else context.deps.ui.loop.delete_kept
    if message is not None:
        await context.deps.sender.edit(message.chat.id, message.message_id, Outgoing(text))


async def _forget(context: CoachContext, user_id: int) -> str:
    """Erase the runner; what to tell them."""
    deps = context.deps
    found = await deps.coach.forget(user_id)
    context.forget_brief()
    log.info("runner.deleted", found=found)
    return deps.ui.loop.deleted if found else deps.ui.loop.nothing_to_delete


def delete_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [
        CommandHandler("delete", delete_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(delete_tap, pattern=rf"^{DELETE}\|"),
    ]
