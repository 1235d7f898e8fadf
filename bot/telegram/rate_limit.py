"""The bot's own rate limiter: conversations first, the fan-out takes what they leave.

Telegram lets a bot send about 30 messages a second in all and about one a second to one chat
(a short burst is tolerated). python-telegram-bot's ``AIORateLimiter`` paces every request on one
first-come queue, so a 100,000-runner morning fan-out puts each reply behind the prompts queued
before it. :class:`LaneLimiter` keeps two lanes on one overall rate:

- ``reply`` (the default: anything a handler sends, edits or answers) goes first;
- ``broadcast`` (the dispatcher's prompts, sent through ``BotSender(lane="broadcast")``) takes the
  turns replies leave, earliest due time first.

Each turn goes to the most urgent waiting request whose chat may be written to now. Requests
without a ``chat_id`` (``answerCallbackQuery``, ``getMe``, ``setMyCommands``) are not paced, nor
counted. A broadcast send that opts in to Telegram's paid broadcasts
(``allow_paid_broadcast=True``) draws from its own rate (up to 1,000 a second) instead of the
free one. The limiter only paces: a ``RetryAfter`` reaches ``BotSender``, the one place that
waits a flood wait out.

Time and sleeping are injected (``clock``, ``sleep``) so the tests drive it with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import itertools
import math
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal

from telegram.ext import BaseRateLimiter

REPLY: Literal["reply"] = "reply"
BROADCAST: Literal["broadcast"] = "broadcast"
DEFAULT_RATE = 30.0  # messages a second, overall (Telegram's broadcast limit per bot)
PAID_RATE = 1000.0  # with allow_paid_broadcast: Telegram's ceiling for paid broadcasts
PER_CHAT_RATE = 1.0  # messages a second to one chat
CHAT_BURST = 3  # a handler's reply, its edit and a photo may go at once; then one a second
FORGET_CHATS = 10_000  # chats remembered before the idle ones are dropped


@dataclass(frozen=True, slots=True)
class Lane:
    """Which lane a request waits in, and (broadcasts) when its message fell due."""

    name: Literal["reply", "broadcast"] = REPLY
    due: dt.datetime | None = None

    def rank(self) -> tuple[int, float]:
        order = 0 if self.name == REPLY else 1
        return (order, self.due.timestamp() if self.due is not None else -math.inf)


class _Bucket:
    """A token bucket: ``rate`` a second, at most ``burst`` at once."""

    __slots__ = ("burst", "interval", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now

    def ready_at(self, now: float) -> float:
        """When one token is there (``now`` or later)."""
        tokens = min(self.burst, self.tokens + (now - self.stamp) / self.interval)
        return now if tokens >= 1.0 else now + (1.0 - tokens) * self.interval

    def take(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) / self.interval) - 1.0
        self.stamp = now

    def full(self, now: float) -> bool:
        return self.tokens + (now - self.stamp) / self.interval >= self.burst


@dataclass(order=True)
class _Waiting:
    rank: tuple[int, float, int]
    chat: int | str = field(compare=False)
    paid: bool = field(compare=False)
    turn: asyncio.Future[None] = field(compare=False)


class LaneLimiter(BaseRateLimiter[Lane]):
    """Two lanes on one overall rate (see the module docstring)."""

    def __init__(
        self,
        *,
        rate: float = DEFAULT_RATE,
        paid_rate: float = PAID_RATE,
        per_chat: float = PER_CHAT_RATE,
        chat_burst: int = CHAT_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if min(rate, paid_rate, per_chat) <= 0 or chat_burst < 1:
            raise ValueError("rates must be positive and the chat burst at least 1")
        self.rate, self.paid_rate, self.per_chat, self.chat_burst = rate, paid_rate, per_chat, chat_burst
        self._clock = clock
        self._sleep = sleep
        self._free = _Bucket(rate, 1.0, clock())
        self._paid = _Bucket(paid_rate, 1.0, clock())
        self._chats: dict[int | str, _Bucket] = {}
        self._waiting: list[_Waiting] = []
        self._order = itertools.count()
        self._arrived = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
            self._pump = None

    @property
    def waiting(self) -> int:
        """Requests waiting for their turn now."""
        return sum(1 for entry in self._waiting if not entry.turn.done())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id")
        if isinstance(chat, int | str):
            await self.turn(chat, rate_limit_args or Lane(), paid=bool(data.get("allow_paid_broadcast")))
        return await callback(*args, **kwargs)

    async def turn(self, chat: int | str, lane: Lane, *, paid: bool = False) -> None:
        """Wait until a message to ``chat`` in ``lane`` may go out, and take the turn."""
        entry = _Waiting((*lane.rank(), next(self._order)), chat, paid, asyncio.get_running_loop().create_future())
        heapq.heappush(self._waiting, entry)
        self._arrived.set()
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run())
        try:
            await entry.turn
        except asyncio.CancelledError:
            if entry.turn.done() and not entry.turn.cancelled():  # granted as it was cancelled: give it back
                self._give_back(entry)
            raise

    # --- the pump: one task hands out the turns while anyone waits -------------------------------

    async def _run(self) -> None:
        while self._waiting:
            now = self._clock()
            entry, ready = self._pick(now)
            if entry is None:
                await self._nap(ready - now)
                continue
            (self._paid if entry.paid else self._free).take(now)
            self._chat(entry.chat, now).take(now)
            entry.turn.set_result(None)
            await asyncio.sleep(0)  # let the granted request go before the next turn
        self._forget_idle_chats(self._clock())

    def _pick(self, now: float) -> tuple[_Waiting | None, float]:
        """The most urgent waiting request that may go now; else None and when to look again."""
        free, paid = self._free.ready_at(now), self._paid.ready_at(now)
        if free > now and paid > now:  # nobody may go before a bucket refills
            return None, min(free, paid)
        skipped: list[_Waiting] = []
        chosen: _Waiting | None = None
        ready = math.inf
        while self._waiting:
            entry = heapq.heappop(self._waiting)
            if entry.turn.done():  # its request was cancelled
                continue
            at = max(paid if entry.paid else free, self._chat(entry.chat, now).ready_at(now))
            if at <= now:
                chosen = entry
                break
            ready = min(ready, at)
            skipped.append(entry)
        for entry in skipped:
            heapq.heappush(self._waiting, entry)
        return chosen, ready

    async def _nap(self, seconds: float) -> None:
        """Sleep ``seconds``, or less when a new request arrives (it may be free to go at once)."""
        if not math.isfinite(seconds):
            seconds = 0.0
        self._arrived.clear()
        sleeper = asyncio.ensure_future(self._sleep(max(seconds, 0.0)))
        arrival = asyncio.ensure_future(self._arrived.wait())
        try:
            await asyncio.wait({sleeper, arrival}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            arrival.cancel()

    def _chat(self, chat: int | str, now: float) -> _Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            bucket = self._chats[chat] = _Bucket(self.per_chat, self.chat_burst, now)
            if len(self._chats) > FORGET_CHATS:
                self._forget_idle_chats(now)
        return bucket

    def _forget_idle_chats(self, now: float) -> None:
        """Drop the chats whose bucket is full again: they are as if never written to."""
        for chat in [chat for chat, bucket in self._chats.items() if bucket.full(now)]:
            del self._chats[chat]

    def _give_back(self, entry: _Waiting) -> None:
        for bucket in (self._paid if entry.paid else self._free, self._chats.get(entry.chat)):
            if bucket is not None:
                bucket.tokens = min(bucket.burst, bucket.tokens + 1.0)
