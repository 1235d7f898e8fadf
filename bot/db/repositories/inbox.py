"""The inbox of updates (``inbox``): stored before handling, claimed by one process, marked handled.

Every write here is one statement. Instants are the caller's (``bot.services.inbox`` passes the
wall clock, not the coach's calendar clock): a lease is about real seconds between processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from bot.db.models import InboxRow
from bot.db.repositories.base import Repository
from bot.services.inbox_rows import Incoming


class InboxRepository(Repository):
    """The inbox table, keyed by Telegram's update_id."""

    def _insert(self) -> Any:
        return postgresql.insert if self._session.get_bind().dialect.name == "postgresql" else sqlite.insert

    async def store(self, updates: Sequence[Incoming], now: dt.datetime) -> None:
        """Store updates not stored yet (one INSERT ... ON CONFLICT DO NOTHING); stored ones stay as they are."""
        if not updates:
            return
        rows = [
            {"update_id": u.update_id, "user_id": u.user_id, "payload": u.payload, "received_at": now} for u in updates
        ]
        await self._session.execute(self._insert()(InboxRow).values(rows).on_conflict_do_nothing())

    async def claim(self, incoming: Incoming, worker: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take the update for ``worker`` until ``now + lease``; False if it was handled already, is
        leased to another process, or an earlier update of the same runner is still to be handled
        (kept in order: that one goes first). Stores it if it was not stored yet. One statement."""
        earlier = aliased(InboxRow)
        waiting = exists().where(
            earlier.user_id == incoming.user_id,
            earlier.update_id < incoming.update_id,
            earlier.handled_at.is_(None),
        )
        free = or_(InboxRow.lease_until.is_(None), InboxRow.lease_until < now, InboxRow.claimed_by == worker)
        values = {
            "update_id": incoming.update_id,
            "user_id": incoming.user_id,
            "payload": incoming.payload,
            "received_at": now,
            "claimed_by": worker,
            "lease_until": now + lease,
        }
        stmt = self._insert()(InboxRow).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[InboxRow.update_id],
            set_={"claimed_by": stmt.excluded.claimed_by, "lease_until": stmt.excluded.lease_until},
            where=and_(InboxRow.handled_at.is_(None), free, ~waiting),
        ).returning(InboxRow.update_id)
        return (await self._session.scalar(stmt)) is not None

    async def done(self, update_id: int, now: dt.datetime) -> None:
        """Mark the update handled and drop its payload (the runner's words); the id stays for dedup."""
        await self._session.execute(
            update(InboxRow)
            .where(InboxRow.update_id == update_id)
            .values(handled_at=now, payload=null(), claimed_by=None, lease_until=None)  # SQL NULL, not JSON null
        )

    async def pending(self, worker: str, now: dt.datetime, limit: int) -> list[dict[str, Any]]:
        """Payloads of stored updates not handled and not leased to another process, oldest first."""
        free = or_(InboxRow.lease_until.is_(None), InboxRow.lease_until < now, InboxRow.claimed_by == worker)
        stmt = (
            select(InboxRow.payload)
            .where(InboxRow.handled_at.is_(None), free)
            .order_by(InboxRow.update_id)
            .limit(limit)
        )
        return [payload for payload in (await self._session.scalars(stmt)).all() if payload is not None]

    async def prune(self, before: dt.datetime) -> int:
        """Forget updates handled before ``before``; how many rows went."""
        result = await self._session.execute(delete(InboxRow).where(InboxRow.handled_at < before))
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget(self, telegram_id: int) -> bool:
        """Delete every row of the runner with this Telegram id, pending ones (with their words) too."""
        result = await self._session.execute(delete(InboxRow).where(InboxRow.user_id == telegram_id))
        return bool(getattr(result, "rowcount", 0))
