"""Weekly reviews: one per runner and week, written once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.db.engine import insert_ignore
from bot.db.models import (
    ReviewRow,
    Runner,
)
from bot.db.repositories.base import (
    Repository,
    aware,
)
from bot.services.records import ReviewPayload

# ---------------------------------------------------------------------------------------------
# weekly reviews


class ReviewRepository(Repository):
    """One weekly review per runner and week: written once, read again if it is sent again."""

    async def get(self, telegram_id: int, week_start: dt.date) -> ReviewPayload | None:
        payload: dict[str, Any] | None = await self._session.scalar(
            select(ReviewRow.payload)
            .join(Runner, Runner.id == ReviewRow.runner_id)
            .where(Runner.telegram_id == telegram_id, ReviewRow.week_start == week_start)
        )
        return ReviewPayload.model_validate(payload) if payload is not None else None

    async def add(
        self, telegram_id: int, week_start: dt.date, rule: str, payload: ReviewPayload, now: dt.datetime
    ) -> bool:
        """Store the review of a week; False (and nothing written) if that week was reviewed already."""
        runner_id = await self._runner_id(telegram_id)
        stored = payload.model_dump(mode="json")
        row = {"runner_id": runner_id, "week_start": week_start, "rule": rule, "payload": stored}
        return await insert_ignore(
            self._session, ReviewRow, {**row, "created_at": aware(now)}, keys=["runner_id", "week_start"]
        )

    async def recent(self, telegram_id: int, before: dt.date, count: int) -> list[ReviewPayload]:
        """The payloads of the ``count`` reviews of weeks starting before ``before``, newest first."""
        rows = await self._session.scalars(
            select(ReviewRow.payload)
            .join(Runner, Runner.id == ReviewRow.runner_id)
            .where(Runner.telegram_id == telegram_id, ReviewRow.week_start < before)
            .order_by(ReviewRow.week_start.desc())
            .limit(count)
        )
        return [ReviewPayload.model_validate(payload) for payload in rows]
