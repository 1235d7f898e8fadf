"""Due times hold during a long fan-out: a sweep still sending does not stop a later one from
claiming and sending what fell due meanwhile, and each batch's lag is stored for /admin."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from dispatching import FIRST_TELEGRAM_ID, EchoComposer, add_many, add_runner

from bot.clock import FakeClock
from bot.db.uow import UnitOfWorkFactory
from bot.services.dispatch import DispatchReport, dispatch_due
from bot.services.ports import SENDING_DUE, Outgoing
from bot.services.recording import RecordingSender

BERLIN = ZoneInfo("Europe/Berlin")
ADA = 4242
FAN_OUT = 30


def berlin(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 23, hour, minute, second, tzinfo=BERLIN).astimezone(dt.UTC)


class SlowSender(RecordingSender):
    """Holds every send to the fan-out's runners until ``gate`` opens (Telegram's pace, stretched);
    others go at once. Remembers the due time the dispatcher handed each send."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.held = asyncio.Event()  # set once a fan-out send waits
        self.dues: dict[int, dt.datetime | None] = {}

    async def send(self, chat_id: int, message: Outgoing) -> int:
        self.dues[chat_id] = SENDING_DUE.get()
        if chat_id >= FIRST_TELEGRAM_ID:
            self.held.set()
            await self.gate.wait()
        return await super().send(chat_id, message)


async def test_a_prompt_due_during_a_long_fan_out_goes_out_with_the_next_sweep(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """While the 07:00 sweep is still sending its fan-out, the 07:05 sweep claims Ada's 07:05 prompt
    and sends it at once; the fan-out then finishes, every message once, and the latest batch's
    lag (sent at 07:10, due 07:00: 600 s) is what is stored for /admin."""
    clock = FakeClock(berlin(7, 0))
    await add_many(uow_factory, FAN_OUT, now=berlin(6, 0), kinds=("prompt",))
    await add_runner(uow_factory, ADA, reminder=dt.time(7, 5), now=berlin(6, 0))
    sender, composer = SlowSender(), EchoComposer()

    def sweep(at: dt.datetime) -> asyncio.Task[DispatchReport]:
        return asyncio.create_task(
            dispatch_due(
                uow=uow_factory, sender=sender, composer=composer, now=at, worker_id="t", concurrency=4, clock=clock.now
            )
        )

    fan_out = sweep(berlin(7, 0))
    await asyncio.wait_for(sender.held.wait(), 10)
    clock.set(berlin(7, 5, 3))
    later = await asyncio.wait_for(sweep(berlin(7, 5)), 10)

    assert not fan_out.done()
    assert [sent.chat_id for sent in sender.sent] == [ADA]
    assert later.sent == 1 and later.lags == [3.0]
    assert sender.dues[ADA] == berlin(7, 5)

    clock.set(berlin(7, 10))
    sender.gate.set()
    report = await asyncio.wait_for(fan_out, 10)
    assert report.sent == FAN_OUT
    assert sorted(sent.chat_id for sent in sender.sent) == [ADA, *range(FIRST_TELEGRAM_ID, FIRST_TELEGRAM_ID + FAN_OUT)]
    async with uow_factory() as work:
        lag = await work.deliveries.latest_lag()
    assert lag is not None
    assert (lag.at, lag.sent, lag.p50_s, lag.max_s) == (berlin(7, 10), FAN_OUT, 600.0, 600.0)
