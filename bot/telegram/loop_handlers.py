"""Handlers of the daily loop: check-in taps, /log, /pause, /resume and the pain follow-up.

Each handler parses the tap or command, calls one use case in ``bot.services.loop`` inside one
unit of work, and redraws or sends what ``LoopRenderer`` makes of the result. Taps are routed by
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
from bot.coach.model import BodyArea, SessionKind
from bot.services import health, loop, scheduling
from bot.services.loop import SORENESS, Card, Problem, Swapped
from bot.services.plans import day_for, local_today, monday_of, stored_week
from bot.services.ports import Outgoing
from bot.services.timezones import zone
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

log = structlog.get_logger(__name__)

LOOP_SCOPES = (CHECKIN, RPE, SORE, AREA, PAIN, LOG, NIGGLE, MORNING, WEEK_CHECK, TEST, HEALTH, DELETE, SETTINGS)
LOOP_PATTERN = re.compile(rf"^({'|'.join(LOOP_SCOPES)})\|")
NOT_LOOP_PATTERN = re.compile(rf"^(?!({'|'.join(LOOP_SCOPES)})\|)")  # every other tap (onboarding's)
LATER = dt.timedelta(hours=2)
QUIET_FROM = dt.time(22, 0)
STATUS = {"done": "done", "partly": "partial", "skip": "skipped"}


async def answer_tap(update: Update, text: str | None = None) -> None:
    """Answer the tap so the button stops spinning; an old query that can no longer be answered
    is not the runner's problem."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer(text)
    except Exception:
        log.info("checkin.answer_late")


def problem_text(context: CoachContext, problem: Problem) -> str:
    if problem is Problem.NOT_ONBOARDED:
        return context.deps.ui.general.not_onboarded
    if problem is Problem.NEED_STATUS:
        return context.deps.ui.general.stale_button
    return str(getattr(context.deps.ui.loop, problem.value))


async def checkin_tap(update: Update, context: CoachContext) -> None:
    """Done / Partly / Skip / Swap / Later, then effort, soreness and area, each a tap."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    message = query.message
    if parsed is None or day is None or not isinstance(message, Message):
        await answer_tap(update, context.deps.ui.general.stale_button)
        return
    scope, _, value = parsed
    deps = context.deps
    now = deps.clock.now()
    result: Card | Swapped | Problem | str
    niggle = _niggle_answer(value) if scope == NIGGLE else None
    async with deps.uow() as work:
        if scope == CHECKIN and value in STATUS:
            result = await loop.log_status(work, user.id, day, STATUS[value], now, deps.library)  # type: ignore[arg-type]
        elif scope == CHECKIN and value == "swap":
            result = await loop.swap_to_mobility(work, user.id, day, now, deps.library)
        elif scope == CHECKIN and value == "later":
            result = await _later(work, user.id, day, now, context)
        elif scope == RPE and value.isdigit() and 1 <= int(value) <= 10:
            result = await loop.log_rpe(work, user.id, day, int(value), now, deps.library)
        elif scope == SORE and value in SORENESS and value != "pain":
            result = await loop.log_soreness(work, user.id, day, value, now, deps.library)  # type: ignore[arg-type]
        elif scope == SORE and value == "pain":
            result = await loop.log_soreness(work, user.id, day, "pain", now, deps.library)
        elif scope == AREA and value in BodyArea.__members__.values():
            result = await loop.log_pain(work, user.id, day, BodyArea(value), now, deps.library)
        elif niggle is not None:
            result = await loop.log_niggle(work, user.id, day, niggle[0], niggle[1], now, deps.library)
        elif scope == TEST and value.isdigit() and len(value) <= 3:
            result = await health.log_test(work, user.id, day, int(value), now, deps.library)
        else:
            result = Problem.NEED_STATUS
        await work.commit()
    chat_id = message.chat.id
    if isinstance(result, Problem):
        await answer_tap(update, problem_text(context, result))
        return
    if isinstance(result, str):  # a note for the runner, the card unchanged
        await answer_tap(update, result)
        return
    if isinstance(result, Swapped):
        await answer_tap(update)
        await deps.sender.edit(chat_id, message.message_id, deps.loop_render.swapped(result.day, result.moved_to))
        return
    await answer_tap(update, None if result.changed else deps.ui.loop.already_logged)
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


async def _later(work: Any, telegram_id: int, day: dt.date, now: dt.datetime, context: CoachContext) -> str | Problem:
    """Send the prompt again in two hours, once, never in quiet hours."""
    found = await loop.card(work, telegram_id, day, now, context.deps.library)
    if isinstance(found, Problem):
        return found
    timezone = found.runner.timezone
    assert timezone is not None
    when = (now + LATER).astimezone(zone(timezone))
    if when.date() != day or when.time() >= QUIET_FROM or not found.day.session.kind.is_lifting:
        return context.deps.ui.loop.later_too_late
    await scheduling.set_one_off(work, telegram_id, "later", (now + LATER).astimezone(dt.UTC), day)
    return context.deps.ui.loop.fmt("later_set", time=when.strftime("%H:%M"))


async def pain_tap(update: Update, context: CoachContext) -> None:
    """The answer to "how is your knee now?"."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    area_text, _, answer = (parsed[2] if parsed else "").partition(".")
    message = query.message
    if parsed is None or area_text not in BodyArea.__members__.values() or answer not in ("better", "same", "new"):
        await answer_tap(update, context.deps.ui.general.stale_button)
        return
    deps = context.deps
    area, now = BodyArea(area_text), deps.clock.now()
    async with deps.uow() as work:
        if answer == "new":  # the area picked after "my ... hurts" named none
            result = await loop.report_pain(work, user.id, area, now, deps.library)
        else:
            result = await loop.pain_follow_up(work, user.id, area, answer == "same", now, deps.library)
        await work.commit()
    if isinstance(result, Problem):
        await answer_tap(update, problem_text(context, result))
        return
    await answer_tap(update)
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
    now = deps.clock.now()
    async with deps.uow() as work:
        account = await work.runners.get(user.id)
        if account is None or not account.onboarded or account.timezone is None:
            await message.reply_text(deps.ui.general.not_onboarded)
            return
        today = loop.session_day(now, account.timezone)
        week = await stored_week(work, account, monday_of(today), deps.library, now)
        await work.commit()
    days = [d for d in week.days if d.date <= today and d.session.kind is not SessionKind.REST]
    await deps.sender.send(message.chat.id, deps.loop_render.log_menu(days))


async def log_pick(update: Update, context: CoachContext) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    day = parse_day(parsed[1]) if parsed is not None else None
    message = query.message
    if day is None or not isinstance(message, Message):
        await answer_tap(update, context.deps.ui.general.stale_button)
        return
    deps = context.deps
    async with deps.uow() as work:
        found = await loop.card(work, user.id, day, deps.clock.now(), deps.library)
        await work.commit()
    if isinstance(found, Problem):
        await answer_tap(update, problem_text(context, found))
        return
    await answer_tap(update)
    await deps.sender.send(message.chat.id, deps.loop_render.card(found))


async def pause_command(update: Update, context: CoachContext) -> None:
    """/pause, or /pause until DATE: no messages until then; the return starts a step lower."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    deps, t = context.deps, context.deps.ui.loop
    now = deps.clock.now()
    text = " ".join(context.args or []).strip()
    text = re.sub(r"^(until|till|til|to)\b", "", text, flags=re.IGNORECASE).strip()
    until: dt.date | None = None
    async with deps.uow() as work:
        account = await work.runners.get(user.id)
        if account is None or not account.onboarded or account.timezone is None:
            await message.reply_text(deps.ui.general.not_onboarded)
            return
        if text:
            try:
                until = read_date(text, local_today(now, account.timezone))
            except AmbiguousDate:
                until = None
            if until is None:
                await message.reply_text(t.pause_bad_date)
                return
        result = await loop.pause(work, user.id, until, now, deps.library)
        await work.commit()
    if isinstance(result, Problem):
        await message.reply_text(problem_text(context, result))
    elif until is not None:
        await message.reply_text(t.fmt("pause_until", date=until.strftime("%a %d %b")))
    else:
        await message.reply_text(t.pause_open)


async def resume_command(update: Update, context: CoachContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await resume_reply(message, context, user.id)


async def resume_reply(message: Message, context: CoachContext, user_id: int) -> None:
    """/resume or "I'm back": prompts start again, a step lower, with today's session."""
    deps = context.deps
    now = deps.clock.now()
    async with deps.uow() as work:
        result = await loop.resume(work, user_id, now, deps.library)
        await work.commit()
    if isinstance(result, Problem):
        await message.reply_text(problem_text(context, result))
        return
    view = await day_for(deps.uow, result, now, 0, deps.library)
    await message.reply_text(f"{deps.ui.loop.resumed}\n\n{deps.render.day(view.day)}")


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
