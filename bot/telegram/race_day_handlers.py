"""The tap on "How did your race go?": stored once, acted on, and answered in words."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.services.problems import Problem
from bot.services.race_day import RaceDayCoach
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import parse_day
from bot.telegram.race_day_render import RACE_FEEL, parse_feel, race_told
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say


async def race_feel_tap(update: Update, context: CoachContext) -> None:
    """Great, OK, tough or did not start: the race's answer; a stale or forged tap changes nothing."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    feel = parse_feel(parsed[2]) if parsed is not None else Problem.NEED_STATUS
    if day is None or isinstance(feel, Problem) or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    told = await RaceDayCoach(context.deps.coach).tell(user.id, day, feel)
    if isinstance(told, Problem) or not told.changed:
        text = problem_text(context, told) if isinstance(told, Problem) else context.deps.ui.loop.already_logged
        return await answer_tap(update, context, text)
    await answer_tap(update, context)
    await say(context, query.message.chat.id, race_told(context.deps.loop_render, told))


def race_day_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [CallbackQueryHandler(race_feel_tap, pattern=rf"^{RACE_FEEL}\|")]
