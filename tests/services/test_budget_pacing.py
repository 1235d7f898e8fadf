"""The sending budget's pacing (``SharedBudget``) on a fake clock: never more than the rate in a
calendar second, whoever shares the store; the rate used in full; a grant too close to the end of
its second left unused; one request to the store for many waiting sends."""

from __future__ import annotations

import asyncio
import collections
import math

from fakes import FakeMonotonic as FakeTime

from bot.services.send_budget import Grant, MemoryGrants, SharedBudget, chunk_for

START = 1_800_000_000.0  # a Unix instant at the start of a second


class CountingStore:
    """A store that counts the requests made to it."""

    def __init__(self, inner: MemoryGrants) -> None:
        self.inner = inner
        self.requests = 0

    async def grant(self, want: int, rate: int) -> Grant:
        self.requests += 1
        return await self.inner.grant(want, rate)


def budget(store: object, rate: int, time: FakeTime) -> SharedBudget:
    return SharedBudget(store, rate, timer=time, sleep=time.sleep)  # type: ignore[arg-type]


async def sends(budgets: list[SharedBudget], count: int, time: FakeTime) -> collections.Counter[int]:
    """``count`` sends at once, spread over the budgets; how many went out in each second."""
    seconds = collections.Counter[int]()

    async def one(n: int) -> None:
        await budgets[n % len(budgets)].acquire()
        seconds[math.floor(time())] += 1

    await asyncio.gather(*(one(n) for n in range(count)))
    return seconds


async def test_100_sends_at_25_a_second_take_four_seconds_of_25() -> None:
    """One process, 100 sends at 25 a second: 25 in each of four seconds, none in a fifth."""
    time = FakeTime(START)
    seconds = await sends([budget(MemoryGrants(time), 25, time)], 100, time)
    assert sorted(seconds.items()) == [(int(START) + n, 25) for n in range(4)]


async def test_three_processes_sharing_a_store_never_pass_the_rate_together() -> None:
    """Three budgets on one store (three processes on one database), 300 sends at 30 a second: no
    second holds more than 30, and the rate is mostly used (300 in at most 12 seconds)."""
    time = FakeTime(START)
    store = MemoryGrants(time)
    seconds = await sends([budget(store, 30, time) for _ in range(3)], 300, time)
    assert max(seconds.values()) == 30
    assert sum(seconds.values()) == 300 and len(seconds) <= 12  # sends granted as a second ends go unused


async def test_a_grant_at_the_very_end_of_its_second_is_not_spent() -> None:
    """Asked 30 ms before a second ends, the budget waits for the next second: a send then could
    reach Telegram in the next second, on top of that second's full rate."""
    time = FakeTime(START + 0.97)
    await budget(MemoryGrants(time), 25, time).acquire()
    assert time() >= START + 1


async def test_sends_waiting_together_make_one_request_to_the_store() -> None:
    """50 sends waiting at once in one process at 1,000 a second take one grant of 100 between them."""
    time = FakeTime(START)
    store = CountingStore(MemoryGrants(time))
    await sends([budget(store, 1000, time)], 50, time)
    assert store.requests == 1 and chunk_for(1000) == 100


def test_a_chunk_is_a_tenth_of_the_rate_and_at_least_one() -> None:
    """A tenth of the rate, so a fast sender makes about ten requests a second."""
    assert [chunk_for(rate) for rate in (1, 9, 25, 30, 1000)] == [1, 1, 2, 3, 100]
