"""A small in-memory Telegram behind python-telegram-bot's request seam.

`OfflineBotApi` is a `telegram.request.BaseRequest`: hand it to
`ApplicationBuilder().request(api).get_updates_request(api)` and every Bot API call the bot makes is
answered here, offline, the way Telegram would answer it. It is also the runner's side of the chat:
`text`, `press`, `location`, `sticker` and `photo` build updates as Telegram would deliver them;
`enqueue` hands one to `getUpdates` and `deliver` to `Application.process_update`.

By job: `wire` decodes parameters as they travel and shapes errors; `state` holds the chats, the
events and the calls and reads them; `methods` answers the Bot API methods the coach uses; `runner`
builds the runner's updates; `api` is the `BaseRequest` that joins them.
"""

from bot.console.transport.api import OfflineBotApi, WireRecorder
from bot.console.transport.methods import BLOCKED, NOT_MODIFIED, QUERY_INVALID, UNSUPPORTED
from bot.console.transport.state import ApiCall, Button, CallbackAnswer, ChatEvent, ChatMessage, keyboard_rows
from bot.console.transport.wire import ApiError, JSONDict, decode_params, decode_request_data, split_bot_url

__all__ = [
    "BLOCKED",
    "NOT_MODIFIED",
    "QUERY_INVALID",
    "UNSUPPORTED",
    "ApiCall",
    "ApiError",
    "Button",
    "CallbackAnswer",
    "ChatEvent",
    "ChatMessage",
    "JSONDict",
    "OfflineBotApi",
    "WireRecorder",
    "decode_params",
    "decode_request_data",
    "keyboard_rows",
    "split_bot_url",
]
