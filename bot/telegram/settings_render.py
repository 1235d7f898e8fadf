"""/settings rendering: the menu of settings with a button each, and what a change did."""

from __future__ import annotations

from bot.services.onboarding import Question
from bot.services.ports import Button, Outgoing
from bot.services.settings import SETTINGS, Changed, Delivery
from bot.services.settings_calendar import CALENDAR
from bot.telegram.chart_setting import chart_button
from bot.telegram.context import CoachContext
from bot.telegram.log_render import prompts_button
from bot.telegram.loop_render import SETTINGS as SCOPE
from bot.telegram.render import SEP
from bot.telegram.zone_choices import local_time

OPEN = "open"


def menu(context: CoachContext, text: str) -> Outgoing:
    t = context.deps.ui.settings
    labels = {
        Question.REMINDER: t.btn_reminder,
        Question.TIMEZONE: t.btn_timezone,
        Question.LEVEL: t.btn_level,
        Question.RUN_DAYS: t.btn_run_days,
        Question.LONG_DAY: t.btn_long_day,
        Question.QUALITY_DAYS: t.btn_quality_days,
        Question.EQUIPMENT: t.btn_equipment,
        Question.MINUTES: t.btn_minutes,
        Question.NIGGLES: t.btn_niggles,
        Question.SESSIONS: t.btn_sessions,
    }
    buttons = [*(Button(labels[q], SEP.join((SCOPE, OPEN, q.value))) for q in SETTINGS), prompts_button(context)]
    buttons.append(chart_button(context))
    return Outgoing(text, tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)))


def confirmation(context: CoachContext, changed: Changed) -> str:
    """What the change did, and for a plan setting the rest of the week as re-planned."""
    deps = context.deps
    t, r = deps.ui.settings, deps.render
    account = changed.account
    if isinstance(account, Delivery):  # a delivery setting's change: the time and zone it left
        reminder = account.reminder_time.strftime("%H:%M")
        here = local_time(context, account.timezone)
        return t.fmt("changed_delivery", reminder=reminder, timezone=account.timezone, local_time=here)
    profile = account.profile
    if changed.question is Question.EQUIPMENT:
        text = t.fmt("changed_equipment", equipment=r.equipment(profile.equipment))
    elif changed.question is Question.MINUTES:
        text = t.fmt("changed_minutes", minutes=profile.session_minutes)
    elif changed.question is Question.NIGGLES:
        text = t.fmt("changed_niggles", niggles=r.niggles(profile.injuries))
    elif changed.question is Question.LEVEL:
        text = t.fmt("changed_level", level=r.level(profile.strength_level))
    elif changed.question in CALENDAR:
        text = t.fmt("changed_calendar", runs=r.runs(profile.week))
    else:
        text = t.fmt("changed_sessions", sessions=r.sessions(profile.sessions_per_week))
    if changed.week is None:
        return text
    return f"{text}\n\n{t.replanned}\n{r.week(changed.week, from_day=changed.start)}"
