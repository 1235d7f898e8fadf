"""The rhythm's use cases, each in its own unit of work: the runner heard from, and the setting
that keeps only the lifting days' prompts (``bot.services.rhythm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import rhythm

if TYPE_CHECKING:
    from bot.services.usecases import Coach


async def heard(coach: Coach, telegram_id: int) -> None:
    """The runner tapped, typed or sent a command: stored (at most once an hour)."""
    now = coach.clock.now()
    async with coach.uow() as work:
        await rhythm.heard(work, telegram_id, now)
        await work.commit()
