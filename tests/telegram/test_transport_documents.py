"""sendDocument on the offline Telegram: a file python-telegram-bot uploads is kept with its name and
bytes, Telegram's refusals are reproduced, and `coach chat` prints that a file was sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InputFile
from telegram.error import BadRequest
from telegram.ext import Application, ApplicationBuilder

from bot.clock import FakeClock
from bot.console.chat_terminal import render
from bot.console.transport import OfflineBotApi

TOKEN = "123:ABC"
RUNNER = 42

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
def api() -> OfflineBotApi:
    return OfflineBotApi(clock=FakeClock(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)))


@pytest.fixture
async def app(api: OfflineBotApi) -> AsyncIterator[AnyApp]:
    application = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).updater(None).build()
    async with application:
        yield application


async def test_a_document_is_kept_with_its_name_and_bytes(app: AnyApp, api: OfflineBotApi) -> None:
    """The runner's chat shows the caption and the file; the test reads back exactly what was uploaded."""
    await api.deliver(app, api.text(RUNNER, "hi"))  # the chat exists once the runner wrote
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    sent = await app.bot.send_document(RUNNER, InputFile(content, filename="plan.ics"), caption="Your plan")
    assert sent.document is not None and sent.document.file_name == "plan.ics"
    assert sent.document.file_size == len(content)
    document = api.last_document(RUNNER)
    assert document is not None and (document.name, document.content) == ("plan.ics", content)
    message = api.last_message(RUNNER)
    assert message is not None and message.plain_text == "Your plan"
    assert render(message).splitlines()[-1].strip() == f"[file sent: plan.ics, {len(content)} bytes]"


async def test_a_document_without_a_file_is_refused(app: AnyApp, api: OfflineBotApi) -> None:
    """A file_id the offline Telegram never stored, an empty file or an over-long caption get 400."""
    await api.deliver(app, api.text(RUNNER, "hi"))
    with pytest.raises(BadRequest):
        await app.bot.send_document(RUNNER, "some-file-id")
    with pytest.raises(BadRequest):
        await app.bot.send_document(RUNNER, InputFile(b"", filename="empty.ics"))
    with pytest.raises(BadRequest):
        await app.bot.send_document(RUNNER, InputFile(b"x", filename="x.ics"), caption="c" * 1025)
    assert api.last_document(RUNNER) is None
