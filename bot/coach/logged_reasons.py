"""Reasons that speak of what already happened, worded from what was logged.

The planner writes a day's reason from the plan ("You lifted yesterday, so today is mobility"); the
stored plan stays the record of what was prescribed. When the day before has a check-in that makes
such a reason untrue (the lift was skipped, or swapped for mobility), the reason is worded from the
check-in when the day is shown: computed at render time, never stored, so the plan itself is not
re-planned behind the runner's back. Pure: the caller reads the check-ins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.coach.model import DayPlan, Reason
from bot.coach.vocabulary import ReasonKey

DAY = dt.timedelta(days=1)
# a reason about the day before, by what was logged for that day -> the reason as it happened
AS_LOGGED = {
    ReasonKey.MOBILITY_AFTER_LIFT: {
        "skipped": ReasonKey.MOBILITY_AFTER_SKIP,
        "swapped": ReasonKey.MOBILITY_AFTER_SWAP,
    },
}


def speaks_of_yesterday(day: DayPlan) -> bool:
    """Whether the day's reason claims something about the day before it."""
    return day.session.reason.key in AS_LOGGED


def as_logged(day: DayPlan, before: str | None) -> DayPlan:
    """``day`` with its reason true to ``before``, the status logged for the day before (None: none yet)."""
    key = day.session.reason.key
    worded = AS_LOGGED[key].get(before or "") if key in AS_LOGGED else None
    return day if worded is None else replace(day, session=replace(day.session, reason=Reason(worded)))
