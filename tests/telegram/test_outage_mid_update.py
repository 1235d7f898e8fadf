"""Issue 18: the database goes away in the middle of an update (after it was claimed, while its
handlers run): the runner gets ONE trouble message and no "Sorry", and the update, delivered again
once the database is back, is handled, once. PostgreSQL behind a proxy the test cuts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application
from dbproxy import DatabaseProxy

from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.services.inbox import InboxUnavailable


@pytest.fixture
async def proxy(postgres_db_url: str) -> AsyncIterator[DatabaseProxy]:
    proxy = DatabaseProxy(postgres_db_url)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


@pytest.mark.timeout(120)
async def test_an_outage_after_the_claim_gives_1_trouble_message_and_the_update_is_handled_after(
    proxy: DatabaseProxy, clock: FakeClock
) -> None:
    """/help claimed, then the database drops before its handlers read anything: 1 trouble message,
    0 "Sorry"; delivered again while it is still away, nothing more; once it is back, the help,
    once; a third delivery is a no-op."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(proxy.url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "Ada")
        update = api.text(RUNNER_ID, "/help", "Ada")
        proxy.cut_after(b"INSERT INTO inbox", b"COMMIT")
        for _ in range(2):  # Telegram asks again while the database is still away
            with pytest.raises(InboxUnavailable):
                await api.deliver(app, update)
        assert api.texts_since(RUNNER_ID) == [UI.general.trouble]

        await proxy.restore()
        assert await runner.send(update) == [UI.general.help]
        assert await runner.send(update) == []
        assert UI.general.error not in api.texts_since(RUNNER_ID)
    finally:
        await stop_application(app)
