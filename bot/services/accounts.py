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
    profile: Profile | None
    onboarded_at: dt.datetime | None
    state: TrainingState

    @property
    def onboarded(self) -> bool:
        """Whether the runner finished onboarding (see :meth:`as_onboarded` for the typed view)."""
        return self.onboarded_at is not None

    def as_onboarded(self) -> OnboardedRunner | None:
        """The runner as :class:`OnboardedRunner`, or None before onboarding finished (no profile,
        zone or reminder time yet)."""
        if self.onboarded_at is None or self.profile is None or self.timezone is None or self.reminder_time is None:
            return None
        return OnboardedRunner(
            id=self.id,
            telegram_id=self.telegram_id,
            chat_id=self.chat_id,
            first_name=self.first_name,
            timezone=self.timezone,
            reminder_time=self.reminder_time,
            active=self.active,
            paused_until=self.paused_until,
            paused_from=self.paused_from,
            profile=self.profile,
            onboarded_at=self.onboarded_at,
            state=self.state,
        )


@dataclass(frozen=True, slots=True)
class OnboardedRunner:
    """A runner who finished onboarding: everything planning and scheduling need is there, so no
    field is optional but the pause. The use cases that need a plan take this, never a
    :class:`RunnerAccount`; :meth:`RunnerAccount.as_onboarded` is the one place that checks."""

    id: int
    telegram_id: int
    chat_id: int
    first_name: str
    timezone: str
    reminder_time: dt.time
    active: bool
    paused_until: dt.date | None
    paused_from: dt.date | None
    profile: Profile
    onboarded_at: dt.datetime
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
    onboarded_at: dt.datetime | None = None  # when onboarding finished: no session before that day
    last_heard_at: dt.datetime | None = None  # their last tap, text or command (to the hour)
    lifting_prompts_only: bool = False  # the setting: no prompts on mobility days
    review_chart: bool = False  # the setting: the weekly review carries /history's chart

    @property
    def schedulable(self) -> bool:
        """Whether the runner gets messages at all (active, set up, with a zone and a reminder
        time): ``ScheduleSettings.schedulable``, read from the brief."""
        return self.active and self.onboarded and self.timezone is not None and self.reminder_time is not None


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
