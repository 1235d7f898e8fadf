"""Onboarding: one question at a time, buttons plus a typed fallback.

Everything it needs is in the database: whether onboarding is open (``draft:active``), which
question is open (derived from the answers stored so far, ``services.onboarding.next_question``)
and the message that asked it (``draft:asked``). So any process can serve any update, and a
restart, a /cancel or a stale button can never put the conversation and the answers out of step.
A gate ahead of the everyday handlers takes every update of a runner whose onboarding is open.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

import structlog
from telegram import InlineKeyboardMarkup, KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    filters,
)

from bot.coach.model import BodyArea, Distance, Level, Weekday, kit_of
from bot.services import onboarding as service
from bot.services.accounts import RunnerBrief
from bot.services.onboarding import (
    BACK,
    CONFIRM_DRAFT,
    DONE,
    KIT_CHOICES,
    MINUTE_CHOICES,
    MULTI,
    NIGHT_REMINDER_DRAFT,
    NO,
    NONE,
    REMINDER_CHOICES,
    SURE,
    YES,
    Confirm,
    Question,
    Reask,
)
from bot.services.ports import Outgoing
from bot.services.timezones import timezone_at, zone
from bot.telegram.context import CoachContext
from bot.telegram.delete_handlers import delete_command
from bot.telegram.loop_handlers import LOOP_PATTERN
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
    race_month,
    why,
    yes_or_no,
)
from bot.telegram.render import callback, chunk, keyboard, parse_callback
from bot.telegram.safety import answer_red_flag

log = structlog.get_logger(__name__)

SCOPE = "ob"
KNOWN_ONBOARDED_MAX = 200_000  # ids the gate remembers before it starts over
KNOWN_ONBOARDED_FOR = dt.timedelta(minutes=5)  # how long the gate trusts what it saw (another may /delete)
ACTIVE = "draft:active"  # onboarding is open: the runner's next message or tap answers it
ASKED = "draft:asked"  # the question last asked: its message id and clean text


# --- questions and their keyboards ------------------------------------------------------------


def _selected(answers: dict[str, Any], question: Question) -> list[str]:
    return list(answers.get(service.draft_key(question), []))


def _question_markup(context: CoachContext, question: Question, answers: dict[str, Any]) -> tuple[str, Any]:
    """The question's text and keyboard; every question after the first has a way back, and every
    one a Cancel. An unsure typed answer waiting for its Yes shows "Did you mean ...?" instead."""
    confirm = pending_confirm(answers, question)
    if confirm is not None:
        return confirm_text(context, question, confirm), keyboard(confirm_rows(context, SCOPE, question))
    text, markup = question_and_buttons(context, question, answers)
    b = context.deps.ui.buttons
    cancel = cancel_button(context, SCOPE, question)
    if isinstance(markup, ReplyKeyboardMarkup):  # the timezone question: a reply keyboard
        rows = [*markup.keyboard, [KeyboardButton(b.back), KeyboardButton(b.cancel)]]
        return text, ReplyKeyboardMarkup(rows, one_time_keyboard=True, resize_keyboard=True)
    inline = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ()
    existing = [[(button.text, str(button.callback_data)) for button in row] for row in inline]
    if question is Question.LEVEL or question is Question.REMINDER_SURE:
        return text, keyboard([*existing, [cancel]])
    label = b.change_timezone if question is Question.REMINDER else b.back
    back = [(label, callback(SCOPE, question.value, BACK)), cancel]
    return text, keyboard([*existing, back])


def pending_confirm(answers: dict[str, Any], question: Question) -> dict[str, Any] | None:
    """The unsure reading of a typed answer to ``question`` waiting for its Yes, if any."""
    confirm = answers.get(CONFIRM_DRAFT)
    if isinstance(confirm, dict) and confirm.get("question") == question.value:
        values = confirm.get("values")
        return values if isinstance(values, dict) else None
    return None


def question_and_buttons(
    context: CoachContext, question: Question, answers: dict[str, Any], scope: str = SCOPE
) -> tuple[str, Any]:
    """A question's text and its buttons, whose callback data carry ``scope`` (``/settings`` asks
    some of the same questions under its own)."""
    ui = context.deps.ui
    r = context.deps.render
    b = ui.buttons
    q = question.value

    def day_buttons(days: list[Weekday], picked: list[str]) -> list[tuple[str, str]]:
        return [
            (("✅ " if d.value in picked else "") + r.weekday(d, short=True), callback(scope, q, d.value)) for d in days
        ]

    if question is Question.LEVEL:
        rows = [[(r.level(level), callback(scope, q, level.value))] for level in Level]
        return ui.onboarding.ask_level, keyboard(rows)
    if question is Question.RUN_DAYS:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("run_days_picked", days=r.days(picked)) if picked else ui.onboarding.ask_run_days
        days = list(Weekday)
        return text, keyboard([*chunk(day_buttons(days, picked), 4), [(b.done, callback(scope, q, DONE))]])
    if question is Question.LONG_DAY:
        days = service.run_days(answers)
        rows = [*chunk(day_buttons(days, []), 4), [(b.no_long_run, callback(scope, q, NONE))]]
        return ui.onboarding.ask_long_day, keyboard(rows)
    if question is Question.QUALITY_DAYS:
        picked = _selected(answers, question)
        text = (
            ui.onboarding.fmt("quality_days_picked", days=r.days(picked)) if picked else ui.onboarding.ask_quality_days
        )
        days = service.quality_choices(answers)
        rows = [
            *chunk(day_buttons(days, picked), 4),
            [(b.no_quality, callback(scope, q, NONE)), (b.done, callback(scope, q, DONE))],
        ]
        return text, keyboard(rows)
    if question is Question.RACE:
        names = context.deps.library.messages.distance_names
        options = [(names.get(d.value, d.value), callback(scope, q, d.value)) for d in Distance]
        return ui.onboarding.ask_race, keyboard([*chunk(options, 3), [(b.no_race, callback(scope, q, NONE))]])
    if question is Question.RACE_DATE:
        distance = answers.get(service.RACE_DISTANCE_DRAFT, "")
        name = context.deps.library.messages.distance_names.get(distance, distance)
        month = race_month(answers)
        text = (
            ui.onboarding.fmt("ask_race_day", month=month[0], distance=name)
            if month
            else ui.onboarding.fmt("ask_race_date", distance=name)
        )
        return text, keyboard([[(b.no_race, callback(scope, q, NONE))]])
    if question is Question.EQUIPMENT:
        # one multi-select (COACHING.md, "Vocabulary"): tick every item owned, then Done
        picked = _selected(answers, question)
        text = (
            ui.onboarding.fmt("equipment_picked", equipment=r.equipment(kit_of(picked)))
            if picked
            else ui.onboarding.ask_equipment
        )
        options = [
            (("✅ " if e.value in picked else "") + r.equipment(e), callback(scope, q, e.value)) for e in KIT_CHOICES
        ]
        rows = [*chunk(options, 2), [(b.equipment_none, callback(scope, q, NONE)), (b.done, callback(scope, q, DONE))]]
        return text, keyboard(rows)
    if question is Question.MINUTES:
        return ui.onboarding.ask_minutes, keyboard([[(m, callback(scope, q, m)) for m in MINUTE_CHOICES]])
    if question is Question.NIGGLES:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("niggles_picked", areas=", ".join(picked)) if picked else ui.onboarding.ask_niggles
        options = [(("✅ " if a.value in picked else "") + a.value, callback(scope, q, a.value)) for a in BodyArea]
        rows = [*chunk(options, 4), [(b.no_niggles, callback(scope, q, NONE)), (b.done, callback(scope, q, DONE))]]
        return text, keyboard(rows)
    if question is Question.NIGGLE_FLAGS:
        waiting = service.unscreened(answers)
        area = waiting[0].value if waiting else ""
        t = ui.loop
        rows = [
            [
                (t.btn_red_flag_yes, callback(scope, q, f"{area}.{YES}")),
                (t.btn_red_flag_no, callback(scope, q, f"{area}.{NO}")),
            ]
        ]
        return ui.onboarding.fmt("ask_niggle_flag", area=area), keyboard(rows)
    if question is Question.TIMEZONE:
        markup = ReplyKeyboardMarkup(
            [[KeyboardButton(b.share_location, request_location=True)]], one_time_keyboard=True, resize_keyboard=True
        )
        return ui.onboarding.ask_timezone, markup
    if question is Question.HEALTH:
        rows = [[(b.health_no, callback(scope, q, NONE)), (b.health_yes, callback(scope, q, YES))]]
        return ui.onboarding.ask_health, keyboard(rows)
    if question is Question.SESSIONS:
        st = ui.settings
        rows = [[(st.btn_sessions_2, callback(scope, q, "2")), (st.btn_sessions_3, callback(scope, q, "3"))]]
        return st.ask_sessions, keyboard(rows)
    if question is Question.REMINDER_SURE:
        time = str(answers.get(NIGHT_REMINDER_DRAFT, ""))
        rows = [[(b.fmt("night_sure", time=time), callback(scope, q, SURE)), (b.night_other, callback(scope, q, NONE))]]
        return ui.onboarding.fmt("ask_reminder_sure", time=time), keyboard(rows)
    options = [(t, callback(scope, q, t.replace(":", ""))) for t in REMINDER_CHOICES]
    return ui.onboarding.ask_reminder, keyboard([options])


async def _ask(
    message: Message, context: CoachContext, who: Runner, answers: dict[str, Any], *, prefix: str | None = None
) -> None:
    """Send the open question (after a re-ask or confirmation line, if any), or finish."""
    question = service.next_question(answers)
    if question is None:
        return await _finish(message, context, who)
    text, markup = _question_markup(context, question, answers)
    sent = await message.reply_text(f"{prefix}\n\n{text}" if prefix else text, reply_markup=markup)
    asked = {
        "message_id": sent.message_id,
        "text": text,
        "question": question.value,
        "at": context.deps.clock.now().isoformat(),
    }
    await context.deps.coach.save_answer(who.user_id, {ASKED: asked})
    return None


async def _settle_question(
    message: Message, context: CoachContext, question: Question, answer: str, answers: dict[str, Any]
) -> None:
    """Once a typed answer is taken, the question asked last reads as answered: no re-ask above it,
    no buttons under it, the answer after it."""
    asked = answers.get(ASKED)
    if not isinstance(asked, dict) or asked.get("question") != question.value:
        return
    shown = f"{asked['text']}\n→ {answer}"
    try:
        if question is Question.TIMEZONE:  # a reply keyboard cannot be edited away; the text can
            await context.bot.edit_message_text(shown, chat_id=message.chat_id, message_id=asked["message_id"])
        else:
            await context.bot.edit_message_text(
                shown, chat_id=message.chat_id, message_id=asked["message_id"], reply_markup=None
            )
    except TelegramError:  # deleted, too old, or unchanged: the new question below is what matters
        log.info("onboarding.settle_failed")


# --- reading answers ---------------------------------------------------------------------------


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
    if scope == SCOPE:
        _, markup = _question_markup(context, question, answers)
    else:
        _, markup = question_and_buttons(context, question, answers, scope)
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


async def start(update: Update, context: CoachContext) -> None:
    """/start: a returning runner gets the menu; a new one the first open question."""
    message = update.effective_message
    assert message is not None
    who = _who(update)
    deps = context.deps
    account = await _account(context, who.user_id)
    if account is not None and account.onboarded:
        back = await deps.coach.reactivate(who.user_id)
        if back:
            await message.reply_text(deps.ui.loop.fmt("welcome_back", name=account.first_name or who.name))
        await _menu(message, context, account.first_name or who.name)
        return
    answers = await deps.coach.save_answer(who.user_id, {ACTIVE: True})
    started = any(not k.startswith("draft:") for k in answers)
    intro = (
        deps.ui.onboarding.resumed
        if started
        else deps.ui.onboarding.fmt("welcome", name=who.name or deps.ui.onboarding.no_name)
    )
    log.info("onboarding.start", resumed=started)
    await _ask(message, context, who, answers, prefix=intro)


async def _account(context: CoachContext, user_id: int) -> RunnerBrief | None:
    return await context.deps.coach.brief(user_id)


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
    answers = await context.deps.coach.answers(who.user_id)
    return message, who, answers, service.next_question(answers)


async def on_text(update: Update, context: CoachContext) -> None:
    message, who, answers, question = await _open_question(update, context)
    assert message.text is not None
    deps = context.deps
    if question is None:
        return await _finish(message, context, who)
    if _is_back(deps.ui.buttons.back, message.text):
        return await _back(message, context, who, question)
    if is_cancel(context, message.text):
        return await cancel(update, context)
    asked = answers.get(ASKED)
    if isinstance(asked, dict) and expired(asked.get("at"), deps.clock.now()):
        log.info("onboarding.expired", question=question.value)  # a day later, the question is asked afresh
        return await _ask(message, context, who, answers, prefix=deps.ui.onboarding.expired)
    confirm = pending_confirm(answers, question)
    if confirm is not None and yes_or_no(message.text) is not None:
        return await _confirmed(message, context, who, question, confirm, yes_or_no(message.text) is True)
    if confirm is not None:  # typed something else: that is the answer now
        answers = await deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
    today = deps.clock.now().date()
    other = await asyncio.to_thread(_not_an_answer, context, message.text, today)
    if other is not None and (other.red_flag or question is Question.TIMEZONE):  # a place lookup reads anything
        return await _aside(message, context, who, question, answers, other)
    try:
        # off the event loop: reading a date or a place can take a moment, and other runners wait meanwhile
        values = await asyncio.to_thread(typed_answer, context, question, message.text, answers)
    except Confirm as exc:
        if other is not None:
            return await _aside(message, context, who, question, answers, other)
        log.info("onboarding.unsure", question=question.value)
        confirm_draft = {CONFIRM_DRAFT: {"question": question.value, "values": exc.values}}
        answers = await deps.coach.save_answer(who.user_id, confirm_draft)
        return await _ask(message, context, who, answers)
    except Reask as exc:
        if other is not None:
            return await _aside(message, context, who, question, answers, other)
        log.info("onboarding.reask", question=question.value, reason=exc.key)
        return await _ask(message, context, who, answers, prefix=deps.ui.reasks.fmt(exc.key, **exc.fields))
    await _settle_question(message, context, question, " ".join(message.text.split()), answers)
    prefix = _kept_note(context, question, answers, values)
    return await _store_and_continue(message, context, who, question, values, prefix=prefix)


def _is_back(label: str, text: str) -> bool:
    return " ".join(text.casefold().split()) == " ".join(label.casefold().split())


async def _confirmed(
    message: Message, context: CoachContext, who: Runner, question: Question, values: dict[str, Any], yes: bool
) -> None:
    """Yes under "Did you mean ...?" keeps the reading; No asks the question again."""
    deps = context.deps
    if not yes:
        answers = await deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
        return await _ask(message, context, who, answers)
    await deps.coach.save_answer(who.user_id, {CONFIRM_DRAFT: None})
    return await _store_and_continue(message, context, who, question, values)


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
    log.info("onboarding.not_an_answer", question=question.value, urgent=other.urgent, pain=other.pain)
    if await answer_red_flag(message, context, who.user_id, other.parsed):
        pass  # the doctor first: the advice is sent, the question comes again below
    elif other.pain:
        answers, said = await _pain_noted(context, who, answers, other.area)
        await message.reply_text(said)
    else:
        await message.reply_text(why(context, question))
    return await _ask(message, context, who, answers)


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


def _kept_note(
    context: CoachContext, question: Question, answers: dict[str, Any], values: dict[str, Any]
) -> str | None:
    """After taps, a typed answer replaces them: say what was kept when it differs from what was tapped."""
    if question not in MULTI:
        return None
    tapped = list(answers.get(service.draft_key(question), []))
    kept = values.get(question.value)
    if not tapped or kept is None or list(kept) == tapped:
        return None
    r = context.deps.render
    none = context.deps.ui.render.none
    if question is Question.NIGGLES:
        shown_kept, shown_tapped = ", ".join(kept) or none, ", ".join(tapped)
    elif question is Question.EQUIPMENT:
        shown_kept, shown_tapped = r.equipment(kit_of(kept)), r.equipment(kit_of(tapped))
    else:
        shown_kept, shown_tapped = r.days(kept), r.days(tapped)
    return context.deps.ui.onboarding.fmt("typed_kept", kept=shown_kept, tapped=shown_tapped)


async def _back(message: Message, context: CoachContext, who: Runner, question: Question) -> None:
    """Reopen the question before the open one."""
    deps = context.deps
    try:
        answers = await deps.coach.go_back(who.user_id, question)
    except Reask:
        answers = await deps.coach.answers(who.user_id)
    log.info("onboarding.back", question=question.value)
    return await _ask(message, context, who, answers)


async def _store_and_continue(
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
    answers = await deps.coach.save_answer(who.user_id, values, drop=drop)
    log.info("onboarding.answer", question=question.value)
    if question is Question.TIMEZONE and Question.TIMEZONE.value in values:
        name = answers[Question.TIMEZONE.value]
        local = deps.clock.now().astimezone(zone(name)).strftime("%H:%M")
        found = deps.ui.onboarding.fmt("timezone_found", timezone=name, local_time=local)
        await message.reply_text(found, reply_markup=ReplyKeyboardRemove())
    return await _ask(message, context, who, answers, prefix=prefix)


async def on_button(update: Update, context: CoachContext) -> None:
    query = update.callback_query
    assert query is not None
    who = _who(update)
    deps = context.deps
    parsed = parse_callback(query.data)
    answers = await deps.coach.answers(who.user_id)
    question = service.next_question(answers)
    if parsed is None or question is None or parsed[0] != SCOPE or parsed[1] != question.value:
        await query.answer(deps.ui.reasks.stale_button)
        return None
    asked = answers.get(ASKED)
    if isinstance(asked, dict) and expired(asked.get("at"), deps.clock.now()) and isinstance(query.message, Message):
        await query.answer(deps.ui.onboarding.expired)
        return await _ask(query.message, context, who, answers, prefix=deps.ui.onboarding.expired)
    clean, _ = _question_markup(context, question, answers)  # the question without any re-ask above it
    if parsed[2] == CANCEL:
        await query.answer()
        await query.edit_message_text(clean, reply_markup=None)
        return await cancel(update, context)
    if parsed[2] in (CONFIRM_YES, CONFIRM_NO):
        confirm = pending_confirm(answers, question)
        if confirm is None or not isinstance(query.message, Message):
            await query.answer(deps.ui.reasks.stale_button)
            return None
        await query.answer()
        await query.edit_message_text(with_choice(clean, query.message, query.data or ""), reply_markup=None)
        return await _confirmed(query.message, context, who, question, confirm, parsed[2] == CONFIRM_YES)
    if parsed[2] == BACK:
        await query.answer()
        if isinstance(query.message, Message):
            await query.edit_message_text(clean, reply_markup=None)
            return await _back(query.message, context, who, question)
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
        answers = await deps.coach.save_answer(who.user_id, values)
        text, markup = _question_markup(context, question, answers)
        await query.edit_message_text(text, reply_markup=markup)
        return None
    # the question stays in the chat with the answer under it, and its buttons go away
    # a multi-choice question already lists what was picked; others show the tapped answer
    shown = clean if parsed[2] == DONE else with_choice(clean, message, query.data or "")
    if shown:
        await query.edit_message_text(shown, reply_markup=None)
    return await _store_and_continue(message, context, who, question, values)


def with_choice(clean: str, message: Message, data: str) -> str:
    """The question's text followed by the label of the button that answered it."""
    labels = [
        button.text
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        for button in row
        if button.callback_data == data
    ]
    chosen = labels[0].removeprefix("✅ ") if labels else ""
    return f"{clean}\n→ {chosen}" if chosen else clean


async def on_location(update: Update, context: CoachContext) -> None:
    message, who, answers, question = await _open_question(update, context)
    assert message.location is not None
    deps = context.deps
    if question is not Question.TIMEZONE:
        return await _ask(message, context, who, answers, prefix=deps.ui.reasks.not_text)
    name = timezone_at(message.location.latitude, message.location.longitude)
    if name is None:
        return await _ask(message, context, who, answers, prefix=deps.ui.reasks.bad_timezone)
    return await _store_and_continue(message, context, who, question, {Question.TIMEZONE.value: name})


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
    who = _who(update)
    answers = await context.deps.coach.answers(who.user_id)
    return await _ask(message, context, who, answers, prefix=prefix)


async def cancel(update: Update, context: CoachContext) -> None:
    message = update.effective_message
    assert message is not None
    who = _who(update)
    deps = context.deps
    await deps.coach.save_answer(who.user_id, {ACTIVE: None})  # answers stay
    await message.reply_text(deps.ui.onboarding.cancelled, reply_markup=ReplyKeyboardRemove())
    log.info("onboarding.cancel")


async def _finish(message: Message, context: CoachContext, who: Runner) -> None:
    deps = context.deps
    name = who.name
    done = await deps.coach.finish_onboarding(who.user_id, who.chat_id, name)
    account = done.account
    assert account.timezone is not None and account.reminder_time is not None
    render = deps.render
    await message.reply_text(
        render.summary(name or deps.ui.onboarding.no_name, done.profile, account.timezone, account.reminder_time)
    )
    weeks = "\n\n".join(render.week(week, from_day=done.today) for week in done.weeks)
    await message.reply_text(f"{deps.ui.onboarding.first_week}\n{weeks}")
    await message.reply_text(deps.ui.onboarding.why_strength)
    for area in sorted(done.red_flags, key=list(BodyArea).index):  # N1: a declared area with a red-flag sign
        red_flag = Outgoing(deps.ui.loop.fmt("red_flag", area=area.value), deps.loop_render.cleared_button(area))
        await deps.sender.send(message.chat.id, red_flag)
    if account.state.needs_clearance:  # a yes to the health screen: clearance first
        await deps.sender.send(
            message.chat.id, Outgoing(deps.ui.onboarding.needs_clearance, deps.loop_render.cleared_button())
        )
    log.info("onboarding.finished")


async def onboarding_gate(update: object, context: CoachContext) -> None:
    """Every update of a runner whose onboarding is open goes to onboarding, and no further.

    Runs ahead of the everyday handlers; for anyone else (onboarded, or never started, or after
    /cancel) it does nothing and the update goes on. A tap on a daily-loop button is never taken.
    """
    if not isinstance(update, Update) or update.effective_user is None:
        return
    message = update.message  # only new messages: an edited one is not an answer
    query = update.callback_query
    if message is None and (query is None or (query.data and LOOP_PATTERN.match(query.data))):
        return
    user_id = update.effective_user.id
    known = context.deps.known_onboarded
    now = context.deps.clock.now()
    seen = known.get(user_id)
    if seen is not None and dt.timedelta(0) <= now - seen < KNOWN_ONBOARDED_FOR:
        return
    found = await context.deps.coach.gate(user_id)
    if found.answers is None:  # onboarded
        if len(known) >= KNOWN_ONBOARDED_MAX:
            known.clear()
        known[user_id] = now
        return
    if ACTIVE not in found.answers:
        return
    await _onboarding_step(update, context)
    raise ApplicationHandlerStop


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
