"""/settings: the runner's settings with a button each; a tap asks that one onboarding question again.

The question is asked with onboarding's own buttons and typed fallback
(``bot.telegram.onboarding.question_and_buttons`` and ``typed_answer``) under the ``set`` scope;
which setting is open is stored by ``bot.services.settings``, so a gate ahead of the everyday
handlers reads the runner's next message as its answer in any process, and /cancel closes it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from typing import Any

import structlog
from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.coach.model import BodyArea
from bot.services import settings
from bot.services.chat import NO_KEYS
from bot.services.loop import Problem
from bot.services.onboarding import CONFIRM_DRAFT, DONE, MULTI, Confirm, Draft, Question, Reask, button_answer
from bot.services.ports import Outgoing
from bot.services.settings import SETTINGS, Changed, Pending
from bot.services.timezones import timezone_at
from bot.telegram.context import CoachContext
from bot.telegram.handlers import MAX_TEXT
from bot.telegram.loop_render import SETTINGS as SCOPE
from bot.telegram.onboarding import typed_answer
from bot.telegram.onboarding_render import pending_confirm, question_and_buttons, with_choice
from bot.telegram.open_questions import (
    CANCEL,
    CONFIRM_NO,
    CONFIRM_YES,
    NotAnAnswer,
    _not_an_answer,
    cancel_button,
    confirm_rows,
    confirm_text,
    expired,
    is_cancel,
    why,
    yes_or_no,
)
from bot.telegram.render import Asked, keyboard, parse_callback
from bot.telegram.replies import answer_tap, ask, problem_text, say
from bot.telegram.settings_render import OPEN, confirmation, menu
from bot.telegram.text_handlers import act_on

log = structlog.get_logger(__name__)

NUMBERING = re.compile(r"^\d+/\d+ · ")  # onboarding's "6/11 · " has no place here


async def settings_command(update: Update, context: CoachContext) -> None:
    """/settings: what is set now, and a button for each setting that can change."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    deps = context.deps
    account = await deps.coach.onboarded(user.id)
    if account is None:
        await say(context, message.chat_id, deps.ui.general.not_onboarded)
        return
    name = account.first_name or user.first_name or deps.ui.onboarding.no_name
    text = deps.render.settings(name, account.profile, account.timezone, account.reminder_time)
    await deps.sender.send(message.chat.id, menu(context, text))


def _question(context: CoachContext, question: Question, answers: dict[str, Any]) -> Asked:
    """The setting's question with a Cancel under it, or "Did you mean ...?" for an unsure reading."""
    confirm = pending_confirm(answers, question)
    if confirm is not None:
        return Asked(confirm_text(context, question, confirm), keyboard(confirm_rows(context, SCOPE, question)))
    shown = question_and_buttons(context, question, answers, SCOPE)
    cancel = cancel_button(context, SCOPE, question)
    if shown.keys is not None:  # the timezone question: Cancel sends its label
        shown = replace(shown, keys=replace(shown.keys, rows=(*shown.keys.rows, (cancel[0],))))
    else:
        shown = replace(shown, buttons=(*shown.buttons, *keyboard([[cancel]])))
    return replace(shown, text=NUMBERING.sub("", shown.text))


async def _ask(
    message: Message, context: CoachContext, question: Question, answers: dict[str, Any], prefix: str | None = None
) -> None:
    await ask(context, message.chat_id, _question(context, question, answers).after(prefix))


async def _apply(
    context: CoachContext, user_id: int, question: Question, values: dict[str, Any], answers: dict[str, Any]
) -> Changed | Pending | Problem:
    """The answer applied; ``answers``: the stored answers as this update read them (the runner as
    the update's brief has them: a delivery setting changes on it, the account unread)."""
    brief = await context.brief(user_id)
    result = await context.deps.coach.answer_setting(user_id, question, values, answers, brief)
    if isinstance(result, Changed):
        log.info("settings.changed", setting=result.question.value)
    return result


@dataclass(frozen=True)
class Tap:
    """A tap on a button of the open setting's question."""

    user_id: int
    message: Message
    question: Question
    answers: dict[str, Any]
    data: str
    value: str


async def settings_tap(update: Update, context: CoachContext) -> None:
    """``set|open|<setting>`` asks the setting's question; ``set|<question>|<value>`` answers it."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    parsed = parse_callback(query.data)
    if parsed is None or parsed[0] != SCOPE or not isinstance(query.message, Message):
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    if parsed[1] == OPEN:
        return await _open(update, context, user.id, query.message, parsed[2])
    tap = await _tap(context, user.id, query.message, query.data or "", parsed[1:])
    if isinstance(tap, str):
        return await answer_tap(update, context, tap)
    await TAPS.get(tap.value, _answered)(update, context, tap)


async def _tap(context: CoachContext, user_id: int, message: Message, data: str, said: tuple[str, str]) -> Tap | str:
    """The tap on the open setting's question, or the pop-up when there is none: a stale button,
    or a question a day old (closed now)."""
    answers = dict((await context.brief(user_id)).answers)  # a copy: the answer steps may change it
    question = settings.open_question(answers)
    if question is None or question.value != said[0]:
        return context.deps.ui.general.stale_button
    if expired(answers.get(Draft.SETTING_AT), context.deps.clock.now()):
        await _close(context, user_id)
        return context.deps.ui.settings.closed
    return Tap(user_id, message, question, answers, data, said[1])


async def _open(update: Update, context: CoachContext, user_id: int, message: Message, value: str) -> None:
    """``set|open|<setting>``: the setting opened, and its question asked."""
    setting = next((s for s in SETTINGS if s.value == value), None)
    if setting is None:
        return await answer_tap(update, context, context.deps.ui.general.stale_button)
    brief = await context.brief(user_id)
    opened = await context.deps.coach.open_setting(user_id, setting, brief.answers, brief)
    if isinstance(opened, Problem):
        return await answer_tap(update, context, problem_text(context, opened))
    await answer_tap(update, context)
    log.info("settings.open", setting=setting.value)
    await _ask(message, context, setting, opened)


async def _leave(update: Update, context: CoachContext, tap: Tap, text: str) -> None:
    """The tap answered, and the question left in the chat as ``text``, its buttons gone."""
    await answer_tap(update, context)
    await context.deps.sender.edit(tap.message.chat_id, tap.message.message_id, Outgoing(text))


def _chosen(context: CoachContext, tap: Tap) -> str:
    """The question as asked, with the tapped button's label under it."""
    return with_choice(_question(context, tap.question, tap.answers).text, tap.message, tap.data)


async def _cancel_tap(update: Update, context: CoachContext, tap: Tap) -> None:
    await _leave(update, context, tap, _chosen(context, tap))
    await _close(context, tap.user_id)
    await context.deps.sender.reply(tap.message.chat_id, context.deps.ui.settings.cancelled, NO_KEYS)


async def _confirm_tap(update: Update, context: CoachContext, tap: Tap) -> None:
    await _leave(update, context, tap, _chosen(context, tap))
    await _confirmed(tap.message, context, tap.user_id, tap.question, tap.answers, tap.value == CONFIRM_YES)


async def _answered(update: Update, context: CoachContext, tap: Tap) -> None:
    """An answer: a tick redraws the question; a whole one stays under it, and the setting changes
    (or its next step is asked)."""
    deps, question = context.deps, tap.question
    try:
        values, _ = button_answer(question, tap.value, tap.answers)
    except Reask as exc:
        return await answer_tap(update, context, str(getattr(deps.ui.reasks, exc.key)))
    result = await _apply(context, tap.user_id, question, values, tap.answers)
    if isinstance(result, Problem):
        return await answer_tap(update, context, problem_text(context, result))
    if isinstance(result, Pending) and result.question is question and question in MULTI:
        await answer_tap(update, context)
        shown = _question(context, question, result.answers)  # a tick: the same question, redrawn
        return await deps.sender.edit(tap.message.chat_id, tap.message.message_id, Outgoing(shown.text, shown.buttons))
    clean = _question(context, question, tap.answers).text
    await _leave(update, context, tap, clean if tap.value == DONE else _chosen(context, tap))
    if isinstance(result, Pending):
        return await _ask(tap.message, context, result.question, result.answers)
    await say(context, tap.message.chat_id, confirmation(context, result))
    await _red_flags(tap.message, context, result)


TAPS = {CANCEL: _cancel_tap, CONFIRM_YES: _confirm_tap, CONFIRM_NO: _confirm_tap}


async def _close(context: CoachContext, user_id: int) -> None:
    await context.deps.coach.close_setting(user_id)


async def _set_confirm(context: CoachContext, user_id: int, values: dict[str, Any] | None) -> dict[str, Any]:
    """Keep (or, with None, drop) an unsure reading waiting for its Yes; the answers after it."""
    return await context.deps.coach.save_answer(user_id, {CONFIRM_DRAFT: values})


async def _confirmed(
    message: Message, context: CoachContext, user_id: int, question: Question, answers: dict[str, Any], yes: bool
) -> None:
    """Yes under "Did you mean ...?" changes the setting as read; No asks the question again."""
    values = pending_confirm(answers, question)
    answers = await _set_confirm(context, user_id, None)
    if not yes or values is None:
        return await _ask(message, context, question, answers)
    return await _settled(message, context, user_id, question, values, answers)


async def _aside(
    message: Message,
    context: CoachContext,
    user_id: int,
    question: Question,
    answers: dict[str, Any],
    other: NotAnAnswer,
) -> None:
    """Not an answer: pain and red flags take the everyday route (the pain rule, the doctor first),
    a question back gets why; then the setting's question again."""
    log.info("settings.not_an_answer", setting=question.value)  # (pain, a red flag: logged by their route)
    if not (other.urgent or other.pain) or not await act_on(message, context, user_id, other.parsed):
        await say(context, message.chat_id, why(context, question))
    return await _ask(message, context, question, answers)


async def _red_flags(message: Message, context: CoachContext, changed: Changed) -> None:
    """N1: an area declared with a red-flag sign goes to a professional first, as after a pain report."""
    deps = context.deps
    for area in sorted(changed.red_flags, key=list(BodyArea).index):
        text = deps.ui.loop.fmt("red_flag", area=area.value)
        await deps.sender.send(message.chat.id, Outgoing(text, deps.loop_render.cleared_button(area)))


async def settings_gate(update: object, context: CoachContext) -> None:
    """While a setting is open, the runner's next text (or location, for the timezone) answers it
    and /cancel closes it; everything else, and everyone else, goes on to the usual handlers."""
    if not isinstance(update, Update) or update.effective_user is None or update.message is None:
        return
    message, user_id = update.message, update.effective_user.id
    if not _may_answer(message):
        return
    answers = dict((await context.brief(user_id)).answers)  # a copy: the answer steps may change it
    question = settings.open_question(answers)
    if question is None:
        return
    if not expired(answers.get(Draft.SETTING_AT), context.deps.clock.now()):
        await _answer_message(message, context, user_id, question, answers)
    elif not await _closed_answer(message, context, user_id, question, answers):
        return  # a day later, anything else is an everyday message again
    raise ApplicationHandlerStop


def _may_answer(message: Message) -> bool:
    """Text or a location may answer a setting; of the commands, only /cancel (which closes it)."""
    text = message.text
    if text is not None and text.startswith("/"):
        return text.split(maxsplit=1)[0][1:].split("@", 1)[0].casefold() == "cancel"
    return text is not None or message.location is not None


async def _closed_answer(
    message: Message, context: CoachContext, user_id: int, question: Question, answers: dict[str, Any]
) -> bool:
    """The setting a day old is closed; a message that reads as its answer is told so (True)."""
    await _close(context, user_id)
    context.forget_brief()
    text = message.text
    if text is None or text.startswith("/") or not await _reads_as_answer(context, question, text, answers):
        return False
    await say(context, message.chat_id, context.deps.ui.settings.closed)
    return True


async def _reads_as_answer(context: CoachContext, question: Question, text: str, answers: dict[str, Any]) -> bool:
    if question is Question.TIMEZONE:
        return False  # a place lookup reads almost anything as a place
    try:
        await asyncio.to_thread(typed_answer, context, question, text, answers, SCOPE)
    except Confirm:
        return True
    except Reask:
        return False
    return True


async def _answer_message(
    message: Message, context: CoachContext, user_id: int, question: Question, answers: dict[str, Any]
) -> None:
    deps = context.deps
    text = message.text
    if (text is not None and text.startswith("/")) or (text is not None and is_cancel(context, text)):  # /cancel
        await _close(context, user_id)
        log.info("settings.cancel", setting=question.value)
        await deps.sender.reply(message.chat_id, deps.ui.settings.cancelled, NO_KEYS)
        return
    if text is None:  # a location
        assert message.location is not None
        found = timezone_at(message.location.latitude, message.location.longitude)
        if question is not Question.TIMEZONE:
            return await _ask(message, context, question, answers, prefix=deps.ui.reasks.not_text)
        if found is None:
            return await _ask(message, context, question, answers, prefix=deps.ui.reasks.bad_timezone)
        values: dict[str, Any] = {Question.TIMEZONE.value: found}
    elif len(text) > MAX_TEXT:
        return await _ask(message, context, question, answers, prefix=deps.ui.reasks.too_long)
    else:
        confirm = pending_confirm(answers, question)
        said = yes_or_no(text)
        if confirm is not None and said is not None:
            return await _confirmed(message, context, user_id, question, answers, said)
        if confirm is not None:  # typed something else: that is the answer now
            answers = await _set_confirm(context, user_id, None)
        today = deps.clock.now().date()
        other = _not_an_answer(context, text, today)
        if other is not None and (other.red_flag or question is Question.TIMEZONE):
            return await _aside(message, context, user_id, question, answers, other)
        try:
            values = await _typed(context, question, text, answers)
        except Confirm as exc:
            if other is not None:
                return await _aside(message, context, user_id, question, answers, other)
            log.info("settings.unsure", setting=question.value)
            confirm_draft = {"question": question.value, "values": exc.values}
            return await _ask(message, context, question, await _set_confirm(context, user_id, confirm_draft))
        except Reask as exc:
            if other is not None:
                return await _aside(message, context, user_id, question, answers, other)
            log.info("settings.reask", setting=question.value, reason=exc.key)
            return await _ask(message, context, question, answers, prefix=deps.ui.reasks.fmt(exc.key, **exc.fields))
    return await _settled(message, context, user_id, question, values, answers)


async def _typed(context: CoachContext, question: Question, text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The typed answer read (raises ``Confirm`` or ``Reask`` as ``typed_answer`` does). A place, for
    the timezone, is read off the event loop: that can take a moment, and other runners wait
    meanwhile; any other answer reads in well under a millisecond, less than a thread's hand-off."""
    if question is Question.TIMEZONE:
        return await asyncio.to_thread(typed_answer, context, question, text, answers, SCOPE)
    return typed_answer(context, question, text, answers, SCOPE)


async def _settled(
    message: Message,
    context: CoachContext,
    user_id: int,
    question: Question,
    values: dict[str, Any],
    answers: dict[str, Any],
) -> None:
    """The setting changed by an answer: what it did, or the next step it needs (``answers``: the
    stored answers as this update read them)."""
    result = await _apply(context, user_id, question, values, answers)
    if isinstance(result, Problem):
        await say(context, message.chat_id, problem_text(context, result))
    elif isinstance(result, Pending):
        await _ask(message, context, result.question, result.answers)
    else:
        await context.deps.sender.reply(message.chat_id, confirmation(context, result), NO_KEYS)
        await _red_flags(message, context, result)


def settings_handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    return [
        CommandHandler("settings", settings_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(settings_tap, pattern=rf"^{SCOPE}\|"),
    ]
