"""Signed callback data: a tap counts only if it is a button this bot offered, in that chat.

Telegram hands back whatever callback data a client sends, and a modified client can send any.
So every button's data leaves with a short MAC of the chat id and the data (``markup`` in
``bot.telegram.sender`` adds it), and a gate early in the handler chain lets a tap
through only if its MAC is right for the chat it came from and, when Telegram shows the message
it came from, the message still carries that button. Anything else (a forged or tampered tap, a
button from before signing, one that was taken off the message) gets a short pop-up and changes
nothing (:mod:`bot.telegram.tap_gate`). ``parse_callback`` drops the MAC, so handlers read the data the renderer made.

The key is ``CALLBACK_KEY`` when set, else derived from the bot token, so every process serving
one bot agrees on it with no new setting (and ``coach chat`` derives it from its offline token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from bot.config import Settings

MAC_SEP = "#"  # never in the data the renderer makes, never in base64url
MAC_CHARS = 8  # 48 bits: a forger has one try per tap, each answered with a pop-up
MAC_BYTES = MAC_CHARS * 3 // 4  # the digest's bytes those characters encode (base64: 3 bytes, 4 characters)
MAX_DATA_BYTES = 64  # Telegram's limit on a button's callback data, MAC included
MAX_UNSIGNED_BYTES = MAX_DATA_BYTES - len(MAC_SEP) - MAC_CHARS
KEY_LABEL = b"callback-v1"


def callback_key(settings: Settings, token: str) -> bytes:
    """The signing key: ``CALLBACK_KEY``, else one derived from the bot token (so one bot's
    processes agree, and the key changes when the token is revoked)."""
    if settings.callback_key is not None:
        return settings.callback_key.get_secret_value().encode()
    return hmac.new(token.encode(), KEY_LABEL, hashlib.sha256).digest()


class Signer:
    """Signs a button's data for one chat, and checks a tap's data came from such a button."""

    def __init__(self, key: bytes) -> None:
        # the key's HMAC state, copied for each MAC (a new HMAC of the key each time cost a third more)
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)

    def mac(self, chat_id: int, data: str) -> str:
        keyed = self._keyed.copy()
        keyed.update(f"{chat_id}|{data}".encode())
        # MAC_CHARS base64 characters are the first MAC_BYTES bytes of the digest, encoded alone
        return base64.urlsafe_b64encode(keyed.digest()[:MAC_BYTES]).decode()

    def sign(self, chat_id: int, data: str) -> str:
        """``data`` with its MAC for ``chat_id``; data already signed is first stripped, so a button
        copied from a sent message is signed once. Raises when it would not fit Telegram's limit."""
        body = unsigned(data)
        signed = f"{body}{MAC_SEP}{self.mac(chat_id, body)}"
        if len(signed.encode()) > MAX_DATA_BYTES:
            raise ValueError(f"callback data {body!r} is over {MAX_UNSIGNED_BYTES} bytes")
        return signed

    def verify(self, chat_id: int, data: str | None) -> bool:
        """Whether ``data`` carries the right MAC for ``chat_id``."""
        if not data or len(data.encode()) > MAX_DATA_BYTES:
            return False
        body, sep, mac = data.rpartition(MAC_SEP)
        return bool(sep) and hmac.compare_digest(mac.encode(), self.mac(chat_id, body).encode())


def unsigned(data: str) -> str:
    """The data as the renderer made it: without the MAC (data without one is returned as it is)."""
    body, sep, mac = data.rpartition(MAC_SEP)
    return body if sep and len(mac) == MAC_CHARS else data
