"""Issue 18: an update is handled once, whatever delivers it again (Telegram redelivering after a
crash, a replay, a second process on the same database): the inbox keyed by update_id makes a
repeat a no-op. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application
from test_kit_and_tune_ups import TO_EQUIPMENT

from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi

B = UI.buttons


@pytest.mark.timeout(120)
async def test_start_delivered_3_times_welcomes_once(any_db_url: str, clock: FakeClock) -> None:
    """/start delivered three times with the same update_id gets 1 welcome, not 3."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(any_db_url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "Ada")
        update = api.text(RUNNER_ID, "/start", "Ada")
        replies = [await runner.send(update) for _ in range(3)]
        assert [len(r) for r in replies] == [1, 0, 0]
        assert replies[0][0].startswith("Hi Ada!")
        assert len(api.messages(RUNNER_ID)) == 1
    finally:
        await stop_application(app)


@pytest.mark.timeout(120)
async def test_a_replayed_multi_select_tap_does_not_untick(any_db_url: str, clock: FakeClock) -> None:
    """A tap on the equipment multi-select replayed (same update_id) leaves the tick in place; a new
    tap on the same button still unticks it."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(any_db_url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "Ada")
        await runner.steps(*TO_EQUIPMENT)
        message = runner.keyboard_message()
        data = next(b.callback_data for b in message.inline_buttons if b.text == B.equipment_bands)
        assert data is not None
        tap = api.press(RUNNER_ID, message.message_id, data, "Ada")
        await runner.send(tap)
        assert f"✅ {B.equipment_bands}" in runner.labels()
        for _ in range(2):
            await runner.send(tap)
            assert f"✅ {B.equipment_bands}" in runner.labels(), "a replayed tap is not a second tap"
        assert (await runner.answers())["draft:equipment"] == ["bands"]
        await runner.press(f"✅ {B.equipment_bands}")
        assert B.equipment_bands in runner.labels(), "a new tap unticks"
    finally:
        await stop_application(app)


@pytest.mark.timeout(120)
async def test_two_processes_on_one_database_handle_an_update_once(any_db_url: str, clock: FakeClock) -> None:
    """The same 5 updates delivered to two applications sharing the database (two webhook replicas,
    or a process and its successor) get 5 replies in all, not 10."""
    api = OfflineBotApi(clock=clock)
    first = await start_application(any_db_url, clock, api)
    second = await start_application(any_db_url, clock, api)
    try:
        updates = [api.text(RUNNER_ID + n, "/start", f"Runner {n}") for n in range(5)]
        for update in updates:
            await api.deliver(first, update)
            await api.deliver(second, update)
        assert [len(api.messages(RUNNER_ID + n)) for n in range(5)] == [1] * 5
    finally:
        await stop_application(second)
        await stop_application(first)
