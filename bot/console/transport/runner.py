"""The runner's side of the chat: the updates Telegram would deliver when the runner types, presses
a button, shares a location or sends a sticker or photo, and the ways to hand them to the bot
(a document's contents too, for
`getFile` and its download; `enqueue` for its `getUpdates`, `deliver` straight to `Application.process_update`)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot.console.transport.state import ChatState, PendingQuery
from bot.console.transport.wire import JSONDict, utf16_len

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.ext import Application


class RunnerSide(ChatState):
    """`ChatState` plus the runner's actions."""

    def text(self, user_id: int, text: str, first_name: str = "Runner", *, chat_id: int | None = None) -> JSONDict:
        """The update for the runner typing `text` in their private chat, or in group `chat_id`
        (a negative id) (commands get their `bot_command` entity, as Telegram adds it, so
        `CommandHandler` matches)."""
        content: JSONDict = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._user_message(user_id, first_name, "text", content, chat_id)

    def press(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        first_name: str = "Runner",
        *,
        chat_id: int | None = None,
    ) -> JSONDict:
        """The update for the runner pressing an inline button with `callback_data` under the bot's
        message `message_id` (sent as the message is now) in their private chat, or in group
        `chat_id`. Any data may be sent, as a modified client could; the message itself must exist."""
        chat = self.chat(user_id if chat_id is None else chat_id)
        chat.blocked = False
        message = chat.messages.get(message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in chat {chat.chat_id} to press a button on")
        query_id = f"{user_id}{next(self.query_ids):08d}"
        self.queries[query_id] = PendingQuery(user_id, chat.chat_id, message_id, callback_data)
        query: JSONDict = {
            "id": query_id,
            "from": _user_json(user_id, first_name),
            "chat_instance": f"ci{user_id}",
            "message": copy.deepcopy(message.data),
            "data": callback_data,
        }
        return {"update_id": next(self.update_ids), "callback_query": query}

    def location(self, user_id: int, lat: float, lon: float, first_name: str = "Runner") -> JSONDict:
        """The update for the runner sharing a location."""
        content = {"location": {"latitude": lat, "longitude": lon}}
        return self._user_message(user_id, first_name, "location", content)

    def sticker(self, user_id: int, emoji: str = "👍", first_name: str = "Runner") -> JSONDict:
        """The update for the runner sending a sticker."""
        unique = next(self.file_ids)
        sticker = {
            "file_id": f"sticker-{unique}",
            "file_unique_id": f"usticker-{unique}",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": emoji,
        }
        return self._user_message(user_id, first_name, "sticker", {"sticker": sticker})

    def photo(self, user_id: int, caption: str | None = None, first_name: str = "Runner") -> JSONDict:
        """The update for the runner sending a photo (optionally captioned)."""
        unique = next(self.file_ids)
        sizes = [(90, 1200), (1280, 98000)]
        content: JSONDict = {
            "photo": [
                {
                    "file_id": f"uphoto-{unique}",
                    "file_unique_id": f"uup-{unique}",
                    "width": side,
                    "height": side,
                    "file_size": size,
                }
                for side, size in sizes
            ]
        }
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, first_name, "photo", content)

    def document(
        self, user_id: int, data: bytes, file_name: str, first_name: str = "Runner", *, size: int | None = None
    ) -> JSONDict:
        """The update for the runner sending a file as a document; its contents are kept for
        ``getFile`` and the download (``size`` overrides the size Telegram announces)."""
        unique = next(self.file_ids)
        file_id = f"udoc-{unique}"
        self.files[file_id] = (f"documents/file_{unique}{_suffix(file_name)}", bytes(data))
        document = {
            "file_id": file_id,
            "file_unique_id": f"uud-{unique}",
            "file_name": file_name,
            "mime_type": "text/calendar" if file_name.lower().endswith(".ics") else "application/octet-stream",
            "file_size": len(data) if size is None else size,
        }
        return self._user_message(user_id, first_name, "document", {"document": document})

    def download(self, file_path: str) -> bytes | None:
        """The contents of a file ``getFile`` named, as ``/file/bot<token>/<file_path>`` serves it."""
        return next((data for path, data in self.files.values() if path == file_path), None)

    def enqueue(self, update: JSONDict) -> int:
        """Queue an update for the bot's next `getUpdates`; returns its update_id."""
        self.updates.append(copy.deepcopy(update))
        self.notify()
        return int(update["update_id"])

    @staticmethod
    def to_update(update: JSONDict, bot: Bot) -> Update:
        """The `telegram.Update` python-telegram-bot would build from this update JSON."""
        return Update.de_json(copy.deepcopy(update), bot)

    async def deliver(self, application: Application[Any, Any, Any, Any, Any, Any], update: JSONDict) -> None:
        """Process the update with `application.process_update`, as if polled (the coach's
        `process_received`, when the application has it, also takes the update's JSON as sent)."""
        parsed = self.to_update(update, application.bot)
        received = getattr(application, "process_received", None)
        if received is None:
            await application.process_update(parsed)
        else:
            await received(parsed, update)

    def _user_message(
        self, user_id: int, first_name: str, kind: str, content: JSONDict, chat_id: int | None = None
    ) -> JSONDict:
        chat = self.chat(user_id if chat_id is None else chat_id)
        if chat_id is None:
            chat.first_name = first_name
        chat.blocked = False  # writing to a bot unblocks it
        message = self.new_message(chat, _user_json(user_id, first_name), content, from_bot=False, kind=kind)
        return {"update_id": next(self.update_ids), "message": message.data}


def _suffix(file_name: str) -> str:
    """The file's extension as Telegram keeps it in a file path (``.ics``), or none."""
    _, dot, ext = file_name.rpartition(".")
    return f".{ext[:8]}" if dot and ext.isalnum() else ""


def _user_json(user_id: int, first_name: str) -> JSONDict:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
