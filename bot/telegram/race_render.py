"""/race rendering: the races with their buttons, the questions, and what a change did."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import Distance, Phase
from bot.coach.wording import day_words
from bot.services.ports import Outgoing
from bot.services.race_flow import DATE_FORMAT, NOT_SURE, Asking, RaceAction, RaceStep
from bot.services.races import RaceChanged, RaceProblem, Standing
from bot.telegram.context import CoachContext
from bot.telegram.open_questions import CANCEL
from bot.telegram.render import Asked, callback, chunk, keyboard

MENU = "rm"  # a button of the /race message: rm|<action>|<value>
ANSWER = "rc"  # a button of a /race question: rc|<step>|<value>
NO_VALUE = "-"


def long_date(context: CoachContext, date: dt.date) -> str:
    """ "Sun 14 Mar 2027"."""
    return day_words(date, year=True, names=context.deps.library.messages.weekday_names)


def short_date(context: CoachContext, date: dt.date) -> str:
    """ "Sat 12 Dec", for buttons."""
    return day_words(date, names=context.deps.library.messages.weekday_names)


def distance_name(context: CoachContext, distance: Distance | None) -> str:
    if distance is None:
        return context.deps.ui.race.tune_up_unknown
    return context.deps.library.messages.distance_names.get(distance.value, distance.value)


def races_text(context: CoachContext, standing: Standing) -> str:
    """The goal race with the time to go, the tune-ups, and the phase line."""
    t = context.deps.ui.race
    goal = standing.goal
    if goal is None:
        lines = [t.no_goal]
    else:
        days = (goal.date - standing.today).days
        to_go = t.race_today if days == 0 else t.fmt("days_to_go", days=days) if days < 14 else None
        to_go = to_go or t.fmt("weeks_to_go", weeks=-(-days // 7))  # rounded up, as the week's note counts
        date = long_date(context, goal.date)
        lines = [t.fmt("goal", distance=distance_name(context, goal.distance), date=date, to_go=to_go)]
    if standing.tune_ups:
        lines.append(t.tune_ups)
        for day, distance in standing.tune_ups:
            lines.append(t.fmt("tune_up_line", date=long_date(context, day), distance=distance_name(context, distance)))
    else:
        lines.append(t.no_tune_ups)
    return "\n".join([*lines, "", phase_line(context, standing)])


def phase_line(context: CoachContext, standing: Standing) -> str:
    """The phase the runner is in today, and when the taper starts (COACHING.md "Phases")."""
    t = context.deps.ui.race
    phases = context.deps.library.messages.phase_names
    if standing.goal is None:
        if standing.phase is Phase.RECOVERY:
            return t.fmt("phase_after", phase=phases.get(standing.phase.value, standing.phase.value))
        return t.phase_no_goal
    if standing.phase is Phase.TAPER or standing.taper_start is None:
        return t.fmt("phase_taper", date=long_date(context, standing.goal.date))
    phase = phases.get(standing.phase.value, standing.phase.value)
    return t.fmt("phase_now", phase=phase, date=long_date(context, standing.taper_start))


def race_menu(context: CoachContext, standing: Standing) -> Outgoing:
    """/race: the races, and a button for each change."""
    t = context.deps.ui.race
    rows: list[list[tuple[str, str]]] = []
    if standing.goal is None:
        rows.append([(t.btn_goal_set, callback(MENU, RaceAction.GOAL_DISTANCE, NO_VALUE))])
    else:
        rows.append(
            [
                (t.btn_goal_distance, callback(MENU, RaceAction.GOAL_DISTANCE, NO_VALUE)),
                (t.btn_goal_date, callback(MENU, RaceAction.GOAL_DATE, NO_VALUE)),
            ]
        )
        rows.append([(t.btn_goal_clear, callback(MENU, RaceAction.GOAL_CLEAR, NO_VALUE))])
    for day, _ in standing.tune_ups:
        value, date = day.strftime(DATE_FORMAT), short_date(context, day)
        rows.append(
            [
                (t.fmt("btn_tune_distance", date=date), callback(MENU, RaceAction.TUNE_DISTANCE, value)),
                (t.fmt("btn_tune_remove", date=date), callback(MENU, RaceAction.TUNE_REMOVE, value)),
            ]
        )
    rows.append([(t.btn_tune_add, callback(MENU, RaceAction.TUNE_ADD, NO_VALUE))])
    return Outgoing(f"{races_text(context, standing)}\n{t.tap_to_change}", keyboard(rows))


def race_question(context: CoachContext, asking: Asking) -> Asked:
    """The open /race question with its buttons and a Cancel, after the re-ask it needs, if any."""
    t, step = context.deps.ui.race, asking.step
    cancel = [(context.deps.ui.buttons.cancel, callback(ANSWER, step, CANCEL))]
    if step in (RaceStep.GOAL_DISTANCE, RaceStep.TUNE_DISTANCE):
        options = [(distance_name(context, d), callback(ANSWER, step, d.value)) for d in Distance]
        rows = chunk(options, 3)
        if step is RaceStep.TUNE_DISTANCE:
            rows.append([(t.btn_not_sure, callback(ANSWER, step, NOT_SURE))])
            day = long_date(context, asking.day) if asking.day is not None else ""
            text = t.fmt("ask_tune_distance", date=day)
        else:
            text = t.ask_goal_distance
    else:
        options = [(short_date(context, d), callback(ANSWER, step, d.strftime(DATE_FORMAT))) for d in asking.picks]
        rows = chunk(options, 2)
        name = distance_name(context, asking.distance) if asking.distance is not None else ""
        text = t.fmt("ask_goal_date", distance=name) if step is RaceStep.GOAL_DATE else t.ask_tune_date
    return Asked(text, keyboard([*rows, cancel])).after(reask_text(context, asking))


def reask_text(context: CoachContext, asking: Asking) -> str | None:
    """Why the question is asked again (a text of the ``race`` group), or None."""
    if asking.reask is None:
        return None
    t = context.deps.ui.race
    fallback = "bad_distance" if asking.step in (RaceStep.GOAL_DISTANCE, RaceStep.TUNE_DISTANCE) else "bad_date"
    key = asking.reask if isinstance(getattr(t, asking.reask, None), str) else fallback
    try:
        return t.fmt(key, **asking.fields)
    except KeyError:
        return t.fmt(fallback)


def race_changed(context: CoachContext, changed: RaceChanged) -> str:
    """What a change did: the races now, the phase line, and the days re-planned."""
    t, r = context.deps.ui.race, context.deps.render
    parts = [f"{t.done}\n{races_text(context, changed.standing)}"]
    if changed.today_changed:
        parts.append(t.today_changed)
    replanned = t.fmt("replanned", date=long_date(context, changed.start))
    parts.append(f"{replanned}\n{r.week(changed.week, from_day=changed.start)}")
    return "\n\n".join(parts)


def problem_text(context: CoachContext, problem: RaceProblem) -> str:
    t, general = context.deps.ui.race, context.deps.ui.general
    if problem is RaceProblem.NOT_ONBOARDED:
        return general.not_onboarded
    if problem is RaceProblem.NO_GOAL:
        return t.no_goal_to_change
    if problem is RaceProblem.NO_TUNE_UP:
        return t.no_tune_up
    return general.stale_button  # a stale tap; a date problem is asked again, never shown here
