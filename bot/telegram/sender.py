"""The Telegram side of the sender port: inline keyboards from buttons, a blocked bot as RecipientGone."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.services.ports import Outgoing, RecipientGone


def markup(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in message.buttons]
    )


class BotSender:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, message: Outgoing) -> int:
        try:
            sent = await self._bot.send_message(chat_id, message.text, reply_markup=markup(message))
        except Forbidden as exc:
            raise RecipientGone(str(exc)) from exc
        return sent.message_id

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        try:
            await self._bot.edit_message_text(
                message.text, chat_id=chat_id, message_id=message_id, reply_markup=markup(message)
            )
        except Forbidden as exc:
            raise RecipientGone(str(exc)) from exc
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
