"""Free text from an onboarded runner: what the intent parser reads, done as the buttons would.

"did it, rpe 7" logs today's session like Done and 7; "too sore" offers the swap; "knee hurts"
applies the pain rule; "I have a cold" gives the illness rule with the swap and a pause to tap;
"long run moved to saturday" changes this week and re-plans it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import structlog
from telegram import Message, Update

from bot.coach.day_readers import names_a_date
from bot.coach.intent_rules import AWAY_NEXT_WEEK
from bot.coach.intents import Intent, Parsed
from bot.coach.model import BodyArea, Distance, RunKind
from bot.coach.wording import day_words
from bot.services import loop
from bot.services.away import AwayCoach
from bot.services.loop import Moved, Problem, Status
from bot.services.pauses import PlannedPause
from bot.services.ports import Button, Outgoing
from bot.services.usecases import TodayCheck
from bot.telegram.context import CoachContext
from bot.telegram.loop_handlers import paused_text, resume_reply
from bot.telegram.loop_render import CHECKIN, PAIN, data, parse_day
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, problem_text, say

log = structlog.get_logger(__name__)

THANKS = re.compile(r"\b(thanks?|thank you|thank u|thx|ty|tysm|cheers|ta|appreciate)\b", re.IGNORECASE)
HELLO = re.compile(
    r"\b(?:hi+|hiya|hello|helo|hey+|heya|yo|sup|hola|howdy|g[mn]|(?:good\s+)?(?:morning|mornin|afternoon|evening|night))\b|👋",
    re.IGNORECASE,
)
STATUS: dict[Intent, Status] = {Intent.DONE: "done", Intent.PARTLY: "partial", Intent.SKIPPED: "skipped"}
PAUSE = "pause"  # the Pause button under the illness advice: ``pause|YYYYMMDD|open``
TUNE_UP = "tu"  # a tune-up's distance after a race day was added: ``tu|YYYYMMDD|half`` or ``...|unsure``
UNSURE = "unsure"
RACING = re.compile(r"\b(racing|race|parkrun)\b", re.IGNORECASE)


async def act_on(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> bool:
    """Carry out a loop intent; False when the intent is not one of the loop's.

    A red flag comes first (``bot.telegram.safety``); pain said with a check-in ("did it, 7, but my
    knee's throbbing") takes the pain route and logs the check-in too, effort and all.
    """
    from bot.telegram.safety import answer_red_flag

    if await answer_red_flag(message, context, user_id, parsed):
        await _checkin_also(message, context, user_id, parsed)
        return True
    if parsed.intent is Intent.PAIN:
        await _pain(message, context, user_id, parsed.area)
        await _checkin_also(message, context, user_id, parsed)
    elif parsed.intent in STATUS:
        await _log(message, context, user_id, parsed)
    elif parsed.intent is Intent.SORE_OR_TIRED:
        await _sore(message, context, user_id)
    elif parsed.intent is Intent.ILL:
        await ill(message, context, user_id, parsed.urgent)
    elif parsed.intent is Intent.MOVED_RUN:
        await _moved(message, context, user_id, parsed)
    elif parsed.intent is Intent.PAUSE:
        await _pause(message, context, user_id, parsed.until)
    elif parsed.intent is Intent.RESUME:
        await _resume(message, context, user_id)
    elif parsed.intent is Intent.GREETING:
        await _greet(message, context, user_id, parsed.text)
    else:
        return False
    return True


async def _checkin_also(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> None:
    """The check-in said alongside pain or a bone-stress sign, logged as if said alone."""
    if parsed.urgent:
        return
    said = next((intent for intent in parsed.also if intent in STATUS), None)
    if said is not None:
        await _log(message, context, user_id, replace(parsed, intent=said, also=()))


async def _reply(message: Message, context: CoachContext, outgoing: Outgoing) -> None:
    await context.deps.sender.send(message.chat.id, outgoing)


async def _log(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> None:
    """ "did it, rpe 7": the session day's check-in, logged as the buttons would."""
    deps = context.deps
    result = await deps.coach.log_said(user_id, STATUS[parsed.intent], parsed.rpe)
    if isinstance(result, Problem):
        await say(context, message.chat_id, problem_text(context, result))
        return
    await _reply(message, context, deps.loop_render.logged(result))


async def _sore(message: Message, context: CoachContext, user_id: int) -> None:
    """ "too sore": the swap offered on a lift day not yet logged."""
    deps, t = context.deps, context.deps.ui.loop
    found = await deps.coach.today_check(user_id, await context.brief(user_id))
    if found is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
    elif not found.day.session.kind.is_lifting or found.checkin is not None:
        await say(context, message.chat_id, t.sore_no_lift)
    else:
        swap = Button(t.btn_swap, data(CHECKIN, found.day.date, "swap"))
        await _reply(message, context, Outgoing(t.sore_offer, ((swap,),)))


async def ill(message: Message, context: CoachContext, user_id: int, urgent: bool) -> None:
    """The illness rule: no lifting with a fever or below the neck, mobility at most for a head cold;
    chest pain, fainting or palpitations: a doctor before any training, and no swap offered."""
    deps = context.deps
    found = await deps.coach.today_check(user_id, await context.brief(user_id))
    if found is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    log.info("health.ill", urgent=urgent)
    await _reply(message, context, illness_advice(context, found, urgent))


def illness_advice(context: CoachContext, found: TodayCheck, urgent: bool) -> Outgoing:
    """The advice, with the swap on a lift day not yet logged and a pause when none runs."""
    t = context.deps.ui.loop
    lines, rows = [t.ill_urgent if urgent else t.ill], []
    if not urgent and found.day.session.kind.is_lifting and found.checkin is None:
        lines.append(t.ill_swap)
        rows.append((Button(t.btn_swap, data(CHECKIN, found.day.date, "swap")),))
    if not found.shown.paused:
        lines.append(t.ill_urgent_pause if urgent else t.ill_pause)
        rows.append((Button(t.btn_pause, data(PAUSE, found.shown.today, "open")),))
    return Outgoing("\n\n".join(lines), tuple(rows))


async def pause_tap(update: Update, context: CoachContext) -> None:
    """The Pause button under the illness advice: paused until /resume, as /pause would."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[0] != PAUSE or parsed[2] != "open" or parse_day(parsed[1]) is None:
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    result = await context.deps.coach.pause(user.id, None)
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    await answer_tap(update, context)
    if isinstance(query.message, Message):  # the advice stays, the buttons go, the pause is confirmed under it
        await _under(context, query.message, f"\n\n{context.deps.ui.loop.pause_open}")


async def _under(context: CoachContext, message: Message, said: str) -> None:
    """The message kept, its buttons gone, with ``said`` added under it."""
    text = f"{message.text or ''}{said}".strip()
    await context.deps.sender.edit(message.chat.id, message.message_id, Outgoing(text))


async def _pain(message: Message, context: CoachContext, user_id: int, area: BodyArea | None) -> None:
    """ "my knee hurts": the pain rule and the red-flag question; with no area named, "where?"."""
    deps, t = context.deps, context.deps.ui.loop
    if area is None:
        await _ask_area(message, context, user_id)
        return
    result = await deps.coach.report_pain(user_id, area)
    if isinstance(result, Problem):
        await say(context, message.chat_id, problem_text(context, result))
        return
    await say(context, message.chat_id, t.fmt("pain_rule", area=area.value))
    await _reply(message, context, deps.loop_render.red_flag_question(area))


async def _ask_area(message: Message, context: CoachContext, user_id: int) -> None:
    """Pain with no area named: a button for each area, dated the session day."""
    deps = context.deps
    brief = await deps.coach.brief(user_id)
    if brief is None or not brief.onboarded or brief.timezone is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    today = loop.session_day(deps.clock.now(), brief.timezone)
    buttons = [Button(a.value.capitalize(), data(PAIN, today, f"{a.value}.new")) for a in BodyArea]
    rows = tuple(tuple(buttons[i : i + 4]) for i in range(0, len(buttons), 4))
    await _reply(message, context, Outgoing(deps.ui.loop.ask_pain_area, rows))


async def _moved(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> None:
    deps, t = context.deps, context.deps.ui.loop
    run = parsed.run or (RunKind.RACE if RACING.search(parsed.text) else None)
    if run is None or parsed.day is None:
        await say(context, message.chat_id, t.moved_run_unclear)
        return
    result = await deps.coach.move_run(user_id, run, parsed.day)
    if isinstance(result, Problem):
        text = t.moved_run_past if result is Problem.PAST_DATE else problem_text(context, result)
        await say(context, message.chat_id, text)
        return
    await say(context, message.chat_id, moved_text(context, result))
    if result.run is RunKind.RACE:  # P9: a tune-up's distance decides its recovery days; one tap to say it
        await _reply(message, context, tune_up_question(context, result.day))


def moved_text(context: CoachContext, moved: Moved) -> str:
    """What moved: the run, the run it displaced (swapped into the day it left, or off this week),
    and the re-planned week."""
    r, t = context.deps.render, context.deps.ui.loop
    lines = [t.fmt("moved_run", run=r.run(moved.run), weekday=r.weekday(moved.day))]
    if moved.displaced is not None:
        run, day = moved.displaced
        lines.append(t.fmt("moved_run_swapped", run=r.run(run), weekday=r.weekday(day)))
    elif moved.dropped is not None:
        lines.append(t.fmt("moved_run_dropped", run=r.run(moved.dropped), weekday=r.weekday(moved.day)))
    lines.append(t.moved_run_week)
    return f"{' '.join(lines)}\n\n{r.week(moved.week, from_day=moved.today)}"


def tune_up_question(context: CoachContext, day: dt.date) -> Outgoing:
    """ "How far is the race?": one button per distance, and "not sure"."""
    deps, t = context.deps, context.deps.ui.loop
    names = deps.library.messages.distance_names
    buttons = [Button(names.get(d.value, d.value), data(TUNE_UP, day, d.value)) for d in Distance]
    buttons.append(Button(t.btn_tune_up_unsure, data(TUNE_UP, day, UNSURE)))
    rows = tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3))
    return Outgoing(t.fmt("ask_tune_up_distance", weekday=deps.render.weekday(day)), rows)


async def tune_up_tap(update: Update, context: CoachContext) -> None:
    """``tu|YYYYMMDD|<distance>`` or ``tu|YYYYMMDD|unsure``: the tune-up's distance is stored on its
    day and the week re-planned; the question stays with the answer under it."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    tune_up = _tune_up(parse_callback(query.data))
    if tune_up is None:
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    day, distance = tune_up
    result = await context.deps.coach.set_tune_up_distance(user.id, day, distance)
    if isinstance(result, Problem):
        return await answer_tap(update, context, _tune_up_problem(context, result))
    await answer_tap(update, context)
    log.info("text.tune_up", distance=distance.value if distance else UNSURE)
    if isinstance(query.message, Message):
        await _tune_up_told(context, query.message, tune_up_said(context, day, distance), result)


async def _tune_up_told(context: CoachContext, message: Message, said: str, result: Moved) -> None:
    """The answer under the question, and the week as it is now re-planned."""
    await _under(context, message, f"\n→ {said}")
    await say(context, message.chat_id, f"{said}\n\n{context.deps.render.week(result.week, from_day=result.today)}")


def _tune_up(parsed: tuple[str, str, str] | None) -> tuple[dt.date, Distance | None] | None:
    """The day and the distance (None: not sure) a tune-up tap names, or None for a stale one."""
    day = parse_day(parsed[1]) if parsed is not None and parsed[0] == TUNE_UP else None
    distances = {d.value: d for d in Distance}
    if parsed is None or day is None or (parsed[2] not in distances and parsed[2] != UNSURE):
        return None
    return day, distances.get(parsed[2])


def _tune_up_problem(context: CoachContext, problem: Problem) -> str:
    if problem is Problem.NEED_STATUS:
        return context.deps.ui.general.stale_button
    return context.deps.ui.loop.moved_run_past if problem is Problem.PAST_DATE else problem_text(context, problem)


def tune_up_said(context: CoachContext, day: dt.date, distance: Distance | None) -> str:
    """The answer under the question: the tune-up's distance, or that the runner is not sure."""
    t, weekday = context.deps.ui.loop, context.deps.render.weekday(day)
    if distance is None:
        return t.fmt("tune_up_unsure", weekday=weekday)
    name = context.deps.library.messages.distance_names.get(distance.value, distance.value)
    return t.fmt("tune_up_set", distance=name, weekday=weekday)


async def _pause(message: Message, context: CoachContext, user_id: int, until: dt.date | None) -> None:
    """ "Pause until friday": the end date as the parse read it, in the runner's own today and their
    way with a numeric date ("till 12/5" is 5 December in New York, 12 May in London)."""
    deps = context.deps
    if until is None and AWAY_NEXT_WEEK.search((message.text or "").lower()):  # a week away, asked ahead
        planned = await AwayCoach(deps.coach).next_week(user_id)
        await say(context, message.chat_id, planned_text(context, planned))
        return
    if until is None and names_a_date((message.text or "").lower()):  # "until 2026-02-30": no such day
        await say(context, message.chat_id, deps.ui.loop.pause_bad_date)
        return
    await say(context, message.chat_id, paused_text(context, await deps.coach.pause(user_id, until), until))


def planned_text(context: CoachContext, planned: PlannedPause | Problem) -> str:
    """What a week away asked ahead answers: when the pause starts and ends, or why not."""
    if isinstance(planned, Problem):
        return problem_text(context, planned)
    names = context.deps.library.messages.weekday_names
    start, until = day_words(planned.start, names=names), day_words(planned.until, names=names)
    return context.deps.ui.loop.fmt("pause_planned", start=start, until=until)


async def _resume(message: Message, context: CoachContext, user_id: int) -> None:
    await resume_reply(message, context, user_id)


async def _greet(message: Message, context: CoachContext, user_id: int, text: str) -> None:
    """Thanks get a you're-welcome, a hello a hello, and good news ("ran a PB at parkrun!!") a cheer."""
    t = context.deps.ui.loop
    if THANKS.search(text):
        await say(context, message.chat_id, t.thanks)
        return
    brief = (await context.brief(user_id)).runner  # the update's: the gates read it already
    name = brief.first_name if brief is not None and brief.first_name else context.deps.ui.onboarding.no_name
    await say(context, message.chat_id, t.fmt("greeting" if HELLO.search(text) else "cheer", name=name))
