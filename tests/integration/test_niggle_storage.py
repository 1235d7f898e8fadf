"""The niggle ladder's storage on SQLite and PostgreSQL: a ladder stored before the rulebook's third
revision (rungs 0 gentle, 1 easier, 2 usual) reads back on the four rungs, and a check-in keeps the
after-session, next-morning and strength-test answers apart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from test_repositories import onboard
from test_repository_contract import ADA, NOW, full_profile

from bot.coach.model import BodyArea, NiggleState, SessionKind, TrainingState
from bot.db.models import TrainingStateRow
from bot.db.uow import UnitOfWorkFactory


async def test_N3_a_ladder_stored_before_rev3_reads_back_on_the_four_rungs(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """Old rungs 0, 1 and 2 read as rungs 1, 3 and 4, the last failure kept; saved again, the new form."""
    await onboard(uow_factory, ADA, full_profile())
    async with uow_factory() as uow:
        await uow.runners.save_state(ADA, TrainingState())
        await uow.commit()
    old = {"rungs": {"knee": 0, "ankle": 1, "hip": 2}, "streaks": {"knee": 1}, "failed": {"hip": "2026-11-20"}}
    async with engine.begin() as conn:
        await conn.execute(update(TrainingStateRow).values(niggles=old))
    async with uow_factory() as uow:
        account = await uow.runners.get(ADA)
    assert account is not None
    assert account.state.niggles == {
        BodyArea.KNEE: NiggleState(rung=1),
        BodyArea.ANKLE: NiggleState(rung=3),
        BodyArea.HIP: NiggleState(rung=4, failed=(dt.date(2026, 11, 20),)),
    }
    async with uow_factory() as uow:
        await uow.runners.save_state(ADA, account.state)
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.runners.get(ADA)
    assert again is not None and again.state == account.state


async def test_N4_a_checkin_keeps_the_three_answers_and_the_test_count_apart(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    """After the session, next morning and the test's count are stored side by side; a second count
    replaces the first."""
    await onboard(uow_factory, ADA, full_profile())
    day = dt.date(2026, 11, 24)
    async with uow_factory() as uow:
        await uow.checkins.set_status(ADA, day, session_kind=SessionKind.STRENGTH, status="done", now=NOW)
        await uow.checkins.set_details(ADA, day, niggle=(BodyArea.KNEE, True), now=NOW)
        await uow.checkins.set_details(ADA, day, morning=(BodyArea.KNEE, False), now=NOW)
        await uow.checkins.set_details(ADA, day, test=("box_squat_test", 12), now=NOW)
        record = await uow.checkins.set_details(ADA, day, test=("box_squat_test", 15), now=NOW)
        await uow.commit()
    assert record is not None
    assert record.niggles == {BodyArea.KNEE: True} and record.mornings == {BodyArea.KNEE: False}
    assert record.test == ("box_squat_test", 15)
