"""Plans in the runner's words: a reason or week note, given as data by the planner, worded with
the library's texts (`content/messages.yaml`).

The planner decides and says why with keys and values; only this module turns them into
sentences, so the decisions never depend on wording and a stored plan reads in today's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.coach.library import Messages
from bot.coach.model import WEEKDAYS, Reason, WeekNote
from bot.coach.plural import fill

DATE_KEYS = frozenset({"race_date", "race_day"})  # values given as ISO dates, read as "Sunday 29 November"


def day_words(day: dt.date, *, weekday: bool = True, year: bool = False, names: Mapping[str, str] | None = None) -> str:
    """The one way a date is written to a runner: "Sun 29 Nov", "29 Nov", "3 Apr 2027" (weekdays
    shortened from ``names``, the library's weekday names)."""
    text = f"{day.day} {day:%b}"
    if weekday:
        key = WEEKDAYS[day.weekday()].value
        text = f"{(names or {}).get(key, key.capitalize())[:3]} {text}"
    return f"{text} {day.year}" if year else text


def _date(messages: Messages, value: str) -> str:
    """An ISO date as a runner reads it: its weekday, day and month."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return day_words(day, names=messages.weekday_names)


def _named(messages: Messages, values: Mapping[str, str]) -> dict[str, str]:
    """The values a text may cite, with run kinds, phases, distances and weekdays by their names."""
    names = {
        "run": messages.run_names,
        "next_run": messages.run_names,
        "phase": messages.phase_names,
        "distance": messages.distance_names,
        "race_kind": messages.distance_names,
        "weekday": messages.weekday_names,
    }
    named = {key: names[key].get(value, value) if key in names else value for key, value in values.items()}
    return named | {key: _date(messages, value) for key, value in values.items() if key in DATE_KEYS and value}


def reason_text(messages: Messages, reason: Reason) -> str:
    """One day's reason as the runner reads it."""
    if reason.key is None:
        return reason.text
    return fill(messages.reasons[reason.key], _named(messages, reason.values))


def note_text(messages: Messages, note: WeekNote) -> str:
    """A week's note as the runner reads it: its sentences in order."""
    if not note.parts:
        return note.text
    return " ".join(fill(messages.week_notes[part.key], _named(messages, part.values)) for part in note.parts)
