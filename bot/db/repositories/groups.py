"""Groups told that the coach serves private chats only (``told_groups``): one row per group."""

from __future__ import annotations

from bot.db.engine import insert_for
from bot.db.models import ToldGroup
from bot.db.repositories.base import Repository


class GroupRepository(Repository):
    """Which groups were told already."""

    async def mark_told(self, chat_id: int) -> bool:
        """Remember the group as told; True only for the call that stored it first.

        One ``INSERT ... ON CONFLICT DO NOTHING``: of two processes racing on the same group's
        first update, exactly one gets True (and sends the note).
        """
        insert = insert_for(self._dialect)
        stmt = insert(ToldGroup).values(chat_id=chat_id).on_conflict_do_nothing().returning(ToldGroup.chat_id)
        return (await self._session.scalar(stmt)) is not None
