"""Everything the runner reads: plans, sessions and keyboards, from the texts in `content/`.

Rendering lives here only; handlers pass plain values in and send what comes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.coach.library import Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Equipment,
    Kit,
    Level,
    Profile,
    RunKind,
    Session,
    SessionKind,
    Weekday,
    WeekPlan,
    kit_values,
)
from bot.coach.wording import note_text, reason_text
from bot.content.ui import Ui

SEP = "|"


def callback(scope: str, question: str, value: str) -> str:
    """Callback data: short, readable and checked against the current question on return."""
    return SEP.join((scope, question, value))


def parse_callback(data: str | None) -> tuple[str, str, str] | None:
    if not data or len(data) > 64:
        return None
    parts = data.split(SEP)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def keyboard(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def chunk(items: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class Renderer:
    def __init__(self, ui: Ui, library: Library) -> None:
        self.ui = ui
        self.library = library
        self.names = library.messages

    def weekday(self, day: Weekday | dt.date, short: bool = False) -> str:
        wd = day if isinstance(day, Weekday) else Weekday.of(day)
        name = self.names.weekday_names.get(wd.value, wd.value)
        return name[:3] if short else name

    def run(self, run: RunKind) -> str:
        return self.names.run_names.get(run.value, run.value)

    def level(self, level: Level) -> str:
        """How a strength level reads, on its onboarding button and in the summary alike."""
        b = self.ui.buttons
        return {Level.NEW: b.level_new, Level.SOME: b.level_some, Level.REGULAR: b.level_regular}[level]

    def equipment(self, equipment: Equipment | Kit) -> str:
        """One item's name, or a kit's items joined (bodyweight only when it is empty)."""
        b = self.ui.buttons
        names = {
            Equipment.NONE: b.equipment_none,
            Equipment.BANDS: b.equipment_bands,
            Equipment.DUMBBELLS: b.equipment_dumbbells,
            Equipment.GYM: b.equipment_gym,
        }
        if isinstance(equipment, Equipment):
            return names[equipment]
        return ", ".join(names[Equipment(v)] for v in kit_values(equipment)) or names[Equipment.NONE]

    def days(self, days: Iterable[Weekday | str]) -> str:
        names = [self.weekday(Weekday(d), short=True) for d in days]
        return ", ".join(names) if names else self.ui.render.none

    def reason(self, session: Session) -> str:
        """Why the day holds its session, in the runner's words."""
        return reason_text(self.names, session.reason)

    def session(self, session: Session) -> str:
        if session.kind is SessionKind.REST:
            return "\n".join((self.ui.render.rest_line, self.ui.render.fmt("reason", reason=self.reason(session))))
        lines = [self.ui.render.fmt("session_header", title=session.title, minutes=session.minutes)]
        for ex in session.exercises:
            effort = self.ui.render.fmt("effort", rpe=ex.rpe) if ex.rpe is not None else ""
            lines.append(
                self.ui.render.fmt("exercise_line", name=ex.name, sets=ex.sets, reps=ex.reps, effort=effort, cue=ex.cue)
            )
        lines.append(self.ui.render.fmt("reason", reason=self.reason(session)))
        return "\n".join(lines)

    def day(self, day: DayPlan) -> str:
        header = self.ui.render.fmt(
            "today_header", weekday=self.weekday(day.date), date=day_month(day.date), run=self.run(day.run)
        )
        return f"{header}\n{self.session(day.session)}"

    def week(self, week: WeekPlan, from_day: dt.date | None = None) -> str:
        phase = self.names.phase_names.get(week.phase.value, week.phase.value)
        lines = [self.ui.render.fmt("week_header", start=day_month(week.start), phase=phase)]
        lines.append(note_text(self.names, week.note))
        for day in week.days:
            if from_day is not None and day.date < from_day:
                continue
            if day.run is RunKind.RACE:
                weekday = self.weekday(day.date, short=True)
                lines.append(self.ui.render.fmt("race_day_line", weekday=weekday, day=day.date.day))
                continue
            session = day.session.title if day.session.kind is not SessionKind.REST else "—"
            lines.append(
                self.ui.render.fmt(
                    "day_line",
                    weekday=self.weekday(day.date, short=True),
                    day=day.date.day,
                    run=self.run(day.run),
                    session=f"{_icon(day.session.kind)} {session}",
                )
            )
        return "\n".join(lines)

    def summary(self, name: str, profile: Profile, timezone: str, reminder: dt.time) -> str:
        ui = self.ui
        runs = ", ".join(
            f"{self.weekday(day, short=True)} {self.run(kind)}"
            for day, kind in profile.week.items()
            if kind is not RunKind.REST
        )
        race = (
            f"{self.names.distance_names.get(profile.race.distance.value, profile.race.distance.value)}, "
            f"{day_month(profile.race.date)} {profile.race.date.year}"
            if profile.race
            else ui.render.no_race
        )
        niggles = self.niggles(profile.injuries)
        return ui.onboarding.fmt(
            "summary",
            name=name,
            level=self.level(profile.strength_level),
            runs=runs or ui.render.none,
            race=race,
            equipment=self.equipment(profile.equipment),
            minutes=profile.session_minutes,
            niggles=niggles,
            reminder=reminder.strftime("%H:%M"),
            timezone=timezone,
        )

    def sessions(self, sessions_per_week: int | None) -> str:
        t = self.ui.settings
        return t.sessions_default if sessions_per_week is None else t.fmt("sessions_set", count=sessions_per_week)

    def niggles(self, areas: Iterable[BodyArea]) -> str:
        return ", ".join(sorted(area.value for area in areas)) or self.ui.render.none

    def settings(self, name: str, profile: Profile, timezone: str, reminder: dt.time) -> str:
        """/settings: what can be changed, worded as in the onboarding summary."""
        return self.ui.settings.fmt(
            "summary",
            name=name,
            equipment=self.equipment(profile.equipment),
            minutes=profile.session_minutes,
            niggles=self.niggles(profile.injuries),
            sessions=self.sessions(profile.sessions_per_week),
            reminder=reminder.strftime("%H:%M"),
            timezone=timezone,
        )


def day_month(date: dt.date) -> str:
    """A date as people write it: "1 Dec", not "01 Dec"."""
    return f"{date.day} {date:%b}"


def _icon(kind: SessionKind) -> str:
    return {
        SessionKind.STRENGTH: "🏋",
        SessionKind.POWER: "⚡",
        SessionKind.MOBILITY: "🧘",
        SessionKind.REST: "·",
    }[kind]
