"""The bot's sending budget: Telegram's broadcast limit (about 30 messages a second) is per bot, not
per process, so every process that sends prompts draws from one budget.

The dispatcher (:func:`bot.services.dispatch.dispatch_due`) calls ``acquire`` before each send.
The budget is counted in calendar seconds: a :class:`GrantStore` hands out the sends of the current
second, a few at a time, and never more than the rate in all, to whichever process asks first.
:class:`SharedBudget` keeps what it was granted and spends it within that second; a grant whose
second is almost over is left unused (the sends it allows could land in the next second), and a
second with nothing left is waited out. With the database's store (``bot.db.budget_repo``) the
rate is shared by any number of processes; with :class:`MemoryGrants` it paces one process
(tests, ``coach chat``).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

DEFAULT_RATE = 25  # a second: room under Telegram's ~30 for the replies to runners
MARGIN = 0.05  # seconds: a grant this close to the end of its second is not used


class SendBudget(Protocol):
    """Permission to send broadcast messages (prompts, reviews) at the bot's configured rate."""

    async def acquire(self) -> None:
        """Wait until one more broadcast message may go out now, and take it from the budget."""
        ...


@dataclass(frozen=True, slots=True)
class Grant:
    """Sends granted in one calendar second (0: that second is used up) and how much of that second
    was left when the store looked at its clock."""

    count: int
    left: float  # seconds, 0 <= left <= 1


class GrantStore(Protocol):
    """Where the sends of each second are counted, shared by everyone who sends for the bot."""

    async def grant(self, want: int, rate: int) -> Grant:
        """Take up to ``want`` sends of the current second, never letting its total pass ``rate``,
        in one atomic step."""
        ...


def chunk_for(rate: int) -> int:
    """How many sends to ask for at once: a tenth of the rate (at least 1), so a fast sender makes
    about ten round trips a second and a slow one strands few sends when its second ends."""
    return max(1, rate // 10)


class SharedBudget:
    """A :class:`SendBudget` over a :class:`GrantStore`: at most ``rate`` sends in any calendar
    second, across everyone sharing the store.

    ``timer`` and ``sleep`` are the monotonic clock and the wait (fakes in tests). Concurrent
    ``acquire`` calls of one process share one request to the store at a time.
    """

    def __init__(
        self,
        store: GrantStore,
        rate: int,
        *,
        chunk: int | None = None,
        timer: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate < 1:
            raise ValueError("the rate must be at least 1 a second")
        self.rate = rate
        self._store = store
        self._chunk = min(chunk or chunk_for(rate), rate)
        self._timer = timer
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._stock = 0  # sends granted and not spent
        self._until = -math.inf  # monotonic instant after which the stock may not be spent

    def _take(self) -> bool:
        if self._stock > 0 and self._timer() < self._until:
            self._stock -= 1
            return True
        return False

    async def acquire(self) -> None:
        if self._take():
            return
        async with self._lock:
            while not self._take():
                asked = self._timer()
                grant = await self._store.grant(self._chunk, self.rate)
                # the second ends `left` after the store's look, which came after `asked`: this
                # end is the earliest it can be, so a send before it is inside that second
                end = asked + grant.left
                self._stock, self._until = grant.count, end - MARGIN
                if grant.count == 0 or self._timer() >= self._until:
                    self._stock = 0
                    await self._sleep(max(0.0, end - self._timer()) + 0.001)


class MemoryGrants:
    """A :class:`GrantStore` in this process's memory, on its wall clock: one process's budget."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._second = -1
        self._used = 0

    async def grant(self, want: int, rate: int) -> Grant:
        now = self._clock()
        second = math.floor(now)
        if second != self._second:
            self._second, self._used = second, 0
        count = max(0, min(want, rate - self._used))
        self._used += count
        return Grant(count, second + 1 - now)


def local_budget(rate: int = DEFAULT_RATE) -> SharedBudget:
    """A budget for one process alone (tests, ``coach chat``)."""
    return SharedBudget(MemoryGrants(), rate)
