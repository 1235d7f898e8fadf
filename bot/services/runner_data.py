"""The runner's own data as use cases: their history (``/history``, ``/stats``), everything stored
about them as files (``/export``), and an export brought in from another bot (``coach import``).

Like :class:`~bot.services.usecases.Coach`, each method opens its own unit of work and commits when
it changed something; the factory must make units of work that can dump and load a runner whole
(``bot.services.archive.ArchiveWork``; ``bot.db.uow`` makes them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.clock import Clock
from bot.services.archive import ArchiveWork, Rows, checkins_csv, export_json, is_empty, parse_export
from bot.services.history import History, history


@dataclass(frozen=True, slots=True)
class Export:
    """The two files of ``/export``; ``empty`` when nothing at all is stored about the runner."""

    json: bytes
    csv: bytes
    empty: bool


@dataclass(frozen=True)
class RunnerData:
    uow: Callable[[], ArchiveWork]
    clock: Clock

    async def history(self, telegram_id: int) -> History | None:
        """The runner's last weeks (None before onboarding); a read."""
        now = self.clock.now()
        async with self.uow() as work:
            return await history(work, telegram_id, now)

    async def export(self, telegram_id: int) -> Export:
        """Everything stored about the runner as JSON, and their check-ins as CSV; a read."""
        async with self.uow() as work:
            tables = await work.archive.dump(telegram_id)
        return Export(export_json(tables), checkins_csv(tables), is_empty(tables))

    async def import_export(self, raw: bytes) -> int:
        """Bring a runner in from an export file; their Telegram id. Raises
        :class:`~bot.services.archive.ArchiveRefused` for a file that is not an export, and for a
        runner who is here already; nothing is written then."""
        tables: Rows = parse_export(raw)
        async with self.uow() as work:
            telegram_id = await work.archive.load(tables)
            await work.commit()
        return telegram_id
