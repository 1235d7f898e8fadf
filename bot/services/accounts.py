"""What the services see of a runner and their check-ins: plain frozen types the repositories fill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from bot.coach.model import (
    BodyArea,
    Profile,
    SessionKind,
    TrainingState,
)

CheckinStatus = Literal["done", "partial", "skipped", "swapped", "later"]
CHECKIN_STATUSES: tuple[CheckinStatus, ...] = get_args(CheckinStatus)


@dataclass(frozen=True, slots=True)
class RunnerAccount:
    """A runner as the services see them: identity, delivery settings, profile and state.

    ``profile`` is None until onboarding has finished; ``reminder_time`` is a wall time in
    ``timezone``; ``paused_from`` is set while a pause runs (``paused_until`` is its last day,
    or None for an open-ended pause); ``state`` is the default ``TrainingState()`` until a weekly
    review saved one.
    """

    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    timezone: str | None
    reminder_time: dt.time | None
    active: bool
    paused_until: dt.date | None
    paused_from: dt.date | None
    onboarded: bool
    profile: Profile | None
    onboarded_at: dt.datetime | None
    state: TrainingState


@dataclass(frozen=True, slots=True)
class RunnerBrief:
    """A runner's identity and delivery settings without their calendar: one cheap query, enough
    to answer most everyday questions from the stored plan."""

    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    timezone: str | None
    reminder_time: dt.time | None
    active: bool
    paused_until: dt.date | None
    paused_from: dt.date | None
    onboarded: bool
    shown_date: dt.date | None = None
    shown_at: dt.datetime | None = None
    niggles: frozenset[BodyArea] = frozenset()  # the areas the runner asked to work around


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    """How the session of one date went, as the runner reported it."""

    date: dt.date
    session_kind: SessionKind
    status: CheckinStatus
    rpe: int | None
    soreness: str | None
    pain_area: BodyArea | None
    note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    # per niggle area the session loaded: True when the pain-monitoring rule held (at most 3/10
    # during, no worse than usual the next morning), False when it flared up
    niggles: Mapping[BodyArea, bool] = field(default_factory=dict)
    # per niggle area, the next morning's answer: True back to usual, False worse (N4)
    mornings: Mapping[BodyArea, bool] = field(default_factory=dict)
    # the strength test the session held (N5): its exercise id and the count the runner gave
    test: tuple[str, int] | None = None
