"""python-telegram-bot's stored data (``ptb_*`` tables, written by ``bot.db.persistence``),
as far as the services need it: forgetting a user and their chats."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select

from bot.db.models import PtbChatData, PtbConversation, PtbUserData, decode_conversation_key
from bot.db.repositories.base import Repository


class ChatStateRepository(Repository):
    """The user data, chat data and conversation states python-telegram-bot keeps in the database."""

    async def forget(self, user_id: int, chat_ids: Collection[int]) -> bool:
        """Erase the user's data, these chats' data and every conversation whose key holds any of
        their ids; False if there was nothing to erase.

        The running ``Application`` keeps its own in-memory copy: the caller drops it as well
        (``application.drop_user_data``/``drop_chat_data``).
        """
        session = self._session
        ids = {user_id, *chat_ids}
        found = False
        users = await session.execute(delete(PtbUserData).where(PtbUserData.user_id == user_id))
        found |= cast(CursorResult[Any], users).rowcount > 0
        if chat_ids:
            chats = await session.execute(delete(PtbChatData).where(PtbChatData.chat_id.in_(sorted(set(chat_ids)))))
            found |= cast(CursorResult[Any], chats).rowcount > 0
        ids_text = {str(i) for i in ids}
        candidates = await session.execute(
            select(PtbConversation.name, PtbConversation.key).where(
                or_(*(PtbConversation.key.contains(text) for text in sorted(ids_text)))
            )
        )
        for name, key in candidates.all():
            if ids_text & {str(part) for part in decode_conversation_key(key)}:
                await session.execute(
                    delete(PtbConversation).where(PtbConversation.name == name, PtbConversation.key == key)
                )
                found = True
        return found
