"""python-telegram-bot state kept in SQL survives a restart of the Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PersistenceInput,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bot.db.engine import create_engine, session_factory
from bot.db.models import PtbChatData, PtbConversation, PtbUserData, encode_conversation_key
from bot.db.persistence import SqlPersistence

TOKEN = "123:ABC"
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}
ADA = 4242
ASK_NAME, ASK_GOAL = range(2)


class CannedRequest(BaseRequest):
    """A Bot API stand-in: answers getMe and sendMessage offline and records what was sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        result: Any = True
        if endpoint == "getMe":
            result = BOT_USER
        elif endpoint == "sendMessage":
            self.sent.append(str(params["text"]))
            result = {
                "message_id": len(self.sent),
                "date": 0,
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params["text"],
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Begin onboarding."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("What's your name?")
    return ASK_NAME


async def got_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Remember the name, ask for the goal."""
    assert update.effective_message is not None and context.user_data is not None
    assert context.chat_data is not None
    context.user_data["name"] = update.effective_message.text
    context.chat_data["asked"] = ["name"]
    context.bot_data["runners"] = 1
    await update.effective_message.reply_text("Your goal?")
    return ASK_GOAL


async def got_goal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Greet by the name remembered before the restart, and finish."""
    assert update.effective_message is not None and context.user_data is not None
    await update.effective_message.reply_text(f"Thanks {context.user_data['name']}: {update.effective_message.text}")
    return ConversationHandler.END


def build_app(
    engine: AsyncEngine, request: CannedRequest, *, update_interval: float = 60
) -> Application[Any, Any, Any, Any, Any, Any]:
    persistence = SqlPersistence(session_factory(engine), update_interval=update_interval)
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(CannedRequest())
        .persistence(persistence)
        .updater(None)
        .build()
    )
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                ASK_NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_name)],
                ASK_GOAL: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_goal)],
            },
            fallbacks=[],
            name="onboarding",
            persistent=True,
        )
    )
    return app


_update_ids = iter(range(1, 10_000))


def message(app: Application[Any, Any, Any, Any, Any, Any], text: str, user_id: int = ADA) -> Update:
    update_id = next(_update_ids)
    payload: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC).timestamp()),
            "chat": {"id": user_id, "type": "private", "first_name": "Ada"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada"},
            "text": text,
        },
    }
    if text.startswith("/"):
        payload["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.de_json(payload, app.bot)


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_conversation_and_user_data_survive_a_restart(migrated_url: str, engine: AsyncEngine) -> None:
    """A conversation halfway through, and the data it stored, carry on in a brand-new Application."""
    first_request = CannedRequest()
    first = build_app(engine, first_request)
    await first.initialize()
    await first.process_update(message(first, "/start"))
    await first.process_update(message(first, "Ada"))
    await first.shutdown()  # writes everything once more and flushes
    assert first_request.sent == ["What's your name?", "Your goal?"]

    restarted_engine = create_engine(migrated_url)
    try:
        second_request = CannedRequest()
        second = build_app(restarted_engine, second_request)
        await second.initialize()
        assert second.user_data[ADA] == {"name": "Ada"}
        assert second.chat_data[ADA] == {"asked": ["name"]}
        assert second.bot_data == {"runners": 1}

        await second.process_update(message(second, "sub-20 5k"))
        await second.shutdown()
        assert second_request.sent == ["Thanks Ada: sub-20 5k"]
    finally:
        await restarted_engine.dispose()

    async with engine.connect() as connection:
        conversations = (await connection.execute(select(PtbConversation.key))).all()
    assert conversations == []  # an ended conversation leaves no row behind


async def test_running_application_writes_every_update_interval(engine: AsyncEngine) -> None:
    """While the Application runs, state reaches the database within the update interval."""
    app = build_app(engine, CannedRequest(), update_interval=0.05)
    await app.initialize()
    await app.start()
    try:
        await app.process_update(message(app, "/start"))
        key = encode_conversation_key((ADA, ADA))
        state = None
        for _ in range(100):
            await asyncio.sleep(0.02)
            async with engine.connect() as connection:
                state = (
                    await connection.execute(select(PtbConversation.state).where(PtbConversation.key == key))
                ).scalar_one_or_none()
            if state is not None:
                break
        assert state == ASK_NAME
    finally:
        await app.stop()
        await app.shutdown()


async def test_dropped_user_and_chat_data_are_deleted(engine: AsyncEngine) -> None:
    """Application.drop_user_data and drop_chat_data remove the rows, not just the contents."""
    app = build_app(engine, CannedRequest())
    await app.initialize()
    await app.process_update(message(app, "/start"))
    await app.process_update(message(app, "Ada"))
    await app.update_persistence()

    async with engine.connect() as connection:
        assert (await connection.execute(select(PtbUserData.user_id))).scalars().all() == [ADA]
        assert (await connection.execute(select(PtbChatData.chat_id))).scalars().all() == [ADA]

    app.drop_user_data(ADA)
    app.drop_chat_data(ADA)
    await app.update_persistence()
    await app.shutdown()

    async with engine.connect() as connection:
        assert (await connection.execute(select(PtbUserData.user_id))).scalars().all() == []
        assert (await connection.execute(select(PtbChatData.chat_id))).scalars().all() == []


async def test_data_round_trips_through_the_persistence_api(engine: AsyncEngine) -> None:
    """Each kind of data written through the persistence comes back from a new instance, replaced on rewrite."""
    persistence = SqlPersistence(session_factory(engine))
    await persistence.update_user_data(1, {"a": [1, 2]})
    await persistence.update_user_data(1, {"a": [3]})
    await persistence.update_chat_data(-100, {"group": True})
    await persistence.update_bot_data({"version": 2})
    await persistence.update_conversation("flow", (7, 8), "asking")
    await persistence.update_conversation("flow", (9,), 2)
    await persistence.update_conversation("flow", (9,), None)
    await persistence.flush()

    fresh = SqlPersistence(session_factory(engine))
    assert await fresh.get_user_data() == {1: {"a": [3]}}
    assert await fresh.get_chat_data() == {-100: {"group": True}}
    assert await fresh.get_bot_data() == {"version": 2}
    assert await fresh.get_conversations("flow") == {(7, 8): "asking"}
    assert await fresh.get_conversations("other") == {}
    assert await fresh.get_callback_data() is None


async def test_data_json_cannot_hold_is_refused(engine: AsyncEngine) -> None:
    """Data that would come back changed after a restart (a tuple, an int key, a date) is refused."""
    persistence = SqlPersistence(session_factory(engine))
    for data in ({"pair": (1, 2)}, {1: "one"}, {"when": dt.date(2026, 1, 1)}):
        with pytest.raises(TypeError):
            await persistence.update_user_data(1, data)
    assert await persistence.get_user_data() == {}


def test_callback_data_is_never_stored(engine: AsyncEngine) -> None:
    """Asking SqlPersistence to store callback_data fails loudly; by default it is off."""
    sessions = session_factory(engine)
    assert SqlPersistence(sessions).store_data.callback_data is False
    with pytest.raises(ValueError, match="callback_data"):
        SqlPersistence(sessions, store_data=PersistenceInput())
