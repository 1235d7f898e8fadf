"""The update brief: what the gates in front of every update need to know about its sender, read
once per update in one small query (two while onboarding or a question is open).

Every gate (heard, onboarding, an open setting, a /race or /calendar question) and the everyday
questions read it from the update's context instead of each asking the database again. It lives
for one update only: nothing of it is kept across updates, so another process changing the runner
(a /delete, a setting) is seen by the next update here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.services.accounts import RunnerBrief
from bot.services.rhythm import HEARD_EVERY


@dataclass(frozen=True, slots=True)
class UpdateBrief:
    """The sender as stored when their update arrived."""

    runner: RunnerBrief | None  # None: they never finished /start's first step
    # onboarding's answers so far, or an onboarded runner's open setting, /race or /calendar
    # question; empty (and not read) for an onboarded runner with nothing open
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def onboarded(self) -> bool:
        return self.runner is not None and self.runner.onboarded

    def heard_due(self, now: dt.datetime) -> bool:
        """Whether a tap, text or command now changes the stored last-heard time (an onboarded
        runner not heard from within the hour): only then is it written."""
        if self.runner is None or not self.runner.onboarded:
            return False  # finishing onboarding stores it
        last = self.runner.last_heard_at
        return last is None or not dt.timedelta(0) <= now - last < HEARD_EVERY


class BriefSource(Protocol):
    """Reads an update's sender as stored (``bot.db.briefs`` over SQLAlchemy Core)."""

    async def __call__(self, telegram_id: int) -> UpdateBrief: ...
