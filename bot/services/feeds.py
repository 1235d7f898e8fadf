"""The live calendar feed of the plan: a private, revocable link per runner, and what it serves.

A link holds a random token (``secrets.token_urlsafe``, 256 bits); only its SHA-256 is stored, and a
request is looked up by that hash, so neither a database leak nor a timing difference gives a link
away. One live link per runner: a new one replaces the old, revoking deletes it, ``/delete`` too
(``bot.services.forget``). The feed is rendered from the stored plan on every request, so it follows
every re-plan; serving it is a read that writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from bot.clock import Clock
from bot.services.feed_rows import FeedDay, FeedPlan
from bot.services.ports import UnitOfWorkFactory

__all__ = ["HISTORY", "FeedDay", "FeedPlan", "Feeds", "token_hash"]

HISTORY = dt.timedelta(weeks=8)  # past sessions a feed still shows, so the calendar keeps recent weeks
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # what token_urlsafe(32) makes; anything else is unknown


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Feeds:
    """The feed's use cases, bound to the unit-of-work factory and the clock."""

    uow: UnitOfWorkFactory
    clock: Clock

    async def issue(self, telegram_id: int) -> str | None:
        """A new link's token for an onboarded runner (the old link stops working); None if they are
        not onboarded. The token is returned once and never stored."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self.uow() as work:
            brief = await work.runners.brief(telegram_id)
            if brief is None or not brief.onboarded:
                return None
            await work.feeds.replace(telegram_id, token_hash(token), self.clock.now())
            await work.commit()
        return token

    async def revoke(self, telegram_id: int) -> bool:
        """Revoke the runner's link (its URL then answers 404); False if there was none."""
        async with self.uow() as work:
            revoked = await work.feeds.revoke(telegram_id)
            await work.commit()
        return revoked

    async def feed(self, token: str) -> FeedPlan | None:
        """What the link with ``token`` serves; None for a token unknown, revoked or malformed. A read."""
        if not TOKEN_SHAPE.fullmatch(token):
            return None
        async with self.uow() as work:
            return await work.feeds.plan(token_hash(token), self._since())

    async def plan(self, telegram_id: int) -> FeedPlan | None:
        """The same calendar for the runner themself (sent as a file when there is no public URL);
        None unless they are onboarded. A read."""
        async with self.uow() as work:
            brief = await work.runners.brief(telegram_id)
            if brief is None or not brief.onboarded:
                return None
            return await work.feeds.plan_of(telegram_id, self._since())

    def _since(self) -> dt.date:
        return (self.clock.now() - HISTORY).date()
