"""/calendar rendering: this week and next with a button per day, the kind buttons, the usual week's
days, and what a calendar change moved and why (:func:`changed_text`, also the ICS import's).

Buttons carry ``cal|<action>|<value>``: ``day|YYYYMMDD`` asks a date's run, ``set|YYYYMMDD.<run>``
sets it; ``tpl|open`` shows the usual week, ``wd|<weekday>`` asks its run, ``wset|<weekday>.<run>``
sets it; ``undo|<token>`` undoes the change it came with; ``show|now`` shows the calendar again.
"""

from __future__ import annotations

import datetime as dt

from bot.coach.calendar_diff import SessionMove
from bot.coach.calendar_said import NoSuchDate, PastDate
from bot.coach.model import WEEKDAYS, RunKind, SessionKind, Weekday, WeekNote
from bot.coach.wording import day_words, note_text
from bot.services.calendar_changes import ONE_OFF_KINDS, TEMPLATE_KINDS
from bot.services.calendar_edit import CalendarChanged, UndoRefused
from bot.services.calendar_usecases import CalendarView, DayAsked, Unread
from bot.services.ports import Button, Outgoing
from bot.services.problems import Problem
from bot.services.questions import Question
from bot.telegram.context import CoachContext
from bot.telegram.feed_render import feed_button_row
from bot.telegram.loop_render import DATE_FORMAT
from bot.telegram.loop_render import SETTINGS as SETTINGS_SCOPE
from bot.telegram.render import SEP, Rows, day_month
from bot.telegram.replies import problem_text
from bot.telegram.settings_render import OPEN

SCOPE = "cal"
DAY, SET, TEMPLATE, WEEKDAY, WEEKDAY_SET, UNDO, SHOW = "day", "set", "tpl", "wd", "wset", "undo", "show"
PER_ROW = 4
Refusal = Problem | NoSuchDate | PastDate | UndoRefused | Unread


def data(action: str, value: str) -> str:
    return SEP.join((SCOPE, action, value))


def feed_rows(context: CoachContext) -> Rows:
    """The live calendar feed's row: "Add to my calendar app" (``bot.telegram.feed_render``)."""
    return (feed_button_row(context.deps.ui),)


def _rows(buttons: list[Button], size: int = PER_ROW) -> Rows:
    return tuple(tuple(buttons[i : i + size]) for i in range(0, len(buttons), size))


def _day(context: CoachContext, day: dt.date) -> str:
    return day_words(day, names=context.deps.library.messages.weekday_names)


def calendar_message(context: CoachContext, view: CalendarView) -> Outgoing:
    """This week and next, a line a day (its run and the session planned on it), a button per day
    from today on, "My usual week", and the feed's row."""
    deps, t = context.deps, context.deps.ui.calendar
    r = deps.render
    lines = [t.shown]
    for week in view.weeks:
        phase = deps.library.messages.phase_names.get(week.phase.value, week.phase.value)
        lines.append(f"\n{t.fmt('week_header', start=day_month(week.start), phase=phase)}")
        for day in week.days:
            session = "—" if day.session.kind is SessionKind.REST else day.session.title
            weekday = r.weekday(day.date, short=True)
            run = r.run(day.run)
            lines.append(deps.ui.render.fmt("day_line", weekday=weekday, day=day.date.day, run=run, session=session))
    lines.append(f"\n{t.hint}")
    days = [Button(_day(context, d), data(DAY, d.strftime(DATE_FORMAT))) for d in view.open_days]
    rows = (*_rows(days), (Button(t.btn_template, data(TEMPLATE, OPEN)),), *feed_rows(context))
    return Outgoing("\n".join(lines), rows)


def _kind_label(context: CoachContext, run: RunKind) -> str:
    return context.deps.ui.calendar.btn_race if run is RunKind.RACE else context.deps.render.run(run)


def day_question(context: CoachContext, asked: DayAsked) -> Outgoing:
    """A date's run, just this once: a button per kind (race included)."""
    t, r = context.deps.ui.calendar, context.deps.render
    key = asked.day.strftime(DATE_FORMAT)
    kinds = [Button(_kind_label(context, k), data(SET, f"{key}.{k.value}")) for k in ONE_OFF_KINDS]
    text = t.fmt("ask_day", weekday=r.weekday(asked.day), date=day_month(asked.day), run=r.run(asked.run))
    return Outgoing(text, (*_rows(kinds, 3), (Button(t.btn_back, data(SHOW, "now")),)))


def template_menu(context: CoachContext, week: dict[Weekday, RunKind]) -> Outgoing:
    """The usual week: a button per weekday with its run, and /settings' own calendar questions."""
    t, r, s = context.deps.ui.calendar, context.deps.render, context.deps.ui.settings
    days = [Button(f"{r.weekday(d, short=True)} · {r.run(week[d])}", data(WEEKDAY, d.value)) for d in WEEKDAYS]
    questions = ((Question.RUN_DAYS, s.btn_run_days), (Question.LONG_DAY, s.btn_long_day))
    asked = [Button(label, SEP.join((SETTINGS_SCOPE, OPEN, q.value))) for q, label in questions]
    asked.append(Button(s.btn_quality_days, SEP.join((SETTINGS_SCOPE, OPEN, Question.QUALITY_DAYS.value))))
    text = f"{t.fmt('template_now', runs=r.runs(week))}\n\n{t.ask_weekday}"
    return Outgoing(text, (*_rows(days), *_rows(asked, 3), (Button(t.btn_back, data(SHOW, "now")),)))


def weekday_question(context: CoachContext, weekday: Weekday, run: RunKind) -> Outgoing:
    """Every ``weekday`` from now on: a button per kind of the usual week."""
    t, r = context.deps.ui.calendar, context.deps.render
    kinds = [Button(_kind_label(context, k), data(WEEKDAY_SET, f"{weekday.value}.{k.value}")) for k in TEMPLATE_KINDS]
    text = t.fmt("ask_weekday_kind", weekday=r.weekday(weekday), run=r.run(run))
    return Outgoing(text, (*_rows(kinds), (Button(t.btn_back, data(TEMPLATE, OPEN)),)))


def _move(context: CoachContext, move: SessionMove) -> str:
    t = context.deps.ui.calendar
    if move.before is None and move.after is not None:
        return t.fmt("session_added", title=move.title, after=_day(context, move.after))
    if move.after is None and move.before is not None:
        return t.fmt("session_dropped", title=move.title, before=_day(context, move.before))
    assert move.before is not None and move.after is not None
    return t.fmt("session_moved", title=move.title, before=_day(context, move.before), after=_day(context, move.after))


def changed_text(context: CoachContext, changed: CalendarChanged, *, undone: bool = False) -> str:
    """What a calendar change did and why: the days whose run changed, the sessions that moved to
    another day (or dropped, or came), the rulebook's note for a week without room for all its
    strength, and that today's session, already sent, stays as it was."""
    deps, t = context.deps, context.deps.ui.calendar
    r = deps.render
    if not changed.changes and not changed.moves:
        return t.undone if undone else t.unchanged
    lines = [t.undone if undone else t.changed]
    for c in changed.changes:
        weekday, date = r.weekday(c.day, short=True), day_month(c.day)
        lines.append(t.fmt("day_changed", weekday=weekday, date=date, before=r.run(c.before), after=r.run(c.after)))
    if changed.template is not None:
        lines.extend(["", t.fmt("template_now", runs=r.runs(changed.template))])
    if changed.moves:
        lines.extend(["", t.sessions_moved, *(_move(context, m) for m in changed.moves)])
    for room in changed.no_room:
        note = note_text(deps.library.messages, WeekNote(parts=(room.part,)))
        lines.extend(["", t.fmt("no_room", start=day_month(room.start), note=note)])
    if changed.today_kept:
        lines.extend(["", t.today_kept])
    return "\n".join(lines)


def changed_message(context: CoachContext, changed: CalendarChanged, *, undone: bool = False) -> Outgoing:
    """:func:`changed_text` with its Undo button (an undo offers none)."""
    if changed.undo is None:
        return Outgoing(changed_text(context, changed, undone=undone))
    undo = Button(context.deps.ui.calendar.btn_undo, data(UNDO, changed.undo))
    return Outgoing(changed_text(context, changed, undone=undone), ((undo,),))


def refusal_text(context: CoachContext, refusal: Refusal) -> str:
    """Why nothing changed: a date gone by or that does not exist, an undo that cannot be, text
    not read as a change."""
    t = context.deps.ui.calendar
    if isinstance(refusal, PastDate):
        return t.fmt("past_date", date=day_words(refusal.day, names=context.deps.library.messages.weekday_names))
    if isinstance(refusal, NoSuchDate):
        return t.fmt("no_such_date", day=refusal.day, month=dt.date(2000, refusal.month, 1).strftime("%B"))
    if isinstance(refusal, UndoRefused | Unread):
        return str(getattr(t, refusal.value))
    return problem_text(context, refusal)
