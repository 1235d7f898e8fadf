"""A stored day read as text decodes to the day ``day_from_json`` makes of the same JSON."""

from __future__ import annotations

import datetime as dt
import json

from bot.coach.model import Equipment, Level, Profile, RunKind, Weekday
from bot.coach.planner import plan_week
from bot.content.loader import default_library
from bot.db.codec import day_from_json, day_from_text, day_to_json


def _week() -> list[dict[str, object]]:
    profile = Profile(
        strength_level=Level.SOME,
        week={day: RunKind.EASY if day in (Weekday.MON, Weekday.THU) else RunKind.REST for day in Weekday},
        equipment=Equipment.DUMBBELLS,
        session_minutes=30,
    )
    week = plan_week(profile, dt.date(2026, 11, 23), default_library(), None)
    return [day_to_json(day) for day in week.days]


def test_a_day_read_as_text_is_the_day_read_as_json() -> None:
    for data in _week():
        assert day_from_text(json.dumps(data)) == day_from_json(data)
        assert day_from_text(data) == day_from_json(data)


def test_a_day_stored_with_its_reason_in_words_reads_as_it_was_worded() -> None:
    data = _week()[0]
    session = data["session"]
    assert isinstance(session, dict)
    old = {**data, "session": {**session, "reason": "Easy run tomorrow, so lift today."}}
    day = day_from_text(json.dumps(old))
    assert day == day_from_json(old)
    assert day.session.reason.key is None and day.session.reason.text == "Easy run tomorrow, so lift today."
