"""An update's claim and its sender's brief in one transaction on a Core connection.

Every update is claimed in the inbox before it is handled, and nearly every one then reads its
sender's brief (the gates in front of every message and tap). Both go here on one pooled
connection, without an ORM session (no session, no repositories, no identity map to build and
tear down for two statements): the handled marks waiting to be written and the claim, committed,
then, when the claim was won and the caller asks for it, the brief, read right after on the same
connection (the runner as stored when their update was taken). Errors come out as a unit of work's do
(``Contention`` for a locked SQLite, ``Unavailable`` for a database out of reach).

The whole of it runs as one synchronous function on the engine's own (synchronous) connection,
handed to SQLAlchemy's greenlet bridge once (``greenlet_spawn``, what every call of its asyncio
layer does): an ``AsyncConnection`` would cross that bridge for its checkout, each statement, the
commit and its return to the pool (with a task to shield the return), five or six times an update
on the hot path. The statements, their order, the transaction and the connection are the same.

The usual mark (one update) and the claim go to the driver as SQL compiled once per dialect and
lease (``bot.db.driver_rows.DriverStatement``), their values converted with the statements' own bind processors:
SQLAlchemy's work on a cached statement (its cache key, parameter processing, result set-up) cost
several times the database's own for these one-row statements.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from bot.db.briefs import read_brief_on, read_brief_with
from bot.db.driver_rows import DriverStatement
from bot.db.pooled_driver import DriverCheckout, checkout
from bot.db.repositories.inbox import DONE_ONE, claim_params, claim_statement, mark_done
from bot.db.sqlite_trips import COMMIT_AFTER
from bot.db.uow import _locked, _unreachable
from bot.services.briefs import UpdateBrief
from bot.services.inbox_rows import Incoming
from bot.services.ports import Contention
from bot.services.records import Unavailable


@functools.lru_cache(maxsize=8)
def _mark_one(dialect: Dialect) -> DriverStatement:
    return DriverStatement(DONE_ONE, dialect)


@functools.lru_cache(maxsize=16)
def _claim_sql(dialect: Dialect, lease: dt.timedelta) -> DriverStatement:
    return DriverStatement(claim_statement(dialect.name, lease), dialect)


@dataclass(frozen=True, slots=True)
class Claim:
    """One call's work: write ``marks`` handled, claim ``incoming`` for ``worker`` at ``now`` until
    ``now + lease``, and with ``brief`` read the sender's brief once the claim is won."""

    marks: Sequence[int]
    incoming: Incoming
    worker: str
    now: dt.datetime
    lease: dt.timedelta
    brief: bool


class UpdateClaims:
    """``bot.services.inbox_rows.ClaimWork`` on an engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine

    async def __call__(
        self,
        marks: Sequence[int],
        incoming: Incoming,
        worker: str,
        now: dt.datetime,
        lease: dt.timedelta,
        brief: bool,
    ) -> tuple[bool, UpdateBrief | None]:
        """Write ``marks`` handled, claim ``incoming`` for ``worker``; with ``brief``, a won claim
        also reads its sender's brief. Committed together, or not at all."""
        try:
            return await greenlet_spawn(self._claim, Claim(marks, incoming, worker, now, lease, brief))
        except Exception as error:  # as a unit of work leaves them (``bot.db.uow``)
            if isinstance(error, OperationalError) and _locked(error):
                raise Contention(str(error)) from error
            if not isinstance(error, Unavailable) and _unreachable(error):
                raise Unavailable(str(error)) from error
            raise

    def _claim(self, claim: Claim) -> tuple[bool, UpdateBrief | None]:
        engine = self._engine
        if engine.dialect.name != "sqlite":
            with engine.connect() as connection:
                return claim_on(connection, claim)
        work = checkout(engine)
        if isinstance(work, Connection):
            with work:
                return claim_on(work, claim)
        try:
            return _claim_on_driver(work, claim)
        finally:
            work.close()


def claim_on(connection: Connection, claim: Claim) -> tuple[bool, UpdateBrief | None]:
    """The claim on a Core connection (PostgreSQL's; SQLite's on any driver but ``bot.db.inline_sqlite``'s)."""
    dialect, marks, now = connection.dialect, claim.marks, claim.now
    if len(marks) == 1:
        mark = _mark_one(dialect)
        connection.exec_driver_sql(mark.sql, mark.values({"update_id": marks[0], "now": now}))
    elif marks:
        connection.execute(*mark_done(marks, now))
    params = claim_params(claim.incoming, now, claim.worker)
    # the claim is the transaction's last statement: on SQLite it commits in the same call
    # to the driver (``bot.db.sqlite_trips``), and the commit below ends nothing
    statement = _claim_sql(dialect, claim.lease)
    row = connection.exec_driver_sql(statement.sql, statement.values(params), execution_options=COMMIT_AFTER).first()
    connection.commit()
    user_id = claim.incoming.user_id
    if row is None or not claim.brief or user_id is None:
        return row is not None, None
    # after the commit, as the handlers' first read was: the claim holds whatever the
    # read meets (an outage here is one after the claim, the update left to this process)
    return True, read_brief_on(connection, user_id)


def _claim_on_driver(work: DriverCheckout, claim: Claim) -> tuple[bool, UpdateBrief | None]:
    """:func:`claim_on`, its statements sent to SQLite's driver (``bot.db.pooled_driver``), their
    values converted as there."""
    dialect, marks, now = work.engine.dialect, claim.marks, claim.now
    if len(marks) == 1:
        mark = _mark_one(dialect)
        work.rows(mark.sql, mark.values({"update_id": marks[0], "now": now}))
    elif marks:  # rare (updates handled side by side): the list expanded as SQLAlchemy expands it
        work.core().execute(*mark_done(marks, now))
    statement = _claim_sql(dialect, claim.lease)
    params = claim_params(claim.incoming, now, claim.worker)
    found = work.rows(statement.sql, statement.values(params), commit=True)
    work.commit()
    user_id = claim.incoming.user_id
    if not found or not claim.brief or user_id is None:
        return bool(found), None
    return True, read_brief_with(work.rows, dialect, user_id)
