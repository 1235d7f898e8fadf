"""The offline Bot API's sendPhoto, as the coach sends /history's chart: a PNG upload is kept with its
bytes and shown at Telegram's size; what Telegram refuses, it refuses."""

from __future__ import annotations

import struct
import zlib

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from bot.console.transport import OfflineBotApi
from bot.console.transport.wire import UploadedFile

TOKEN = "123456789:offline-photo-token"
RUNNER = 4242


def png(width: int, height: int) -> bytes:
    """A valid (blank, grey) PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
async def bot(api: OfflineBotApi) -> Bot:
    bot = Bot(TOKEN, request=api, get_updates_request=api)
    await bot.initialize()
    return bot


async def test_a_png_arrives_as_a_photo_with_its_caption_and_bytes(bot: Bot, api: OfflineBotApi) -> None:
    """The runner sees a photo at most 1280 px on its longer side, captioned; the bytes are kept."""
    image = png(2000, 1400)
    sent = await bot.send_photo(RUNNER, InputFile(image, filename="history.png"), caption="Your weeks")
    assert sent.caption == "Your weeks"
    (size,) = sent.photo
    assert (size.width, size.height) == (1280, 896)
    assert api.last_photo(RUNNER) == UploadedFile("history.png", image, "image/png")
    assert api.last_message(RUNNER) is not None and api.last_message(RUNNER).kind == "photo"  # type: ignore[union-attr]


async def test_what_telegram_refuses_as_a_photo_is_refused(bot: Bot, api: OfflineBotApi) -> None:
    """Not an image, an impossible size, an over-long caption: each a Bad Request, nothing shown."""
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(RUNNER, InputFile(b"GIF89a not a png", filename="x.gif"))
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(RUNNER, InputFile(png(2100, 100), filename="x.png"))
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(RUNNER, InputFile(png(10, 10), filename="x.png"), caption="x" * 1025)
    status, body = await api.handle("sendPhoto", {"chat_id": RUNNER})
    assert status == 400 and body["description"] == "Bad Request: there is no photo in the request"
    assert api.last_photo(RUNNER) is None and api.messages(RUNNER) == []
