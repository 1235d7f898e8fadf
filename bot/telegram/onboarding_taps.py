"""Onboarding's taps: a tap on a button of the open question (an answer, a tick, Back, Cancel, or Yes
or No under "Did you mean ...?"), routed by what it says; a tap on anything else is a stale button."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Message, Update

from bot.services import onboarding as service
from bot.services.onboarding import BACK, DONE, Question, Reask
from bot.services.ports import Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.onboarding_render import SCOPE, asked, pending_confirm, with_choice
from bot.telegram.onboarding_steps import (
    Runner,
    ask_open,
    cancel,
    confirmed,
    go_back,
    is_expired,
    runner_of,
    store_and_continue,
)
from bot.telegram.open_questions import CANCEL, CONFIRM_NO, CONFIRM_YES
from bot.telegram.render import parse_callback


@dataclass(frozen=True)
class Tap:
    """A tap on a button of the open question: who tapped, under which message, what it says."""

    query_id: str
    who: Runner
    message: Message
    question: Question
    answers: dict[str, Any]
    data: str
    value: str


async def _tap(update: Update, context: CoachContext) -> Tap | None:
    """The tap, if it belongs to the question open now (anything else is a stale button)."""
    query, who = update.callback_query, runner_of(update)
    assert query is not None
    parsed = parse_callback(query.data)
    answers = await context.deps.coach.answers(who.user_id)
    question = service.next_question(answers)
    if parsed is None or question is None or parsed[:2] != (SCOPE, question.value):
        return None
    if not isinstance(query.message, Message):
        return None
    return Tap(query.id, who, query.message, question, answers, query.data or "", parsed[2])


async def on_button(update: Update, context: CoachContext) -> None:
    """A tap on the open question: Cancel, Yes or No under "Did you mean ...?", Back, or an answer."""
    query, tap, ui = update.callback_query, await _tap(update, context), context.deps.ui
    assert query is not None
    if tap is None:
        return await context.deps.sender.answer(query.id, ui.reasks.stale_button)
    if is_expired(tap.answers, context):  # a day later, the question is asked afresh
        await context.deps.sender.answer(tap.query_id, ui.onboarding.expired)
        return await ask_open(tap.message, context, tap.who, tap.answers, prefix=ui.onboarding.expired)
    await TAPS.get(tap.value, _answered)(update, context, tap)


async def _leave(context: CoachContext, tap: Tap, text: str) -> None:
    """The tap answered, and the question left in the chat as ``text``, its buttons gone."""
    await context.deps.sender.answer(tap.query_id)
    await context.deps.sender.edit(tap.message.chat_id, tap.message.message_id, Outgoing(text))


def _clean(context: CoachContext, tap: Tap) -> str:
    """The question as asked, without any re-ask above it."""
    return asked(context, tap.question, tap.answers).text


async def _cancel_tap(update: Update, context: CoachContext, tap: Tap) -> None:
    await _leave(context, tap, _clean(context, tap))
    await cancel(update, context)


async def _confirm_tap(update: Update, context: CoachContext, tap: Tap) -> None:
    """Yes or No under "Did you mean ...?"."""
    confirm = pending_confirm(tap.answers, tap.question)
    if confirm is None:
        return await context.deps.sender.answer(tap.query_id, context.deps.ui.reasks.stale_button)
    await _leave(context, tap, with_choice(_clean(context, tap), tap.message, tap.data))
    await confirmed(tap.message, context, tap.who, tap.question, confirm, tap.value == CONFIRM_YES)


async def _back_tap(update: Update, context: CoachContext, tap: Tap) -> None:
    await _leave(context, tap, _clean(context, tap))
    await go_back(tap.message, context, tap.who, tap.question)


async def _answered(update: Update, context: CoachContext, tap: Tap) -> None:
    """An answer: a tick redraws the question; a whole answer stays under it and the next is asked
    (a multi-choice question already lists what was picked; others show the tapped answer)."""
    deps, chat_id, message_id = context.deps, tap.message.chat_id, tap.message.message_id
    try:
        values, answered = service.button_answer(tap.question, tap.value, tap.answers)
    except Reask as exc:
        return await deps.sender.answer(tap.query_id, str(getattr(deps.ui.reasks, exc.key)))
    if not answered:
        await deps.sender.answer(tap.query_id)
        shown = asked(context, tap.question, await deps.coach.save_answer(tap.who.user_id, values))
        return await deps.sender.edit(chat_id, message_id, Outgoing(shown.text, shown.buttons))
    clean = _clean(context, tap)
    await _leave(context, tap, clean if tap.value == DONE else with_choice(clean, tap.message, tap.data))
    await store_and_continue(tap.message, context, tap.who, tap.question, values)


TAPS = {CANCEL: _cancel_tap, CONFIRM_YES: _confirm_tap, CONFIRM_NO: _confirm_tap, BACK: _back_tap}
