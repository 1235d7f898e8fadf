"""Onboarding as a ConversationHandler: one question at a time, buttons plus a typed fallback.

The conversation has a single state, ASKING; which question is open is derived from the
answers stored so far (``services.onboarding.next_question``), so a restart, a /cancel or a
stale button can never put the conversation and the stored answers out of step.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import structlog
from telegram import InlineKeyboardMarkup, KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.coach.model import BodyArea, Distance, Equipment, Level, Weekday
from bot.db.repositories import RunnerBrief
from bot.services import onboarding as service
from bot.services.loop import reactivate
from bot.services.onboarding import DONE, MINUTE_CHOICES, MULTI, NONE, REMINDER_CHOICES, Question, Reask
from bot.services.timezones import timezone_at, zone
from bot.telegram import handlers as everyday
from bot.telegram.context import CoachContext
from bot.telegram.loop_handlers import NOT_LOOP_PATTERN
from bot.telegram.render import callback, chunk, keyboard, parse_callback

log = structlog.get_logger(__name__)

ASKING = "asking"
SCOPE = "ob"


# --- questions and their keyboards ------------------------------------------------------------


def _selected(answers: dict[str, Any], question: Question) -> list[str]:
    return list(answers.get(service.draft_key(question), []))


def _question_markup(context: CoachContext, question: Question, answers: dict[str, Any]) -> tuple[str, Any]:
    ui = context.deps.ui
    r = context.deps.render
    b = ui.buttons
    q = question.value

    def day_buttons(days: list[Weekday], picked: list[str]) -> list[tuple[str, str]]:
        return [
            (("✅ " if d.value in picked else "") + r.weekday(d, short=True), callback(SCOPE, q, d.value)) for d in days
        ]

    if question is Question.LEVEL:
        rows = [[(r.level(level), callback(SCOPE, q, level.value))] for level in Level]
        return ui.onboarding.ask_level, keyboard(rows)
    if question is Question.RUN_DAYS:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("run_days_picked", days=r.days(picked)) if picked else ui.onboarding.ask_run_days
        days = list(Weekday)
        return text, keyboard([*chunk(day_buttons(days, picked), 4), [(b.done, callback(SCOPE, q, DONE))]])
    if question is Question.LONG_DAY:
        days = service.run_days(answers)
        rows = [*chunk(day_buttons(days, []), 4), [(b.no_long_run, callback(SCOPE, q, NONE))]]
        return ui.onboarding.ask_long_day, keyboard(rows)
    if question is Question.QUALITY_DAYS:
        picked = _selected(answers, question)
        text = (
            ui.onboarding.fmt("quality_days_picked", days=r.days(picked)) if picked else ui.onboarding.ask_quality_days
        )
        days = service.quality_choices(answers)
        rows = [
            *chunk(day_buttons(days, picked), 4),
            [(b.no_quality, callback(SCOPE, q, NONE)), (b.done, callback(SCOPE, q, DONE))],
        ]
        return text, keyboard(rows)
    if question is Question.RACE:
        names = context.deps.library.messages.distance_names
        options = [(names.get(d.value, d.value), callback(SCOPE, q, d.value)) for d in Distance]
        return ui.onboarding.ask_race, keyboard([*chunk(options, 3), [(b.no_race, callback(SCOPE, q, NONE))]])
    if question is Question.RACE_DATE:
        distance = answers.get(service.RACE_DISTANCE_DRAFT, "")
        name = context.deps.library.messages.distance_names.get(distance, distance)
        return ui.onboarding.fmt("ask_race_date", distance=name), None
    if question is Question.EQUIPMENT:
        options = [(r.equipment(e), callback(SCOPE, q, e.value)) for e in Equipment]
        return ui.onboarding.ask_equipment, keyboard(chunk(options, 2))
    if question is Question.MINUTES:
        return ui.onboarding.ask_minutes, keyboard([[(m, callback(SCOPE, q, m)) for m in MINUTE_CHOICES]])
    if question is Question.NIGGLES:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("niggles_picked", areas=", ".join(picked)) if picked else ui.onboarding.ask_niggles
        options = [(("✅ " if a.value in picked else "") + a.value, callback(SCOPE, q, a.value)) for a in BodyArea]
        rows = [*chunk(options, 4), [(b.no_niggles, callback(SCOPE, q, NONE)), (b.done, callback(SCOPE, q, DONE))]]
        return text, keyboard(rows)
    if question is Question.TIMEZONE:
        markup = ReplyKeyboardMarkup(
            [[KeyboardButton(b.share_location, request_location=True)]], one_time_keyboard=True, resize_keyboard=True
        )
        return ui.onboarding.ask_timezone, markup
    options = [(t, callback(SCOPE, q, t.replace(":", ""))) for t in REMINDER_CHOICES]
    return ui.onboarding.ask_reminder, keyboard([options])


async def _ask(
    message: Message, context: CoachContext, who: Runner, answers: dict[str, Any], *, prefix: str | None = None
) -> str | int:
    """Send the open question (after a re-ask or confirmation line, if any); returns the state."""
    question = service.next_question(answers)
    if question is None:
        return await _finish(message, context, who)
    text, markup = _question_markup(context, question, answers)
    await message.reply_text(f"{prefix}\n\n{text}" if prefix else text, reply_markup=markup)
    return ASKING


# --- reading answers ---------------------------------------------------------------------------


def _typed_answer(context: CoachContext, question: Question, text: str, answers: dict[str, Any]) -> dict[str, Any]:
    """A typed answer: a button's label counts as tapping it, anything else is read as text."""
    label = _typed_label(context, question, text, answers)
    if label is not None:
        return service.button_answer(question, label, answers)[0]
    return service.typed_answer(question, text, answers, today=context.deps.clock.now().date())


def _typed_label(context: CoachContext, question: Question, text: str, answers: dict[str, Any]) -> str | None:
    """The button value whose label was typed instead of tapped ("A gym"); single-choice questions only."""
    if question in MULTI:
        return None
    _, markup = _question_markup(context, question, answers)
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    typed = " ".join(text.casefold().split())
    for row in markup.inline_keyboard:
        for button in row:
            parsed = parse_callback(button.callback_data if isinstance(button.callback_data, str) else None)
            if parsed is not None and " ".join(button.text.casefold().split()) == typed:
                return parsed[2]
    return None


# --- handlers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runner:
    """Who is answering: taken from the update's user, never from a message's author."""

    user_id: int
    chat_id: int
    name: str


def _who(update: Update) -> Runner:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    return Runner(user.id, chat.id, user.first_name or "")


async def start(update: Update, context: CoachContext) -> str | int:
    """/start: a returning runner gets the menu; a new one the first open question."""
    message = update.effective_message
    assert message is not None
    who = _who(update)
    deps = context.deps
    account = await _account(context, who.user_id)
    if account is not None and account.onboarded:
        async with deps.uow() as work:
            back = await reactivate(work, who.user_id, deps.clock.now())
            await work.commit()
        if back:
            await message.reply_text(deps.ui.loop.fmt("welcome_back", name=account.first_name or who.name))
        await _menu(message, context, account.first_name or who.name)
        return ConversationHandler.END
    answers = await service.stored_answers(deps.uow, who.user_id)
    started = any(not k.startswith("draft:") for k in answers)
    intro = (
        deps.ui.onboarding.resumed
        if started
        else deps.ui.onboarding.fmt("welcome", name=who.name or deps.ui.onboarding.no_name)
    )
    log.info("onboarding.start", resumed=started)
    return await _ask(message, context, who, answers, prefix=intro)


async def _account(context: CoachContext, user_id: int) -> RunnerBrief | None:
    async with context.deps.uow() as work:
        return await work.runners.brief(user_id)


async def _menu(message: Message, context: CoachContext, name: str) -> None:
    ui = context.deps.ui
    b = ui.buttons
    markup = keyboard([[(b.today, callback("menu", "go", "today")), (b.week, callback("menu", "go", "week"))]])
    await message.reply_text(ui.general.fmt("menu", name=name), reply_markup=markup)


async def _open_question(
    update: Update, context: CoachContext
) -> tuple[Message, Runner, dict[str, Any], Question | None]:
    """The message being answered, who sent it, their answers so far and the question still open."""
    message = update.effective_message
    assert message is not None
    who = _who(update)
    answers = await service.stored_answers(context.deps.uow, who.user_id)
    return message, who, answers, service.next_question(answers)


async def on_text(update: Update, context: CoachContext) -> str | int:
    message, who, answers, question = await _open_question(update, context)
    assert message.text is not None
    deps = context.deps
    if question is None:
        return await _finish(message, context, who)
    try:
        values = _typed_answer(context, question, message.text, answers)
    except Reask as exc:
        log.info("onboarding.reask", question=question.value, reason=exc.key)
        return await _ask(message, context, who, answers, prefix=getattr(deps.ui.reasks, exc.key))
    return await _store_and_continue(message, context, who, question, values)


async def _store_and_continue(
    message: Message, context: CoachContext, who: Runner, question: Question, values: dict[str, Any]
) -> str | int:
    deps = context.deps
    drop: tuple[str, ...] = ()
    if question is not Question.RACE:
        drop = (service.draft_key(question), service.RACE_DISTANCE_DRAFT)
    if question is Question.RACE_DATE:
        drop = (service.RACE_DISTANCE_DRAFT,)
    answers = await service.save_answer(deps.uow, who.user_id, values, now=deps.clock.now(), drop=drop)
    log.info("onboarding.answer", question=question.value)
    prefix = None
    if question is Question.TIMEZONE:
        name = answers[Question.TIMEZONE.value]
        local = deps.clock.now().astimezone(zone(name)).strftime("%H:%M")
        prefix = deps.ui.onboarding.fmt("timezone_found", timezone=name, local_time=local)
        await message.reply_text(prefix, reply_markup=ReplyKeyboardRemove())
        prefix = None
    return await _ask(message, context, who, answers, prefix=prefix)


async def on_button(update: Update, context: CoachContext) -> str | int | None:
    query = update.callback_query
    assert query is not None
    who = _who(update)
    deps = context.deps
    parsed = parse_callback(query.data)
    answers = await service.stored_answers(deps.uow, who.user_id)
    question = service.next_question(answers)
    if parsed is None or question is None or parsed[0] != SCOPE or parsed[1] != question.value:
        await query.answer(deps.ui.reasks.stale_button)
        return None
    try:
        values, answered = service.button_answer(question, parsed[2], answers)
    except Reask as exc:
        await query.answer(getattr(deps.ui.reasks, exc.key))
        return None
    await query.answer()
    message = query.message
    assert isinstance(message, Message)
    if not answered:
        answers = await service.save_answer(deps.uow, who.user_id, values, now=deps.clock.now())
        text, markup = _question_markup(context, question, answers)
        await query.edit_message_text(text, reply_markup=markup)
        return None
    # the question stays in the chat with the answer under it, and its buttons go away
    # a multi-choice question already lists what was picked; others show the tapped answer
    shown = message.text or "" if parsed[2] == DONE else _with_choice(message, query.data or "")
    if shown:
        await query.edit_message_text(shown, reply_markup=None)
    return await _store_and_continue(message, context, who, question, values)


def _with_choice(message: Message, data: str) -> str:
    """The question's text followed by the label of the button that answered it."""
    labels = [
        button.text
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        for button in row
        if button.callback_data == data
    ]
    chosen = labels[0].removeprefix("✅ ") if labels else ""
    return f"{message.text}\n→ {chosen}" if chosen and message.text else message.text or chosen


async def on_location(update: Update, context: CoachContext) -> str | int:
    message, who, answers, question = await _open_question(update, context)
    assert message.location is not None
    deps = context.deps
    if question is not Question.TIMEZONE:
        return await _ask(message, context, who, answers, prefix=deps.ui.reasks.not_text)
    name = timezone_at(message.location.latitude, message.location.longitude)
    if name is None:
        return await _ask(message, context, who, answers, prefix=deps.ui.reasks.bad_timezone)
    return await _store_and_continue(message, context, who, question, {Question.TIMEZONE.value: name})


async def on_other(update: Update, context: CoachContext) -> str | int:
    """Stickers, photos, voice notes: re-ask the open question."""
    return await _reask(update, context, context.deps.ui.reasks.not_text)


async def on_command(update: Update, context: CoachContext) -> str | int:
    """Any other command mid-way (/today, /week, a typo): finish onboarding first."""
    return await _reask(update, context, context.deps.ui.reasks.finish_first)


async def on_help(update: Update, context: CoachContext) -> str | int:
    return await _reask(update, context, context.deps.ui.general.help)


async def _reask(update: Update, context: CoachContext, prefix: str) -> str | int:
    message = update.effective_message
    if message is None:  # e.g. an edited message or a poll answer: nothing to reply to
        return ASKING
    who = _who(update)
    answers = await service.stored_answers(context.deps.uow, who.user_id)
    return await _ask(message, context, who, answers, prefix=prefix)


async def cancel(update: Update, context: CoachContext) -> int:
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.deps.ui.onboarding.cancelled, reply_markup=ReplyKeyboardRemove())
    log.info("onboarding.cancel")
    return ConversationHandler.END


async def _finish(message: Message, context: CoachContext, who: Runner) -> int:
    deps = context.deps
    name = who.name
    done = await service.finish(
        deps.uow,
        telegram_id=who.user_id,
        chat_id=who.chat_id,
        first_name=name,
        now=deps.clock.now(),
        library=deps.library,
    )
    account = done.account
    assert account.timezone is not None and account.reminder_time is not None
    render = deps.render
    await message.reply_text(
        render.summary(name or deps.ui.onboarding.no_name, done.profile, account.timezone, account.reminder_time)
    )
    weeks = "\n\n".join(render.week(week, from_day=done.today) for week in done.weeks)
    await message.reply_text(f"{deps.ui.onboarding.first_week}\n{weeks}")
    await message.reply_text(deps.ui.onboarding.why_strength)
    log.info("onboarding.finished")
    return ConversationHandler.END


Step = Callable[[Update, CoachContext], Coroutine[Any, Any, str | int | None]]


def _unless_onboarded(step: Step, instead: Callable[[Update, CoachContext], Awaitable[None]]) -> Step:
    """Run an onboarding step, unless the runner already finished onboarding.

    Conversation states reach the database a moment after each update; if the bot stopped in
    that moment right after a runner finished, their next message would land here. It is then
    handled as an everyday message and the stale conversation ends.
    """

    async def guarded(update: Update, context: CoachContext) -> str | int | None:
        user = update.effective_user
        account = await _account(context, user.id) if user else None
        if account is not None and account.onboarded:
            await instead(update, context)
            return ConversationHandler.END
        return await step(update, context)

    return guarded


async def _everyday(update: Update, context: CoachContext) -> None:
    """Handle the update as the application's other handlers would, had no onboarding been open."""
    application: Any = context.application
    for handler in application.handlers.get(0, []):
        if isinstance(handler, ConversationHandler):
            continue
        check = handler.check_update(update)
        if check is not None and check is not False:
            handler.collect_additional_context(context, update, application, check)
            await handler.callback(update, context)
            return


def conversation() -> BaseHandler[Update, CoachContext, Any]:
    """The onboarding conversation, persisted so it survives a restart."""
    with warnings.catch_warnings():
        # PTB warns that callback queries are tracked per chat, not per message: that is intended,
        # the open question is derived from the stored answers, not from which message was tapped
        warnings.simplefilter("ignore", PTBUserWarning)
        return _conversation()


def _conversation() -> BaseHandler[Update, CoachContext, Any]:
    # only new messages: an edit of an earlier answer (or a live location moving) must not be
    # taken as the answer to whichever question happens to be open now
    new = filters.UpdateType.MESSAGE
    return ConversationHandler(
        entry_points=[CommandHandler("start", start, filters=new)],
        states={
            ASKING: [
                CallbackQueryHandler(_unless_onboarded(on_button, everyday.stale_button), pattern=NOT_LOOP_PATTERN),
                MessageHandler(filters.TEXT & ~filters.COMMAND & new, _unless_onboarded(on_text, everyday.free_text)),
                MessageHandler(filters.LOCATION & new, _unless_onboarded(on_location, everyday.not_text)),
            ]
        },
        fallbacks=[
            CommandHandler("cancel", cancel, filters=new),
            CommandHandler("help", _unless_onboarded(on_help, _everyday), filters=new),
            CommandHandler("start", start, filters=new),
            MessageHandler(filters.COMMAND & new, _unless_onboarded(on_command, _everyday)),
            MessageHandler(new, _unless_onboarded(on_other, _everyday)),
        ],
        name="onboarding",
        persistent=True,
        allow_reentry=True,
    )
