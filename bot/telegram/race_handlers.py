"""/race: the goal race and the tune-up races, with a button for each change.

Which question is open is stored by ``bot.services.race_flow``, so a gate ahead of the everyday
handlers reads the runner's next message as its answer in any process, and /cancel closes it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.services.chat import NO_KEYS
from bot.services.ports import Outgoing
from bot.services.race_cases import RaceCoach, race_coach
from bot.services.race_flow import AT, Asking, Outcome, RaceAction, RaceStep, open_step
from bot.services.races import RaceChanged, RaceProblem
from bot.telegram.context import CoachContext
from bot.telegram.onboarding_render import with_choice
from bot.telegram.open_questions import CANCEL, _not_an_answer, expired, is_cancel
from bot.telegram.race_render import ANSWER, MENU, problem_text, race_changed, race_menu, race_question
from bot.telegram.render import parse_callback
from bot.telegram.replies import answer_tap, ask, say

log = structlog.get_logger(__name__)

_ACTIONS = {a.value: a for a in RaceAction}
_STEPS = {s.value: s for s in RaceStep}


def _races(context: CoachContext) -> RaceCoach:
    return race_coach(context.deps.coach)


async def race_command(update: Update, context: CoachContext) -> None:
    """/race: the goal race and tune-ups, the phase now, and a button for each change."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    standing = await _races(context).menu(user.id)
    if standing is None:
        await say(context, message.chat_id, context.deps.ui.general.not_onboarded)
        return
    await context.deps.sender.send(message.chat_id, race_menu(context, standing))


async def race_tap(update: Update, context: CoachContext) -> None:
    """``rm|<action>|<value>`` opens a question or makes a change; ``rc|<step>|<value>`` answers one."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    outcome = await _tapped(context, user.id, parsed)
    if outcome is None:  # Cancel
        await _leave(context, query.message, query.data or "")
        await answer_tap(update, context)
        await say(context, query.message.chat_id, context.deps.ui.race.cancelled)
        return
    if parsed[0] == ANSWER and not isinstance(outcome, RaceProblem):
        await _leave(context, query.message, query.data or "")
    await _show(update, context, query.message.chat_id, outcome)


async def _tapped(context: CoachContext, user_id: int, parsed: tuple[str, str, str]) -> Outcome | None:
    """What a tap did: None for Cancel; a question a day old is closed (a stale tap)."""
    scope, what, value = parsed
    races = _races(context)
    if scope == MENU and what in _ACTIONS:
        log.info("race.action", action=what)
        return await races.act(user_id, _ACTIONS[what], value)
    if scope != ANSWER or what not in _STEPS:
        return RaceProblem.STALE
    if expired((await context.deps.coach.answers(user_id)).get(AT), context.deps.clock.now()):
        await races.close(user_id)
        return RaceProblem.STALE
    if value == CANCEL:
        return None if await races.close(user_id) else RaceProblem.STALE
    return await races.answer(user_id, _STEPS[what], value, typed=False)


async def _leave(context: CoachContext, message: Message, data: str) -> None:
    """The answered question stays in the chat with the tapped button's label under it, its buttons gone."""
    text = with_choice(message.text or "", message, data)
    await context.deps.sender.edit(message.chat_id, message.message_id, Outgoing(text))


async def _show(update: Update, context: CoachContext, chat_id: int, outcome: Outcome) -> None:
    """A tap's outcome: a pop-up for a problem, else the (next) question or what the change did."""
    if isinstance(outcome, RaceProblem):
        return await answer_tap(update, context, problem_text(context, outcome))
    await answer_tap(update, context)
    await _send(context, chat_id, outcome)


async def _send(context: CoachContext, chat_id: int, outcome: Asking | RaceChanged) -> None:
    if isinstance(outcome, Asking):
        await ask(context, chat_id, race_question(context, outcome))
        return
    log.info("race.changed", phase=outcome.standing.phase.value)
    await say(context, chat_id, race_changed(context, outcome))


async def race_gate(update: object, context: CoachContext) -> None:
    """While a /race question is open, the runner's next text answers it and /cancel closes it;
    everything else, and everyone else, goes on to the usual handlers."""
    if not isinstance(update, Update) or update.effective_user is None or update.message is None:
        return
    message, user_id, text = update.message, update.effective_user.id, update.message.text
    if text is None or (text.startswith("/") and not _is_cancel_command(text)):
        return
    step = await _answered_by(context, user_id, text)
    if step is None:
        return
    await _typed(context, message, user_id, step, text)
    raise ApplicationHandlerStop


async def _answered_by(context: CoachContext, user_id: int, text: str) -> RaceStep | None:
    """The open question ``text`` answers; None when none is open, when it closed (a day after it
    was asked), or when the text is pain or a red flag: those come first, so the question is closed
    and the everyday route takes the message."""
    answers = (await context.brief(user_id)).answers
    step = open_step(answers)
    if step is None:
        return None
    if expired(answers.get(AT), context.deps.clock.now()) or await _pain_first(context, text):
        await _races(context).close(user_id)
        context.forget_brief()
        log.info("race.closed", step=step.value)
        return None
    return step


async def _pain_first(context: CoachContext, text: str) -> bool:
    if text.startswith("/"):
        return False
    other = await asyncio.to_thread(_not_an_answer, context, text, context.deps.clock.now().date())
    return other is not None and (other.urgent or other.pain)


def _is_cancel_command(text: str) -> bool:
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].casefold() == "cancel"


async def _typed(context: CoachContext, message: Message, user_id: int, step: RaceStep, text: str) -> None:
    """A typed answer to the open question, or /cancel."""
    races = _races(context)
    if text.startswith("/") or is_cancel(context, text):
        await races.close(user_id)
        log.info("race.cancel", step=step.value)
        await context.deps.sender.reply(message.chat_id, context.deps.ui.race.cancelled, NO_KEYS)
        return
    outcome = await races.answer(user_id, step, text, typed=True)
    if isinstance(outcome, RaceProblem):
        await say(context, message.chat_id, problem_text(context, outcome))
        return
    await _send(context, message.chat_id, outcome)


def race_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [
        CommandHandler("race", race_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(race_tap, pattern=rf"^(?:{MENU}|{ANSWER})\|"),
    ]
