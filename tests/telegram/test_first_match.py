"""The handlers after the gates are asked as one (``bot.app.FirstMatch``): each update goes to the
handler python-telegram-bot itself picks when it asks every handler of the group in turn."""

from __future__ import annotations

from typing import Any

from chatdriver import RUNNER_ID
from telegram import Update

from bot.app import FirstMatch
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachApplication

TEXTS = (
    "/today",
    "/TODAY",
    "/today@coach_bot",
    "/today@other_bot",
    "/week extra args",
    "/nosuch",
    "/ today",
    "/settings@coach_bot",
    "/calendar",
    "/start",
    "/cancel",
    "what should I lift today?",
    "https://example.com/cal.ics",
    "",
)


def picked_one_by_one(handlers: list[Any], update: object) -> tuple[Any, object] | None:
    """python-telegram-bot's choice within a group: the first handler whose check matches."""
    for handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler, check
    return None


def same(a: tuple[Any, object] | None, b: tuple[Any, object] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a[0] is b[0] and repr(a[1]) == repr(b[1])


async def test_every_update_goes_to_the_handler_asking_them_one_by_one_picks(
    app: CoachApplication, api: OfflineBotApi
) -> None:
    (first_match,) = [h for h in app.handlers[0] if isinstance(h, FirstMatch)]
    handlers = first_match.handlers
    sent = api.text(RUNNER_ID, "/start")  # a bot message to press buttons under
    await api.deliver(app, sent)
    message = api.last_with_buttons(RUNNER_ID) or api.messages(RUNNER_ID)[-1]
    payloads: list[dict[str, Any]] = [api.text(RUNNER_ID, text) for text in TEXTS]
    datas = ["ck|done|x#AAAAAAAA", "set|open", "cal|show", "pr|ask|-", "nothing", "", "menu|x", "rf|1"]
    payloads += [api.press(RUNNER_ID, message.message_id, data) for data in datas]
    payloads += [api.location(RUNNER_ID, 52.5, 13.4), api.sticker(RUNNER_ID), api.photo(RUNNER_ID, "/today")]
    edited = api.text(RUNNER_ID, "/today")
    payloads.append({"update_id": edited["update_id"], "edited_message": edited["message"]})
    updates: list[object] = [api.to_update(payload, app.bot) for payload in payloads]
    updates += [object(), "/today"]
    matched = 0
    for update in updates:
        expected = picked_one_by_one(handlers, update)
        assert same(first_match.check_update(update), expected), update
        matched += expected is not None
    assert matched >= len(TEXTS) + len(datas) - 3  # most of them are someone's
    assert isinstance(updates[0], Update)
