"""Plain records the repositories hand the services, besides the runner's account and check-ins
(:mod:`bot.services.accounts`): the scheduler's rows, and the errors and markers of the ports.

They live beside the services, so ``bot/db`` depends on the services and never the reverse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import TypedDict

from pydantic import BaseModel, ConfigDict

from bot.services.schedule import DueKind


class UnknownRunner(LookupError):
    """No runner has this Telegram id (``runners.ensure`` was never called for them)."""

    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"no runner with telegram id {telegram_id}")
        self.telegram_id = telegram_id


class SendUnsure(Exception):
    """The send failed after the request went out (a timeout, a reset): Telegram may have taken it.
    The Bot API cannot be asked, so the dispatcher sends it again at most once."""


class Unavailable(Exception):
    """The database cannot be reached (or is locked past the busy timeout); nothing was stored."""


class Unset(Enum):
    UNSET = "unset"


UNSET = Unset.UNSET
"""Marks a ``set_settings``/``set_details`` argument that was not given (``None`` is a real value there)."""


class SettingsChange(TypedDict, total=False):
    """``write_settings``' keywords, for what passes them on as they are (``set_settings``)."""

    timezone: str | Unset | None
    reminder_time: dt.time | Unset | None
    active: bool | Unset
    paused_until: dt.date | Unset | None
    paused_from: dt.date | Unset | None
    now: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DueRecord:
    """One due message as stored: the next message of ``kind`` for ``local_date``, due at ``due_at``."""

    runner_id: int
    kind: DueKind
    due_at: dt.datetime
    local_date: dt.date
    detail: str | None


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """What decides when a runner's messages are due, read in one go for a whole batch."""

    runner_id: int
    telegram_id: int
    chat_id: int
    timezone: str | None
    reminder_time: dt.time | None
    active: bool
    onboarded: bool
    paused_from: dt.date | None
    paused_until: dt.date | None

    @property
    def schedulable(self) -> bool:
        """Whether the runner gets messages at all (active, set up, with a zone and a reminder time)."""
        return self.active and self.onboarded and self.timezone is not None and self.reminder_time is not None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One message the coach sent: to which runner, for which of their local dates, of which kind."""

    runner_id: int
    date: dt.date
    kind: DueKind
    sent_at: dt.datetime
    message_id: int | None


class DeliveryState(StrEnum):
    """Where a delivery stands: attempted (stored before the send), confirmed, or given up unsure."""

    SENDING = "sending"  # stored before the send; Telegram's answer is not (yet) stored
    SENT = "sent"  # confirmed: Telegram answered with the message id
    UNSURE = "unsure"  # never confirmed after its one re-send: it may have arrived; nothing more is sent


@dataclass(frozen=True, slots=True)
class Delivered:
    """What is stored of one (runner, local date, kind): its state and the sends that may have arrived."""

    state: DeliveryState
    attempts: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """A send about to be made, stored first: ``before`` is how many sends before it may have
    arrived (0 for a first send, 1 to re-send one never confirmed); storing it succeeds only if
    that is still so, so two dispatchers cannot both make the same attempt."""

    runner_id: int
    date: dt.date
    kind: DueKind
    at: dt.datetime
    before: int = 0

    @property
    def key(self) -> tuple[int, dt.date, DueKind]:
        return (self.runner_id, self.date, self.kind)


@dataclass(frozen=True, slots=True)
class Advance:
    """Move a claimed row on to its next occurrence (``date``/``due`` None: delete it)."""

    runner_id: int
    kind: DueKind
    claimed_date: dt.date
    claimed_due: dt.datetime
    date: dt.date | None
    due: dt.datetime | None


class ReviewPayload(BaseModel):
    """A week's review as stored: the week in numbers, the rules that applied and what the message asks.

    Stored as ``model_dump(mode="json")`` and read back with ``model_validate``. The fields added
    after the first reviews were stored have defaults, so those rows still read; keys this version
    does not know are ignored.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    week_start: dt.date
    rules: tuple[str, ...]
    key: str
    planned: int
    done: int
    partial: int
    mean_rpe: float | None = None
    very_sore: int
    pain: tuple[str, ...]  # body area values, sorted
    silent: bool = False
    ask_still_lifting: bool = False
    step_before: int
    step_after: int
    deload_next: bool = False
    eased_next: bool = False
    step_later: bool = False
    offer_lighter: bool = False  # A3 twice in a row: one tap for one session fewer and shorter sessions
    niggles_down: tuple[str, ...] = ()  # niggle areas that moved back a rung (N4)
    niggles_ask: tuple[str, ...] = ()  # niggle areas asked "vs last week" (N4)
    ask_level_up: bool = False
    level: str | None = None  # the runner's strength level when the week was reviewed
    # what the week's tip must fit: areas with a niggle or pain, lifts done lately, weeks coached
    areas: tuple[str, ...] = ()
    lifts_done: int = 0  # lifts done or partly done in the last eight weeks
    weeks_coached: int = 0


@dataclass(frozen=True, slots=True)
class SweepLag:
    """How late one batch of a dispatcher sweep sent its messages: seconds from each message's due
    time to its send, the median and the most, over ``sent`` messages, measured ``at``."""

    at: dt.datetime
    sent: int
    p50_s: float
    max_s: float
