"""A runner's calendar feed: the link they gave, kept to be read again every day.

:class:`FeedSource` is what is stored (``calendar_sources``: one row a runner), :class:`CalendarSources`
the repository port the services use (``bot.db.repositories.sources`` on SQLAlchemy,
``tests/fakes.py`` in memory). The link is a secret for logging: it can carry a private token of
the runner's training platform, so it is never logged and never shown in a ``repr``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

MAX_URL = 2048


@dataclass(frozen=True, slots=True)
class FeedSource:
    """The feed link, the fingerprint of the run days last read from it, when it was last read
    well, and how many daily reads in a row have failed since."""

    url: str = field(repr=False)
    digest: str | None = None
    fetched_at: dt.datetime | None = None
    failures: int = 0


class CalendarSources(Protocol):
    """The runners' calendar feeds, keyed by Telegram id (by internal id for the dispatcher's batches)."""

    async def get(self, telegram_id: int) -> FeedSource | None: ...

    async def of_runners(self, runner_ids: Sequence[int]) -> dict[int, FeedSource]:
        """The feeds of many runners, by internal id; runners without one are absent."""
        ...

    async def put(self, telegram_id: int, url: str, digest: str, now: dt.datetime) -> None:
        """Store (or replace) the runner's feed, read well at ``now``."""
        ...

    async def record(self, telegram_id: int, *, digest: str | None, failures: int, now: dt.datetime) -> None:
        """After a daily read: a new fingerprint (None: a failed read, the old one kept) and the
        failures in a row; a good read also stamps ``fetched_at``."""
        ...

    async def remove(self, telegram_id: int) -> bool:
        """Forget the runner's feed; False when there was none."""
        ...
