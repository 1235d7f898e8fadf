"""The port of the bot's sending budget: Telegram's broadcast limit (about 30 messages a second) is
per bot, not per process, so every process that sends prompts draws from one budget.

``bot.telegram`` paces each broadcast send through ``acquire`` before it goes out; an in-process
budget serves a single process, a database-backed one shares the rate among any number of them."""

from __future__ import annotations

from typing import Protocol


class SendBudget(Protocol):
    """Permission to send broadcast messages (prompts, reviews) at the bot's configured rate."""

    async def acquire(self) -> None:
        """Wait until one more broadcast message may go out now, and take it from the budget."""
        ...
