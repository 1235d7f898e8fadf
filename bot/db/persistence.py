"""python-telegram-bot persistence in the app's database, as JSON (never pickle).

Conversation states, ``user_data``, ``chat_data`` and ``bot_data`` live in the ``ptb_*`` tables
(see ``bot.db.models``). Writes go straight to the database whenever the ``Application`` hands
data over (every ``update_interval`` seconds and once more at shutdown), so ``flush`` has nothing
left to do. ``callback_data`` is not stored: buttons carry their own small payloads.

Only JSON-shaped data can be stored: dicts with string keys, lists, strings, numbers, booleans
and None. Anything else (a tuple, a date, an int dict key) is refused with a ``TypeError``
instead of silently coming back changed after a restart.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput

from bot.db.engine import upsert
from bot.db.models import (
    PtbBotData,
    PtbChatData,
    PtbConversation,
    PtbUserData,
    decode_conversation_key,
    encode_conversation_key,
)

Data = dict[Any, Any]
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

BOT_DATA_ROW = 1


def _json_shaped(value: Any, what: str) -> Any:
    """``value`` unchanged if JSON gives it back equal, else a ``TypeError`` naming ``what``."""
    try:
        same = json.loads(json.dumps(value)) == value
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} is not JSON-serialisable: {error}") from error
    if not same:
        raise TypeError(f"{what} does not survive JSON unchanged (tuples, non-string dict keys?): {value!r}")
    return value


class SqlPersistence(BasePersistence[Data, Data, Data]):
    """Stores PTB's conversations and data dicts in SQL tables through an async sessionmaker."""

    __slots__ = ("_lock", "_sessions")

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        update_interval: float = 60,
        store_data: PersistenceInput | None = None,
    ) -> None:
        store = store_data or PersistenceInput(callback_data=False)
        if store.callback_data:
            raise ValueError("SqlPersistence does not store callback_data; pass callback_data=False")
        super().__init__(store_data=store, update_interval=update_interval)
        self._sessions = sessions
        # PTB writes many keys concurrently (asyncio.gather); one writer at a time keeps SQLite
        # from juggling lock timeouts and makes each write a short transaction of its own.
        self._lock = asyncio.Lock()

    # -- reading -----------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, Data]:
        async with self._sessions() as session:
            rows = await session.execute(select(PtbUserData.user_id, PtbUserData.data))
            return {user_id: data for user_id, data in rows.all()}

    async def get_chat_data(self) -> dict[int, Data]:
        async with self._sessions() as session:
            rows = await session.execute(select(PtbChatData.chat_id, PtbChatData.data))
            return {chat_id: data for chat_id, data in rows.all()}

    async def get_bot_data(self) -> Data:
        async with self._sessions() as session:
            data = await session.scalar(select(PtbBotData.data).where(PtbBotData.id == BOT_DATA_ROW))
            return dict(data) if data is not None else {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._sessions() as session:
            rows = await session.execute(
                select(PtbConversation.key, PtbConversation.state).where(PtbConversation.name == name)
            )
            return {decode_conversation_key(key): state for key, state in rows.all()}

    # -- writing -----------------------------------------------------------------------------

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded = encode_conversation_key(key)
        async with self._lock, self._sessions() as session, session.begin():
            if new_state is None:
                await session.execute(
                    delete(PtbConversation).where(PtbConversation.name == name, PtbConversation.key == encoded)
                )
            else:
                state = _json_shaped(new_state, f"state of conversation {name!r}")
                await upsert(session, PtbConversation, {"name": name, "key": encoded, "state": state})

    async def update_user_data(self, user_id: int, data: Data) -> None:
        payload = _json_shaped(data, f"user_data of {user_id}")
        async with self._lock, self._sessions() as session, session.begin():
            await upsert(session, PtbUserData, {"user_id": user_id, "data": payload})

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        payload = _json_shaped(data, f"chat_data of {chat_id}")
        async with self._lock, self._sessions() as session, session.begin():
            await upsert(session, PtbChatData, {"chat_id": chat_id, "data": payload})

    async def update_bot_data(self, data: Data) -> None:
        payload = _json_shaped(data, "bot_data")
        async with self._lock, self._sessions() as session, session.begin():
            await upsert(session, PtbBotData, {"id": BOT_DATA_ROW, "data": payload})

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        async with self._lock, self._sessions() as session, session.begin():
            await session.execute(delete(PtbUserData).where(PtbUserData.user_id == user_id))

    async def drop_chat_data(self, chat_id: int) -> None:
        async with self._lock, self._sessions() as session, session.begin():
            await session.execute(delete(PtbChatData).where(PtbChatData.chat_id == chat_id))

    # -- refreshing and flushing ---------------------------------------------------------------

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Nothing to do: the bot keeps nothing about a runner in ``user_data`` (the database
        tables the services use are the only state), so it is not stored at all."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """A group's data (whether it was told the bot serves private chats only) as another
        process may have written it; private chats keep nothing here, so they cost no query."""
        if chat_id >= 0:
            return
        async with self._sessions() as session:
            stored = await session.scalar(select(PtbChatData.data).where(PtbChatData.chat_id == chat_id))
        if stored is not None:
            chat_data.clear()
            chat_data.update(stored)

    async def refresh_bot_data(self, bot_data: Data) -> None:
        """Nothing to do: one process owns the bot data, loaded once at start-up."""

    async def flush(self) -> None:
        """Nothing is buffered: every update above was written in its own transaction."""
