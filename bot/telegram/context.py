"""Typed dependencies for handlers: ``context.deps`` instead of string look-ups in ``bot_data``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.coach.intents import IntentParser
from bot.coach.library import Library
from bot.config import Settings
from bot.content.ui import Ui
from bot.services.briefs import BriefSource, UpdateBrief
from bot.services.chat import Chat
from bot.services.feeds import Feeds
from bot.services.import_usecases import Imports
from bot.services.inbox import Inbox, InboxUnavailable
from bot.services.inbox_rows import Incoming
from bot.services.ports import Outgoing, Sender
from bot.services.runner_data import RunnerData
from bot.services.usecases import Coach
from bot.telegram.compose import LoopComposer
from bot.telegram.history_render import HistoryRenderer
from bot.telegram.import_render import ImportRender
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer
from bot.telegram.signing import Signer


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    coach: Coach  # every use case, with its unit of work, the library and the clock bound once
    library: Library
    ui: Ui
    render: Renderer
    loop_render: LoopRenderer
    sender: Chat  # the one way out: sends, edits, replies with a keyboard, answers taps
    broadcast: Sender  # the dispatcher's way out: the same bot, in the rate limiter's broadcast lane
    composer: LoopComposer
    intents: IntentParser
    signer: Signer  # signs every button's data for its chat, and checks the taps that come back
    inbox: Inbox  # every update is stored and claimed here before it is handled
    data: RunnerData  # the runner's own data: history, export, import
    history_render: HistoryRenderer  # /history, /stats and /export in words, chart and files
    feeds: Feeds  # the runners' private calendar feed links, and what they serve
    imports: Imports  # importing a training calendar (a file or a feed link)
    import_render: ImportRender
    briefs: BriefSource  # the update's sender as stored, read once per update (``CoachContext.brief``)


log = structlog.get_logger(__name__)


class BotData:
    """The application-wide data PTB hands every callback; it holds the dependencies only."""

    deps: Deps


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """python-telegram-bot makes one context per update and hands it to every handler group."""

    _brief: UpdateBrief | None = None
    _brief_of: int | None = None

    @classmethod
    def from_update(cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]) -> CoachContext:
        """The context, holding the sender's brief when the update's claim read it."""
        context = super().from_update(update, application)
        if isinstance(update, Update) and isinstance(application, CoachApplication):
            claimed = application.claimed_briefs.get(update.update_id)
            if claimed is not None and update.effective_user is not None:
                context._brief, context._brief_of = claimed, update.effective_user.id
        return context

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps

    async def brief(self, user_id: int) -> UpdateBrief:
        """The sender as stored when this update arrived: read by the first gate that asks, then
        shared by the later gates and a read-only question's handler (never across updates)."""
        if self._brief is None or self._brief_of != user_id:
            self._brief, self._brief_of = await self.deps.briefs(user_id), user_id
        return self._brief

    def forget_brief(self) -> None:
        """Something this update did changed the runner: whoever asks next reads them again."""
        self._brief = None


class CoachApplication(Application[ExtBot[None], CoachContext, dict[Any, Any], dict[Any, Any], BotData, Any]):
    """python-telegram-bot's ``Application``, with every update going through the inbox.

    ``process_update`` is the one door every update passes (the webhook's queue, the polling
    loop, updates found pending, tests' direct calls), so it is where an update is claimed
    before its handlers run and marked handled after: a replayed update is a no-op there.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the brief each update being handled here was claimed with, by update_id, for its context;
        # gone once the update is (nothing of a runner outlives their update)
        self.claimed_briefs: dict[int, UpdateBrief] = {}
        # the JSON of updates handed on with it (``receive``, ``process_received``), by update_id,
        # until their claim: the claim stores it as it came instead of turning the update back
        # into JSON (``Update.to_dict``: 0.1 to 0.2 ms of CPU an update, paid twice when polling)
        self._payloads: dict[int, dict[str, Any]] = {}

    async def receive(self, updates: Sequence[tuple[Update, dict[str, Any]]]) -> bool:
        """Store the updates (with their JSON) before Telegram is told they arrived, for the caller to
        process at once; False, with each runner told once, if the database cannot be reached."""
        inbox = self.bot_data.deps.inbox
        try:
            await inbox.store([_incoming(update, payload) for update, payload in updates])
        except Exception as error:
            if not inbox.unavailable(error):
                raise
            log.warning("inbox.store_failed", error=type(error).__name__)
            for update, _payload in updates:
                await tell_trouble(self.bot_data.deps, update)
            return False
        inbox.queued(update.update_id for update, _payload in updates)  # every caller hands them on at once
        self._payloads.update((update.update_id, payload) for update, payload in updates)
        return True

    async def process_received(self, update: Update, payload: dict[str, Any]) -> None:
        """:meth:`process_update` for an update whose JSON the caller holds, as Telegram sent it
        (the offline transport, the console): the claim stores that JSON."""
        self._payloads[update.update_id] = payload
        await self.process_update(update)

    async def process_update(self, update: object) -> None:
        """Claim, handle, mark handled; raises :class:`InboxUnavailable` if the database went away
        (the update is then not handled yet: it is handled when redelivered or found pending)."""
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        inbox = self.bot_data.deps.inbox
        payload = self._payloads.pop(update.update_id, None)
        try:
            claimed, brief = await inbox.claim_briefed(_incoming(update, payload), brief=_gated(update))
        except Exception as error:
            if not inbox.unavailable(error):
                raise
            await tell_trouble(self.bot_data.deps, update)
            raise InboxUnavailable(f"update {update.update_id} not claimed") from error
        if not claimed:
            log.info("inbox.not_claimed", update_id=update.update_id)  # handled, or being handled
            return
        if brief is not None:
            self.claimed_briefs[update.update_id] = brief
        try:
            await super().process_update(update)
        except BaseException:
            inbox.let_go(update.update_id)
            raise
        finally:
            self.claimed_briefs.pop(update.update_id, None)
        if inbox.failed(update.update_id):
            raise InboxUnavailable(f"update {update.update_id} met a database outage")
        await inbox.done(update.update_id)

    async def handle_pending(self) -> int:
        """Handle the stored updates no process is handling (left by a process that died, or not
        yet handled), oldest first; how many were found. While the database is out of reach this
        does nothing (the next sweep tries again)."""
        inbox = self.bot_data.deps.inbox
        try:
            payloads = await inbox.pending()
            for payload in payloads:
                await self.process_update(Update.de_json(payload, self.bot))
        except Exception as error:
            if not isinstance(error, InboxUnavailable) and not inbox.unavailable(error):
                raise
            log.warning("inbox.pending_postponed", error=type(error).__name__)
            return 0
        return len(payloads)


async def tell_trouble(deps: Deps, update: Update) -> None:
    """Tell the runner, once per outage, that the coach is having trouble and will catch up."""
    chat = update.effective_chat
    if chat is None or chat.type != "private" or not deps.inbox.first_trouble(chat.id):
        return
    try:
        await deps.sender.send(chat.id, Outgoing(deps.ui.general.trouble))
    except Exception as error:  # Telegram may be out of reach too; the update is not lost either way
        log.warning("inbox.trouble_not_sent", error=type(error).__name__)


def _gated(update: Update) -> bool:
    """Whether the gates in front of every handler read the sender's brief for this update (a new
    message or a tap from a user: ``bot.telegram.rhythm_handlers.heard_gate``)."""
    return update.effective_user is not None and (update.message is not None or update.callback_query is not None)


def _incoming(update: Update, payload: dict[str, Any] | None) -> Incoming:
    user = update.effective_user
    return Incoming(update.update_id, user.id if user else None, payload if payload is not None else update.to_dict())
