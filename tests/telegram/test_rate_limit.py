"""The bot's rate limiter (``bot.telegram.rate_limit``) on a fake clock: replies before the fan-out,
the fan-out earliest due first, about one message a second per chat, the overall rate kept; and
through a real bot on the offline Bot API, paid broadcasts flagged and paced at their own rate."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from fakes import FakeMonotonic as FakeTime
from telegram.ext import ExtBot

from bot.console.transport import OfflineBotApi
from bot.services.ports import SENDING_DUE, Outgoing
from bot.telegram.rate_limit import BROADCAST, Lane, LaneLimiter
from bot.telegram.sender import BotSender

TOKEN = "123456789:offline-coach-token-0000"
SEVEN = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


class Sent:
    """The requests the limiter let through: (fake time, chat, what)."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.log: list[tuple[float, int, str]] = []
        self.twenty = asyncio.Event()  # set once 20 requests went through

    async def request(self, limiter: LaneLimiter, chat: int, what: str, lane: Lane | None = None, **data: Any) -> None:
        async def call() -> bool:
            self.log.append((round(self.time.now, 4), chat, what))
            if len(self.log) == 20:
                self.twenty.set()
            return True

        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat, **data}, lane)

    @property
    def order(self) -> list[str]:
        return [what for *_, what in self.log]

    @property
    def times(self) -> list[float]:
        return [at for at, *_ in self.log]


def limiter_on(time: FakeTime, **kwargs: Any) -> LaneLimiter:
    return LaneLimiter(clock=time.clock, sleep=time.sleep, **kwargs)


async def test_replies_go_before_the_fan_out_and_the_fan_out_earliest_due_first() -> None:
    """With prompts already waiting, replies to runners still go first; the prompts follow in the
    order they fell due, not the order they were handed over, one turn per tenth of a second."""
    time = FakeTime()
    limiter, sent = limiter_on(time, rate=10), Sent(time)
    prompts = [
        sent.request(limiter, 100 + n, f"prompt {n}", Lane(BROADCAST, SEVEN - dt.timedelta(minutes=n)))
        for n in range(4)
    ]
    replies = [sent.request(limiter, 200 + n, f"reply {n}") for n in range(2)]
    await asyncio.gather(*prompts, *replies)
    assert sent.order == ["reply 0", "reply 1", "prompt 3", "prompt 2", "prompt 1", "prompt 0"]
    assert sent.times == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5])


async def test_a_reply_arriving_mid_fan_out_takes_the_next_turn() -> None:
    """A reply that arrives while a long fan-out waits goes at the next free turn, not behind it."""
    time = FakeTime()
    limiter, sent = limiter_on(time, rate=10), Sent(time)
    fan_out = asyncio.gather(*(sent.request(limiter, 100 + n, "prompt", Lane(BROADCAST, SEVEN)) for n in range(50)))
    await sent.twenty.wait()
    await sent.request(limiter, 7, "reply")
    await fan_out
    assert sent.order.index("reply") in (20, 21)


async def test_one_chat_gets_a_short_burst_then_one_message_a_second() -> None:
    """Three messages to one chat go at once, then one a second; another chat's message waits for none of them."""
    time = FakeTime()
    limiter, sent = limiter_on(time, rate=100, per_chat=1.0, chat_burst=3), Sent(time)
    await asyncio.gather(
        *(sent.request(limiter, 1, f"to one {n}") for n in range(5)), sent.request(limiter, 2, "other")
    )
    to_one = [at for at, chat, _ in sent.log if chat == 1]
    assert to_one == pytest.approx([0.0, 0.01, 0.02, 1.0, 2.0], abs=1e-6)
    assert [at for at, chat, _ in sent.log if chat == 2] == pytest.approx([0.03])


async def test_no_second_carries_more_than_the_overall_rate() -> None:
    """100 prompts to 100 runners at 30 a second: no second holds more than 30, and they take 3.3 s."""
    time = FakeTime()
    limiter, sent = limiter_on(time, rate=30), Sent(time)
    await asyncio.gather(*(sent.request(limiter, n, "prompt", Lane(BROADCAST, SEVEN)) for n in range(100)))
    for start in sent.times:
        assert sum(1 for at in sent.times if start <= at < start + 1.0 - 1e-9) <= 30
    assert sent.times[-1] == pytest.approx(99 / 30)


async def test_paid_broadcasts_draw_from_their_own_rate() -> None:
    """Paid broadcasts go at up to 1,000 a second, beside the free 30: 100 of them take a tenth of a
    second, and a reply meanwhile does not wait behind them."""
    time = FakeTime()
    limiter, sent = limiter_on(time, rate=30, paid_rate=1000), Sent(time)
    paid = [sent.request(limiter, n, "paid", Lane(BROADCAST, SEVEN), allow_paid_broadcast=True) for n in range(100)]
    await asyncio.gather(*paid, sent.request(limiter, 999, "reply"))
    assert max(sent.times) == pytest.approx(0.099)
    assert [at for at, chat, _ in sent.log if chat == 999] == [0.0]


async def test_calls_without_a_chat_are_not_paced() -> None:
    """Answering a tap (no chat_id) goes at once, whatever waits, and takes no turn from anyone."""
    time = FakeTime()
    limiter = limiter_on(time, rate=1)

    async def call() -> bool:
        return True

    waiting = asyncio.gather(
        *(limiter.process_request(call, (), {}, "sendMessage", {"chat_id": n}, None) for n in range(3))
    )
    await asyncio.sleep(0)
    assert await limiter.process_request(call, (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None)
    assert time.now == 0.0
    await waiting
    assert time.now == pytest.approx(2.0)


async def test_a_paid_broadcast_reaches_telegram_flagged(api: OfflineBotApi) -> None:
    """The dispatcher's sender with ALLOW_PAID_BROADCAST sends allow_paid_broadcast=True to the Bot
    API; a reply (the handlers' sender) never carries it."""
    bot = ExtBot(TOKEN, request=api, get_updates_request=api, rate_limiter=LaneLimiter())
    await bot.initialize()
    try:
        token = SENDING_DUE.set(SEVEN)
        try:
            await BotSender(bot, lane=BROADCAST, paid=True).send(4242, Outgoing("Today: strength"))
        finally:
            SENDING_DUE.reset(token)
        await BotSender(bot).send(4242, Outgoing("Got it"))
    finally:
        await bot.shutdown()
    flags = [call.params.get("allow_paid_broadcast") for call in api.calls_to("sendMessage")]
    assert flags == ["true", None]  # as it goes over the wire


def test_only_a_broadcast_may_be_paid(api: OfflineBotApi) -> None:
    """A reply sender asked to pay is a wiring mistake, refused at once."""
    with pytest.raises(ValueError, match="broadcast"):
        BotSender(ExtBot(TOKEN, request=api), paid=True)
