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
from bot.coach.wording import day_words
from bot.services.accounts import OnboardedRunner
from bot.services.briefs import UpdateBrief
from bot.services.later import LaterOffer
from bot.services.loop import SORENESS, Card, Problem, Status, Swapped
from bot.services.ports import Outgoing
from bot.services.usecases import Coach
from bot.telegram.context import CoachContext
from bot.telegram.log_handlers import fix_tap, log_command, log_pick
from bot.telegram.loop_render import (
    AREA,
    CHECKIN,
    DELETE,
    FIX,
    HEALTH,
    LATER_AT,
    LOG,
    MORNING,
    NIGGLE,
    PAIN,
    PROMPTS,
    RPE,
    SETTINGS,
    SORE,
    TEST,
    WEEK_CHECK,
    parse_day,
    parse_wall,
)
from bot.telegram.promises_render import welcome_back
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say

log = structlog.get_logger(__name__)

LOOP_SCOPES = (
    CHECKIN,
    RPE,
    SORE,
    AREA,
    PAIN,
    LOG,
    NIGGLE,
    MORNING,
    WEEK_CHECK,
    TEST,
    HEALTH,
    DELETE,
    SETTINGS,
    FIX,
    PROMPTS,
)
LOOP_PATTERN = re.compile(rf"^({'|'.join(LOOP_SCOPES)})\|")
NOT_LOOP_PATTERN = re.compile(rf"^(?!({'|'.join(LOOP_SCOPES)})\|)")  # every other tap (onboarding's)
PAIN_ANSWERS = ("better", "same", "new")
STATUS: dict[str, Status] = {"done": "done", "partly": "partial", "skip": "skipped"}
CheckinResult = Card | Swapped | LaterOffer | Problem | dt.datetime


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
    before, result = await _card_and_checkin(
        context.deps.coach, user.id, day, scope, value, await context.brief(user.id)
    )
    fresh = isinstance(before, Problem) or context.deps.loop_render.asks(before) == scope
    await _show_checkin(update, context, message, scope, value, result, fresh)


async def _card_and_checkin(
    coach: Coach, user_id: int, day: dt.date, scope: str, value: str, known: UpdateBrief
) -> tuple[Card | Problem, CheckinResult]:
    """The card as it stood (what it should ask) and what the tap's use case made of it."""
    logged = await _logged(coach, user_id, day, scope, value, known)
    if logged is not None:  # a status, the effort or soreness: the card before and after, in one go
        return logged
    before = await coach.card(user_id, day, known)
    return before, await _checkin(coach, user_id, day, scope, value)


async def _logged(
    coach: Coach, user_id: int, day: dt.date, scope: str, value: str, known: UpdateBrief
) -> tuple[Card | Problem, Card | Problem] | None:
    """A status, effort or soreness tap logged, with the card as it stood before (None: another tap)."""
    if scope == CHECKIN and value in STATUS:
        return await coach.log_checkin(user_id, day, status=STATUS[value], known=known)
    if scope == RPE and value.isascii() and value.isdigit() and 1 <= int(value) <= 10:
        return await coach.log_checkin(user_id, day, rpe=int(value), known=known)
    if scope == SORE and value in SORENESS:
        return await coach.log_checkin(user_id, day, soreness=value, known=known)  # type: ignore[arg-type]
    return None


async def _checkin(coach: Coach, user_id: int, day: dt.date, scope: str, value: str) -> CheckinResult:
    """The use case a check-in tap names."""
    niggle = _niggle_answer(value) if scope == NIGGLE else None
    if scope == CHECKIN and value in STATUS:
        return await coach.log_status(user_id, day, STATUS[value])
    if scope == CHECKIN and value == "swap":
        return await coach.swap(user_id, day)
    if scope == CHECKIN and value == "later":
        return await coach.later_offer(user_id, day)
    if scope == CHECKIN and value.startswith(LATER_AT) and (at := parse_wall(value[len(LATER_AT) :])) is not None:
        return await coach.later(user_id, day, at)
    if scope == RPE and value.isascii() and value.isdigit() and 1 <= int(value) <= 10:
        return await coach.log_rpe(user_id, day, int(value))
    if scope == SORE and value in SORENESS:
        return await coach.log_soreness(user_id, day, value)  # type: ignore[arg-type]
    if scope == AREA and value in BodyArea.__members__.values():
        return await coach.log_pain(user_id, day, BodyArea(value))
    if niggle is not None:
        return await coach.log_niggle(user_id, day, niggle[0], niggle[1])
    if scope == TEST and value.isascii() and value.isdigit() and len(value) <= 3:
        return await coach.log_test(user_id, day, int(value))
    return Problem.NEED_STATUS


async def _show_checkin(
    update: Update, context: CoachContext, message: Message, scope: str, value: str, result: CheckinResult, fresh: bool
) -> None:
    """The tap answered, and the card redrawn (or the swap, or the "later" note, shown). Only a
    ``fresh`` message (one still asking what the tap answers) is edited; a message the check-in
    moved past (a typed "done", another card) stays as it is, and a new message answers."""
    deps, chat_id = context.deps, message.chat.id
    if isinstance(result, Problem):
        await answer_tap(update, context, problem_text(context, result))
    elif isinstance(result, LaterOffer):  # "Later": the times it can promise, under the card
        await answer_tap(update, context)
        await deps.sender.send(chat_id, deps.loop_render.later_offer(result))
    elif isinstance(result, dt.datetime):  # a time picked: the offer becomes the promise
        promised = deps.ui.promises.fmt("later_set", time=result.strftime("%H:%M"))
        await answer_tap(update, context, promised)
        await deps.sender.edit(chat_id, message.message_id, Outgoing(promised))
    elif isinstance(result, Swapped):
        await answer_tap(update, context)
        await _redraw_then_send(context, message, (fresh, deps.loop_render.swapped(result.day, result.moved_to)))
    else:
        await answer_tap(update, context, None if result.changed else deps.ui.loop.already_logged)
        if result.changed:
            shown = deps.loop_render.redrawn(result, message.text or "") if fresh else deps.loop_render.logged(result)
            await _redraw_then_send(context, message, (fresh, shown))
        niggle = _niggle_answer(value) if scope == NIGGLE else None
        if result.changed and result.flare is not None and niggle is not None:
            await deps.sender.send(chat_id, deps.loop_render.flare(niggle[0], result.flare))
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
    """The answer to "how is your knee now?" (or the area picked after "my ... hurts" named none)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    said = _pain_answer(parse_callback(query.data))
    if said is None:
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    area, answer = said
    result = await _pain_use_case(context.deps.coach, user.id, area, answer)
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    await answer_tap(update, context)
    if isinstance(query.message, Message):
        for step in context.deps.loop_render.pain_answered(area, answer):
            await _redraw_then_send(context, query.message, step)


def _pain_answer(parsed: tuple[str, str, str] | None) -> tuple[BodyArea, str] | None:
    """``pain|<day>|<area>.better|same|new``: the area and the answer, or None for a stale tap."""
    area, _, answer = (parsed[2] if parsed else "").partition(".")
    if area not in BodyArea.__members__.values() or answer not in PAIN_ANSWERS:
        return None
    return BodyArea(area), answer


async def _pain_use_case(coach: Coach, user_id: int, area: BodyArea, answer: str) -> OnboardedRunner | Problem:
    """A new area gets the pain rule; better or the same answers the follow-up."""
    if answer == "new":
        return await coach.report_pain(user_id, area)
    return await coach.pain_follow_up(user_id, area, answer == "same")


async def _redraw_then_send(context: CoachContext, message: Message, step: tuple[bool, Outgoing]) -> None:
    """``(True, x)`` replaces the tapped message with ``x``; ``(False, x)`` sends ``x`` under it."""
    redraw, outgoing = step
    if redraw:
        await context.deps.sender.edit(message.chat.id, message.message_id, outgoing)
    else:
        await context.deps.sender.send(message.chat.id, outgoing)


async def pause_command(update: Update, context: CoachContext) -> None:
    """/pause, or /pause until DATE: no messages until then; the return is as the break's length calls for."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    text = re.sub(r"^(until|till|til|to)\b", "", " ".join(context.args or []).strip(), flags=re.IGNORECASE).strip()
    until = await _until(context, user.id, text) if text else None
    if text and until is None:
        said = await _bad_date(context, user.id)
    else:
        said = paused_text(context, await context.deps.coach.pause(user.id, until), until)
    await say(context, message.chat_id, said)


async def _until(context: CoachContext, user_id: int, text: str) -> dt.date | None:
    """The end date said after /pause, read in the runner's own today; None when it does not read."""
    try:
        return read_date(text, (await context.deps.coach.reading(user_id)).today)
    except AmbiguousDate:
        return None


async def _bad_date(context: CoachContext, user_id: int) -> str:
    brief = await context.deps.coach.brief(user_id)
    onboarded = brief is not None and brief.onboarded and brief.timezone is not None
    return context.deps.ui.loop.pause_bad_date if onboarded else context.deps.ui.general.not_onboarded


def paused_text(context: CoachContext, result: OnboardedRunner | Problem, until: dt.date | None) -> str:
    """What a pause answers: a problem, the day it ends, or that it lasts until /resume."""
    t = context.deps.ui.loop
    if isinstance(result, Problem):
        return problem_text(context, result)
    return (
        t.fmt("pause_until", date=day_words(until, names=context.deps.library.messages.weekday_names))
        if until is not None
        else t.pause_open
    )


async def resume_command(update: Update, context: CoachContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await resume_reply(message, context, user.id)


async def resume_reply(message: Message, context: CoachContext, user_id: int) -> None:
    """/resume or "I'm back": prompts start again, with what the break's length changed and today's session."""
    deps = context.deps
    result = await deps.coach.resume(user_id)
    if isinstance(result, Problem):
        await say(context, message.chat_id, problem_text(context, result))
        return
    await say(context, message.chat_id, f"{welcome_back(deps.ui, result.rule)}\n\n{deps.render.day(result.day)}")


def loop_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    new = filters.UpdateType.MESSAGE
    return [
        CommandHandler("log", log_command, filters=new),
        CommandHandler("pause", pause_command, filters=new),
        CommandHandler("resume", resume_command, filters=new),
        CallbackQueryHandler(checkin_tap, pattern=rf"^({CHECKIN}|{RPE}|{SORE}|{AREA}|{NIGGLE}|{TEST})\|"),
        CallbackQueryHandler(pain_tap, pattern=rf"^{PAIN}\|"),
        CallbackQueryHandler(log_pick, pattern=rf"^{LOG}\|"),
        CallbackQueryHandler(fix_tap, pattern=rf"^{FIX}\|"),
    ]
