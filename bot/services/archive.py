"""A runner's data as a file: the export format (``/export``, ``coach import``) and the port that
reads and writes it.

An export is one JSON document: ``{"format": 1, "kind": KIND, "tables": {table: [row, ...]}}``,
every row of every table about one runner with their internal ids left out (``bot.db.archive``
fills it from the schema). The same document, read back by :func:`parse_export`, re-creates the
runner in another bot's database with the same plan and history. The check-ins also go out as a
CSV, one row per session, for a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any, Protocol

from bot.services.ports import UnitOfWork

FORMAT = 1  # raise it when a change to the document would mislead an older reader
KIND = "runner-strength-coach export"
CSV_COLUMNS = ("date", "session", "status", "effort", "soreness", "pain", "niggle answers", "note")

Rows = dict[str, list[dict[str, Any]]]
"""Table name -> rows, each a column -> JSON value mapping."""


class ArchiveRefused(Exception):
    """A file that cannot be imported: ``reason`` says why (a key of ``bot.entry.importing``'s
    messages), ``detail`` what it concerns."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Archive(Protocol):
    async def dump(self, telegram_id: int) -> Rows:
        """Every row about the runner, table by table; empty lists when nothing is stored."""
        ...

    async def load(self, tables: Rows) -> int:
        """Insert an export's rows; the runner's Telegram id. Raises :class:`ArchiveRefused` for
        rows this schema has no place for, or a runner who is here already."""
        ...


class ArchiveWork(UnitOfWork, Protocol):
    """A unit of work that can also dump and load a runner whole (``bot.db.uow`` is one)."""

    @property
    def archive(self) -> Archive: ...


def export_json(tables: Rows) -> bytes:
    """The export document, the same text for the same rows."""
    document = {"format": FORMAT, "kind": KIND, "tables": tables}
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def is_empty(tables: Rows) -> bool:
    return not any(tables.values())


def parse_export(raw: bytes) -> Rows:
    """The tables of an export file; :class:`ArchiveRefused` for anything that is not one."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ArchiveRefused("not_json") from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise ArchiveRefused("not_export")
    if document.get("format") != FORMAT:
        raise ArchiveRefused("format", str(document.get("format")))
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(row, dict) for row in rows) for rows in tables.values()
    ):
        raise ArchiveRefused("not_export")
    return tables


def checkins_csv(tables: Rows) -> bytes:
    """The check-ins as CSV: one row per session, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in sorted(tables.get("checkins", []), key=lambda r: str(r.get("date"))):
        writer.writerow(
            (
                row.get("date"),
                row.get("session_kind"),
                row.get("status"),
                _blank(row.get("rpe")),
                _blank(row.get("soreness")),
                _blank(row.get("pain_area")),
                _answers(row.get("niggles")),
                _blank(row.get("note")),
            )
        )
    return out.getvalue().encode("utf-8")


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _answers(niggles: Mapping[str, Any] | None) -> str:
    """A check-in's niggle answers ("knee=ok; morning:knee=worse")."""
    return "; ".join(f"{area}={answer}" for area, answer in sorted((niggles or {}).items()))
