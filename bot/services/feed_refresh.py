"""A calendar feed's daily refresh, the dispatcher's ``feed_refresh`` due kind.

For each due feed, :func:`fetch_due` reads the stored links and fetches them all at once, with the
transaction let go first (the network never holds the database). :func:`refresh` then reads the
runner's next two weeks from what came back:

- unchanged (the same run days as the last read), or changed only on days never imported before
  (the two weeks roll on a day each day): stored quietly, open days re-planned, nothing said;
- a day imported before now runs differently: the calendar changed, stored through
  ``change_calendar`` (open days re-planned, due messages current, undoable) and the runner told
  what moved, once (the next read finds it unchanged);
- a fetch or read that fails: counted, the last calendar kept; retried the next day, and after
  :data:`FAILURES_TOLD` failures in a row the runner is told, once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import structlog

from bot.coach.calendar_import import IcsProblem
from bot.coach.library import Library
from bot.services.calendar_edit import CalendarChanged, change_calendar
from bot.services.calendar_imports import Preview, digest, imported_profile, read_for
from bot.services.composing import DueLike
from bot.services.feed_fetch import FetchProblem
from bot.services.feed_sources import FeedSource
from bot.services.pauses import settled_account
from bot.services.plans import replan_open_days, save_profile
from bot.services.ports import UnitOfWork
from bot.services.schedule import DueKind

log = structlog.get_logger(__name__)

FAILURES_TOLD = 3  # failed daily reads in a row after which the runner is told (once)
Fetch = Callable[[str], Awaitable[bytes | FetchProblem]]


@dataclass(frozen=True, slots=True)
class Refreshed:
    """The feed changed days imported before: the calendar read, and what storing it changed."""

    preview: Preview
    changed: CalendarChanged


@dataclass(frozen=True, slots=True)
class FeedFailing:
    """The feed could not be read ``days`` days in a row."""

    days: int


Fetched = tuple[FeedSource, bytes | FetchProblem]


async def fetch_due(work: UnitOfWork, dues: Sequence[DueLike], fetch: Fetch) -> dict[int, Fetched]:
    """Each due runner's feed as fetched now, by runner id (runners without a feed left out)."""
    sources = await work.sources.of_runners([due.runner_id for due in dues])
    await work.rollback()  # nothing written yet: let the transaction go while the network answers
    runners = list(sources)
    bodies = await asyncio.gather(*(fetch(sources[runner].url) for runner in runners))
    return {runner: (sources[runner], body) for runner, body in zip(runners, bodies, strict=True)}


async def refresh(
    work: UnitOfWork, telegram_id: int, fetched: Fetched, now: dt.datetime, library: Library
) -> Refreshed | FeedFailing | None:
    """Apply one feed's fresh read (see the module docstring); what to tell the runner, if anything."""
    source, body = fetched
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return None
    found = body if isinstance(body, FetchProblem) else await read_for(body, account, now)
    if isinstance(found, FetchProblem | IcsProblem):
        failures = source.failures + 1
        log.info("feed.refresh_failed", problem=found.name, failures=failures)  # never the link
        await work.sources.record(telegram_id, digest=None, failures=failures, now=now)
        return FeedFailing(failures) if failures == FAILURES_TOLD else None
    fingerprint = digest(found)
    await work.sources.record(telegram_id, digest=fingerprint, failures=0, now=now)
    if fingerprint == source.digest:
        return None
    before = account.profile
    profile = imported_profile(before, found)
    moved = [day for day in found.dates if day in before.overrides and profile.run_on(day) != before.run_on(day)]
    if not moved:
        if profile != before:  # only days new to the two weeks: kept without a word
            account = await save_profile(work, account, profile, now)
            await replan_open_days(work, account, now, library)
        return None
    changed = await change_calendar(work, telegram_id, profile, now, library)
    log.info("feed.refreshed", days=len(moved))
    return Refreshed(found, changed) if isinstance(changed, CalendarChanged) else None


async def refreshes(
    work: UnitOfWork, dues: Sequence[DueLike], now: dt.datetime, library: Library, fetch: Fetch
) -> dict[tuple[int, DueKind], Refreshed | FeedFailing | None]:
    """The refresh of every due feed, keyed as the dispatcher keys its messages."""
    if not dues:
        return {}
    fetched = await fetch_due(work, dues, fetch)
    briefs = await work.runners.briefs([due.runner_id for due in dues])
    out: dict[tuple[int, DueKind], Refreshed | FeedFailing | None] = {}
    for due in dues:
        brief, got = briefs.get(due.runner_id), fetched.get(due.runner_id)
        found = await refresh(work, brief.telegram_id, got, now, library) if brief and got else None
        out[(due.runner_id, due.kind)] = found
    return out
