"""The inbox of updates (``inbox``): stored before handling, claimed by one process, marked handled.

Every write here is one statement. Leases run on the database's clock, so processes whose clocks
disagree share them safely; other instants (received, handled) are the caller's wall clock.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, BigInteger, String, bindparam, delete, literal_column, or_, select, text

from bot.db.engine import database_now_sql, insert_for
from bot.db.models import AwareDateTime, InboxRow
from bot.db.repositories.base import Repository
from bot.services.inbox_rows import Incoming

# Written as SQL (the same on SQLite and PostgreSQL): SQLAlchemy cannot cache the compiled form of
# an INSERT ... ON CONFLICT DO UPDATE ... WHERE, and compiling it again for every update cost more
# than running it.
_CLAIM_SQL = """
    INSERT INTO inbox (update_id, user_id, payload, received_at, claimed_by, lease_until)
    VALUES (:update_id, :user_id, :payload, :now, :worker, {until})
    ON CONFLICT (update_id) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until
    WHERE inbox.handled_at IS NULL
      AND (inbox.lease_until IS NULL OR inbox.lease_until < {now} OR inbox.claimed_by = :worker)
      AND NOT EXISTS (
        SELECT 1 FROM inbox AS earlier
        WHERE earlier.user_id = :user_id AND earlier.update_id < :update_id AND earlier.handled_at IS NULL
      )
    RETURNING update_id
    """


def claim_params(incoming: Incoming, now: dt.datetime, worker: str) -> dict[str, Any]:
    """The values ``claim_statement`` takes for ``incoming``, claimed by ``worker`` at ``now``."""
    return {
        "update_id": incoming.update_id,
        "user_id": incoming.user_id,
        "payload": incoming.payload,
        "now": now,
        "worker": worker,
    }


@functools.cache
def claim_statement(dialect: str, lease: dt.timedelta) -> Any:
    """The claim for a dialect and lease, compiled once: leases run on the database's clock, so
    processes whose clocks disagree still see one another's leases as they are."""
    sql = _CLAIM_SQL.format(now=database_now_sql(dialect), until=database_now_sql(dialect, lease))
    return text(sql).bindparams(
        bindparam("update_id", type_=BigInteger()),
        bindparam("user_id", type_=BigInteger()),
        bindparam("payload", type_=JSON()),
        bindparam("now", type_=AwareDateTime()),
        bindparam("worker", type_=String()),
    )


# the marks of every update handled, in one statement (one trip to SQLite's thread, where an
# executemany takes three)
_MARK = "UPDATE inbox SET handled_at = :now, payload = NULL, claimed_by = NULL, lease_until = NULL WHERE update_id "
DONE = text(_MARK + "IN :update_ids").bindparams(
    bindparam("update_ids", type_=BigInteger(), expanding=True), bindparam("now", type_=AwareDateTime())
)
# the usual case, one mark (the update handled before this one): the same rows written, without the
# list SQLAlchemy expands into the statement's text on every execution (about a fifth of its cost)
DONE_ONE = text(_MARK + "= :update_id").bindparams(
    bindparam("update_id", type_=BigInteger()), bindparam("now", type_=AwareDateTime())
)


def mark_done(update_ids: Sequence[int], now: dt.datetime) -> tuple[Any, dict[str, Any]]:
    """The statement and parameters marking ``update_ids`` (at least one) handled at ``now``."""
    if len(update_ids) == 1:
        return DONE_ONE, {"update_id": update_ids[0], "now": now}
    return DONE, {"update_ids": list(update_ids), "now": now}


class InboxRepository(Repository):
    """The inbox table, keyed by Telegram's update_id."""

    def _insert(self) -> Any:
        return insert_for(self._dialect)

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
        (kept in order: that one goes first). Stores it if it was not stored yet; the order is kept
        for stored updates (the webhook and the polling loop store each update before claiming
        it), an update claimed unstored goes at once. One statement."""
        params = claim_params(incoming, now, worker)
        statement = claim_statement(self._dialect, lease)
        return (await self._session.scalar(statement, params)) is not None

    async def done(self, update_ids: Sequence[int], now: dt.datetime) -> None:
        """Mark the updates handled and drop their payloads (the runner's words); ids stay for dedup."""
        if update_ids:
            await self._session.execute(*mark_done(update_ids, now))

    async def pending(self, worker: str, now: dt.datetime, limit: int) -> list[dict[str, Any]]:
        """Payloads of stored updates not handled and not leased to another process, oldest first."""
        database_now: Any = literal_column(database_now_sql(self._dialect))
        free = or_(InboxRow.lease_until.is_(None), InboxRow.lease_until < database_now, InboxRow.claimed_by == worker)
        stmt = (
            select(InboxRow.payload)
            .where(InboxRow.handled_at.is_(None), free)
            # ``+ 0``: SQLite would otherwise walk the whole table in its row id order (``update_id``
            # is the row id there) rather than read the few waiting rows off ``ix_inbox_waiting``
            # and sort them (PostgreSQL reads that index either way)
            .order_by(InboxRow.update_id + 0)
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
