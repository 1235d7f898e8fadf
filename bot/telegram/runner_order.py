"""Updates handled concurrently, one runner's in order: python-telegram-bot's update processor.

With ``concurrent_updates`` python-telegram-bot starts a task per update, so a slow runner (a
calendar import, a long database write) no longer holds up everyone after them. Two updates of
one runner must still never run at once: the second may depend on what the first stored (an
onboarding answer, a setting), and the inbox claims a runner's updates in the order Telegram
numbered them (``bot.services.inbox``: a later update is refused while an earlier one waits).
:class:`RunnerOrder` keeps a lock per runner (the user, else the chat): updates of one runner
take it in the order they arrived (an ``asyncio.Lock`` wakes its waiters first come, first
served), others run side by side. A runner's lock is dropped as soon as none of their updates is
running or waiting, so the table holds only the runners busy right now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def runner_key(update: object) -> int | None:
    """Whose update this is: the user's id, else the chat's; None for an update of nobody."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class _Turn:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # updates of the runner running or waiting


class RunnerOrder(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` updates at once, never two of one runner."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, _Turn] = {}

    @property
    def busy_runners(self) -> int:
        """Runners with an update running or waiting now (the size of the lock table)."""
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = runner_key(update)
        if key is None:
            await coroutine
            return
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _Turn()
        turn.users += 1
        try:
            async with turn.lock:
                await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
