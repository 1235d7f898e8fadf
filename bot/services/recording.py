"""A :class:`~bot.services.ports.Sender` that keeps what it was given, for tests and benchmarks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.services.ports import Outgoing, RecipientGone


@dataclass(frozen=True, slots=True)
class Sent:
    chat_id: int
    message_id: int
    message: Outgoing


@dataclass(frozen=True, slots=True)
class Edited:
    chat_id: int
    message_id: int
    message: Outgoing


@dataclass
class RecordingSender:
    """Records every send and edit in order; can be told that a chat is gone or that sends to it fail.

    ``gone`` holds chats that raise :class:`RecipientGone` (a blocked bot); ``failing`` maps a chat
    to the exception its sends raise (a network error, a rate limit that outlived its retries).
    """

    sent: list[Sent] = field(default_factory=list)
    edited: list[Edited] = field(default_factory=list)
    gone: set[int] = field(default_factory=set)
    failing: dict[int, Exception] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, chat_id: int, message: Outgoing) -> int:
        self._check(chat_id)
        message_id = next(self._ids)
        self.sent.append(Sent(chat_id, message_id, message))
        return message_id

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        self._check(chat_id)
        self.edited.append(Edited(chat_id, message_id, message))

    def _check(self, chat_id: int) -> None:
        if chat_id in self.gone:
            raise RecipientGone(chat_id, "blocked")
        error = self.failing.get(chat_id)
        if error is not None:
            raise error

    def to(self, chat_id: int) -> list[Outgoing]:
        """The messages sent to one chat, oldest first."""
        return [s.message for s in self.sent if s.chat_id == chat_id]
