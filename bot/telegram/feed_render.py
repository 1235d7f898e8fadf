"""The live calendar feed as the runner meets it: the button row, the link message, and the
iCalendar text itself (written with ``icalendar``), from the stored plan the feed use case reads.

Each session (strength, power or mobility; rest days are left out) is an all-day event on its day:
the runner does it at any time of that day (the daily message only suggests when), an all-day
event stays on the right date whatever time zone the calendar app shows, and it never blocks an
hour of the runner's day (``TRANSP:TRANSPARENT``). Its UID is fixed per runner and date, so a
calendar app updates the event in place when the day is re-planned; ``SEQUENCE``,
``LAST-MODIFIED`` and ``DTSTAMP`` come from when the day was last planned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from bot.content.ui import Ui
from bot.services.feed_rows import FeedDay, FeedPlan
from bot.services.ports import Button, Outgoing
from bot.telegram.render import Renderer, callback

if TYPE_CHECKING:  # imported when a feed is written: the bot starts without it
    from icalendar import Event

SCOPE = "feed"
ADD = "add"
REVOKE = "revoke"
PATH = "/calendar"
PRODID = "-//Running coach//Strength and mobility plan//EN"
REFRESH = dt.timedelta(hours=6)  # how often a calendar app is asked to fetch the feed again
SEQUENCE_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # SEQUENCE counts seconds from here: small, increasing


def feed_button_row(ui: Ui) -> tuple[Button, ...]:
    """The "Add to my calendar app" button, as a keyboard row (for ``/calendar``)."""
    return (Button(ui.feed.btn_add, callback(SCOPE, ADD, "go")),)


def revoke_row(ui: Ui) -> tuple[Button, ...]:
    return (Button(ui.feed.btn_revoke, callback(SCOPE, REVOKE, "go")),)


def feed_url(base: str, token: str) -> str:
    """The subscription URL of a token under the public base URL."""
    return f"{base}{PATH}/{token}.ics"


def link_message(ui: Ui, url: str) -> Outgoing:
    """The link, one line on how to subscribe, and the button that revokes it."""
    return Outgoing(ui.feed.fmt("link", link=url), (revoke_row(ui),))


def calendar_ics(render: Renderer, plan: FeedPlan) -> bytes:
    """The plan as an iCalendar file (UTF-8)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", render.ui.feed.calendar_name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{REFRESH // dt.timedelta(hours=1)}H")  # Outlook's REFRESH-INTERVAL
    for day in plan.days:
        calendar.add_component(_event(render, plan.runner_id, day))
    ics: bytes = calendar.to_ical()
    return ics


def _event(render: Renderer, runner_id: int, stored: FeedDay) -> Event:
    from icalendar import Event

    day, session = stored.day, stored.day.session
    event = Event()
    event.add("uid", event_uid(runner_id, day.date))
    event.add("dtstamp", stored.planned_at)
    event.add("last-modified", stored.planned_at)
    event.add("sequence", max(0, int((stored.planned_at - SEQUENCE_EPOCH).total_seconds())))
    event.add("dtstart", day.date)
    event.add("dtend", day.date + dt.timedelta(days=1))
    event.add("summary", render.ui.feed.fmt("event_title", title=session.title, minutes=session.minutes))
    event.add("description", render.day(day))
    event.add("transp", "TRANSPARENT")
    return event


def event_uid(runner_id: int, date: dt.date) -> str:
    """The same for a runner and date on every fetch and every link (a new link keeps the events);
    the runner's id is hashed, not shown."""
    owner = hashlib.sha256(f"coach-feed:{runner_id}".encode()).hexdigest()[:16]
    return f"{date:%Y%m%d}-{owner}@running-coach"
