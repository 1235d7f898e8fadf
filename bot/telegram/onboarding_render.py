"""What onboarding shows: each question with its buttons (or, for the timezone, the keys under the
text field), the question redrawn as answered, the note on a typed answer that replaced taps, the
menu, and the summary and first weeks at the end. ``/settings`` asks some of the same questions
under its own scope. Plain values out (:class:`Asked`, ``Outgoing``); the sender builds Telegram's
keyboards.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from telegram import Message

from bot.coach.model import BodyArea, Distance, Level, Weekday, kit_of
from bot.services import onboarding as service
from bot.services.accounts import RunnerAccount
from bot.services.chat import Keys
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
    Onboarded,
    Question,
)
from bot.services.ports import Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.open_questions import cancel_button, confirm_rows, confirm_text, race_month
from bot.telegram.render import Asked, callback, chunk, keyboard
from bot.telegram.zone_choices import offered, pick_place

SCOPE = "ob"


def _selected(answers: dict[str, Any], question: Question) -> list[str]:
    return list(answers.get(service.draft_key(question), []))


def asked(context: CoachContext, question: Question, answers: dict[str, Any]) -> Asked:
    """Onboarding's question: every question after the first has a way back, and every one a
    Cancel. An unsure typed answer waiting for its Yes shows "Did you mean ...?" instead."""
    confirm = pending_confirm(answers, question)
    if confirm is not None:
        return Asked(confirm_text(context, question, confirm), keyboard(confirm_rows(context, SCOPE, question)))
    shown = question_and_buttons(context, question, answers)
    b = context.deps.ui.buttons
    cancel = cancel_button(context, SCOPE, question)
    if shown.keys is not None:  # the timezone question: keys under the text field
        return replace(shown, keys=replace(shown.keys, rows=(*shown.keys.rows, (b.back, b.cancel))))
    if question is Question.LEVEL or question is Question.REMINDER_SURE:
        return replace(shown, buttons=(*shown.buttons, *keyboard([[cancel]])))
    label = b.change_timezone if question is Question.REMINDER else b.back
    back = [(label, callback(SCOPE, question.value, BACK)), cancel]
    return replace(shown, buttons=(*shown.buttons, *keyboard([back])))


def pending_confirm(answers: dict[str, Any], question: Question) -> dict[str, Any] | None:
    """The unsure reading of a typed answer to ``question`` waiting for its Yes, if any."""
    confirm = answers.get(CONFIRM_DRAFT)
    if isinstance(confirm, dict) and confirm.get("question") == question.value:
        values = confirm.get("values")
        return values if isinstance(values, dict) else None
    return None


def question_and_buttons(
    context: CoachContext, question: Question, answers: dict[str, Any], scope: str = SCOPE
) -> Asked:
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
        return Asked(ui.onboarding.ask_level, keyboard(rows))
    if question is Question.RUN_DAYS:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("run_days_picked", days=r.days(picked)) if picked else ui.onboarding.ask_run_days
        days = list(Weekday)
        return Asked(text, keyboard([*chunk(day_buttons(days, picked), 4), [(b.done, callback(scope, q, DONE))]]))
    if question is Question.LONG_DAY:
        days = service.run_days(answers)
        rows = [*chunk(day_buttons(days, []), 4), [(b.no_long_run, callback(scope, q, NONE))]]
        return Asked(ui.onboarding.ask_long_day, keyboard(rows))
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
        return Asked(text, keyboard(rows))
    if question is Question.RACE:
        names = context.deps.library.messages.distance_names
        options = [(names.get(d.value, d.value), callback(scope, q, d.value)) for d in Distance]
        return Asked(ui.onboarding.ask_race, keyboard([*chunk(options, 3), [(b.no_race, callback(scope, q, NONE))]]))
    if question is Question.RACE_DATE:
        distance = answers.get(service.RACE_DISTANCE_DRAFT, "")
        name = context.deps.library.messages.distance_names.get(distance, distance)
        month = race_month(answers)
        text = (
            ui.onboarding.fmt("ask_race_day", month=month[0], distance=name)
            if month
            else ui.onboarding.fmt("ask_race_date", distance=name)
        )
        return Asked(text, keyboard([[(b.no_race, callback(scope, q, NONE))]]))
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
        return Asked(text, keyboard(rows))
    if question is Question.MINUTES:
        return Asked(ui.onboarding.ask_minutes, keyboard([[(m, callback(scope, q, m)) for m in MINUTE_CHOICES]]))
    if question is Question.NIGGLES:
        picked = _selected(answers, question)
        text = ui.onboarding.fmt("niggles_picked", areas=", ".join(picked)) if picked else ui.onboarding.ask_niggles
        options = [(("✅ " if a.value in picked else "") + a.value, callback(scope, q, a.value)) for a in BodyArea]
        rows = [*chunk(options, 4), [(b.no_niggles, callback(scope, q, NONE)), (b.done, callback(scope, q, DONE))]]
        return Asked(text, keyboard(rows))
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
        return Asked(ui.onboarding.fmt("ask_niggle_flag", area=area), keyboard(rows))
    if question is Question.TIMEZONE:
        places = offered(answers)
        if places is not None:
            return pick_place(context, scope, places)
        return Asked(ui.onboarding.ask_timezone, keys=Keys(location=b.share_location))
    if question is Question.HEALTH:
        rows = [[(b.health_no, callback(scope, q, NONE)), (b.health_yes, callback(scope, q, YES))]]
        return Asked(ui.onboarding.ask_health, keyboard(rows))
    if question is Question.SESSIONS:
        st = ui.settings
        rows = [[(st.btn_sessions_2, callback(scope, q, "2")), (st.btn_sessions_3, callback(scope, q, "3"))]]
        return Asked(st.ask_sessions, keyboard(rows))
    if question is Question.REMINDER_SURE:
        time = str(answers.get(NIGHT_REMINDER_DRAFT, ""))
        rows = [[(b.fmt("night_sure", time=time), callback(scope, q, SURE)), (b.night_other, callback(scope, q, NONE))]]
        return Asked(ui.onboarding.fmt("ask_reminder_sure", time=time), keyboard(rows))
    options = [(t, callback(scope, q, t.replace(":", ""))) for t in REMINDER_CHOICES]
    return Asked(ui.onboarding.ask_reminder, keyboard([options]))


def kept_note(context: CoachContext, question: Question, answers: dict[str, Any], values: dict[str, Any]) -> str | None:
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


def menu(context: CoachContext, name: str) -> Outgoing:
    """A returning runner's menu: today's session or the week, one tap each."""
    ui = context.deps.ui
    b = ui.buttons
    rows = keyboard([[(b.today, callback("menu", "go", "today")), (b.week, callback("menu", "go", "week"))]])
    return Outgoing(ui.general.fmt("menu", name=name), rows)


def finished(context: CoachContext, name: str, done: Onboarded) -> list[Outgoing]:
    """The end of onboarding: the summary, the first weeks, why strength, then each declared area
    with a red-flag sign (N1) and, after a yes to the health screen, clearance first."""
    deps = context.deps
    account, render = done.account, deps.render
    assert account.timezone is not None and account.reminder_time is not None
    name = name or deps.ui.onboarding.no_name
    weeks = "\n\n".join(render.week(week, from_day=done.today) for week in done.weeks)
    said = [
        Outgoing(render.summary(name, done.profile, account.timezone, account.reminder_time)),
        Outgoing(f"{deps.ui.onboarding.first_week}\n{weeks}"),
        Outgoing(deps.ui.onboarding.why_strength),
    ]
    for area in sorted(done.red_flags, key=list(BodyArea).index):
        said.append(Outgoing(deps.ui.loop.fmt("red_flag", area=area.value), deps.loop_render.cleared_button(area)))
    return said + _clearance(context, account)


def _clearance(context: CoachContext, account: RunnerAccount) -> list[Outgoing]:
    deps = context.deps
    if not account.state.needs_clearance:
        return []
    return [Outgoing(deps.ui.onboarding.needs_clearance, deps.loop_render.cleared_button())]


def intro(context: CoachContext, name: str, resumed: bool) -> str:
    """What /start says above the open question: welcome, or welcome back to where it stopped."""
    t = context.deps.ui.onboarding
    return t.resumed if resumed else t.fmt("welcome", name=name or t.no_name)
