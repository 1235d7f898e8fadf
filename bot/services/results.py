"""The small values :class:`~bot.services.usecases.Coach` returns that no step of the services does:
how to read the runner's words, today's check, a resume, a level-up answer, the operators' stats and
what the gate in front of every update needs. ``bot.services.usecases`` re-exports them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.gaps import ReturnRule
from bot.coach.model import DayPlan, Level
from bot.services.accounts import CheckinRecord, OnboardedRunner
from bot.services.health import Outcome
from bot.services.reading import Shown
from bot.services.records import SweepLag


@dataclass(frozen=True, slots=True)
class Reading:
    """How to read the runner's words: their own today, and whether they write the day first."""

    today: dt.date
    day_first: bool | None


@dataclass(frozen=True, slots=True)
class TodayCheck:
    """Today's session as the runner stands, and what they logged for it (illness, soreness)."""

    shown: Shown
    day: DayPlan
    checkin: CheckinRecord | None


@dataclass(frozen=True, slots=True)
class Resumed:
    account: OnboardedRunner
    day: DayPlan  # today's session after the pause
    rule: ReturnRule = ReturnRule.SHORT  # what the break's length changed


@dataclass(frozen=True, slots=True)
class LevelAnswer:
    outcome: Outcome
    level: Level
    shown: Shown | None = None  # the weeks re-planned at the new level


@dataclass(frozen=True, slots=True)
class Stats:
    runners: int
    onboarded: int
    active: int
    paused: int
    since: dt.datetime
    sent: dict[str, int]
    lag: SweepLag | None = None  # how late the latest batch of prompts went out (any process)
