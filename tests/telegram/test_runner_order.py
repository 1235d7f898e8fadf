"""Updates handled side by side, one runner's in order (``bot.telegram.runner_order``), through the
real ``Application`` and its update queue on the offline Bot API, with the inbox claiming each."""

from __future__ import annotations

import asyncio

from chatdriver import OTHER_ID, RUNNER_ID, settings_for
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import build_application, start, stop
from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachContext
from bot.telegram.runner_order import RunnerOrder


class Probe:
    """A first handler group that notes when each update starts and ends, and holds the first
    update of ``slow`` until ``gate`` opens (a runner whose handler takes long)."""

    def __init__(self, slow: int) -> None:
        self.slow = slow
        self.gate = asyncio.Event()
        self.events: list[str] = []
        self.changed = asyncio.Event()

    async def __call__(self, update: object, _context: CoachContext) -> None:
        assert isinstance(update, Update) and update.message is not None and update.effective_user is not None
        name = f"{update.effective_user.id}:{update.message.text}"
        self.note(f"start {name}")
        if update.effective_user.id == self.slow and update.message.text == "/help":
            await self.gate.wait()
        self.note(f"end {name}")

    def note(self, event: str) -> None:
        self.events.append(event)
        self.changed.set()

    async def seen(self, event: str) -> None:
        while event not in self.events:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 5)


async def test_a_slow_runner_holds_up_only_their_own_next_update(
    db_url: str, clock: FakeClock, api: OfflineBotApi
) -> None:
    """While Ada's first update is still being handled, Bo's is handled and answered, and Ada's
    second waits for her first; then it is handled (the inbox claims it: an earlier one of hers is
    done), and no runner's lock is kept once nothing of theirs runs."""
    app = build_application(settings_for(db_url), clock=clock, request=api, concurrent_updates=4)
    probe = Probe(slow=RUNNER_ID)
    app.add_handler(TypeHandler(Update, probe), group=-8)
    await start(app)
    await app.start()
    try:
        updates = [api.text(RUNNER_ID, "/help"), api.text(RUNNER_ID, "/today"), api.text(OTHER_ID, "/help")]
        assert await app.receive([(api.to_update(u, app.bot), u) for u in updates])  # stored, as polling does
        for update in updates:
            await app.update_queue.put(api.to_update(update, app.bot))
        await probe.seen(f"end {OTHER_ID}:/help")
        assert await api.wait_for(lambda: bool(api.texts_since(OTHER_ID)))
        assert f"start {RUNNER_ID}:/today" not in probe.events

        probe.gate.set()
        await probe.seen(f"end {RUNNER_ID}:/today")
        ada = [event for event in probe.events if event.split()[1].startswith(f"{RUNNER_ID}:")]
        assert ada == [
            f"start {RUNNER_ID}:/help",
            f"end {RUNNER_ID}:/help",
            f"start {RUNNER_ID}:/today",
            f"end {RUNNER_ID}:/today",
        ]
        assert await api.wait_for(lambda: len(api.texts_since(RUNNER_ID)) == 2)  # help, then today's answer
        await app.update_queue.join()
        processor = app.update_processor
        assert isinstance(processor, RunnerOrder) and processor.busy_runners == 0
    finally:
        await app.stop()
        await stop(app)
