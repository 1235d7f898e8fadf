"""A quieter rhythm for a runner who stopped answering (issue 20, point 10).

Silence is read from what is stored: ``runners.last_heard_at``, written (at most once an hour) by
every tap, text or command the runner sends. After two silent weeks the dispatcher sends the
session prompts only (no evening nudges); after four, one message a week (the weekly review, which
carries next week's plan and asks whether they are still lifting). Any answer restores the full
rhythm at once, since it moves ``last_heard_at``. Apart from silence, a runner may keep only the
lifting days' prompts (the ``/settings`` choice ``lifting_prompts_only``): no mobility-day prompts.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from bot.coach.model import DayPlan
from bot.services.accounts import RunnerBrief
from bot.services.schedule import DueKind

HEARD_EVERY = dt.timedelta(hours=1)  # how stale the stored "last heard" may get before it is written
PROMPTS_ONLY_AFTER = dt.timedelta(weeks=2)
WEEKLY_AFTER = dt.timedelta(weeks=4)


class Rhythm(StrEnum):
    FULL = "full"  # prompts, nudges, reviews and follow-ups
    PROMPTS = "prompts"  # two silent weeks: the session prompts and the weekly review, no nudges
    WEEKLY = "weekly"  # four silent weeks: the weekly review only


def rhythm(brief: RunnerBrief, now: dt.datetime) -> Rhythm:
    """The runner's rhythm at ``now`` from the last time they were heard from (never heard: full)."""
    if brief.last_heard_at is None:
        return Rhythm.FULL
    silent = now - brief.last_heard_at
    if silent >= WEEKLY_AFTER:
        return Rhythm.WEEKLY
    return Rhythm.PROMPTS if silent >= PROMPTS_ONLY_AFTER else Rhythm.FULL


def keeps(brief: RunnerBrief, kind: DueKind, day: DayPlan | None, now: dt.datetime) -> bool:
    """Whether a due message of ``kind`` (about ``day``, for the daily kinds) still goes out."""
    if kind == DueKind.NUDGE:
        return rhythm(brief, now) is Rhythm.FULL
    if kind == DueKind.PROMPT:
        return keeps_prompt(brief, day is not None and day.session.kind.is_lifting, now)
    return True


def keeps_prompt(brief: RunnerBrief, lifting: bool, now: dt.datetime) -> bool:
    """``keeps`` for a session prompt, told only whether the day's session is a lift (a stored
    day's facts say it without decoding the day)."""
    return rhythm(brief, now) is not Rhythm.WEEKLY and (lifting or not brief.lifting_prompts_only)
