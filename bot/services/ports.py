"""The sender port: how services hand a message to the runner without knowing about Telegram.

The dispatcher and the handlers send through :class:`Sender`; the bot plugs in
``bot.telegram.sender.BotSender``, tests and benchmarks ``bot.services.recording.RecordingSender``.
Messages are plain values (:class:`Outgoing` with rows of :class:`Button`), so the same composed
message can be sent, edited in place, compared in a test or printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button: what it says, and the callback data it carries back (at most 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to a runner: its text and its inline keyboard, row by row."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


class RecipientGone(Exception):
    """The message cannot reach the runner any more: they blocked the bot, or the chat is gone."""

    def __init__(self, chat_id: int, reason: str = "") -> None:
        super().__init__(f"chat {chat_id} cannot be reached{': ' + reason if reason else ''}")
        self.chat_id = chat_id
        self.reason = reason


class Sender(Protocol):
    async def send(self, chat_id: int, message: Outgoing) -> int:
        """Send ``message`` to the chat; the id of the sent message. Raises RecipientGone."""
        ...

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        """Replace the text and buttons of a message sent earlier. Raises RecipientGone."""
        ...
