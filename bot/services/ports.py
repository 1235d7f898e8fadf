"""What the services need from the outside world, as small protocols they own.

The dispatcher and the handlers send through :class:`Sender`; the bot hands in a Telegram
sender, ``coach chat`` the offline one, tests a recording fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message: its text and rows of inline buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


class RecipientGone(Exception):
    """The runner blocked the bot, or the chat is gone: stop writing to them."""


class Sender(Protocol):
    async def send(self, chat_id: int, message: Outgoing) -> int:
        """Send a message; returns its message id."""
        ...

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        """Replace the text and buttons of a message sent earlier."""
        ...
