"""What a calendar change changed: the days whose run kind differs, the lifting sessions that moved
to another day (or were dropped or added), and the weeks whose note says they hold fewer sessions
than their phase asks for (P5). Pure: the services hand in profiles and plans, before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.model import NoteKey, NotePart, Profile, RunKind, WeekPlan

# P5's "fewer sessions than the phase asks for" sentences of a week's note, whatever their cause
FEWER_NOTES = frozenset(
    {
        NoteKey.FEWER_FIT,
        NoteKey.NONE_FIT,
        NoteKey.FEWER_JOINED,
        NoteKey.FEWER_TAPER,
        NoteKey.FEWER_RECOVERY,
        NoteKey.FEWER_RACE,
        NoteKey.FEWER_AFTER_RACE,
        NoteKey.FEWER_KEY_RUNS,
        NoteKey.FEWER_AFTER_LAST_WEEK,
        NoteKey.FEWER_NEXT_WEEK,
    }
)


@dataclass(frozen=True, slots=True)
class DayChange:
    """One date whose run kind is different after the change."""

    day: dt.date
    before: RunKind
    after: RunKind


@dataclass(frozen=True, slots=True)
class SessionMove:
    """A lifting session that left ``before`` for ``after``; ``before`` None: one added, ``after``
    None: one the new calendar has no room for."""

    title: str
    before: dt.date | None
    after: dt.date | None


@dataclass(frozen=True, slots=True)
class NoRoom:
    """A week whose note says it holds fewer lifting sessions than its phase asks for."""

    start: dt.date
    part: NotePart


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def calendar_changes(before: Profile, after: Profile, first: dt.date, last: dt.date) -> tuple[DayChange, ...]:
    """The dates from ``first`` to ``last`` (both included) whose run kind differs, in order."""
    changes = []
    for day in _days(first, last):
        old, new = before.run_on(day), after.run_on(day)
        if old is not new:
            changes.append(DayChange(day, old, new))
    return tuple(changes)


def _lifting(weeks: tuple[WeekPlan, ...], start: dt.date) -> dict[dt.date, str]:
    return {d.date: d.session.title for w in weeks for d in w.days if d.date >= start and d.session.kind.is_lifting}


def session_moves(before: tuple[WeekPlan, ...], after: tuple[WeekPlan, ...], start: dt.date) -> tuple[SessionMove, ...]:
    """How the lifting sessions from ``start`` on moved between two plans of the same weeks: each
    week's sessions that left a day are paired, in order, with the days that gained one."""
    old, new = _lifting(before, start), _lifting(after, start)
    moves: list[SessionMove] = []
    for week in after:
        span = set(_days(week.start, week.start + dt.timedelta(days=6)))
        lost = sorted(d for d in old if d in span and d not in new)
        gained = sorted(d for d in new if d in span and d not in old)
        for i in range(max(len(lost), len(gained))):
            came = lost[i] if i < len(lost) else None
            went = gained[i] if i < len(gained) else None
            title = new[went] if went is not None else old[came] if came is not None else ""
            moves.append(SessionMove(title, came, went))
    return tuple(moves)


def no_room(weeks: tuple[WeekPlan, ...]) -> tuple[NoRoom, ...]:
    """The weeks whose note says they hold fewer lifting sessions than their phase asks for."""
    return tuple(NoRoom(w.start, part) for w in weeks for part in w.note.parts if part.key in FEWER_NOTES)
