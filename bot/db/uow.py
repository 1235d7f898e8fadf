"""The unit of work: one database session and transaction, with the repositories over it.

    uow_factory = unit_of_work_factory(session_factory(engine), clock=clock)
    async with uow_factory() as uow:
        runner = await uow.runners.ensure(telegram_id, chat_id, first_name)
        await uow.commit()

Leaving the block without ``commit()`` (or through an exception) rolls everything back.
:class:`UnitOfWork` satisfies the services' port, ``bot.services.ports.UnitOfWork``; a SQLite
"database is locked" met inside the block or at commit leaves it as
``bot.services.ports.Contention``, and a database that cannot be reached (connection refused or
lost) as ``bot.services.records.Unavailable``, so services retry without knowing the driver.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.db.archive import ArchiveRepository
from bot.db.outage import database_unavailable
from bot.db.repositories import (
    AnswerRepository,
    CheckinRepository,
    GroupRepository,
    PlanRepository,
    ReviewRepository,
    RunnerRepository,
)
from bot.db.repositories.base import Unit
from bot.db.repositories.feeds import FeedRepository
from bot.db.repositories.inbox import InboxRepository
from bot.db.repositories.sources import SourceRepository
from bot.db.schedule_repo import DeliveryRepository, DueRepository
from bot.services import ports
from bot.services.archive import ArchiveWork
from bot.services.ports import Contention
from bot.services.ready_prompts import PromptDrawer
from bot.services.records import Unavailable


class UnitOfWork:
    """One transaction; its repositories exist only inside ``async with``."""

    runners: RunnerRepository
    answers: AnswerRepository
    plans: PlanRepository
    checkins: CheckinRepository
    reviews: ReviewRepository
    due: DueRepository
    deliveries: DeliveryRepository
    groups: GroupRepository
    inbox: InboxRepository
    archive: ArchiveRepository  # one runner's rows whole, for /export and `coach import`
    feeds: FeedRepository
    sources: SourceRepository

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock | None = None,
        drawer: PromptDrawer | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._drawer = drawer
        self._unit: Unit | None = None

    async def __aenter__(self) -> Self:
        if self._unit is not None:
            raise RuntimeError("this unit of work is already in use; make a new one")
        # the session is made when a repository first needs it: the everyday questions run only
        # Core statements, on a connection without one (``bot.db.repositories.base.Unit``)
        unit = Unit(self._sessions)
        self._unit = unit
        self.runners = RunnerRepository(unit, self._clock)
        self.answers = AnswerRepository(unit, self._clock)
        self.plans = PlanRepository(unit, self._clock, self._drawer)
        self.checkins = CheckinRepository(unit, self._clock)
        self.reviews = ReviewRepository(unit, self._clock)
        self.due = DueRepository(unit, self._clock)
        self.deliveries = DeliveryRepository(unit, self._clock)
        self.groups = GroupRepository(unit, self._clock)
        self.inbox = InboxRepository(unit, self._clock)
        self.archive = ArchiveRepository(unit, self._clock)
        self.feeds = FeedRepository(unit, self._clock)
        self.sources = SourceRepository(unit, self._clock)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        unit = self._in_use()
        try:
            # closing rolls back whatever was not committed (nothing after commit()) and gives the
            # connection back: one crossing of SQLAlchemy's greenlet bridge, where a rollback first
            # took two; a connection lost mid-transaction cannot roll back: the error that lost it
            # is the news
            with contextlib.suppress(Exception) if exc is not None else contextlib.nullcontext():
                await unit.close()
        finally:
            self._unit = None
        if isinstance(exc, OperationalError) and _locked(exc):
            raise Contention(str(exc)) from exc
        if exc is not None and not isinstance(exc, Unavailable) and _unreachable(exc):
            raise Unavailable(str(exc)) from exc

    def _in_use(self) -> Unit:
        if self._unit is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._unit

    def _require(self) -> AsyncSession:
        """The unit's ORM session (made now if no repository asked for it yet)."""
        return self._in_use().session

    async def commit(self) -> None:
        unit = self._in_use()
        try:
            # whether anything was written, and the commit, in one crossing of SQLAlchemy's greenlet
            # bridge (the connection looked up for the first, then the commit, took one each); none
            # when a unit without a session wrote nothing left to commit
            await unit.commit()
        except OperationalError as exc:
            if _locked(exc):
                raise Contention(str(exc)) from exc
            if _unreachable(exc):
                raise Unavailable(str(exc)) from exc
            raise
        except (DBAPIError, OSError) as exc:
            if _unreachable(exc):
                raise Unavailable(str(exc)) from exc
            raise

    async def rollback(self) -> None:
        await self._in_use().rollback()


if TYPE_CHECKING:
    # mypy checks here that this unit of work, and each repository over it, is the services' port
    _PORT: type[ports.UnitOfWork] = UnitOfWork
    _ARCHIVE: type[ArchiveWork] = UnitOfWork


def _locked(exc: OperationalError) -> bool:
    """SQLite's "database is locked": another connection wrote since this transaction first read."""
    return "locked" in str(exc.orig).lower()


def _unreachable(exc: BaseException) -> bool:
    """The database could not be reached or the connection was lost (not a statement's fault)."""
    return database_unavailable(exc)


UnitOfWorkFactory = Callable[[], UnitOfWork]


def unit_of_work_factory(
    sessions: async_sessionmaker[AsyncSession], *, clock: Clock | None = None, drawer: PromptDrawer | None = None
) -> UnitOfWorkFactory:
    """A callable that makes a fresh :class:`UnitOfWork` per use case; with a ``drawer``, days are
    stored with their prompts ready to send (:mod:`bot.services.ready_prompts`)."""

    def make() -> UnitOfWork:
        return UnitOfWork(sessions, clock=clock, drawer=drawer)

    return make
