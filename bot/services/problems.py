"""Why a use case could not be applied: a value the edges render, never an exception."""

from __future__ import annotations

from enum import StrEnum


class Problem(StrEnum):
    """Why a check-in or command could not be applied; each has a short text in ui.yaml."""

    NOT_ONBOARDED = "not_onboarded"
    WEEK_CLOSED = "week_closed"
    FUTURE = "future_day"
    NO_SESSION = "no_session"
    BEFORE_JOINING = "before_joining"
    NOT_LIFTING = "not_lifting_today"
    NEED_STATUS = "need_status"
    ALREADY_PAUSED = "already_paused"
    NOT_PAUSED = "not_paused"
    PAST_DATE = "pause_past"
    FAR_DATE = "pause_far"
    TOO_LATE = "later_too_late"
    LATER_PASSED = "later_passed"  # the time a "Later" button offered has passed
    ALREADY_LOGGED = "already_logged"
