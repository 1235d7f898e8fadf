"""Onboarding's steps that typed answers and taps share: ask the open question (or finish when none
is left), store an answer and go on, go back a question, take Yes to "Did you mean ...?", /cancel.

The state is the database's (see ``bot.telegram.onboarding``): ``draft:active`` while onboarding is
open, ``draft:asked`` for the message that asked the open question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from telegram import Message, Update

from bot.services import onboarding as service
from bot.services.chat import NO_KEYS
from bot.services.onboarding import CONFIRM_DRAFT, NIGHT_REMINDER_DRAFT, Draft, Question, Reask
from bot.telegram import onboarding_render as render
from bot.telegram.context import CoachContext
from bot.telegram.onboarding_render import asked
from bot.telegram.open_questions import expired
from bot.telegram.replies import ask
from bot.telegram.zone_choices import local_time

log = structlog.get_logger("bot.telegram.onboarding")  # onboarding's log lines keep one name

ACTIVE = "draft:active"  # onboarding is open: the runner's next message or tap answers it
ASKED = "draft:asked"  # the question last asked: its message id and clean text


@dataclass(frozen=True)
class Runner:
    """Who is answering: taken from the update's user, never from a message's author."""

    user_id: int
    chat_id: int
    name: str


def runner_of(update: Update) -> Runner:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    return Runner(user.id, chat.id, user.first_name or "")


async def ask_open(
    message: Message, context: CoachContext, who: Runner, answers: dict[str, Any], *, prefix: str | None = None
) -> None:
    """Send the open question (after a re-ask or confirmation line, if any), or finish."""
    question = service.next_question(answers)
    if question is None:
        return await finish(message, context, who)
    shown = asked(context, question, answers)
    sent = await ask(context, message.chat_id, shown.after(prefix))
    stored = {
        "message_id": sent,
        "text": shown.text,
        "question": question.value,
        "at": context.deps.clock.now().isoformat(),
    }
    await context.deps.coach.save_answer(who.user_id, {ASKED: stored})
    return None


async def store_and_continue(
    message: Message,
    context: CoachContext,
    who: Runner,
    question: Question,
    values: dict[str, Any],
    *,
    prefix: str | None = None,
) -> None:
    deps = context.deps
    drop: tuple[str, ...] = ()
    if question is not Question.RACE:
        drop = (service.draft_key(question), service.RACE_DISTANCE_DRAFT)
    if question is Question.RACE_DATE:
        drop = (service.RACE_DISTANCE_DRAFT,)
    if Question.RACE.value in values:
        drop += (service.RACE_MONTH_DRAFT,)
    if Question.REMINDER.value in values:
        drop += (NIGHT_REMINDER_DRAFT,)
    if Question.TIMEZONE.value in values:
        drop += (Draft.PLACES,)  # the places offered for a name several zones share
    answers = await deps.coach.save_answer(who.user_id, values, drop=drop)
    log.info("onboarding.answer", question=question.value)
    if question is Question.TIMEZONE and Question.TIMEZONE.value in values:
        name = answers[Question.TIMEZONE.value]
        found = deps.ui.onboarding.fmt("timezone_found", timezone=name, local_time=local_time(context, name))
        await context.deps.sender.reply(message.chat_id, found, NO_KEYS)
    return await ask_open(message, context, who, answers, prefix=prefix)


async def go_back(message: Message, context: CoachContext, who: Runner, question: Question) -> None:
    """Reopen the question before the open one."""
    deps = context.deps
    try:
        answers = await deps.coach.go_back(who.user_id, question)
    except Reask:
        answers = await deps.coach.answers(who.user_id)
    log.info("onboarding.back", question=question.value)
    return await ask_open(message, context, who, answers)


async def confirmed(
    message: Message, context: CoachContext, who: Runner, question: Question, values: dict[str, Any], yes: bool
) -> None:
    """Yes under "Did you mean ...?" keeps the reading; No asks the question again."""
    deps = context.deps
    if not yes:
        answers = await deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
        return await ask_open(message, context, who, answers)
    await deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
    return await store_and_continue(message, context, who, question, values)


def is_expired(answers: dict[str, Any], context: CoachContext) -> bool:
    asked = answers.get(ASKED)
    return isinstance(asked, dict) and expired(asked.get("at"), context.deps.clock.now())


async def cancel(update: Update, context: CoachContext) -> None:
    message = update.effective_message
    assert message is not None
    who = runner_of(update)
    deps = context.deps
    await deps.coach.save_answer(who.user_id, {ACTIVE: None})  # answers stay
    await deps.sender.reply(message.chat_id, deps.ui.onboarding.cancelled, NO_KEYS)
    log.info("onboarding.cancel")


async def finish(message: Message, context: CoachContext, who: Runner) -> None:
    done = await context.deps.coach.finish_onboarding(who.user_id, who.chat_id, who.name)
    for said in render.finished(context, who.name, done):
        await context.deps.sender.send(message.chat_id, said)
    log.info("onboarding.finished")
