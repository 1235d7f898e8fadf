"""Onboarding: one question at a time, buttons plus a typed fallback.

Everything it needs is in the database: whether onboarding is open (``draft:active``), which
question is open (derived from the answers stored so far, ``services.onboarding.next_question``)
and the message that asked it (``draft:asked``). So any process can serve any update, and a
restart, a /cancel or a stale button can never put the conversation and the answers out of step.
A gate ahead of the everyday handlers takes every update of a runner whose onboarding is open.

Here: the gate, /start, and typed answers (and messages that are no answer); taps are in
``onboarding_taps``, and the steps both share (ask the open question, store an answer and go on,
back, /cancel, the finish) in ``onboarding_steps``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler, filters

from bot.coach.model import BodyArea
from bot.services import onboarding as service
from bot.services.accounts import RunnerBrief
from bot.services.onboarding import CONFIRM_DRAFT, MULTI, Confirm, Question, Reask
from bot.services.ports import Outgoing
from bot.services.timezones import timezone_at
from bot.telegram import onboarding_render as render
from bot.telegram.context import CoachContext
from bot.telegram.delete_handlers import delete_command
from bot.telegram.loop_handlers import LOOP_PATTERN
from bot.telegram.onboarding_render import SCOPE, asked, kept_note, pending_confirm, question_and_buttons
from bot.telegram.onboarding_steps import (
    ACTIVE,
    ASKED,
    Runner,
    ask_open,
    cancel,
    confirmed,
    finish,
    go_back,
    is_expired,
    runner_of,
    store_and_continue,
)
from bot.telegram.onboarding_taps import on_button
from bot.telegram.open_questions import NotAnAnswer, _not_an_answer, is_cancel, why, yes_or_no
from bot.telegram.render import parse_callback
from bot.telegram.replies import say
from bot.telegram.safety import answer_red_flag

log = structlog.get_logger(__name__)


def typed_answer(
    context: CoachContext, question: Question, text: str, answers: dict[str, Any], scope: str = SCOPE
) -> dict[str, Any]:
    """A typed answer: a button's label counts as tapping it, anything else is read as text."""
    label = _typed_label(context, question, text, answers, scope)
    if label is not None:
        return service.button_answer(question, label, answers)[0]
    return service.typed_answer(question, text, answers, today=context.deps.clock.now().date())


def _typed_label(
    context: CoachContext, question: Question, text: str, answers: dict[str, Any], scope: str
) -> str | None:
    """The button value whose label was typed instead of tapped ("A gym"); single-choice questions only."""
    if question in MULTI:
        return None
    shown = (
        asked(context, question, answers) if scope == SCOPE else question_and_buttons(context, question, answers, scope)
    )
    typed = " ".join(text.casefold().split())
    for row in shown.buttons:
        for button in row:
            parsed = parse_callback(button.data)
            if parsed is not None and " ".join(button.label.casefold().split()) == typed:
                return parsed[2]
    return None


async def start(update: Update, context: CoachContext) -> None:
    """/start: a returning runner gets the menu; a new one the first open question."""
    message, who = update.effective_message, runner_of(update)
    assert message is not None
    account = await _account(context, who.user_id)
    if account is not None and account.onboarded:
        return await _welcome_back(message, context, who, account.first_name or who.name)
    answers = await context.deps.coach.save_answer(who.user_id, {ACTIVE: True})
    started = any(not k.startswith("draft:") for k in answers)
    log.info("onboarding.start", resumed=started)
    await ask_open(message, context, who, answers, prefix=render.intro(context, who.name, started))


async def _welcome_back(message: Message, context: CoachContext, who: Runner, name: str) -> None:
    """A returning runner: welcomed back if they had stopped (blocked the bot), then the menu."""
    if await context.deps.coach.reactivate(who.user_id):
        await say(context, message.chat_id, context.deps.ui.loop.fmt("welcome_back", name=name))
    await _menu(message, context, name)


async def _account(context: CoachContext, user_id: int) -> RunnerBrief | None:
    return await context.deps.coach.brief(user_id)


async def _menu(message: Message, context: CoachContext, name: str) -> None:
    await context.deps.sender.send(message.chat_id, render.menu(context, name))


async def _open_question(
    update: Update, context: CoachContext
) -> tuple[Message, Runner, dict[str, Any], Question | None]:
    """The message being answered, who sent it, their answers so far and the question still open."""
    message = update.effective_message
    assert message is not None
    who = runner_of(update)
    answers = await context.deps.coach.answers(who.user_id)
    return message, who, answers, service.next_question(answers)


async def on_text(update: Update, context: CoachContext) -> None:
    """A typed message mid-way: Back, Cancel, Yes or No to "Did you mean ...?", or an answer."""
    message, who, answers, question = await _open_question(update, context)
    assert message.text is not None
    if question is None:
        return await finish(message, context, who)
    if _is_back(context.deps.ui.buttons.back, message.text):
        return await go_back(message, context, who, question)
    if is_cancel(context, message.text):
        return await cancel(update, context)
    if is_expired(answers, context):
        log.info("onboarding.expired", question=question.value)  # a day later, the question is asked afresh
        return await ask_open(message, context, who, answers, prefix=context.deps.ui.onboarding.expired)
    await _typed(message, context, who, question, answers)


async def _settle_question(
    message: Message, context: CoachContext, question: Question, answer: str, answers: dict[str, Any]
) -> None:
    """Once a typed answer is taken, the question asked last reads as answered: no re-ask above it,
    no buttons under it, the answer after it."""
    asked = answers.get(ASKED)
    if not isinstance(asked, dict) or asked.get("question") != question.value:
        return
    shown = Outgoing(f"{asked['text']}\n→ {answer}")  # a reply keyboard cannot be edited away; the text can
    try:
        await context.deps.sender.edit(message.chat_id, asked["message_id"], shown)
    except TelegramError:  # deleted, too old, or unchanged: the new question below is what matters
        log.info("onboarding.settle_failed")


async def _typed(
    message: Message, context: CoachContext, who: Runner, question: Question, answers: dict[str, Any]
) -> None:
    """A typed answer, or Yes or No to the unsure reading of one; a message about something else
    (a red flag, pain, a question back) is answered aside."""
    assert message.text is not None
    confirm = pending_confirm(answers, question)
    if confirm is not None and yes_or_no(message.text) is not None:
        return await confirmed(message, context, who, question, confirm, yes_or_no(message.text) is True)
    if confirm is not None:  # typed something else: that is the answer now
        answers = await context.deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
    today = context.deps.clock.now().date()
    other = await asyncio.to_thread(_not_an_answer, context, message.text, today)
    if other is not None and (other.red_flag or question is Question.TIMEZONE):  # a place lookup reads anything
        return await _aside(message, context, who, question, answers, other)
    try:
        # off the event loop: reading a date or a place can take a moment, and other runners wait meanwhile
        values = await asyncio.to_thread(typed_answer, context, question, message.text, answers)
    except (Confirm, Reask) as exc:
        if other is not None:
            return await _aside(message, context, who, question, answers, other)
        return await _not_taken(message, context, who, question, answers, exc)
    await _settle_question(message, context, question, " ".join(message.text.split()), answers)
    prefix = kept_note(context, question, answers, values)
    return await store_and_continue(message, context, who, question, values, prefix=prefix)


async def _not_taken(
    message: Message, context: CoachContext, who: Runner, question: Question, answers: dict[str, Any], exc: Exception
) -> None:
    """An unsure reading is asked back ("Did you mean ...?"); an unreadable answer is re-asked."""
    if isinstance(exc, Confirm):
        log.info("onboarding.unsure", question=question.value)
        confirm_draft = {CONFIRM_DRAFT: {"question": question.value, "values": exc.values}}
        answers = await context.deps.coach.save_answer(who.user_id, confirm_draft)
        return await ask_open(message, context, who, answers)
    assert isinstance(exc, Reask)
    log.info("onboarding.reask", question=question.value, reason=exc.key)
    return await ask_open(message, context, who, answers, prefix=context.deps.ui.reasks.fmt(exc.key, **exc.fields))


def _is_back(label: str, text: str) -> bool:
    return " ".join(text.casefold().split()) == " ".join(label.casefold().split())


async def _aside(
    message: Message,
    context: CoachContext,
    who: Runner,
    question: Question,
    answers: dict[str, Any],
    other: NotAnAnswer,
) -> None:
    """A message that is not an answer: a red flag gets the doctor first (the hook every state
    calls), pain (a bone-stress sign too, whose check is the niggles' own, N1) is noted as a niggle,
    a question back gets why; then the open question is asked again."""
    log.info("onboarding.not_an_answer", question=question.value)
    if other.urgent or other.pain:  # about the runner's body: a line of its own, without their ids
        log.info("health.not_an_answer", urgent=other.urgent, pain=other.pain)
    if await answer_red_flag(message, context, who.user_id, other.parsed):
        pass  # the doctor first: the advice is sent, the question comes again below
    elif other.pain:
        answers, said = await _pain_noted(context, who, answers, other.area)
        await say(context, message.chat_id, said)
    else:
        await say(context, message.chat_id, why(context, question))
    return await ask_open(message, context, who, answers)


async def _pain_noted(
    context: CoachContext, who: Runner, answers: dict[str, Any], area: BodyArea | None
) -> tuple[dict[str, Any], str]:
    """Pain said mid-way: ticked at the niggles question still to come, or added to the niggles
    given (its red-flag check is then the next question, N1)."""
    t, deps = context.deps.ui.onboarding, context.deps
    if area is None:
        return answers, t.pain_where
    niggles = Question.NIGGLES.value
    if niggles in answers:
        given = list(answers.get(niggles) or [])
        if area.value not in given:
            order = list(BodyArea)
            given = sorted({*given, area.value}, key=lambda a: order.index(BodyArea(a)))
            answers = await deps.coach.save_answer(who.user_id, {niggles: given})
        return answers, t.fmt("pain_added", area=area.value)
    draft = service.draft_key(Question.NIGGLES)
    ticked = list(answers.get(draft, []))
    if area.value not in ticked:
        order = list(BodyArea)
        ticked = sorted({*ticked, area.value}, key=lambda a: order.index(BodyArea(a)))
        answers = await deps.coach.save_answer(who.user_id, {draft: ticked})
    return answers, t.fmt("pain_noted", area=area.value)


async def on_location(update: Update, context: CoachContext) -> None:
    message, who, answers, question = await _open_question(update, context)
    assert message.location is not None
    deps = context.deps
    if question is not Question.TIMEZONE:
        return await ask_open(message, context, who, answers, prefix=deps.ui.reasks.not_text)
    name = timezone_at(message.location.latitude, message.location.longitude)
    if name is None:
        return await ask_open(message, context, who, answers, prefix=deps.ui.reasks.bad_timezone)
    return await store_and_continue(message, context, who, question, {Question.TIMEZONE.value: name})


async def on_other(update: Update, context: CoachContext) -> None:
    """Stickers, photos, voice notes: re-ask the open question."""
    return await _reask(update, context, context.deps.ui.reasks.not_text)


async def on_command(update: Update, context: CoachContext) -> None:
    """Any other command mid-way (/today, /week, a typo): finish onboarding first."""
    return await _reask(update, context, context.deps.ui.reasks.finish_first)


async def on_help(update: Update, context: CoachContext) -> None:
    return await _reask(update, context, context.deps.ui.general.help)


async def _reask(update: Update, context: CoachContext, prefix: str) -> None:
    message = update.effective_message
    if message is None:  # e.g. an edited message or a poll answer: nothing to reply to
        return
    who = runner_of(update)
    answers = await context.deps.coach.answers(who.user_id)
    return await ask_open(message, context, who, answers, prefix=prefix)


async def onboarding_gate(update: object, context: CoachContext) -> None:
    """Every update of a runner whose onboarding is open goes to onboarding, and no further.

    Runs ahead of the everyday handlers; for anyone else (onboarded, or never started, or after
    /cancel) it does nothing and the update goes on. A tap on a daily-loop button is never taken.
    """
    if not isinstance(update, Update) or update.effective_user is None or not _may_answer(update):
        return
    if not await _onboarding_open(context, update.effective_user.id):
        return
    await _onboarding_step(update, context)
    raise ApplicationHandlerStop


def _may_answer(update: Update) -> bool:
    """A new message (an edited one is not an answer), or a tap on anything but a daily-loop button."""
    query = update.callback_query
    return update.message is not None or (query is not None and not (query.data and LOOP_PATTERN.match(query.data)))


async def _onboarding_open(context: CoachContext, user_id: int) -> bool:
    """Whether the runner's onboarding is open (read from the update's brief)."""
    brief = await context.brief(user_id)
    return not brief.onboarded and ACTIVE in brief.answers


async def _onboarding_step(update: Update, context: CoachContext) -> None:
    if update.callback_query is not None:
        await on_button(update, context)
        return
    message = update.message
    assert message is not None
    if message.text is not None and message.text.startswith("/"):
        command = message.text.split(maxsplit=1)[0][1:].split("@", 1)[0].casefold()
        steps = {"start": start, "cancel": cancel, "help": on_help, "delete": delete_command}
        await steps.get(command, on_command)(update, context)
    elif message.text is not None:
        await on_text(update, context)
    elif message.location is not None:
        await on_location(update, context)
    else:
        await on_other(update, context)


def onboarding_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    """/start, for everyone: the menu, or onboarding opened (or resumed) at its open question."""
    return [CommandHandler("start", start, filters=filters.UpdateType.MESSAGE)]
