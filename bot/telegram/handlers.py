"""The runner's everyday commands outside onboarding: /today, /tomorrow, /week, /help, free text.

Each handler parses the update, calls one service and sends what the renderer makes of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.coach.intents import Intent, Parsed
from bot.coach.model import WEEKDAYS
from bot.services.usecases import reading_of
from bot.telegram.calendar_handlers import calendar_closed, calendar_text
from bot.telegram.context import CoachContext
from bot.telegram.render import parse_callback
from bot.telegram.replies import say
from bot.telegram.text_handlers import PAUSE, TUNE_UP, act_on, pause_tap, tune_up_tap

log = structlog.get_logger(__name__)

MAX_TEXT = 1000


async def _send_day(message: Message, context: CoachContext, user_id: int, offset: int) -> None:
    """The session ``offset`` days ahead, remembered as the day "why?" then explains."""
    deps = context.deps
    shown = await deps.coach.show_day(user_id, offset, await context.brief(user_id))
    if shown is None or shown.day is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    await say(context, message.chat_id, deps.render.day(shown.day))


async def _send_week(message: Message, context: CoachContext, user_id: int) -> None:
    deps = context.deps
    shown = await deps.coach.week(user_id, await context.brief(user_id))
    if shown is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    await say(
        context, message.chat_id, "\n\n".join(deps.render.week(week, from_day=shown.today) for week in shown.weeks)
    )


def _parts(update: Update) -> tuple[Message, int]:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    return message, user.id


async def today(update: Update, context: CoachContext) -> None:
    """/today: today's session with sets, reps, effort, one cue each, and the reason."""
    message, user_id = _parts(update)
    await _send_day(message, context, user_id, 0)


async def tomorrow(update: Update, context: CoachContext) -> None:
    message, user_id = _parts(update)
    await _send_day(message, context, user_id, 1)


async def week(update: Update, context: CoachContext) -> None:
    message, user_id = _parts(update)
    await _send_week(message, context, user_id)


async def help_command(update: Update, context: CoachContext) -> None:
    message, _ = _parts(update)
    await say(context, message.chat_id, context.deps.ui.general.help)


async def cancel_idle(update: Update, context: CoachContext) -> None:
    """/cancel with no setting open: /calendar stops reading the next text, else nothing to cancel."""
    message, user_id = _parts(update)
    ui = context.deps.ui
    closed = await calendar_closed(context, user_id)
    await say(context, message.chat_id, ui.calendar.closed if closed else ui.onboarding.nothing_to_cancel)


async def why(message: Message, context: CoachContext, user_id: int, offset: int | None = None) -> None:
    """The reason for the day ``offset`` days ahead when a day was named, else the day last shown
    (within the hour), else today's."""
    deps = context.deps
    shown = await deps.coach.why(user_id, offset, await context.brief(user_id))
    if shown is None or shown.day is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    await say(context, message.chat_id, deps.ui.general.fmt("why", reason=deps.render.reason(shown.day.session)))


async def free_text(update: Update, context: CoachContext) -> None:
    """Plain questions like "what should I lift today?"; anything else gets a friendly pointer."""
    message, user_id = _parts(update)
    if len(text := message.text or "") > MAX_TEXT:
        return await _too_long(context, message.chat_id)
    today, day_first = await runner_reading(context, user_id)
    parsed = context.deps.intents.parse(text, today, day_first=day_first)
    if await calendar_text(message, context, user_id, parsed):  # a calendar change ("no run on the 24th")
        return None
    log.info("text.intent", intent=parsed.intent.value, also=[i.value for i in parsed.also])
    if await act_on(message, context, user_id, parsed):
        context.forget_brief()  # it may have changed the runner: a question after it reads them again
        asked = [] if parsed.urgent else parsed.also  # "done, what's tomorrow?": the question after the check-in
    else:
        await _answer(message, context, user_id, parsed, today)
        asked = [i for i in parsed.also if i is not parsed.intent]
    await _also_asked(message, context, user_id, replace(parsed, also=tuple(asked)), today)


async def _also_asked(message: Message, context: CoachContext, user_id: int, parsed: Parsed, today: dt.date) -> None:
    """The questions asked alongside ("done, what's tomorrow?"), answered after."""
    for intent in parsed.also:
        if intent in QUESTIONS:
            await _answer(message, context, user_id, replace(parsed, intent=intent), today)


async def _too_long(context: CoachContext, chat_id: int) -> None:
    await say(context, chat_id, context.deps.ui.general.too_long)


QUESTIONS = frozenset({Intent.TODAY, Intent.TOMORROW, Intent.WEEK, Intent.WHY})


async def runner_reading(context: CoachContext, user_id: int) -> tuple[dt.date, bool | None]:
    """The runner's own date (their timezone), which "tomorrow" and "thursday" are read from, and
    whether they write the day first ("till 5/12"); UTC's date and no custom before set-up."""
    reading = reading_of((await context.brief(user_id)).runner, context.deps.clock.now())
    return reading.today, reading.day_first


async def _answer(message: Message, context: CoachContext, user_id: int, parsed: Parsed, today: dt.date) -> None:
    """A question: a day's session (a named weekday this week or next), the week, the reason, help."""
    intent, ui = parsed.intent, context.deps.ui
    ahead = 0 if parsed.day is None else (WEEKDAYS.index(parsed.day) - today.weekday()) % 7
    if intent is Intent.TODAY:
        await _send_day(message, context, user_id, ahead)
    elif intent is Intent.TOMORROW:
        await _send_day(message, context, user_id, 1)
    elif intent is Intent.WEEK:
        await _send_week(message, context, user_id)
    elif intent is Intent.WHY:
        await why(message, context, user_id, None if parsed.day is None else ahead)
    elif intent is Intent.HELP:  # "how do i pause?" gets how to pause, not the whole list
        await say(context, message.chat_id, ui.general.help_on(None if parsed.topic is None else parsed.topic.value))
    else:
        await say(context, message.chat_id, ui.general.unknown)


async def menu_button(update: Update, context: CoachContext) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    parsed = parse_callback(query.data)
    message = query.message
    if parsed is None or parsed[:2] != ("menu", "go") or not isinstance(message, Message):
        await context.deps.sender.answer(query.id, context.deps.ui.general.stale_button)
        return
    await context.deps.sender.answer(query.id)
    if parsed[2] == "today":
        await _send_day(message, context, update.effective_user.id, 0)
    elif parsed[2] == "week":
        await _send_week(message, context, update.effective_user.id)
    else:
        await say(context, message.chat_id, context.deps.ui.general.stale_button)


async def stale_button(update: Update, context: CoachContext) -> None:
    """A button from an old message, or callback data nobody issued: a polite note, no change."""
    query = update.callback_query
    assert query is not None
    ui = context.deps.ui.general
    user = update.effective_user
    brief = await context.deps.coach.brief(user.id) if user else None
    # someone not set up yet (an old onboarding button after /cancel) is pointed to /start, not /today
    await context.deps.sender.answer(
        query.id, ui.stale_button if brief is not None and brief.onboarded else ui.stale_button_new
    )


async def unknown_command(update: Update, context: CoachContext) -> None:
    """A command the bot does not have: say so, and list the ones it has."""
    message, _ = _parts(update)
    ui = context.deps.ui
    known = " ".join(f"/{name}" for name in ui.commands)
    await say(context, message.chat_id, ui.loop.fmt("unknown_command", commands=known))


async def not_text(update: Update, context: CoachContext) -> None:
    message = update.effective_message
    if message is not None:
        await say(context, message.chat_id, context.deps.ui.general.not_text)


def everyday_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    new = filters.UpdateType.MESSAGE  # an edited message is not a new question: it is left alone
    return [
        CommandHandler("today", today, filters=new),
        CommandHandler("tomorrow", tomorrow, filters=new),
        CommandHandler("week", week, filters=new),
        CommandHandler("help", help_command, filters=new),
        CommandHandler("cancel", cancel_idle, filters=new),
        CallbackQueryHandler(menu_button, pattern=r"^menu\|"),
        CallbackQueryHandler(pause_tap, pattern=rf"^{PAUSE}\|"),
        CallbackQueryHandler(tune_up_tap, pattern=rf"^{TUNE_UP}\|"),
        CallbackQueryHandler(stale_button),
        MessageHandler(filters.TEXT & ~filters.COMMAND & new, free_text),
        MessageHandler(filters.COMMAND & new, unknown_command),
        MessageHandler(new, not_text),
    ]
