"""The dispatcher on the in-memory fakes: what the runner receives over days, from the stored plan,
through a recording sender. (Claims racing between processes are the integration tier's.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from fakes import FakeDatabase, RecordingSender
from onboarded import ADA, START, onboard

from bot.coach.library import Library
from bot.content.ui import default_ui
from bot.services import pauses
from bot.services.dispatch import Due, dispatch_due, dispatch_through
from bot.services.ports import Outgoing, UnitOfWork
from bot.services.schedule import DueKind
from bot.telegram.compose import LoopComposer
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer


class PlanComposer:
    """Says the day's stored session for prompts and nudges, and the week for reviews."""

    async def compose(
        self, work: UnitOfWork, dues: Sequence[Due], now: dt.datetime
    ) -> Mapping[tuple[int, DueKind], Outgoing | None]:
        days = await work.plans.days_for([(d.runner_id, d.local_date) for d in dues])
        out: dict[tuple[int, DueKind], Outgoing | None] = {}
        for due in dues:
            day = days.get((due.runner_id, due.local_date))
            if due.kind == "review":
                out[due.key] = Outgoing(f"review {due.local_date:%a %d}")
            else:
                out[due.key] = Outgoing(f"{due.kind} {due.local_date:%a %d} {day.session.kind.value if day else '-'}")
        return out


def berlin(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour - 1, minute, tzinfo=dt.UTC)


async def test_a_week_of_messages_at_local_times(uow: FakeDatabase, sender: RecordingSender, library: Library) -> None:
    """Over a week: a prompt at 07:00 and a nudge at 19:00 each day, the review on Sunday at 19:30,
    each saying the day's stored session, each recorded once."""
    done = await onboard(uow, library)
    report = await dispatch_through(
        uow=uow, sender=sender, composer=PlanComposer(), since=START, until=berlin(30, 6), worker_id="t"
    )
    texts = [m.text for m in sender.to(ADA)]
    assert report.sent == 15 and len(texts) == 15
    week = done.weeks[0]
    assert [t for t in texts if t.startswith("prompt")] == [
        f"prompt {d.date:%a %d} {d.session.kind.value}" for d in week.days
    ]
    assert texts[-1] == "review Sun 29"
    async with uow() as work:
        assert await work.deliveries.last_dates(done.account.id) == {
            "prompt": dt.date(2026, 11, 29),
            "nudge": dt.date(2026, 11, 29),
            "review": dt.date(2026, 11, 29),
        }


async def test_a_runner_who_blocked_the_bot_hears_nothing_more(
    uow: FakeDatabase, sender: RecordingSender, library: Library
) -> None:
    """A blocked bot marks the runner inactive and drops their schedule; the next days send nothing."""
    done = await onboard(uow, library)
    sender.gone.add(ADA)
    report = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 7), worker_id="t")
    assert report.blocked == 1
    sender.gone.clear()
    await dispatch_through(
        uow=uow, sender=sender, composer=PlanComposer(), since=berlin(23, 7), until=berlin(26, 8), worker_id="t"
    )
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert await work.due.of_runner(done.account.id) == {}
    assert account is not None and not account.active
    assert sender.sent == []


async def test_a_failed_send_is_retried_not_lost(uow: FakeDatabase, sender: RecordingSender, library: Library) -> None:
    """A send that fails leaves the prompt due: the next sweep sends it, once."""
    await onboard(uow, library)
    sender.failing[ADA] = ConnectionRefusedError("network")
    first = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 7), worker_id="t")
    del sender.failing[ADA]
    second = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 7, 1), worker_id="t")
    third = await dispatch_due(uow=uow, sender=sender, composer=PlanComposer(), now=berlin(23, 7, 2), worker_id="t")
    assert (first.failed, second.sent, third.sent) == (1, 1, 0)
    assert [m.text.split()[0] for m in sender.to(ADA)] == ["prompt"]


async def test_a_pause_that_starts_in_the_same_sweep_holds_that_mornings_prompt(
    uow: FakeDatabase, sender: RecordingSender, library: Library
) -> None:
    """A sweep that finds a planned pause's start and that day's prompt due together (the dispatcher
    was down overnight) starts the pause and sends no prompt, though the claim read the runner
    before the pause began; another runner in the same batch gets the day's prompt."""
    await onboard(uow, library)
    await onboard(uow, library, telegram_id=4343)
    tuesday = dt.date(2026, 11, 24)
    async with uow() as work:
        planned = await pauses.plan_pause(work, ADA, tuesday, tuesday + dt.timedelta(days=3), START, library)
        await work.commit()
    assert isinstance(planned, pauses.PlannedPause)
    composer = LoopComposer(library, LoopRenderer(Renderer(default_ui(), library)))
    await dispatch_due(uow=uow, sender=sender, composer=composer, now=berlin(24, 7, 20), worker_id="t")
    assert sender.to(ADA) == []
    assert len(sender.to(4343)) == 1
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.paused_from == tuesday
