"""The runner's own data: /history (week by week, with a chart), /stats (in short, with the same
chart), /export (everything stored, as files); and /admin, the operators' whole-bot figures.

Each handler parses the command, calls one use case on ``deps.data`` (or ``deps.coach``), renders
with ``deps.history_render`` and sends through ``deps.sender``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.services.history import History
from bot.telegram.context import CoachContext
from bot.telegram.handlers import unknown_command
from bot.telegram.replies import say

log = structlog.get_logger(__name__)


def _ids(update: Update) -> tuple[int, int]:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    return message.chat_id, user.id


async def history_command(update: Update, context: CoachContext) -> None:
    """/history: the last 8 weeks, a line each, then the chart."""
    await _with_chart(update, context, context.deps.history_render.weeks)


async def stats_command(update: Update, context: CoachContext) -> None:
    """/stats: the same weeks in one sum, then the chart."""
    await _with_chart(update, context, context.deps.history_render.summary)


async def _with_chart(update: Update, context: CoachContext, words: Callable[[History], str]) -> None:
    chat_id, user_id = _ids(update)
    deps = context.deps
    found = await deps.data.history(user_id)
    if found is None or not found.weeks:
        await say(context, chat_id, deps.ui.general.not_onboarded if found is None else deps.ui.history.nothing_yet)
        return
    await say(context, chat_id, words(found))
    await deps.sender.photo(chat_id, *deps.history_render.chart(found))
    log.info("history.sent", weeks=len(found.weeks))


async def export_command(update: Update, context: CoachContext) -> None:
    """/export: everything stored about the runner (JSON) and their check-ins (CSV), as documents."""
    chat_id, user_id = _ids(update)
    deps = context.deps
    export = await deps.data.export(user_id)
    for file in deps.history_render.export(export):
        await deps.sender.document(chat_id, *file)
    log.info("export.sent", empty=export.empty)


async def admin_command(update: Update, context: CoachContext) -> None:
    """/admin, for the operators in ADMIN_IDS only: runners, who is active, what went out today.

    Anyone else gets the unknown-command answer: the command is not advertised.
    """
    chat_id, user_id = _ids(update)
    deps = context.deps
    if user_id not in deps.settings.admin_ids:
        await unknown_command(update, context)
        return
    await say(context, chat_id, deps.render.stats(await deps.coach.stats()))


def history_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    new = filters.UpdateType.MESSAGE
    return [
        CommandHandler("history", history_command, filters=new),
        CommandHandler("stats", stats_command, filters=new),
        CommandHandler("export", export_command, filters=new),
        CommandHandler("admin", admin_command, filters=new),
    ]
