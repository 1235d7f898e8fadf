"""Small iCalendar files for the import tests, dated around the tests' clock."""

from __future__ import annotations

import datetime as dt


def event(date: dt.date, title: str, uid: str, *, timed: str | None = None) -> str:
    start = f"DTSTART;TZID=Europe/Berlin:{date:%Y%m%d}T{timed}" if timed else f"DTSTART;VALUE=DATE:{date:%Y%m%d}"
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n{start}\r\nSUMMARY:{title}\r\nEND:VEVENT\r\n"


def calendar(*events: tuple[dt.date, str]) -> bytes:
    """A calendar of all-day events, as a training platform exports it."""
    body = "".join(event(date, title, f"e{i}@test") for i, (date, title) in enumerate(events))
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()
