"""Handlers for health and level answers: /cleared and its button, the red-flag question after a
pain report, the level-up question of a weekly review, and the niggle ladder's morning and weekly
checks (COACHING.md N4).

Each parses the tap or command, calls one use case on ``deps.coach`` (which owns its unit of work),
and answers with a short text from ``content/ui.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.coach.model import BodyArea, Level
from bot.coach.niggles import Compare
from bot.services.health import Outcome
from bot.services.loop import Card, Problem
from bot.services.ports import Button, Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import HEALTH, MORNING, WEEK_CHECK, data, parse_day
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say

log = structlog.get_logger(__name__)

AREAS = frozenset(area.value for area in BodyArea)


async def cleared_command(update: Update, context: CoachContext) -> None:
    """/cleared: a professional has cleared the runner; every hold they have is lifted."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await say(context, message.chat_id, await _clear(context, user.id, None))


async def _clear(context: CoachContext, user_id: int, area: BodyArea | None) -> str:
    deps = context.deps
    result = await deps.coach.confirm_clearance(user_id, area)
    if isinstance(result, Problem):
        return problem_text(context, result)
    log.info("health.cleared", outcome=result.value)
    return str(getattr(deps.ui.loop, result.value))


async def health_tap(update: Update, context: CoachContext) -> None:
    """``hl|clear|all`` or ``hl|clear|<area>``, ``hl|flag|<area>.yes|no``, ``hl|lvl|some|regular|no``,
    ``hl|lift|yes|no``, ``hl|light|yes|no``: the answer replaces the question's buttons."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    message = query.message
    if parsed is None or parsed[0] != HEALTH or not isinstance(message, Message):
        await answer_tap(update, context, context.deps.ui.general.stale_button)
        return
    toast, reply = await _health_answer(context, user.id, parsed[1], parsed[2], message.text or "")
    await answer_tap(update, context, toast)
    if reply is not None:
        await context.deps.sender.edit(message.chat.id, message.message_id, reply)


async def _health_answer(
    context: CoachContext, user_id: int, what: str, value: str, asked: str
) -> tuple[str | None, Outgoing | None]:
    """The use case a health tap names: the pop-up to show, and what replaces the question."""
    deps, t = context.deps, context.deps.ui.loop
    area_text, _, answer = value.partition(".")
    if what == "clear" and (value == "all" or value in AREAS):
        text = await _clear(context, user_id, None if value == "all" else BodyArea(value))
        return None, Outgoing(f"{asked}\n\n{text}".strip())
    if what == "flag" and area_text in AREAS and answer == "no":
        return None, Outgoing(t.fmt("red_flag_no", area=area_text))
    if what == "flag" and area_text in AREAS and answer == "yes":
        flagged = await deps.coach.red_flag(user_id, BodyArea(area_text))
        if isinstance(flagged, Problem):
            return problem_text(context, flagged), None
        log.info("health.red_flag")
        return None, Outgoing(t.fmt("red_flag", area=area_text), deps.loop_render.cleared_button(BodyArea(area_text)))
    if what == "lift" and value in ("yes", "no"):
        answered = await deps.coach.still_lifting(user_id, value == "yes")
        text = problem_text(context, answered) if isinstance(answered, Problem) else str(getattr(t, answered.value))
        return None, Outgoing(text)
    if what == "light" and value in ("yes", "no"):
        return None, await _lighter_reply(context, user_id, value == "yes")
    if what == "lvl" and value in ("no", Level.SOME.value, Level.REGULAR.value):
        return None, await _level_reply(context, user_id, None if value == "no" else Level(value))
    return deps.ui.general.stale_button, None


async def _lighter_reply(context: CoachContext, user_id: int, accept: bool) -> Outgoing:
    """A3's one-tap offer answered: lighter weeks from the next open day, or nothing changes."""
    deps = context.deps
    result = await deps.coach.accept_lighter(user_id, accept)
    if isinstance(result, Problem):
        return Outgoing(problem_text(context, result))
    _, week = result
    if week is None:
        return Outgoing(deps.ui.loop.lighter_no)
    log.info("loop.lighter_weeks")
    return Outgoing(f"{deps.ui.loop.lighter_yes}\n{deps.render.week(week)}")


async def _level_reply(context: CoachContext, user_id: int, to: Level | None) -> Outgoing:
    """The answer to "ready to move up a level?" (to ``to``, or no): the new level and the weeks
    re-planned at it."""
    deps = context.deps
    result = await deps.coach.answer_level_up(user_id, to is not None, to)
    if isinstance(result, Problem):
        return Outgoing(problem_text(context, result))
    if result.outcome is not Outcome.LEVEL_UP:
        return Outgoing(deps.ui.loop.level_kept)
    log.info("health.level_up", level=result.level.value)
    text = deps.ui.loop.fmt("level_up", level=deps.render.level(Level(result.level)))
    if result.shown is None:
        return Outgoing(text)
    weeks = "\n\n".join(deps.render.week(week, from_day=result.shown.today) for week in result.shown.weeks)
    return Outgoing(f"{text}\n{weeks}")


@dataclass(frozen=True)
class NiggleTap:
    """A tap of the niggle ladder: the day it names, the area, the answer, under which message."""

    update: Update
    user_id: int
    message: Message
    day: dt.date
    area: BodyArea
    answer: str


async def niggle_check_tap(update: Update, context: CoachContext) -> None:
    """``nm|<session day>|<area>.ok|worse``: the morning after; ``nw|<sunday>|<area>.better|same|worse``:
    the week compared with the one before. Each is stored once, for an area the session or the
    week loaded (anything else is refused as a stale button)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    area, _, answer = (parsed[2] if parsed is not None else "").partition(".")
    route = NIGGLE_ROUTES.get((parsed[0], answer)) if parsed is not None else None
    if route is None or day is None or not isinstance(query.message, Message) or area not in AREAS:
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    await route(context, NiggleTap(update, user.id, query.message, day, BodyArea(area), answer))


async def _morning(context: CoachContext, tap: NiggleTap) -> None:
    """The morning after: the area back to usual or worse; the check redrawn with the answer."""
    deps = context.deps
    logged = await deps.coach.log_morning(tap.user_id, tap.day, tap.area, tap.answer == "ok")
    if isinstance(logged, Problem):
        return await answer_tap(tap.update, context, problem_text(context, logged))
    await answer_tap(tap.update, context, None if logged.changed else deps.ui.loop.already_logged)
    redrawn = deps.loop_render.morning_check(tap.day, logged.checkin) if isinstance(logged, Card) else None
    if logged.changed and redrawn is not None:
        await deps.sender.edit(tap.message.chat.id, tap.message.message_id, redrawn)
    if logged.changed and logged.flare is not None:
        await deps.sender.send(tap.message.chat.id, deps.loop_render.flare(tap.area, logged.flare))


async def _compared(context: CoachContext, tap: NiggleTap) -> None:
    """The week against the one before: the area's row goes, and the answer is said on its own."""
    deps, chat_id = context.deps, tap.message.chat.id
    compared = await deps.coach.compare_week(tap.user_id, tap.day, tap.area, Compare(tap.answer))
    if isinstance(compared, Problem):
        return await answer_tap(tap.update, context, deps.ui.loop.already_logged)
    log.info("health.niggle_compared", outcome=compared.value)
    await answer_tap(tap.update, context)
    prefix = data(WEEK_CHECK, tap.day, f"{tap.area.value}.")
    await deps.sender.edit(chat_id, tap.message.message_id, _without_row(tap.message, prefix))
    await deps.sender.send(chat_id, Outgoing(deps.ui.loop.fmt(compared.value, area=tap.area.value)))


def _without_row(message: Message, prefix: str) -> Outgoing:
    """The message as it is, less the row of buttons whose data starts with ``prefix``."""
    markup = message.reply_markup
    rows = tuple(
        tuple(Button(b.text, str(b.callback_data)) for b in row)
        for row in (markup.inline_keyboard if markup is not None else ())
        if not any(str(b.callback_data).startswith(prefix) for b in row)
    )
    return Outgoing(message.text or "", rows)


NIGGLE_ROUTES: dict[tuple[str, str], Callable[[CoachContext, NiggleTap], Awaitable[None]]] = {
    **{(MORNING, answer): _morning for answer in ("ok", "worse")},
    **{(WEEK_CHECK, answer.value): _compared for answer in Compare},
}


def health_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [
        CommandHandler("cleared", cleared_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(health_tap, pattern=rf"^{HEALTH}\|"),
        CallbackQueryHandler(niggle_check_tap, pattern=rf"^({MORNING}|{WEEK_CHECK})\|"),
    ]
