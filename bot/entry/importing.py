"""`coach import FILE`: a runner's ``/export`` file brought into this bot's database, with the same
plan and history, so a runner can move between bots.

A file that is not an export, of another format, or of a runner already here is refused with one
line on stderr saying why, and nothing is written.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.app import prepare_database
from bot.clock import SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, session_factory
from bot.db.storage import new_database_line
from bot.db.uow import unit_of_work_factory
from bot.services.archive import ArchiveRefused, parse_export
from bot.services.runner_data import RunnerData

MAX_EXPORT_BYTES = 50 * 1024 * 1024  # Telegram's largest document; a year of coaching is far less

REFUSED = {
    "not_json": "not JSON: an export is the .json file /export sends",
    "not_export": 'not an export of this coach (no "kind": "runner-strength-coach export")',
    "format": "export format {detail}: this coach reads format 1; import it with the coach that wrote it",
    "no_runner": "holds no runner: an export made after /delete is empty",
    "runner_exists": (
        "runner {detail} (Telegram id) is already in this database: nothing imported. "
        "They can send /delete here first, or this is not the database you meant"
    ),
    "unknown_tables": "holds tables this database has no place for ({detail}): run `coach migrate`, or a newer coach",
    "unknown_columns": "holds columns this database has no place for ({detail}): run `coach migrate`, or a newer coach",
    "other_runner": "mixes in another runner's rows ({detail}): not an export as /export writes it",
}


async def import_file(settings: Settings, raw: bytes) -> tuple[int, dict[str, int]]:
    """Bring the export in; the runner's Telegram id and the rows of each table imported."""
    if new := new_database_line(settings.database_url):
        print(new, file=sys.stderr)
    if settings.database_url.startswith("sqlite"):
        await prepare_database(settings.database_url)  # as `coach run` does; PostgreSQL: `coach migrate`
    engine = create_engine(settings.database_url)
    try:
        data = RunnerData(unit_of_work_factory(session_factory(engine)), SystemClock())
        telegram_id = await data.import_export(raw)
    finally:
        await engine.dispose()
    return telegram_id, {table: len(rows) for table, rows in parse_export(raw).items() if rows}


def import_once(settings: Settings, path: Path) -> int:
    """The command: the file imported and one line saying what came in, or why not (exit 2)."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    if len(raw) > MAX_EXPORT_BYTES:
        print(f"{path}: larger than 50 MB, too large to be an export", file=sys.stderr)
        return 2
    try:
        telegram_id, counts = asyncio.run(import_file(settings, raw))
    except ArchiveRefused as refused:
        print(f"{path}: {REFUSED.get(refused.reason, refused.reason).format(detail=refused.detail)}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{count} {table}" for table, count in sorted(counts.items()))
    print(f"imported runner {telegram_id}: {rows}")
    return 0
