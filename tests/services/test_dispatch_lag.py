"""A batch's lag is stored with its settle, in one commit: on the fakes, what the runner's schedule
and /admin's lag look like after a sweep, and when the lag cannot be stored."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeDatabase, FakeDeliveries, RecordingSender
from onboarded import ADA, onboard
from test_dispatch_on_fakes import PlanComposer, berlin

from bot.coach.library import Library
from bot.services.dispatch import dispatch_due
from bot.services.records import SweepLag
from bot.services.schedule import DueKind


async def test_a_sweep_stores_its_lag_and_moves_what_it_dropped(
    uow: FakeDatabase, sender: RecordingSender, library: Library
) -> None:
    """At 19:00 the morning's prompt is too late (dropped, moved on by the settle) and the nudge goes
    out; the batch's lag is stored beside it."""
    done = await onboard(uow, library)
    report = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 19), worker_id="t")
    assert (report.sent, report.dropped) == (1, 1)
    async with uow() as work:
        rows = await work.due.of_runner(done.account.id)
        lag = await work.deliveries.latest_lag()
    assert rows[DueKind.PROMPT].local_date == dt.date(2026, 11, 24)
    assert rows[DueKind.NUDGE].local_date == dt.date(2026, 11, 24)
    assert lag is not None and lag.sent == 1 and lag.at == berlin(23, 19)


async def test_a_lag_that_cannot_be_stored_leaves_the_settle_done(
    uow: FakeDatabase, sender: RecordingSender, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lag's store failing rolls back its transaction; the settle is written again without it:
    the dropped prompt still moves on, its claim is freed, and the next sweep sends nothing twice."""
    done = await onboard(uow, library)

    async def broken(self: FakeDeliveries, lag: SweepLag, forget_before: dt.datetime) -> None:
        raise RuntimeError("the lag's table is gone")

    monkeypatch.setattr(FakeDeliveries, "record_lag", broken)
    first = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 19), worker_id="t")
    again = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 19, 1), worker_id="t")
    assert (first.sent, first.dropped, again.sent, again.dropped) == (1, 1, 0, 0)
    assert [m.text.split()[0] for m in sender.to(ADA)] == ["nudge"]
    async with uow() as work:
        rows = await work.due.of_runner(done.account.id)
        lag = await work.deliveries.latest_lag()
    assert rows[DueKind.PROMPT].local_date == dt.date(2026, 11, 24)
    assert lag is None
    assert all(row.claimed_by is None for row in uow.tables.due.values())
