"""/log: this week's sessions, the open ones first; a logged one is corrected field by field
(``bot.services.log_book``), the correction card edited in place with what changed."""

from __future__ import annotations

from telegram import Message, Update

from bot.services import log_book
from bot.services.log_book import Corrected
from bot.services.loop import Problem
from bot.telegram import log_render
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import parse_day
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say


async def log_command(update: Update, context: CoachContext) -> None:
    """/log: this week's sessions up to today, the open ones first, then the logged ones."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    menu = await log_book.menu_for(context.deps.coach, user.id)
    if menu is None:
        await say(context, message.chat_id, context.deps.ui.general.not_onboarded)
        return
    await context.deps.sender.send(message.chat.id, log_render.log_menu(context, menu))


async def log_pick(update: Update, context: CoachContext) -> None:
    """A session picked in /log: an open one asks how it went, a logged one offers its correction."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    if day is None or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    found = await context.deps.coach.card(user.id, day)
    if isinstance(found, Problem):
        return await answer_tap(update, context, problem_text(context, found))
    await answer_tap(update, context)
    fixing = found.checkin is not None
    shown = log_render.correction(context, found) if fixing else context.deps.loop_render.card(found)
    await context.deps.sender.send(query.message.chat.id, shown)


async def fix_tap(update: Update, context: CoachContext) -> None:
    """``fix|<day>|<field>.<value>``: that field of the logged session replaced."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    field, _, value = parsed[2].partition(".") if parsed is not None else ("", "", "")
    fix = log_book.parse(field, value)
    if day is None or fix is None or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    result = await log_book.correct_for(context.deps.coach, user.id, day, *fix)
    await _show_fix(update, context, query.message, result)


async def _show_fix(update: Update, context: CoachContext, message: Message, result: Corrected | Problem) -> None:
    """The tap answered with what changed, and the tapped correction card redrawn (nothing else)."""
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    if not result.changed:
        return await answer_tap(update, context, context.deps.ui.loop.already_logged)
    said = log_render.corrected(context, result)
    await answer_tap(update, context, said)
    await context.deps.sender.edit(
        message.chat.id, message.message_id, log_render.correction(context, result.card, said)
    )
