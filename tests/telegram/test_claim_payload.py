"""Issue 22: the inbox keeps an update's JSON as it came (the webhook's body, the offline
transport's update), not the update turned back into JSON by python-telegram-bot."""

from __future__ import annotations

from typing import Any

import pytest
from chatdriver import RUNNER_ID, start_application, stop_application
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from telegram import Update
from telegram.ext import TypeHandler

from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.db.models import InboxRow


async def _payloads(url: str) -> dict[int, Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(InboxRow.update_id, InboxRow.payload))).all()
    finally:
        await engine.dispose()
    return dict(rows)


@pytest.mark.timeout(120)
async def test_a_claim_stores_the_json_the_update_came_as(db_url: str, clock: FakeClock) -> None:
    """While the update is handled, its inbox row holds the JSON it came as (a field
    python-telegram-bot does not know included), as the claim stored it."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(db_url, clock, api)
    seen: list[Any] = []

    async def look(update: object, _context: object) -> None:
        assert isinstance(update, Update)
        seen.append((await _payloads(db_url))[update.update_id])

    app.add_handler(TypeHandler(Update, look), group=-100)
    try:
        update = api.text(RUNNER_ID, "/start", "Ada")
        update["message"]["a_field_from_tomorrow"] = {"kept": True}
        await api.deliver(app, update)
        assert seen == [update]
        assert api.messages(RUNNER_ID), "handled as ever"
    finally:
        await stop_application(app)
