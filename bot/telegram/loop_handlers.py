"""Handlers of the daily loop: check-in taps, /log, /pause, /resume and the pain follow-up.

Each handler parses the tap or command, calls one use case on ``deps.coach`` (which owns its unit
of work), and redraws or sends what ``LoopRenderer`` makes of the result. Taps are routed by
their prefix; the runner is always the sender, so callback data can name a day, never a runner.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.coach.dates import AmbiguousDate, read_date
from bot.coach.model import BodyArea
from bot.services.accounts import RunnerAccount
from bot.services.loop import SORENESS, Card, Problem, Status, Swapped
from bot.services.ports import Outgoing
from bot.services.usecases import Coach
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import (
    AREA,
    CHECKIN,
    DELETE,
    HEALTH,
    LOG,
    MORNING,
    NIGGLE,
    PAIN,
    RPE,
    SETTINGS,
    SORE,
    TEST,
    WEEK_CHECK,
    parse_day,
)
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say

log = structlog.get_logger(__name__)

LOOP_SCOPES = (CHECKIN, RPE, SORE, AREA, PAIN, LOG, NIGGLE, MORNING, WEEK_CHECK, TEST, HEALTH, DELETE, SETTINGS)
LOOP_PATTERN = re.compile(rf"^({'|'.join(LOOP_SCOPES)})\|")
NOT_LOOP_PATTERN = re.compile(rf"^(?!({'|'.join(LOOP_SCOPES)})\|)")  # every other tap (onboarding's)
STATUS: dict[str, Status] = {"done": "done", "partly": "partial", "skip": "skipped"}
CheckinResult = Card | Swapped | Problem | dt.datetime


async def checkin_tap(update: Update, context: CoachContext) -> None:
    """Done / Partly / Skip / Swap / Later, then effort, soreness and area, each a tap."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    message = query.message
    if parsed is None or day is None or not isinstance(message, Message):
        await answer_tap(update, context, context.deps.ui.general.stale_button)
        return
    scope, _, value = parsed
    result = await _checkin(context.deps.coach, user.id, day, scope, value)
    await _show_checkin(update, context, message, scope, value, result)


async def _checkin(coach: Coach, user_id: int, day: dt.date, scope: str, value: str) -> CheckinResult:
    """The use case a check-in tap names."""
    niggle = _niggle_answer(value) if scope == NIGGLE else None
    if scope == CHECKIN and value in STATUS:
        return await coach.log_status(user_id, day, STATUS[value])
    if scope == CHECKIN and value == "swap":
        return await coach.swap(user_id, day)
    if scope == CHECKIN and value == "later":
        return await coach.later(user_id, day)
    if scope == RPE and value.isdigit() and 1 <= int(value) <= 10:
        return await coach.log_rpe(user_id, day, int(value))
    if scope == SORE and value in SORENESS:
        return await coach.log_soreness(user_id, day, value)  # type: ignore[arg-type]
    if scope == AREA and value in BodyArea.__members__.values():
        return await coach.log_pain(user_id, day, BodyArea(value))
    if niggle is not None:
        return await coach.log_niggle(user_id, day, niggle[0], niggle[1])
    if scope == TEST and value.isdigit() and len(value) <= 3:
        return await coach.log_test(user_id, day, int(value))
    return Problem.NEED_STATUS


async def _show_checkin(
    update: Update, context: CoachContext, message: Message, scope: str, value: str, result: CheckinResult
) -> None:
    """The tap answered, and the card redrawn (or the swap, or the "later" note, shown)."""
    deps, chat_id = context.deps, message.chat.id
    if isinstance(result, Problem):
        await answer_tap(update, context, problem_text(context, result))
    elif isinstance(result, dt.datetime):  # "later": a note for the runner, the card unchanged
        await answer_tap(update, context, deps.ui.loop.fmt("later_set", time=result.strftime("%H:%M")))
    elif isinstance(result, Swapped):
        await answer_tap(update, context)
        await deps.sender.edit(chat_id, message.message_id, deps.loop_render.swapped(result.day, result.moved_to))
    else:
        await answer_tap(update, context, None if result.changed else deps.ui.loop.already_logged)
        if result.changed:
            await deps.sender.edit(chat_id, message.message_id, deps.loop_render.card(result))
        if result.changed and scope == AREA:
            await deps.sender.send(chat_id, Outgoing(deps.ui.loop.fmt("pain_rule", area=value)))
            await deps.sender.send(chat_id, deps.loop_render.red_flag_question(BodyArea(value)))


def _niggle_answer(value: str) -> tuple[BodyArea, bool] | None:
    """``knee.ok`` or ``knee.flare``: the area and whether the pain-monitoring rule held."""
    area, _, answer = value.partition(".")
    if area not in BodyArea.__members__.values() or answer not in ("ok", "flare"):
        return None
    return BodyArea(area), answer == "ok"


async def pain_tap(update: Update, context: CoachContext) -> None:
    """The answer to "how is your knee now?"."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    area_text, _, answer = (parsed[2] if parsed else "").partition(".")
    message = query.message
    if parsed is None or area_text not in BodyArea.__members__.values() or answer not in ("better", "same", "new"):
        await answer_tap(update, context, context.deps.ui.general.stale_button)
        return
    deps, area = context.deps, BodyArea(area_text)
    if answer == "new":  # the area picked after "my ... hurts" named none
        result = await deps.coach.report_pain(user.id, area)
    else:
        result = await deps.coach.pain_follow_up(user.id, area, answer == "same")
    if isinstance(result, Problem):
        await answer_tap(update, context, problem_text(context, result))
        return
    await answer_tap(update, context)
    key = {"new": "pain_rule", "same": "pain_same", "better": "pain_better"}[answer]
    text = deps.ui.loop.fmt(key, area=area_text)
    if isinstance(message, Message):
        await deps.sender.edit(message.chat.id, message.message_id, Outgoing(text))
        if answer in ("new", "same"):  # pain that is new, or lasts: are there signs of something worse?
            await deps.sender.send(message.chat.id, deps.loop_render.red_flag_question(area))


async def log_command(update: Update, context: CoachContext) -> None:
    """/log: pick a session of this week (up to today) to log after the fact."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    deps = context.deps
    days = await deps.coach.log_menu(user.id)
    if days is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    await deps.sender.send(message.chat.id, deps.loop_render.log_menu(days))


async def log_pick(update: Update, context: CoachContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    message = query.message
    if day is None or not isinstance(message, Message):
        await answer_tap(update, context, context.deps.ui.general.stale_button)
        return
    deps = context.deps
    found = await deps.coach.card(user.id, day)
    if isinstance(found, Problem):
        await answer_tap(update, context, problem_text(context, found))
        return
    await answer_tap(update, context)
    await deps.sender.send(message.chat.id, deps.loop_render.card(found))


async def pause_command(update: Update, context: CoachContext) -> None:
    """/pause, or /pause until DATE: no messages until then; the return starts a step lower."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    deps = context.deps
    text = re.sub(r"^(until|till|til|to)\b", "", " ".join(context.args or []).strip(), flags=re.IGNORECASE).strip()
    until: dt.date | None = None
    if text:
        try:
            until = read_date(text, (await deps.coach.reading(user.id)).today)
        except AmbiguousDate:
            until = None
        if until is None:
            brief = await deps.coach.brief(user.id)
            onboarded = brief is not None and brief.onboarded and brief.timezone is not None
            await say(
                context, message.chat_id, deps.ui.loop.pause_bad_date if onboarded else deps.ui.general.not_onboarded
            )
            return
    await say(context, message.chat_id, paused_text(context, await deps.coach.pause(user.id, until), until))


def paused_text(context: CoachContext, result: RunnerAccount | Problem, until: dt.date | None) -> str:
    """What a pause answers: a problem, the day it ends, or that it lasts until /resume."""
    t = context.deps.ui.loop
    if isinstance(result, Problem):
        return problem_text(context, result)
    return t.fmt("pause_until", date=until.strftime("%a %d %b")) if until is not None else t.pause_open


async def resume_command(update: Update, context: CoachContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await resume_reply(message, context, user.id)


async def resume_reply(message: Message, context: CoachContext, user_id: int) -> None:
    """/resume or "I'm back": prompts start again, a step lower, with today's session."""
    deps = context.deps
    result = await deps.coach.resume(user_id)
    if isinstance(result, Problem):
        await say(context, message.chat_id, problem_text(context, result))
        return
    await say(context, message.chat_id, f"{deps.ui.loop.resumed}\n\n{deps.render.day(result.day)}")


def loop_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    new = filters.UpdateType.MESSAGE
    return [
        CommandHandler("log", log_command, filters=new),
        CommandHandler("pause", pause_command, filters=new),
        CommandHandler("resume", resume_command, filters=new),
        CallbackQueryHandler(checkin_tap, pattern=rf"^({CHECKIN}|{RPE}|{SORE}|{AREA}|{NIGGLE}|{TEST})\|"),
        CallbackQueryHandler(pain_tap, pattern=rf"^{PAIN}\|"),
        CallbackQueryHandler(log_pick, pattern=rf"^{LOG}\|"),
    ]
