"""/calendar: this week and next, a day or the usual week changed by a tap or in words, Undo.

The use cases are :class:`bot.services.calendar_usecases.CalendarCoach`'s; the text a runner types
reaches :func:`calendar_text` from the everyday free-text handler, ahead of the intent parser: while
/calendar waits, anything is read as a change, otherwise only what can be nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.coach.intents import Intent, Parsed
from bot.coach.model import WEEKDAYS, RunKind
from bot.services.calendar_changes import ONE_OFF_KINDS, TEMPLATE_KINDS
from bot.services.calendar_edit import CalendarChanged
from bot.services.calendar_usecases import CalendarCoach, CalendarView, DayAsked, Unread
from bot.services.ports import Outgoing
from bot.telegram.calendar_render import (
    DAY,
    SCOPE,
    SET,
    SHOW,
    TEMPLATE,
    UNDO,
    WEEKDAY,
    WEEKDAY_SET,
    calendar_message,
    changed_message,
    day_question,
    refusal_text,
    template_menu,
    weekday_question,
)
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import parse_day
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap
from bot.telegram.text_handlers import tune_up_question

log = structlog.get_logger(__name__)

SAFETY = frozenset({Intent.PAIN, Intent.ILL})
Route = Callable[[CoachContext, int, Message, str], Awaitable[str | None]]  # the pop-up, or None


def coach_of(context: CoachContext) -> CalendarCoach:
    """/calendar's use cases, bound to the same unit of work, library and clock as ``Coach``."""
    coach = context.deps.coach
    return CalendarCoach(coach.uow, coach.library, coach.clock)


async def calendar_command(update: Update, context: CoachContext) -> None:
    """/calendar: this week and next, a button per day from today on, and the usual week."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    view = await coach_of(context).show(user.id)
    if isinstance(view, CalendarView):
        await context.deps.sender.send(message.chat_id, calendar_message(context, view))
    else:
        await context.deps.sender.send(message.chat_id, Outgoing(refusal_text(context, view)))


async def calendar_tap(update: Update, context: CoachContext) -> None:
    """``cal|<action>|<value>``: the route for the action, its pop-up when nothing changes."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    route = ROUTES.get(parsed[1]) if parsed is not None and parsed[0] == SCOPE else None
    if route is None or parsed is None or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    await answer_tap(update, context, await route(context, user.id, query.message, parsed[2]))


async def _edit(context: CoachContext, message: Message, outgoing: Outgoing) -> None:
    await context.deps.sender.edit(message.chat_id, message.message_id, outgoing)


def _kind(value: str, kinds: tuple[RunKind, ...]) -> RunKind | None:
    return next((k for k in kinds if k.value == value), None)


async def _show(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    view = await coach_of(context).show(user_id)
    if not isinstance(view, CalendarView):
        return refusal_text(context, view)
    await _edit(context, message, calendar_message(context, view))
    return None


async def _day(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    day = parse_day(value)
    if day is None:
        return context.deps.ui.general.stale_button
    asked = await coach_of(context).ask_day(user_id, day)
    if not isinstance(asked, DayAsked):
        return refusal_text(context, asked)
    await _edit(context, message, day_question(context, asked))
    return None


async def _set(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    key, _, kind = value.partition(".")
    day, run = parse_day(key), _kind(kind, ONE_OFF_KINDS)
    if day is None or run is None:
        return context.deps.ui.general.stale_button
    return await _changed(context, message, await coach_of(context).set_day(user_id, day, run), edit=True)


async def _template(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    view = await coach_of(context).show(user_id)
    if not isinstance(view, CalendarView):
        return refusal_text(context, view)
    await _edit(context, message, template_menu(context, view.profile.week))
    return None


async def _weekday(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    weekday = next((d for d in WEEKDAYS if d.value == value), None)
    if weekday is None:
        return context.deps.ui.general.stale_button
    view = await coach_of(context).show(user_id)
    if not isinstance(view, CalendarView):
        return refusal_text(context, view)
    await _edit(context, message, weekday_question(context, weekday, view.profile.week[weekday]))
    return None


async def _weekday_set(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    day, _, kind = value.partition(".")
    weekday, run = next((d for d in WEEKDAYS if d.value == day), None), _kind(kind, TEMPLATE_KINDS)
    if weekday is None or run is None:
        return context.deps.ui.general.stale_button
    return await _changed(context, message, await coach_of(context).set_weekday(user_id, weekday, run), edit=True)


async def _undo(context: CoachContext, user_id: int, message: Message, value: str) -> str | None:
    result = await coach_of(context).undo(user_id, value)
    if not isinstance(result, CalendarChanged):
        return refusal_text(context, result)
    log.info("calendar.undone", days=len(result.changes))
    await _edit(context, message, changed_message(context, result, undone=True))
    return None


async def _changed(context: CoachContext, message: Message, result: Any, *, edit: bool) -> str | None:
    """A change made: what it did, with Undo (in place of the tapped question, or as a reply to
    typed text); a race added without its distance asks it (P9), as a moved race does."""
    if not isinstance(result, CalendarChanged):
        return refusal_text(context, result)
    log.info("calendar.changed", days=len(result.changes), moves=len(result.moves))
    if edit:
        await _edit(context, message, changed_message(context, result))
    else:
        await context.deps.sender.send(message.chat_id, changed_message(context, result))
    for race in result.unsized_races:
        await context.deps.sender.send(message.chat_id, tune_up_question(context, race))
    return None


async def calendar_text(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> bool:
    """Typed text read as a calendar change; False when it is not the calendar's (then the everyday
    handlers read it). Text /calendar waited for but could not read is still everyone else's when
    the intent parser knows what it is ("done, rpe 7" after a look at the calendar), and pain, an
    illness or a red flag said with a change is answered first, as it would be anywhere."""
    text = message.text or ""  # ``parsed``: what the everyday reader made of it (read once per message)
    if parsed.flag is not None or SAFETY & {parsed.intent, *parsed.also}:
        return False  # pain, illness or a red flag said with it: safety first, the calendar can wait
    result = await coach_of(context).said(user_id, text, await context.brief(user_id))
    if result is None or (isinstance(result, Unread) and parsed.intent is not Intent.UNKNOWN):
        return False
    popup = await _changed(context, message, result, edit=False)
    if popup is not None:
        await context.deps.sender.send(message.chat_id, Outgoing(popup))
    return True


async def calendar_closed(context: CoachContext, user_id: int) -> bool:
    """/cancel while /calendar reads the next text: it stops (True), the calendar as it is."""
    return await coach_of(context).close(user_id)


ROUTES: dict[str, Route] = {
    SHOW: _show,
    DAY: _day,
    SET: _set,
    TEMPLATE: _template,
    WEEKDAY: _weekday,
    WEEKDAY_SET: _weekday_set,
    UNDO: _undo,
}


def calendar_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [
        CommandHandler("calendar", calendar_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(calendar_tap, pattern=rf"^{SCOPE}\|"),
    ]
