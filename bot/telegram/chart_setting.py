"""The /settings choice of whether the weekly review carries /history's chart: ``wc|ask|-`` asks,
``wc|set|on``, ``wc|set|off`` answer it and ``wc|set|cancel`` leaves it, the question edited in place."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services import rhythm_cases
from bot.services.ports import Button, Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.render import SEP, parse_callback
from bot.telegram.replies import answer_tap

CHART = "wc"
CHOICES = (("ask", "-"), ("set", "on"), ("set", "off"), ("set", "cancel"))


def chart_button(context: CoachContext) -> Button:
    return Button(context.deps.ui.history.btn_chart_setting, SEP.join((CHART, "ask", "-")))


def chart_reply(context: CoachContext, action: str, value: bool | None, on: bool) -> Outgoing:
    """The question (after "ask"), or what the answer did (after "set"), as the runner reads it."""
    t = context.deps.ui.history
    current = t.chart_on if on else t.chart_off
    if action == "ask":
        choices = ((t.btn_chart_on, "on"), (t.btn_chart_off, "off"), (t.btn_chart_cancel, "cancel"))
        rows = tuple((Button(label, SEP.join((CHART, "set", choice))),) for label, choice in choices)
        return Outgoing(t.fmt("ask_chart", current=current), rows)
    return Outgoing(context.deps.ui.settings.cancelled if value is None else t.fmt("chart_changed", current=current))


async def chart_tap(update: Update, context: CoachContext) -> None:
    """Ask, answer or leave the review-chart question; a forged choice is a stale button."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[1:] not in CHOICES or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    value = None if parsed[2] in ("-", "cancel") else parsed[2] == "on"
    on = await rhythm_cases.preference(context.deps.coach, user.id, "review_chart", value)
    if on is None:
        return await answer_tap(update, context, context.deps.ui.general.not_onboarded)
    await answer_tap(update, context)
    reply, chat_id = chart_reply(context, parsed[1], value, on), query.message.chat.id
    if parsed[1] == "ask":
        await context.deps.sender.send(chat_id, reply)
    else:
        await context.deps.sender.edit(chat_id, query.message.message_id, reply)


def chart_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [CallbackQueryHandler(chart_tap, pattern=rf"^{CHART}\|")]
