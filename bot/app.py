"""The composition root: the one place that wires settings, database, content, handlers and lifecycle.

The real bot, `coach chat` and the tests all call ``build_application``; they differ only in
the Bot API transport and the clock they hand in.
"""

from __future__ import annotations

import os
import signal
from functools import partial
from typing import Any, cast

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand, Chat, Message, MessageEntity, Update, User
from telegram.error import RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseHandler,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.clock import Clock
from bot.coach.library import Library
from bot.config import Settings
from bot.content.loader import default_library, shipped_intent_parser
from bot.content.ui import Ui, default_ui
from bot.db.briefs import BriefReader
from bot.db.budget_repo import DatabaseGrants
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import current_revision, head_revision, is_newer, upgrade
from bot.db.outage import database_unavailable
from bot.db.storage import FileWatch
from bot.db.uow import unit_of_work_factory
from bot.db.update_work import UpdateClaims
from bot.logs import forget_private, hold_private
from bot.services.dispatch import dispatch_due, worker_name
from bot.services.feed_fetch import Resolver, fetch_feed, system_resolver
from bot.services.feeds import Feeds
from bot.services.import_usecases import Imports
from bot.services.inbox import Inbox, InboxUnavailable
from bot.services.ports import Outgoing
from bot.services.runner_data import RunnerData
from bot.services.send_budget import SendBudget, SharedBudget
from bot.services.usecases import Coach
from bot.telegram.bot_api import bot_requests
from bot.telegram.calendar_handlers import calendar_handlers
from bot.telegram.chart_setting import chart_handlers
from bot.telegram.compose import LoopComposer
from bot.telegram.context import BotData, CoachApplication, CoachContext, Deps, tell_trouble
from bot.telegram.delete_handlers import delete_handlers
from bot.telegram.feed_handlers import feed_handlers
from bot.telegram.handlers import everyday_handlers
from bot.telegram.health_handlers import health_handlers
from bot.telegram.history_handlers import history_handlers
from bot.telegram.history_render import HistoryRenderer
from bot.telegram.import_handlers import import_handlers
from bot.telegram.import_render import ImportRender
from bot.telegram.loop_handlers import loop_handlers
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.onboarding import onboarding_gate, onboarding_handlers
from bot.telegram.private import private_only
from bot.telegram.race_day_handlers import race_day_handlers
from bot.telegram.race_handlers import race_gate, race_handlers
from bot.telegram.rate_limit import BROADCAST, DEFAULT_RATE, PAID_RATE, LaneLimiter
from bot.telegram.render import Renderer
from bot.telegram.rhythm_handlers import heard_gate, rhythm_handlers
from bot.telegram.runner_order import RunnerOrder
from bot.telegram.sender import BotSender, StaleQuery, retry_after_seconds, telegram_error
from bot.telegram.settings_handlers import settings_gate, settings_handlers
from bot.telegram.signing import Signer, callback_key
from bot.telegram.tap_gate import signed_taps

log = structlog.get_logger(__name__)

OFFLINE_TOKEN = "123456789:offline-coach-token-0000"
DISPATCH_INTERVAL_SECONDS = 60  # the scheduler sweep: prompts, nudges, reviews that fell due
DISPATCH_SWEEPS = 3  # sweeps that may run at once (a long fan-out, and the ones after it)
CONCURRENT_UPDATES = 8  # updates handled at once (PostgreSQL), never two of one runner; below the pool size (15)
FILE_WATCH_SECONDS = 5  # how often the bot looks that its SQLite file is still there (one stat)
# No python-telegram-bot persistence: every fact lives in the app's own tables, written through
# the unit of work (bot_data holds only the wiring, callback data is signed strings, and nothing
# lives in user_data or chat_data), so any process can serve any update.


async def prepare_database(url: str, *, migrate: bool = True) -> bool:
    """Whether the database can be served by this version, migrating it first when ``migrate`` (the bot
    does so itself for SQLite; PostgreSQL is migrated by `coach migrate`, the release command).

    A database at a migration this version does not ship was migrated by a newer release (its release
    command runs before this version's machines are replaced): it is served as it is, with a warning, as
    ``/readyz`` counts it ready (``bot.entry.health``), rather than refused on a restart. Alembic is
    imported only when the database is not at the newest migration."""
    current = await current_revision(url)
    if current == head_revision():
        return True
    if is_newer(current):
        log.warning("database.newer", revision=current, note="migrated by a newer release: served as it is")
        return True
    if not migrate:
        return False
    await upgrade(url)
    return True


async def bind_update(update: object, _context: CoachContext) -> None:
    """Bind the update, user and chat to every log line written while handling it (and drop the
    previous update's): runs in the first handler group, before any other handler can log. What
    the runner sent (text, caption, button data, names) is held back from every error message and
    library line written meanwhile (health events drop these ids again: ``bot.logs``)."""
    structlog.contextvars.clear_contextvars()
    if not isinstance(update, Update):
        forget_private()
        return
    user, chat = update.effective_user, update.effective_chat
    structlog.contextvars.bind_contextvars(
        update_id=update.update_id, user_id=user.id if user else None, chat_id=chat.id if chat else None
    )
    hold_private(*_said(update, user, chat))  # replaces the previous update's


def _said(update: Update, user: User | None, chat: Chat | None) -> list[str | None]:
    """Everything in an update the runner wrote or is named by."""
    message, query = update.effective_message, update.callback_query
    said: list[str | None] = [query.data if query else None]
    if message is not None:
        said += [message.text, message.caption]
    if user is not None:
        said += [user.first_name, user.last_name, user.username]
    if chat is not None:
        said += [chat.first_name, chat.last_name, chat.username, chat.title]
    return said


Handler = BaseHandler[Update, CoachContext, Any]


class FirstMatch(BaseHandler[Update, CoachContext, Any]):
    """The handlers of one group, in their order, as one: the first whose ``check_update`` matches
    the update handles it, exactly as python-telegram-bot picks within a group, without asking the
    handlers that cannot match it: a ``CallbackQueryHandler`` matches only an update with a
    callback query, a ``CommandHandler`` only a message that starts with a command entity naming
    one of its commands (their ``check_update`` answers None to anything else, read before any
    other condition). The rest are asked as they were; so an update goes to the handler it went to
    when python-telegram-bot asked all 40-odd in turn (most updates are plain text or a tap, which
    all the commands' or all the taps' checks turned down one by one)."""

    def __init__(self, handlers: list[Handler]) -> None:
        blocks = {id(handler.block) for handler in handlers}
        if len(blocks) != 1:  # the application blocks, or not, as the handler that matched says
            raise ValueError("handlers that block differently cannot be asked as one")
        super().__init__(_never_called, block=handlers[0].block)
        self.handlers = handlers
        # each handler with what it can match: taps only, the commands it names, or anything
        self._routes = [(handler, _route(handler)) for handler in handlers]
        self._plain = [handler for handler, route in self._routes if route is ANY]  # neither a tap nor a command
        self._taps = [handler for handler, route in self._routes if route is TAPS or route is ANY]

    def check_update(self, update: object) -> tuple[Handler, object] | None:
        tap = isinstance(update, Update) and bool(update.callback_query)
        lead = _leading_command(update)
        if lead is None:  # most updates: no CommandHandler can match
            handlers = self._taps if tap else self._plain
            found = _first(handlers, update)
            return None if found is None else (handlers[found[0]], found[1])
        command: str | None = None
        commands_read = False
        for handler, route in self._routes:
            if route is TAPS and not tap:
                continue
            if isinstance(route, frozenset):
                if not commands_read:  # read where the first CommandHandler would read it
                    command, commands_read = _command(*lead), True
                if command not in route:
                    continue
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(self, update: Update, application: Any, check_result: object, context: CoachContext) -> Any:
        handler, check = cast(tuple[Handler, object], check_result)  # what check_update answered
        return await handler.handle_update(update, application, check, context)


class InTurn(BaseHandler[Update, CoachContext, Any]):
    """Handlers that each had a group of their own, run in turn in one: the update goes through
    every one that matches it, as it went through their groups (python-telegram-bot's own loop,
    written out for them: one group's overhead instead of one each). An ``ApplicationHandlerStop``
    stops the update there; any other error goes to the error handlers, and on to the next handler
    unless one of them stops it (``Application.process_update`` does the same between groups)."""

    def __init__(self, handlers: list[Handler]) -> None:
        if len({id(handler.block) for handler in handlers}) != 1:
            raise ValueError("handlers that block differently cannot run as one")
        super().__init__(_never_called, block=handlers[0].block)
        self.handlers = handlers

    def check_update(self, update: object) -> tuple[int, object] | None:
        """The first handler that matches (by its place), with what its check answered; the others
        are asked in turn as the update reaches them, as their groups would be."""
        return _first(self.handlers, update)

    async def handle_update(
        self, update: Update, application: Any, check_result: object, context: CoachContext
    ) -> None:
        first, check = cast(tuple[int, object], check_result)
        for handler in self.handlers[first:]:
            try:
                if handler is not self.handlers[first]:
                    check = handler.check_update(update)
                    if check is None or check is False:
                        continue
                await handler.handle_update(update, application, check, context)
            except ApplicationHandlerStop:
                raise
            except Exception as error:
                if await application.process_error(update=update, error=error):
                    raise ApplicationHandlerStop from None


async def _never_called(_update: Update, _context: CoachContext) -> None:  # pragma: no cover
    raise AssertionError("the handler that matched is called, never this")


TAPS = "taps"  # a CallbackQueryHandler's route: updates with a callback query only
ANY = "any"  # a handler asked about every update


def _route(handler: Handler) -> str | frozenset[str]:
    """What ``FirstMatch`` asks ``handler`` about: only taps, only these commands, or everything
    (a subclass, which may check otherwise, is asked about everything)."""
    if type(handler) is CallbackQueryHandler:
        return TAPS
    if type(handler) is CommandHandler:
        return handler.commands
    return ANY


def _first(handlers: list[Handler], update: object) -> tuple[int, object] | None:
    """The place of the first of ``handlers`` that matches, with what its check answered."""
    for place, handler in enumerate(handlers):
        check = handler.check_update(update)
        if check is not None and check is not False:
            return place, check
    return None


def _leading_command(update: object) -> tuple[Message, str, MessageEntity] | None:
    """The message, its text and the command entity it starts with, when a ``CommandHandler`` gets
    past its first conditions (none of which needs the bot); None when every one answers None."""
    message = update.effective_message if isinstance(update, Update) else None
    if not message or not message.entities or not message.text:
        return None
    entity = message.entities[0]
    if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    return message, message.text, entity


def _command(message: Message, text: str, entity: MessageEntity) -> str | None:
    """The command a ``CommandHandler`` would look up for a message ``_leading_command`` let through
    (lower case, without the bot's name), read as its ``check_update`` reads it (``get_bot``
    raising, as there, for a message with no bot)."""
    if not message.get_bot():
        return None
    return text[1 : entity.length].split("@")[0].lower()


async def on_error(update: object, context: CoachContext) -> None:
    """Log first, then answer the runner politely; never a stack trace in the chat."""
    if _late_answer(update, context.error) or _flood_wait(context.error):
        return
    if await _database_trouble(update, context):
        raise ApplicationHandlerStop  # no later handler group acts on half an update: it is handled again whole
    log.error("handler.error", exc_info=context.error)
    if isinstance(update, Update):
        if update.callback_query is not None:
            try:
                await context.deps.sender.answer(update.callback_query.id, context.deps.ui.general.error)
            except Exception:  # the query may be too old to answer; the message below still goes out
                log.warning("handler.error.answer_failed")
        if update.effective_message is not None:
            await context.deps.sender.send(update.effective_message.chat_id, Outgoing(context.deps.ui.general.error))


def _flood_wait(error: object) -> bool:
    """Whether ``error`` is a flood wait (429) that outlasted the sender's retries; logged here as a
    warning with its wait, no traceback, and no apology sent, which would be refused the same way."""
    if not isinstance(error, RetryAfter):
        return False
    log.warning("handler.retry_after", seconds=retry_after_seconds(error))
    return True


async def _database_trouble(update: object, context: CoachContext) -> bool:
    """Whether the error is the database being out of reach: not a bug, nor the runner's doing. The
    update is left to be handled again once the database is back, and the runner told, once."""
    if isinstance(context.error, InboxUnavailable):  # raised past the handlers: the runner was told
        log.warning("inbox.unavailable", error=str(context.error))
        return True
    if context.error is None or not context.deps.inbox.unavailable(context.error):
        return False
    log.warning("handler.database_unavailable", error=type(context.error).__name__)
    if isinstance(update, Update):
        context.deps.inbox.fail(update.update_id)
        await tell_trouble(context.deps, update)
    return True


def _late_answer(update: object, error: object) -> bool:
    """Whether ``error`` is Telegram refusing to answer a tap that is too old (or answered already):
    a :class:`StaleQuery` from the sender, or a Telegram error that maps to one. Its pop-up can no
    longer be shown, and nothing else went wrong: logged, no apology."""
    if not (isinstance(update, Update) and update.callback_query is not None and isinstance(error, BaseException)):
        return False
    if not isinstance(telegram_error(error), StaleQuery):
        return False
    log.info("handler.stale_callback_query")
    return True


async def register_commands(application: Any) -> None:
    menu = application.bot_data.deps.ui.commands
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in menu.items()])
    except RetryAfter as exc:  # the menu from the last start stays; the bot serves all the same
        log.warning("bot.commands.retry_after", seconds=retry_after_seconds(exc))


async def start(application: CoachApplication) -> None:
    """Start the application as ``run_polling`` does, minus the polling: initialize, then post_init."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)


async def stop(application: CoachApplication) -> None:
    """Shut down as ``run_polling`` ends: shutdown, then post_shutdown (closes the database)."""
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def rate_limiter(rate: float = DEFAULT_RATE) -> LaneLimiter:
    """Telegram's limits for the real Bot API: ``rate`` messages a second in all (``SEND_RATE``),
    about one a second per chat, replies to runners before the dispatcher's prompts.

    It paces and never retries: a ``RetryAfter`` reaches ``BotSender`` at once, the one place that
    waits a flood wait out and sends again, so no wait is ever waited twice.
    """
    return LaneLimiter(rate=rate)


def file_url(api_base_url: str) -> str:
    """Where the runner's documents are downloaded from, beside the Bot API it talks to:
    ``https://api.telegram.org/bot`` -> ``https://api.telegram.org/file/bot``."""
    head, bot, _ = api_base_url.rpartition("/bot")
    return f"{head}/file/bot" if bot else f"{api_base_url.rstrip('/')}/file/bot"


def build_application(
    settings: Settings,
    *,
    clock: Clock,
    request: BaseRequest | None = None,
    library: Library | None = None,
    ui: Ui | None = None,
    engine: AsyncEngine | None = None,
    feed_resolver: Resolver = system_resolver,
    feed_transport: httpx.AsyncBaseTransport | None = None,
    limiter: BaseRateLimiter[Any] | None = None,
    concurrent_updates: int | None = None,
) -> CoachApplication:
    """Wire the whole bot. ``request`` replaces the HTTP transport (offline API, tests);
    ``feed_resolver`` and ``feed_transport`` the network calendar feeds are fetched over (tests
    pass fakes that record what would have been connected to). ``limiter`` paces the Bot API
    calls: by default the bot's own (``SEND_RATE``) with the real Bot API, none with a ``request``
    handed in unless one is given too. ``concurrent_updates``: updates handled at once (never two
    of one runner: ``bot.telegram.runner_order``); 1 handles them one by one, the default on SQLite
    (one writer at a time: concurrent handlers would meet "database is locked")."""
    library = library or default_library()
    ui = ui or default_ui()
    engine = engine or create_engine(settings.database_url)
    sessions = session_factory(engine)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else OFFLINE_TOKEN

    async def post_shutdown(application: Any) -> None:
        await application.bot_data.deps.inbox.flush()  # the last updates handled: marked before the engine goes
        await engine.dispose()

    builder: Any = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .context_types(ContextTypes(context=CoachContext, bot_data=BotData))
        .application_class(CoachApplication)  # every update through the inbox (process_update)
        .post_init(register_commands)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        calls, updates = bot_requests()  # PTB's own, sharing one TLS context
        builder = builder.request(calls).get_updates_request(updates)
        if limiter is None:  # the real Bot API: stay under Telegram's limits
            limiter = rate_limiter(settings.send_rate)
    if limiter is not None:
        builder = builder.rate_limiter(limiter)
    if concurrent_updates is None:
        concurrent_updates = 1 if settings.database_url.startswith("sqlite") else CONCURRENT_UPDATES
    if concurrent_updates > 1:
        builder = builder.concurrent_updates(RunnerOrder(concurrent_updates))
    application: CoachApplication = builder.build()
    renderer = Renderer(ui, library)
    loop_render = LoopRenderer(renderer)
    signer = Signer(callback_key(settings, token))
    uow = unit_of_work_factory(sessions, clock=clock, drawer=loop_render)  # days stored with their prompts
    fetch = partial(fetch_feed, resolver=feed_resolver, transport=feed_transport)
    application.bot_data.deps = Deps(
        settings=settings,
        clock=clock,
        coach=Coach(uow, library, clock),
        library=library,
        ui=ui,
        render=renderer,
        loop_render=loop_render,
        sender=BotSender(application.bot, signer=signer),
        broadcast=BotSender(application.bot, signer=signer, lane=BROADCAST, paid=settings.allow_paid_broadcast),
        composer=LoopComposer(library, loop_render, fetch),
        intents=shipped_intent_parser(),  # its model read on the first message to read
        signer=signer,
        inbox=Inbox(uow, worker_name("bot"), database_unavailable, UpdateClaims(engine)),
        data=RunnerData(uow, clock),
        history_render=HistoryRenderer(ui.history),
        feeds=Feeds(uow, clock),
        imports=Imports(uow, library, clock, fetch),
        import_render=ImportRender(renderer),
        briefs=BriefReader(engine),
    )
    application.add_handler(InTurn(gates()), group=-1)  # every update, in turn, until one stops it
    application.add_handler(FirstMatch(handlers()))  # one group: the first that matches answers
    application.add_error_handler(on_error)
    if settings.dispatch_in_bot:  # else `coach dispatch --loop` workers sweep
        add_dispatch_job(application, shared_budget(settings, engine), interval=settings.dispatch_interval)
    add_inbox_job(application)
    return application


def gates() -> list[Handler]:
    """What every update goes through before the handlers, in this order (each may stop it)."""
    return [
        TypeHandler(Update, bind_update),  # first: every log line has its update
        TypeHandler(Update, private_only),  # before anything reads a runner
        TypeHandler(Update, signed_taps),  # a tap on a button never offered stops here
        TypeHandler(Update, heard_gate),  # any answer restores the full rhythm
        TypeHandler(Update, onboarding_gate),  # a runner mid-onboarding
        TypeHandler(Update, settings_gate),  # a runner changing a setting
        TypeHandler(Update, race_gate),  # a runner answering a /race question
    ]


def handlers() -> list[Handler]:
    """Every handler after the gates, in the order they are tried."""
    return [
        *onboarding_handlers(),
        *loop_handlers(),
        *health_handlers(),
        *delete_handlers(),
        *settings_handlers(),
        *race_handlers(),
        *race_day_handlers(),
        *import_handlers(),
        *calendar_handlers(),
        *history_handlers(),
        *feed_handlers(),
        *rhythm_handlers(),
        *chart_handlers(),
        *everyday_handlers(),
    ]


def shared_budget(settings: Settings, engine: AsyncEngine) -> SendBudget:
    """The bot's broadcast budget, counted in the database, so every process that sends prompts shares
    it: ``BROADCAST_RATE`` a second, or Telegram's paid-broadcast rate with ``ALLOW_PAID_BROADCAST``."""
    rate = int(PAID_RATE) if settings.allow_paid_broadcast else settings.broadcast_rate
    return SharedBudget(DatabaseGrants(engine), rate)


def add_dispatch_job(
    application: CoachApplication, budget: SendBudget, *, interval: float = DISPATCH_INTERVAL_SECONDS
) -> None:
    """Sweep the due messages every ``interval`` seconds (a minute by default) while the bot runs (the
    job queue starts with polling), each send taken from ``budget``.

    Up to ``DISPATCH_SWEEPS`` sweeps run at once: one sending a long fan-out (100,000 prompts at
    30 a second take most of an hour) does not stop the next from claiming what fell due meanwhile;
    each claims only rows no other sweep holds, earliest due first."""
    worker = worker_name("bot")

    async def dispatch(context: CoachContext) -> None:
        structlog.contextvars.clear_contextvars()  # a sweep belongs to no update or runner
        forget_private()
        structlog.contextvars.bind_contextvars(job="dispatch")
        deps = context.deps
        await dispatch_due(
            uow=deps.coach.uow,
            sender=deps.broadcast,
            composer=deps.composer,
            now=deps.clock.now(),
            worker_id=worker,
            clock=deps.clock.now,
            budget=budget,
        )

    if application.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise RuntimeError("python-telegram-bot's job queue is missing: install python-telegram-bot[job-queue]")
    application.job_queue.run_repeating(
        dispatch,
        interval=interval,
        first=1,
        name="dispatch",
        job_kwargs={"coalesce": True, "max_instances": DISPATCH_SWEEPS},
    )


def add_database_watch(application: CoachApplication, watch: FileWatch) -> None:
    """Every few seconds, check that the SQLite file is still the one opened at start; when it is gone
    or replaced, log an ERROR and stop the bot as SIGTERM does (polling and webhook mode both stop
    cleanly on it), and ``watch.problem`` says why."""

    async def look(_context: CoachContext) -> None:
        if watch.problem is not None:  # seen already; the bot is stopping
            return
        problem = watch.check()
        if problem is not None:
            log.error("database.lost", path=str(watch.path), problem=problem)
            os.kill(os.getpid(), signal.SIGTERM)

    if application.job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise RuntimeError("python-telegram-bot's job queue is missing: install python-telegram-bot[job-queue]")
    application.job_queue.run_repeating(look, interval=FILE_WATCH_SECONDS, first=FILE_WATCH_SECONDS, name="file-watch")


INBOX_SWEEP_SECONDS = 5  # how soon an update left pending (a dead process's, one that met an outage) is handled
PRUNE_SECONDS = 3600


def add_inbox_job(application: CoachApplication) -> None:
    """While the bot runs, handle stored updates nobody handles, and forget old handled ones."""

    async def sweep(_context: CoachContext) -> None:
        await application.handle_pending()

    async def prune(context: CoachContext) -> None:
        gone = await context.deps.inbox.prune()
        log.info("inbox.pruned", rows=gone)

    if application.job_queue is None:  # pragma: no cover - see add_dispatch_job
        raise RuntimeError("python-telegram-bot's job queue is missing")
    kwargs = {"coalesce": True, "max_instances": 1}
    application.job_queue.run_repeating(sweep, INBOX_SWEEP_SECONDS, first=INBOX_SWEEP_SECONDS, job_kwargs=kwargs)
    application.job_queue.run_repeating(prune, PRUNE_SECONDS, first=60, job_kwargs=kwargs)
