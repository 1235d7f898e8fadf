"""The runners' calendar feeds (``calendar_sources``): one row a runner, its URL never logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select

from bot.db.models import CalendarSourceRow
from bot.db.repositories.base import Repository, aware
from bot.services.feed_sources import MAX_URL, FeedSource


def _source(row: CalendarSourceRow) -> FeedSource:
    return FeedSource(row.url, row.digest, row.fetched_at, row.failures)


class SourceRepository(Repository):
    """Each runner's calendar feed: stored on Confirm, read and stamped by the daily refresh."""

    async def _row(self, telegram_id: int) -> CalendarSourceRow | None:
        return await self._session.get(CalendarSourceRow, await self._runner_id(telegram_id))

    async def get(self, telegram_id: int) -> FeedSource | None:
        row = await self._row(telegram_id)
        return _source(row) if row is not None else None

    async def of_runners(self, runner_ids: Sequence[int]) -> dict[int, FeedSource]:
        if not runner_ids:
            return {}
        rows = await self._session.scalars(
            select(CalendarSourceRow).where(CalendarSourceRow.runner_id.in_(list(runner_ids)))
        )
        return {row.runner_id: _source(row) for row in rows}

    async def put(self, telegram_id: int, url: str, digest: str, now: dt.datetime) -> None:
        if len(url) > MAX_URL:
            raise ValueError(f"a feed URL is at most {MAX_URL} characters")
        at = aware(now)
        row = await self._row(telegram_id)
        if row is None:
            runner_id = await self._runner_id(telegram_id)
            row = CalendarSourceRow(runner_id=runner_id, url=url, created_at=at)
            self._session.add(row)
        row.url, row.digest, row.fetched_at, row.failures = url, digest, at, 0
        await self._session.flush()

    async def record(self, telegram_id: int, *, digest: str | None, failures: int, now: dt.datetime) -> None:
        row = await self._row(telegram_id)
        if row is None:
            return
        row.failures = failures
        if digest is not None:
            row.digest, row.fetched_at = digest, aware(now)
        await self._session.flush()

    async def remove(self, telegram_id: int) -> bool:
        runner_id = await self._runner_id(telegram_id)
        result = await self._session.execute(delete(CalendarSourceRow).where(CalendarSourceRow.runner_id == runner_id))
        return bool(getattr(result, "rowcount", 0))
