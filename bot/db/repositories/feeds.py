"""The runners' calendar feed links (``calendar_feeds``) and the stored days a feed serves.

A token is looked up by its SHA-256 hash (an index lookup, no comparison of secrets in Python);
the raw token is never stored, so the table alone opens no feed.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import ColumnElement, Table, delete, select

from bot.coach.model import SessionKind
from bot.db.codec import day_from_json
from bot.db.models import CalendarFeedRow, PlanDayRow, Runner
from bot.db.repositories.base import Repository, aware
from bot.db.repositories.upserts import Upsert
from bot.services.feed_rows import FeedDay, FeedPlan

# a new link: its upsert compiled once per dialect (``bot.db.repositories.upserts``)
_REPLACE = Upsert(
    cast(Table, CalendarFeedRow.__table__),
    ("runner_id", "token_hash", "created_at"),
    keys=("runner_id",),
    update=("token_hash", "created_at"),
)


class FeedRepository(Repository):
    """One live feed token per runner, as its hash."""

    async def replace(self, telegram_id: int, token_hash: str, now: dt.datetime) -> None:
        runner_id = await self._runner_id(telegram_id)
        row = {"runner_id": runner_id, "token_hash": token_hash, "created_at": aware(now)}
        await self._on_connection(lambda connection: _REPLACE.run(connection, [row]))

    async def revoke(self, telegram_id: int) -> bool:
        return await self.forget(telegram_id)

    async def forget(self, telegram_id: int) -> bool:
        mine = select(Runner.id).where(Runner.telegram_id == telegram_id).scalar_subquery()
        result = await self._session.execute(delete(CalendarFeedRow).where(CalendarFeedRow.runner_id == mine))
        return bool(getattr(result, "rowcount", 0))

    async def plan(self, token_hash: str, since: dt.date) -> FeedPlan | None:
        runner_id = await self._session.scalar(
            select(CalendarFeedRow.runner_id).where(CalendarFeedRow.token_hash == token_hash)
        )
        return None if runner_id is None else await self._days(runner_id, since)

    async def plan_of(self, telegram_id: int, since: dt.date) -> FeedPlan | None:
        runner_id = await self._session.scalar(select(Runner.id).where(Runner.telegram_id == telegram_id))
        return None if runner_id is None else await self._days(runner_id, since)

    async def _days(self, runner_id: int, since: dt.date) -> FeedPlan:
        with_session: ColumnElement[bool] = PlanDayRow.session_kind != SessionKind.REST.value
        rows = await self._session.execute(
            select(PlanDayRow.payload, PlanDayRow.planned_at)
            .where(PlanDayRow.runner_id == runner_id, PlanDayRow.date >= since, with_session)
            .order_by(PlanDayRow.date)
        )
        return FeedPlan(runner_id, tuple(FeedDay(day_from_json(payload), aware(at)) for payload, at in rows.all()))
