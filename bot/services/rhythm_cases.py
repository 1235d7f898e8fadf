"""The rhythm's use cases, each in its own unit of work: the runner heard from, and the setting
that keeps only the lifting days' prompts (``bot.services.rhythm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import rhythm

if TYPE_CHECKING:
    from bot.services.usecases import Coach


async def heard(coach: Coach, telegram_id: int) -> None:
    """The runner tapped, typed or sent a command: stored, when the stored time is over an hour old
    (one conditional UPDATE; the caller asks first whether it is due, ``UpdateBrief.heard_due``)."""
    async with coach.uow() as work:
        await work.runners.heard(telegram_id, coach.clock.now(), rhythm.HEARD_EVERY)
        await work.commit()


async def prompts(coach: Coach, telegram_id: int, lifting_only: bool | None) -> bool | None:
    """Whether the runner keeps only the lifting days' prompts, after setting it to ``lifting_only``
    (None: only read); None for a runner not set up."""
    return await preference(coach, telegram_id, "lifting_prompts_only", lifting_only)


async def preference(coach: Coach, telegram_id: int, name: str, value: bool | None) -> bool | None:
    """One yes/no choice of the runner's (``lifting_prompts_only``, ``review_chart``) after setting
    it to ``value`` (None: only read); None for a runner not set up."""
    async with coach.uow() as work:
        brief = await work.runners.brief(telegram_id)
        if brief is None or not brief.onboarded:
            return None
        stored = bool(getattr(brief, name))
        if value is None or value == stored:
            return stored
        await work.runners.set_preferences(telegram_id, **{name: value})
        await work.commit()
    return value
