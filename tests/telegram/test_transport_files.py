"""Documents in the offline Telegram: the runner sends a file, the bot asks `getFile` and downloads
it from `/file/bot<token>/<file_path>`, in process and over the HTTP emulator, as from Telegram."""

from __future__ import annotations

from telegram import Bot, Update

from bot.app import file_url
from bot.console.emulator import BotApiEmulator
from bot.console.transport import OfflineBotApi

TOKEN = "123:ABC"
RUNNER = 42
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


async def test_a_document_is_downloaded_in_process() -> None:
    """`get_file` then `download_as_bytearray` give back the bytes the runner sent."""
    api = OfflineBotApi(token=TOKEN)
    async with Bot(TOKEN, request=api, get_updates_request=api) as bot:
        update = Update.de_json(api.document(RUNNER, ICS, "plan.ics"), bot)
        assert update is not None and update.message is not None and update.message.document is not None
        document = update.message.document
        assert (document.file_name, document.file_size, document.mime_type) == ("plan.ics", len(ICS), "text/calendar")
        got = await (await document.get_file()).download_as_bytearray()
        assert bytes(got) == ICS
    assert [call.method for call in api.calls_to("getFile")] == ["getFile"]


async def test_a_document_is_downloaded_over_the_emulator() -> None:
    """Over HTTP the file path is served beside the Bot API; an unknown one is 404."""
    async with BotApiEmulator(TOKEN) as emulator:
        assert file_url(emulator.base_url) == emulator.base_file_url
        async with Bot(TOKEN, base_url=emulator.base_url, base_file_url=emulator.base_file_url) as bot:
            update = Update.de_json(emulator.api.document(RUNNER, ICS, "plan.ics"), bot)
            assert update is not None and update.message is not None and update.message.document is not None
            assert bytes(await (await update.message.document.get_file()).download_as_bytearray()) == ICS
        status, _ = emulator.api.serve_file(f"{emulator.base_file_url}{TOKEN}/documents/nothing.ics", TOKEN)
        assert status == 404
