"""The way out for the edges that answer a runner in their own chat: :class:`Chat`.

It is the :class:`~bot.services.ports.Sender` port (send, edit) with what a conversation needs
besides: a keyboard under the text field (:class:`Keys`: onboarding's "share my location", and
taking it away again), the answer to a tapped button (its spinner stops, with a short pop-up), and
files: documents and pictures.
Handlers hand it plain values (an ``Outgoing``, a ``Keys``); only its Telegram side
(``bot.telegram.sender``) builds Telegram's keyboards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.services.ports import Sender


@dataclass(frozen=True, slots=True)
class Keys:
    """A keyboard under the text field, row by row: a key sends its label as text. ``location`` is
    a first key that shares the runner's location instead. No keys at all take the keyboard away."""

    rows: tuple[tuple[str, ...], ...] = ()
    location: str | None = None


NO_KEYS = Keys()  # the keyboard under the text field goes away


class Chat(Sender, Protocol):
    async def reply(self, chat_id: int, text: str, keys: Keys) -> int:
        """Send ``text`` with ``keys`` under the text field (``NO_KEYS``: none); the message's id."""
        ...

    async def answer(self, query_id: str, text: str | None = None) -> None:
        """Answer a tapped button: its spinner stops, and ``text``, if any, shows as a pop-up."""
        ...

    async def document(self, chat_id: int, name: str, content: bytes, caption: str) -> int:
        """Send a file (``name``, ``content``) with a caption; the message's id."""
        ...

    async def photo(self, chat_id: int, name: str, content: bytes, caption: str) -> int:
        """Send a picture (a PNG: /history's chart) shown in the chat, with a caption; the message's id."""
        ...
