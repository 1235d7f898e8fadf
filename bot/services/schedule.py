"""When each message is due, and whether a late one still goes out: pure functions of the clock.

Every due time is a wall time on a local date in the runner's IANA timezone, turned into UTC
afresh for each date (never "the last one plus 24 hours"), so daylight-saving changes and zones
such as Asia/Kathmandu (UTC+5:45) come out right. A wall time that does not exist (the hour
skipped in spring) resolves to the same distance past the gap (02:30 becomes 03:30); one that
exists twice (the hour repeated in autumn) resolves to its first occurrence.

Kinds: ``prompt`` at the reminder time every day, ``nudge`` at 19:00, ``review`` at 19:30 on
Sunday (a runner's week runs Monday to Sunday), ``feed_refresh`` at 06:30 every day for a runner
with a calendar feed; the one-offs ``later``, ``pain_check`` and
``niggle_morning`` are set by the services that need them. Nothing goes out in quiet hours
(:data:`QUIET_HOURS`, 22:00 to 06:00 local), except a prompt at a reminder time the runner chose
inside them. A message the bot could not
send on time (it was down) is sent late only while it is still useful (:func:`deadline`),
otherwise dropped without a word; nothing is sent for a date inside a pause.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum

from bot.services import timezones


@functools.lru_cache(maxsize=1024)
def zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


class DueKind(StrEnum):
    """What a due message is. Stored as its value (the strings the rows always held), so a row
    reads back as the same kind and no migration is needed."""

    PROMPT = "prompt"
    NUDGE = "nudge"
    REVIEW = "review"
    LATER = "later"
    PAIN_CHECK = "pain_check"
    NIGGLE_MORNING = "niggle_morning"  # N4: a niggle area the morning after the session that loaded it
    FEED_REFRESH = "feed_refresh"  # a runner's calendar feed read again (``bot.services.feed_refresh``)
    PAUSE_START = "pause_start"  # a pause asked for ahead ("away next week") starts: ``detail`` its last day


PROMPT = DueKind.PROMPT
NUDGE = DueKind.NUDGE
REVIEW = DueKind.REVIEW
LATER = DueKind.LATER
PAIN_CHECK = DueKind.PAIN_CHECK
NIGGLE_MORNING = DueKind.NIGGLE_MORNING
FEED_REFRESH = DueKind.FEED_REFRESH
PAUSE_START = DueKind.PAUSE_START
PERIODIC_KINDS = (PROMPT, NUDGE, REVIEW)
ONE_OFF_KINDS = (LATER, PAIN_CHECK, NIGGLE_MORNING, PAUSE_START)
REPEATING_KINDS = (*PERIODIC_KINDS, FEED_REFRESH)  # every runner has the periodic ones; a feed's only with a feed

NUDGE_TIME = dt.time(19, 0)
REVIEW_TIME = dt.time(19, 30)
FEED_TIME = dt.time(6, 30)  # a calendar feed is read daily after quiet hours, before most reminder times
REVIEW_WEEKDAY = 6  # Sunday, the last day of the runner's Monday-to-Sunday week
PROMPT_GRACE = dt.timedelta(minutes=30)  # how late a prompt at an evening/quiet reminder time may be
PAIN_CHECK_WINDOW = dt.timedelta(days=2)
CATCH_UP_DAYS = 2  # how far back a message can still be useful (a review until Monday 22:00)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """The local hours nothing goes out, from ``start`` (included) to ``end`` (not), across midnight.

    The one definition every path asks: the dispatcher's send-or-wait, a message's deadline, and
    whether "Later" can still be offered today.
    """

    start: dt.time
    end: dt.time

    def __contains__(self, wall: dt.time) -> bool:
        wall = wall.replace(tzinfo=None)
        return wall >= self.start or wall < self.end

    def over_at(self, local: dt.datetime) -> dt.date:
        """The local date on which quiet hours that hold at ``local`` end (at :attr:`end`)."""
        return local.date() if local.time() < self.end else local.date() + dt.timedelta(days=1)


QUIET_HOURS = QuietHours(start=dt.time(22, 0), end=dt.time(6, 0))


class Verdict(StrEnum):
    SEND = "send"
    DROP = "drop"  # too late, or a paused date: advance (or delete a one-off) without a message
    DEFER = "defer"  # in quiet hours but still useful afterwards: wait until ``until``


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    until: dt.datetime | None = None  # for DEFER: the instant quiet hours end


SEND = Decision(Verdict.SEND)
DROP = Decision(Verdict.DROP)


def _aware(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


def at_local(date: dt.date, wall: dt.time, timezone: str) -> dt.datetime:
    """The UTC instant of a wall time on a local date (gaps resolve forward, repeats to the first)."""
    local = dt.datetime.combine(date, wall.replace(tzinfo=None), tzinfo=zone(timezone))  # fold=0
    return local.astimezone(dt.UTC)


def local_now(now: dt.datetime, timezone: str) -> dt.datetime:
    return _aware(now).astimezone(zone(timezone))


def is_quiet(wall: dt.time) -> bool:
    """Whether a local wall time falls in quiet hours (22:00 included, 06:00 not)."""
    return wall in QUIET_HOURS


def wall_time(kind: str, reminder: dt.time) -> dt.time | None:
    """The local time a periodic kind is due; None when the runner gets no message of this kind.

    The evening nudge follows up a morning or daytime prompt: a runner whose reminder is at or
    after 19:00 gets the prompt itself in the evening, and no nudge.
    """
    if kind == PROMPT:
        return reminder.replace(tzinfo=None)
    if kind == NUDGE:
        return NUDGE_TIME if reminder.replace(tzinfo=None) < NUDGE_TIME else None
    if kind == REVIEW:
        return REVIEW_TIME
    if kind == FEED_REFRESH:
        return FEED_TIME
    raise ValueError(f"{kind!r} is not a periodic kind (one of {', '.join(PERIODIC_KINDS)})")


def _step(kind: str) -> int:
    return 7 if kind == REVIEW else 1


def _align(kind: str, date: dt.date) -> dt.date:
    """The first date on or after ``date`` on which the kind occurs."""
    if kind == REVIEW:
        return date + dt.timedelta(days=(REVIEW_WEEKDAY - date.weekday()) % 7)
    return date


def in_pause(date: dt.date, paused_from: dt.date | None, paused_until: dt.date | None) -> bool:
    """Whether a date falls in the runner's pause (from ``paused_from``, open-ended without an end)."""
    if paused_from is None:
        return False
    return paused_from <= date and (paused_until is None or date <= paused_until)


def _skip_pause(kind: str, date: dt.date, paused_from: dt.date | None, paused_until: dt.date | None) -> dt.date:
    if paused_until is not None and in_pause(date, paused_from, paused_until):
        return _align(kind, paused_until + dt.timedelta(days=1))
    return date


def due_at(kind: str, date: dt.date, timezone: str, reminder: dt.time) -> dt.datetime | None:
    """The UTC due time of a periodic kind on a local date (None: no message of this kind)."""
    wall = wall_time(kind, reminder)
    return at_local(date, wall, timezone) if wall is not None else None


def first_due(
    kind: str,
    *,
    timezone: str,
    reminder: dt.time,
    now: dt.datetime,
    not_before: dt.date | None = None,
    paused_from: dt.date | None = None,
    paused_until: dt.date | None = None,
) -> tuple[dt.date, dt.datetime] | None:
    """The next occurrence of a periodic kind after ``now``: its local date and UTC due time.

    ``not_before`` is the first date still owed (the day after the last one sent); dates inside a
    pause with a known end are skipped. None when the runner gets no message of this kind.
    """
    now = _aware(now)
    wall = wall_time(kind, reminder)
    if wall is None:
        return None
    date = _align(kind, local_now(now, timezone).date())
    while at_local(date, wall, timezone) <= now:
        date += dt.timedelta(days=_step(kind))
    if not_before is not None and date < not_before:
        date = _align(kind, not_before)
    date = _skip_pause(kind, date, paused_from, paused_until)
    return date, at_local(date, wall, timezone)


def next_due(
    kind: str,
    after: dt.date,
    *,
    timezone: str,
    reminder: dt.time,
    now: dt.datetime,
    paused_from: dt.date | None = None,
    paused_until: dt.date | None = None,
) -> tuple[dt.date, dt.datetime] | None:
    """The occurrence that follows the one for local date ``after`` (sent or dropped).

    Occurrences whose time to be useful has already passed are skipped, so a bot that was down
    for a week does not walk through every missed day; the result may still be due (a missed
    prompt of today, before the evening), in which case the dispatcher sends it at once.
    """
    now = _aware(now)
    wall = wall_time(kind, reminder)
    if wall is None:
        return None
    step = dt.timedelta(days=_step(kind))
    date = _align(kind, after + dt.timedelta(days=1))
    horizon = local_now(now, timezone).date() - dt.timedelta(days=CATCH_UP_DAYS)
    if date < horizon:
        date = _align(kind, horizon)
    while True:
        date = _skip_pause(kind, date, paused_from, paused_until)
        due = at_local(date, wall, timezone)
        if deadline(kind, date, due, timezone) > now:
            return date, due
        date += step


def deadline(kind: str, local_date: dt.date, due: dt.datetime, timezone: str) -> dt.datetime:
    """Until when (exclusive, UTC) a message is still worth sending late.

    A prompt: the same day before the 19:00 nudge (a prompt at an evening reminder time, within
    half an hour). A nudge, a ``later``, a niggle's morning check or a feed's refresh: the same day before 22:00. A
    review: until 22:00 of the next day. A pain check: within two days.
    """
    if kind == PROMPT:
        return max(at_local(local_date, NUDGE_TIME, timezone), due + PROMPT_GRACE)
    if kind in (NUDGE, LATER, NIGGLE_MORNING, FEED_REFRESH, PAUSE_START):
        return at_local(local_date, QUIET_HOURS.start, timezone)
    if kind == REVIEW:
        return at_local(local_date + dt.timedelta(days=1), QUIET_HOURS.start, timezone)
    if kind == PAIN_CHECK:
        return due + PAIN_CHECK_WINDOW
    raise ValueError(f"unknown kind {kind!r}")


def decide(
    kind: str,
    *,
    local_date: dt.date,
    due: dt.datetime,
    now: dt.datetime,
    timezone: str,
    paused_from: dt.date | None = None,
    paused_until: dt.date | None = None,
) -> Decision:
    """What to do with a message that is due at ``now``: send it, drop it, or wait out quiet hours."""
    now = _aware(now)
    if in_pause(local_date, paused_from, paused_until):
        return DROP
    end = deadline(kind, local_date, due, timezone)
    if now >= end:
        return DROP
    local = local_now(now, timezone)
    if not is_quiet(local.time()):
        return SEND
    if kind == PROMPT and is_quiet(due.astimezone(zone(timezone)).time()):
        return SEND  # the runner chose a reminder time inside quiet hours
    resume = at_local(QUIET_HOURS.over_at(local), QUIET_HOURS.end, timezone)
    return Decision(Verdict.DEFER, resume) if resume < end else DROP
