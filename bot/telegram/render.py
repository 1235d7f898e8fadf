"""Everything the runner reads: plans, sessions and keyboards, from the texts in `content/`.

Rendering lives here only; handlers pass plain values in and send what comes out.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.coach.library import Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Equipment,
    Kit,
    Level,
    Prescription,
    Profile,
    Role,
    RunKind,
    Session,
    SessionKind,
    Weekday,
    WeekPlan,
    kit_values,
)
from bot.coach.wording import day_words, note_text, reason_text
from bot.content.ui import Ui
from bot.services.chat import Keys
from bot.services.ports import Button
from bot.services.usecases import Stats
from bot.telegram.signing import MAX_DATA_BYTES, unsigned

SEP = "|"
LINE_WIDTH = 40  # a phone's width in characters: the lines a session's layout breaks itself stay within it
JOIN = " · "
HEAVY_REST_S = 120  # COACHING.md D5: heavy sets rest 2 to 3 min, lighter work 60 to 90 s


def callback(scope: str, question: str, value: str) -> str:
    """Callback data: short, readable and checked against the current question on return."""
    return SEP.join((scope, question, value))


def parse_callback(data: str | None) -> tuple[str, str, str] | None:
    """The (scope, question, value) of a button's data, its MAC dropped (``tap_gate`` checked it)."""
    if not data or len(data) > MAX_DATA_BYTES:
        return None
    parts = unsigned(data).split(SEP)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


Rows = tuple[tuple[Button, ...], ...]  # an inline keyboard, row by row, as ``Outgoing`` carries it


def keyboard(rows: Iterable[Sequence[tuple[str, str]]]) -> Rows:
    """Inline buttons from (label, callback data) pairs, row by row (the sender makes Telegram's)."""
    return tuple(tuple(Button(text, data) for text, data in row) for row in rows)


@dataclass(frozen=True, slots=True)
class Asked:
    """A question as the runner sees it: its text, and inline buttons or keys under the text field."""

    text: str
    buttons: Rows = ()
    keys: Keys | None = None

    def after(self, prefix: str | None) -> Asked:
        """The question under a line said first (a re-ask, a confirmation), if any."""
        return replace(self, text=f"{prefix}\n\n{self.text}") if prefix else self


def chunk(items: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class Kept:
    """Texts rendered from days, kept by the day object itself (not its value: a ``DayPlan`` is
    not hashable): the same stored day is the same object on every read of it
    (``bot.db.codec.day_from_text`` keeps the days it built, by their JSON text), so /today, then
    "why?", then /week render it once. An entry holds its day, so the day's id cannot be another
    object's while it is kept. A ``DayPlan`` is never changed once built (``replace`` makes a new
    one), so its text never goes stale."""

    __slots__ = ("_kept", "_size")

    def __init__(self, size: int) -> None:
        self._kept: dict[int, tuple[DayPlan, str]] = {}
        self._size = size

    def get(self, day: DayPlan) -> str | None:
        kept = self._kept.get(id(day))
        return kept[1] if kept is not None and kept[0] is day else None

    def put(self, day: DayPlan, text: str) -> str:
        if len(self._kept) >= self._size:
            del self._kept[next(iter(self._kept))]  # the oldest
        self._kept[id(day)] = (day, text)
        return text


DAYS_KEPT = 512  # a few days of each of a few hundred runners being read about at once


class Renderer:
    def __init__(self, ui: Ui, library: Library) -> None:
        self.ui = ui
        self.library = library
        self.names = library.messages
        self._days = Kept(DAYS_KEPT)  # ``day``'s texts
        self._lines = Kept(DAYS_KEPT)  # ``day_line``'s

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
        """The whole session for a phone (D5): header, warm-up, each exercise, why."""
        r = self.ui.render
        if session.kind is SessionKind.REST:
            return "\n".join((r.rest_line, r.fmt("reason", reason=self.reason(session))))
        lines = [r.fmt("session_header", title=session.title, minutes=session.minutes)]
        if session.warmup:
            lines.append(r.fmt("warmup", warmup=session.warmup))
        for ex in session.exercises:
            lines.extend(self.exercise(ex))
        lines.append(r.fmt("reason", reason=self.reason(session)))
        return "\n".join(lines)

    def exercise(self, p: Prescription) -> list[str]:
        """One exercise: its name and numbers packed into lines of at most ``LINE_WIDTH``
        characters (sets x reps at its effort, a jump's contacts, a heavy lift's ramp-up sets
        and rest), then its load cue and technique cue as one paragraph the phone wraps."""
        r = self.ui.render
        dose = r.fmt("dose", sets=p.sets, reps=p.reps)
        effort = r.fmt("effort", rpe=p.rpe) if p.rpe is not None else ""
        # sets x reps at its effort stay together, unless together they overrun a line
        parts = [dose + effort] if len(dose + effort) <= LINE_WIDTH else [dose, effort.strip()]
        if p.contacts:
            parts.append(r.fmt("contacts", contacts=p.contacts))
        if p.ramp:
            parts.append(r.ramp)
        if heavy(p) and p.rest_s and not p.paired_with:  # paired sets are done in another lift's rests
            parts.append(r.fmt("rest", time=self.rest(p.rest_s)))
        lines = pack(r.fmt("exercise_name", name=p.name), parts)
        prose = [self.load_cue(p), p.cue.strip()]
        if any(prose):
            lines.append(" ".join(text for text in prose if text))
        return lines

    def load_cue(self, p: Prescription) -> str:
        """The load cue, unless the exercise's cue already says it: a phrase ("a weight you could
        lift 3 more times") reads "Load: ...", a whole sentence as it is."""
        cue = p.load_cue.strip().rstrip(".")
        if not cue or cue.lower() in p.cue.lower():
            return ""
        return f"{cue}." if cue[0].isupper() else self.ui.render.fmt("load_cue", cue=cue)

    def rest(self, seconds: int) -> str:
        """A rest as a runner times it: "90 s" below two minutes, else "2 min" or "2-3 min"."""
        r = self.ui.render
        if seconds < HEAVY_REST_S:
            return r.fmt("rest_seconds", seconds=seconds)
        low, high = seconds // 60, -(-seconds // 60)
        if low == high:
            return r.fmt("rest_minutes", minutes=low)
        return r.fmt("rest_minutes_range", low=low, high=high)

    def day(self, day: DayPlan) -> str:
        """The day's header and its whole session (``/today``, ``/tomorrow``), rendered once per day object."""
        kept = self._days.get(day)
        if kept is not None:
            return kept
        header = self.ui.render.fmt(
            "today_header", weekday=self.weekday(day.date), date=day_month(day.date), run=self.run(day.run)
        )
        return self._days.put(day, f"{header}\n{self.session(day.session)}")

    def week(self, week: WeekPlan, from_day: dt.date | None = None) -> str:
        phase = self.names.phase_names.get(week.phase.value, week.phase.value)
        lines = [self.ui.render.fmt("week_header", start=day_month(week.start), phase=phase)]
        lines.append(note_text(self.names, week.note))
        lines.extend(self.day_line(day) for day in week.days if from_day is None or day.date >= from_day)
        return "\n".join(lines)

    def day_line(self, day: DayPlan) -> str:
        """One day of a week as a line: its run and its session ("Tue 24 · easy run → 🏋 ..."),
        rendered once per day object."""
        kept = self._lines.get(day)
        if kept is not None:
            return kept
        weekday = self.weekday(day.date, short=True)
        if day.run is RunKind.RACE:
            return self._lines.put(day, self.ui.render.fmt("race_day_line", weekday=weekday, day=day.date.day))
        session = day.session.title if day.session.kind is not SessionKind.REST else "—"
        line = self.ui.render.fmt(
            "day_line",
            weekday=weekday,
            day=day.date.day,
            run=self.run(day.run),
            session=f"{_icon(day.session.kind)} {session}",
        )
        return self._lines.put(day, line)

    def summary(self, name: str, profile: Profile, timezone: str, reminder: dt.time) -> str:
        ui = self.ui
        runs = self.runs(profile.week)
        race = (
            f"{self.names.distance_names.get(profile.race.distance.value, profile.race.distance.value)}, "
            f"{day_words(profile.race.date, weekday=False, year=True)}"
            if profile.race
            else ui.render.no_race
        )
        niggles = self.niggles(profile.injuries)
        return ui.onboarding.fmt(
            "summary",
            name=name,
            level=self.level(profile.strength_level),
            runs=runs,
            race=race,
            equipment=self.equipment(profile.equipment),
            minutes=profile.session_minutes,
            niggles=niggles,
            reminder=reminder.strftime("%H:%M"),
            timezone=timezone,
        )

    def runs(self, week: dict[Weekday, RunKind]) -> str:
        """The weekly run template, rest days left out ("Tue Quality, Sat Long")."""
        runs = ", ".join(
            f"{self.weekday(day, short=True)} {self.run(kind)}"
            for day, kind in sorted(week.items(), key=lambda item: list(Weekday).index(item[0]))
            if kind is not RunKind.REST
        )
        return runs or self.ui.render.none

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
            level=self.level(profile.strength_level),
            runs=self.runs(profile.week),
            equipment=self.equipment(profile.equipment),
            minutes=profile.session_minutes,
            niggles=self.niggles(profile.injuries),
            sessions=self.sessions(profile.sessions_per_week),
            reminder=reminder.strftime("%H:%M"),
            timezone=timezone,
        )

    def stats(self, found: Stats) -> str:
        """The operators' /stats: runners, who is active, what went out since midnight UTC, and how
        late the latest batch of prompts went out."""
        lag = found.lag
        late = (
            self.ui.loop.fmt(
                "admin_lag", at=f"{lag.at:%d %b %H:%M}", sent=lag.sent, p50=f"{lag.p50_s:.1f}", max=f"{lag.max_s:.1f}"
            )
            if lag is not None
            else self.ui.loop.admin_no_lag
        )
        counts = self.ui.loop.fmt(
            "admin_stats",
            runners=found.runners,
            onboarded=found.onboarded,
            active=found.active,
            paused=found.paused,
            since=f"{found.since:%d %b %H:%M}",
            prompts=found.sent.get("prompt", 0),
            nudges=found.sent.get("nudge", 0),
            reviews=found.sent.get("review", 0),
        )
        return f"{counts}\n{late}"


def heavy(p: Prescription) -> bool:
    """A heavy lift (D5: a main lift, or loaded at 6 reps or fewer): one with ramp-up sets, the
    main role, or a heavy set's rest. Its rest is shown; lighter work keeps its 60 to 90 s unsaid."""
    return p.ramp or p.role is Role.MAIN or p.rest_s >= HEAVY_REST_S


def pack(head: str, parts: Sequence[str], width: int = LINE_WIDTH) -> list[str]:
    """``head`` and then ``parts`` (joined by " · "), on as few lines of at most ``width``
    characters as they fit; a part never breaks, so one longer than ``width`` has its own line."""
    lines = [head]
    sep = " "
    for part in parts:
        candidate = f"{lines[-1]}{sep}{part}"
        if len(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(part)
        sep = JOIN
    return lines


@functools.lru_cache(maxsize=1024)
def day_month(date: dt.date) -> str:
    """A date as people write it: "1 Dec", not "01 Dec" (a pure function of the date: kept)."""
    return day_words(date, weekday=False)


def _icon(kind: SessionKind) -> str:
    return {
        SessionKind.STRENGTH: "🏋",
        SessionKind.POWER: "⚡",
        SessionKind.MOBILITY: "🧘",
        SessionKind.REST: "·",
    }[kind]
