"""The live calendar feed in the chat: "Add to my calendar app" gives the runner their private link
(or, without a public URL, the same calendar as an ``.ics`` file), and "Revoke link" revokes it.

The buttons are ``feed|add|go`` and ``feed|revoke|go`` (``bot.telegram.feed_render``); the link's
token is shown to the runner once and never logged.
"""

from __future__ import annotations

from typing import Any

import structlog
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.ports import Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.feed_render import ADD, REVOKE, SCOPE, calendar_ics, feed_url, link_message
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, say

log = structlog.get_logger(__name__)


async def feed_tap(update: Update, context: CoachContext) -> None:
    """``feed|add|go`` sends the link (or the file); ``feed|revoke|go`` revokes the link."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[1] not in (ADD, REVOKE):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    await answer_tap(update, context)
    if parsed[1] == REVOKE:
        await _revoke(context, user.id, chat.id)
    elif context.deps.settings.feed_base() is None:
        await _send_file(context, user.id, chat.id)
    else:
        await _send_link(context, user.id, chat.id)


async def _send_link(context: CoachContext, user_id: int, chat_id: int) -> None:
    deps = context.deps
    base = deps.settings.feed_base()
    token = await deps.feeds.issue(user_id)
    if base is None or token is None:
        await say(context, chat_id, deps.ui.general.not_onboarded)
        return
    log.info("feed.link_issued")  # never the token, nor the URL that holds it
    await deps.sender.send(chat_id, link_message(deps.ui, feed_url(base, token)))


async def _send_file(context: CoachContext, user_id: int, chat_id: int) -> None:
    deps = context.deps
    plan = await deps.feeds.plan(user_id)
    if plan is None:
        await say(context, chat_id, deps.ui.general.not_onboarded)
        return
    log.info("feed.file_sent", sessions=len(plan.days))
    await deps.sender.document(chat_id, deps.ui.feed.file_name, calendar_ics(deps.render, plan), deps.ui.feed.document)


async def _revoke(context: CoachContext, user_id: int, chat_id: int) -> None:
    deps = context.deps
    revoked = await deps.feeds.revoke(user_id)
    log.info("feed.link_revoked", revoked=revoked)
    await deps.sender.send(chat_id, Outgoing(deps.ui.feed.revoked if revoked else deps.ui.feed.nothing_to_revoke))


def feed_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [CallbackQueryHandler(feed_tap, pattern=rf"^{SCOPE}\|")]
