"""Plans as JSON in the database: the exact ``DayPlan`` that was prescribed, and back.

pydantic's ``TypeAdapter`` reads the core's frozen dataclasses, so a field the core adds is
stored without a change here; a stored plan that no longer validates is a bug, not a guess.

Reasons and week notes are stored as data (a key and the values they cite) and worded when
shown. Rows stored before that hold them in words: they read back as a ``Reason`` or
``WeekNote`` with that text and no key, and are shown as they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.coach.model import DayPlan, Phase, WeekNote, WeekPlan

WEEK_LENGTH = 7
DAYS_KEPT = 256  # stored days kept decoded by their JSON text (:func:`_day_of_text`): a few MiB at most
_DAY: TypeAdapter[DayPlan] = TypeAdapter(DayPlan)
_NOTE: TypeAdapter[WeekNote] = TypeAdapter(WeekNote)


def day_to_json(day: DayPlan) -> dict[str, Any]:
    data: dict[str, Any] = _DAY.dump_python(day, mode="json")
    return data


def day_from_json(data: Any) -> DayPlan:
    session = data.get("session") if isinstance(data, dict) else None
    if isinstance(session, dict) and isinstance(session.get("reason"), str):
        # stored before reasons were data: the reason as it was worded then
        data = {**data, "session": {**session, "reason": {"key": None, "text": session["reason"]}}}
    return _DAY.validate_python(data)


def day_from_text(text: str | dict[str, Any]) -> DayPlan:
    """``day_from_json`` of a day's JSON read as text (see :func:`_day_of_text`)."""
    if not isinstance(text, str):
        return day_from_json(text)
    return _day_of_text(text)


@functools.lru_cache(maxsize=DAYS_KEPT)
def _day_of_text(text: str) -> DayPlan:
    """The day a stored JSON text holds: pydantic parses and validates it in one pass (about half
    the time of ``json.loads`` and then ``day_from_json``); a row stored before reasons were data
    does not validate as it is, and takes ``day_from_json``'s way.

    A pure function of the text, so the last few hundred are kept, by their text: a runner's day
    is read again and again within minutes (/today, then "why?", then each check-in tap), and the
    same text always holds the same day (a day planned again is another text). Nothing changes a
    ``DayPlan`` once built (``dataclasses.replace`` makes a new one), so the same one is handed out.
    """
    try:
        return _DAY.validate_json(text)
    except ValidationError:
        return day_from_json(json.loads(text))


def week_header_to_json(week: WeekPlan) -> dict[str, Any]:
    """What a week holds beyond its days: phase, note, lifting target, deload."""
    return {
        "phase": week.phase.value,
        "note": _NOTE.dump_python(week.note, mode="json"),
        "lifting_target": week.lifting_target,
        "deload": week.deload,
    }


def week_from_json(header: Any, start: dt.date, days: Sequence[DayPlan]) -> WeekPlan:
    return WeekPlan(
        start=start,
        phase=Phase(header["phase"]),
        note=WeekNote(text=note) if isinstance(note := header["note"], str) else _NOTE.validate_python(note),
        days=tuple(days),
        lifting_target=int(header.get("lifting_target", 0)),
        deload=bool(header.get("deload", False)),
    )
