"""Migration 0004 turns each stored single equipment value into a kit (a list of items, 'none' the
empty one) and back on downgrade, on SQLite and PostgreSQL, so runners who signed up before
equipment became a set keep what they had."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String, Time, bindparam, text

from bot.coach.model import Equipment
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import downgrade, upgrade
from bot.db.models import AwareDateTime
from bot.db.uow import unit_of_work_factory

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
SINGLE = {101: "dumbbells", 102: "none", 103: "gym", 104: "bands"}


TYPES = {"empty": JSON(), "reminder": Time(), "now": AwareDateTime(), "kit": JSON(), "equipment": String()}


async def _execute(url: str, sql: str, **params: Any) -> list[Any]:
    statement = text(sql).bindparams(*(bindparam(name, type_=TYPES[name]) for name in params if name in TYPES))
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(statement, params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def _insert_runners_at_0003(url: str) -> None:
    for telegram_id, equipment in SINGLE.items():
        await _execute(
            url,
            "INSERT INTO runners (telegram_id, chat_id, first_name, strength_level, equipment, session_minutes,"
            " injuries, preferred_days, mobility_off_days, timezone, reminder_time, onboarded_at, created_at,"
            " updated_at) VALUES (:id, :id, 'Ada', 'some', :equipment, 30, :empty, :empty, :empty, 'Europe/Berlin',"
            " :reminder, :now, :now, :now)",
            id=telegram_id,
            equipment=equipment,
            empty=[],
            reminder=dt.time(7, 0),
            now=NOW,
        )
        week = ("rest", "quality", "rest", "easy", "rest", "long", "rest")
        for day, kind in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), week, strict=True):
            await _execute(
                url,
                "INSERT INTO run_days (runner_id, weekday, kind)"
                " SELECT id, :day, :kind FROM runners WHERE telegram_id = :id",
                id=telegram_id,
                day=day,
                kind=kind,
            )


async def _kits(url: str) -> dict[int, frozenset[Equipment]]:
    engine = create_engine(url)
    try:
        uow = unit_of_work_factory(session_factory(engine))
        kits = {}
        async with uow() as work:
            for telegram_id in SINGLE:
                account = await work.runners.get(telegram_id)
                assert account is not None and account.profile is not None
                kits[telegram_id] = account.profile.equipment
        return kits
    finally:
        await engine.dispose()


async def test_single_equipment_values_become_kits_and_come_back(db_url: str) -> None:
    """Runners stored at 0003 with 'dumbbells', 'none', 'gym' and 'bands' read back through the
    repository at head as {dumbbells}, {}, {gym} and {bands}; a downgrade restores each value."""
    await upgrade(db_url, "0003")
    await _insert_runners_at_0003(db_url)

    await upgrade(db_url)

    assert await _kits(db_url) == {
        101: frozenset({Equipment.DUMBBELLS}),
        102: frozenset(),
        103: frozenset({Equipment.GYM}),
        104: frozenset({Equipment.BANDS}),
    }

    await downgrade(db_url, "0003")

    rows = await _execute(db_url, "SELECT telegram_id, equipment FROM runners ORDER BY telegram_id")
    assert dict((int(telegram_id), equipment) for telegram_id, equipment in rows) == SINGLE


async def test_a_kit_of_several_items_downgrades_to_its_largest(db_url: str) -> None:
    """A kit chosen after the upgrade ([bands, dumbbells]) goes back to the one value the old schema
    can hold, its largest item; an empty kit goes back to 'none'."""
    await upgrade(db_url, "0003")
    await _insert_runners_at_0003(db_url)
    await upgrade(db_url)
    await _execute(db_url, "UPDATE runners SET equipment = :kit WHERE telegram_id = 104", kit=["bands", "dumbbells"])

    await downgrade(db_url, "0003")

    rows = dict(await _execute(db_url, "SELECT telegram_id, equipment FROM runners ORDER BY telegram_id"))
    assert rows[104] == "dumbbells"
    assert rows[102] == "none"
