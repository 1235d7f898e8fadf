"""Forgetting a runner: everything the bot stores about one Telegram user, in every table.

``/delete`` (``bot/telegram/delete_handlers.py``) calls :func:`forget_runner` through
``Coach.forget``, in one unit of work. python-telegram-bot keeps nothing about anyone (no
persistence, no ``user_data``), so the database is all there is to erase.
"""

from __future__ import annotations

from bot.services.ports import UnitOfWork


async def forget_runner(work: UnitOfWork, telegram_id: int) -> bool:
    """Erase the runner with this Telegram id: their account, calendar, state, plans, check-ins,
    reviews, due messages and deliveries, their calendar feed link (its URL then answers 404),
    their updates in the inbox (one still to handle holds their words), and their onboarding
    answers (kept before an account exists). Whether a group
    was told the coach serves private chats only is the group's, not theirs, and stays. False if
    nothing was stored. The caller commits.
    """
    await work.feeds.forget(telegram_id)  # the link stops working with the account
    found = await work.runners.delete(telegram_id)
    await work.inbox.forget(telegram_id)  # not "found": the /delete itself is in the inbox
    if await work.answers.get_all(telegram_id):
        await work.answers.clear(telegram_id)
        found = True
    return found
