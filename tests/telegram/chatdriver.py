"""Driving the real Application offline, as the runner in the chat.

``Runner`` is the person in the chat: it types, taps buttons by their label and reads what the
bot sent back, exactly as far as Telegram would show it (new messages, the pop-up of a tapped
button). Nothing of PTB or SQLAlchemy is mocked; the database is read back through the unit of
work the bot itself uses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx

from bot.app import build_application, start, stop
from bot.clock import FakeClock
from bot.coach.model import Profile
from bot.config import Settings
from bot.console.transport import ChatMessage, JSONDict, OfflineBotApi
from bot.content.ui import default_ui
from bot.services.accounts import RunnerAccount
from bot.services.feed_fetch import Resolver
from bot.telegram.context import CoachApplication
from bot.telegram.onboarding import ACTIVE, ASKED

# a Saturday, 10:00 in Berlin: the first plan shows the rest of this week and all of the next
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
RUNNER_ID = 4242
OTHER_ID = 5353

UI = default_ui()


def _normalise(label: str) -> str:
    """A button label without its check mark / tick decoration, case-folded."""
    return " ".join(re.sub(r"[✅✔]", " ", label).casefold().split())


class Runner:
    """One runner chatting with the bot: what they send, and what they then see."""

    def __init__(self, app: CoachApplication, api: OfflineBotApi, user_id: int, name: str = "Runner") -> None:
        self.app = app
        self.api = api
        self.user_id = user_id
        self.name = name
        self.replies: list[str] = []  # new messages the last action brought
        self.toasts: list[str | None] = []  # pop-ups of the callback queries the last action caused

    # -- acting --------------------------------------------------------------------------------

    async def send(self, update: JSONDict) -> list[str]:
        """Deliver one update; remember the new messages and pop-ups it caused."""
        marker = self.api.marker()
        answered = len(self.api.answered_callbacks(self.user_id))
        await self.api.deliver(self.app, update)
        self.replies = self.api.texts_since(self.user_id, marker)
        self.toasts = [a.text for a in self.api.answered_callbacks(self.user_id)[answered:]]
        assert UI.general.error not in self.replies, "a handler failed: the runner saw the error message"
        assert not self.api.unanswered_callbacks(), "a tapped button was never answered (it keeps spinning)"
        return self.replies

    async def say(self, text: str) -> list[str]:
        return await self.send(self.api.text(self.user_id, text, self.name))

    async def press(self, label: str) -> list[str]:
        """Tap the button labelled ``label`` (exact, else a unique substring) on the latest keyboard."""
        message = self.keyboard_message()
        wanted = _normalise(label)
        buttons = [b for b in message.inline_buttons if b.callback_data is not None]
        matches = [b for b in buttons if _normalise(b.text) == wanted] or [
            b for b in buttons if wanted in _normalise(b.text)
        ]
        labels = [b.text for b in buttons]
        assert len(matches) == 1, f"{label!r} does not pick one button among {labels}"
        data = matches[0].callback_data
        assert data is not None
        return await self.press_data(data, message.message_id)

    async def press_data(self, data: str, message_id: int | None = None) -> list[str]:
        """Send a callback query with any ``data`` (as a modified client could) on a bot message.
        Data the bot did not offer (unsigned, or not on that message) is refused at the gate."""
        if message_id is None:
            message_id = self.keyboard_message().message_id
        return await self.send(self.api.press(self.user_id, message_id, data, self.name))

    def sign(self, data: str) -> str:
        """``data`` signed for this runner's chat with the bot's own key, as its buttons are."""
        return self.app.bot_data.deps.signer.sign(self.user_id, data)

    async def press_offered(self, data: str, message_id: int | None = None) -> list[str]:
        """Tap ``data`` (the renderer's form, no MAC) as if the bot had put that button on the message:
        signed, and added to the message's keyboard when it is not there. This tests what the
        handlers check beyond the gate (a button of an earlier question, a day in the future...)."""
        if message_id is None:
            message_id = self.keyboard_message().message_id
        signed = self.sign(data)
        message = self.api.chat(self.user_id).messages[message_id]
        markup = message.data.setdefault("reply_markup", {"inline_keyboard": []})
        rows = markup.setdefault("inline_keyboard", [])
        if all(b.get("callback_data") != signed for row in rows for b in row):
            rows.append([{"text": data, "callback_data": signed}])
        return await self.send(self.api.press(self.user_id, message_id, signed, self.name))

    async def sticker(self) -> list[str]:
        return await self.send(self.api.sticker(self.user_id, first_name=self.name))

    async def photo(self, caption: str | None = None) -> list[str]:
        return await self.send(self.api.photo(self.user_id, caption, self.name))

    async def location(self, lat: float, lon: float) -> list[str]:
        return await self.send(self.api.location(self.user_id, lat, lon, self.name))

    async def steps(self, *script: str) -> list[str]:
        """Run a script: ``"#label"`` taps a button, ``"@lat,lon"`` shares a location, anything else
        is typed. Returns the replies to the last step."""
        for step in script:
            if step.startswith("#"):
                await self.press(step[1:])
            elif step.startswith("@"):
                lat, lon = step[1:].split(",")
                await self.location(float(lat), float(lon))
            else:
                await self.say(step)
        return self.replies

    # -- reading -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything the last action brought, as one string."""
        return "\n\n".join(self.replies)

    def keyboard_message(self) -> ChatMessage:
        message = self.api.last_with_buttons(self.user_id)
        assert message is not None, "no message with buttons in the chat"
        return message

    def labels(self) -> list[str]:
        """The labels of the inline buttons the runner can tap now."""
        return [b.text for b in self.keyboard_message().inline_buttons]

    def last_message(self) -> str:
        message = self.api.last_message(self.user_id)
        assert message is not None
        return message.plain_text

    def open_question(self) -> str:
        """The question the bot's latest message asks (without a greeting or re-ask before it)."""
        return self.last_message().rsplit("\n\n", 1)[-1]

    async def answers(self) -> dict[str, Any]:
        """The onboarding answers stored so far, without the bookkeeping of where onboarding is."""
        async with self.app.bot_data.deps.coach.uow() as work:
            stored = await work.answers.get_all(self.user_id)
        return {key: value for key, value in stored.items() if key not in (ACTIVE, ASKED)}

    async def account(self) -> RunnerAccount | None:
        async with self.app.bot_data.deps.coach.uow() as work:
            return await work.runners.get(self.user_id)

    async def profile(self) -> Profile:
        account = await self.account()
        assert account is not None and account.profile is not None, "the runner is not onboarded"
        return account.profile


def settings_for(url: str) -> Settings:
    """Settings for a test: only the database, nothing from the environment's token or .env."""
    return Settings(_env_file=None, database_url=url, telegram_bot_token=None)  # type: ignore[call-arg]


async def no_names(host: str, port: int) -> list[str]:
    """The tests' default resolver: no name resolves (no test looks a name up for real)."""
    raise OSError(f"offline test: {host} does not resolve")


def no_connections(request: httpx.Request) -> httpx.Response:
    """The tests' default feed transport: nothing connects (not even to a public IP literal)."""
    raise httpx.ConnectError("offline test: no connections", request=request)


async def start_application(
    url: str,
    clock: FakeClock,
    api: OfflineBotApi,
    *,
    feed_resolver: Resolver = no_names,
    feed_transport: httpx.AsyncBaseTransport | None = None,
) -> CoachApplication:
    """Build and start the application the way ``run_polling`` does, minus the polling; calendar
    feeds are fetched over the given fakes, and by default over none (nothing connects)."""
    transport = feed_transport or httpx.MockTransport(no_connections)
    app = build_application(
        settings_for(url), clock=clock, request=api, feed_resolver=feed_resolver, feed_transport=transport
    )
    await start(app)
    return app


async def stop_application(app: CoachApplication) -> None:
    """Stop it as ``run_polling`` ends: conversation states written, database engine closed."""
    await stop(app)
