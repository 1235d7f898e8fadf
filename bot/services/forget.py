"""Forgetting a runner: everything the bot stores about one Telegram user, in every table.

``/delete`` (``bot/telegram/delete_handlers.py``) calls :func:`forget_runner` in a unit of work,
commits, and then drops the running ``Application``'s in-memory copy of the user's and chat's
data (``application.drop_user_data``/``drop_chat_data``), which no database reaches.
"""

from __future__ import annotations

from bot.services.ports import UnitOfWork


async def forget_runner(work: UnitOfWork, telegram_id: int) -> bool:
    """Erase the runner with this Telegram id: their account, calendar, state, plans, check-ins,
    reviews, due messages and deliveries, their onboarding answers (kept before an account
    exists), and the chat framework's data for the user and their private chat. A group chat's
    data is not theirs alone and stays. False if nothing was stored. The caller commits.
    """
    brief = await work.runners.brief(telegram_id)
    chat_ids = {telegram_id}  # a private chat has the user's id
    if brief is not None and brief.chat_id > 0:  # negative ids are groups
        chat_ids.add(brief.chat_id)
    found = await work.runners.delete(telegram_id)
    if await work.answers.get_all(telegram_id):
        await work.answers.clear(telegram_id)
        found = True
    return await work.chat_state.forget(telegram_id, chat_ids) or found
