"""Keeping a runner's due messages current: call :func:`reschedule` whenever anything that moves
them changes (onboarding finished, timezone or reminder time, pause, resume, ``/start`` after a
block); :func:`schedule_feed` starts a calendar feed's daily refresh; set and cancel the one-off
messages (``later``, ``pain_check``) with :func:`set_one_off` and :func:`cancel`. Each runs inside
the caller's unit of work; the caller commits.
"""

from __future__ import annotations

import datetime as dt

from bot.services.accounts import OnboardedRunner, RunnerBrief
from bot.services.ports import UnitOfWork
from bot.services.records import ScheduleSettings, UnknownRunner
from bot.services.schedule import FEED_REFRESH, ONE_OFF_KINDS, PERIODIC_KINDS, REVIEW, DueKind, first_due, local_now


async def reschedule(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, account: OnboardedRunner | RunnerBrief | None = None
) -> None:
    """(Re)compute the runner's prompt, nudge and review rows from their current settings.

    An inactive or not yet onboarded runner has no due rows at all. A date already delivered is
    never scheduled again, so changing the reminder time after today's prompt waits for tomorrow.
    ``account``: the runner as stored in this unit of work, changes written included, when the
    caller holds it (then the runner is not read again): their account, or their update's brief.
    """
    settings = await work.due.settings(telegram_id) if account is None else schedule_settings(account)
    if settings is None:
        raise UnknownRunner(telegram_id)
    if not settings.schedulable:
        await work.due.remove(settings.runner_id)
        return
    assert settings.timezone is not None and settings.reminder_time is not None
    current, sent = await work.due.with_sent(settings.runner_id)
    feed = (FEED_REFRESH,) if FEED_REFRESH in current else ()  # a calendar feed's refresh follows the zone
    for kind in (*PERIODIC_KINDS, *feed):
        last = sent.get(kind)
        step = 7 if kind == REVIEW else 1
        upcoming = first_due(
            kind,
            timezone=settings.timezone,
            reminder=settings.reminder_time,
            now=now,
            not_before=last + dt.timedelta(days=step) if last is not None else None,
            paused_from=settings.paused_from,
            paused_until=settings.paused_until,
        )
        if upcoming is None:
            if kind in current:
                await work.due.remove(settings.runner_id, [kind])
            continue
        date, due = upcoming
        row = current.get(kind)
        if row is None or (row.local_date, row.due_at, row.detail) != (date, due, None):
            await work.due.put(settings.runner_id, kind, due, date)


def schedule_settings(account: OnboardedRunner | RunnerBrief) -> ScheduleSettings:
    """What decides when a runner's messages are due, from their account (onboarded) or brief."""
    return ScheduleSettings(
        runner_id=account.id,
        telegram_id=account.telegram_id,
        chat_id=account.chat_id,
        timezone=account.timezone,
        reminder_time=account.reminder_time,
        active=account.active,
        onboarded=account.onboarded if isinstance(account, RunnerBrief) else True,
        paused_from=account.paused_from,
        paused_until=account.paused_until,
    )


async def schedule_feed(work: UnitOfWork, telegram_id: int, now: dt.datetime) -> None:
    """Read the runner's calendar feed again every day from tomorrow on (it was just read)."""
    settings = await work.due.settings(telegram_id)
    if settings is None:
        raise UnknownRunner(telegram_id)
    if not settings.schedulable:
        return
    assert settings.timezone is not None and settings.reminder_time is not None
    tomorrow = local_now(now, settings.timezone).date() + dt.timedelta(days=1)
    upcoming = first_due(
        FEED_REFRESH, timezone=settings.timezone, reminder=settings.reminder_time, now=now, not_before=tomorrow
    )
    assert upcoming is not None  # a feed's refresh is due every day
    await work.due.put(settings.runner_id, FEED_REFRESH, upcoming[1], upcoming[0])


async def skip_day(work: UnitOfWork, telegram_id: int, kind: DueKind, local_date: dt.date, now: dt.datetime) -> None:
    """Let the runner's periodic ``kind`` for ``local_date`` go (another message takes its place):
    a row still owed for that date moves on to the next one."""
    settings = await work.due.settings(telegram_id)
    if settings is None:
        raise UnknownRunner(telegram_id)
    row = (await work.due.of_runner(settings.runner_id)).get(kind)
    if row is None or row.local_date != local_date or not settings.schedulable:
        return
    assert settings.timezone is not None and settings.reminder_time is not None
    upcoming = first_due(
        kind,
        timezone=settings.timezone,
        reminder=settings.reminder_time,
        now=now,
        not_before=local_date + dt.timedelta(days=1),
        paused_from=settings.paused_from,
        paused_until=settings.paused_until,
    )
    if upcoming is None:
        await work.due.remove(settings.runner_id, [kind])
    else:
        await work.due.put(settings.runner_id, kind, upcoming[1], upcoming[0])


async def set_one_off(
    work: UnitOfWork,
    telegram_id: int,
    kind: DueKind,
    due_at: dt.datetime,
    local_date: dt.date,
    detail: str | None = None,
) -> None:
    """Owe the runner one ``later`` or ``pain_check`` message at ``due_at`` for their ``local_date``.

    Setting it again replaces the earlier one. It is sent at most once per local date and kind,
    subject to quiet hours and its catch-up window (see ``bot.services.schedule``).
    """
    if kind not in ONE_OFF_KINDS:
        raise ValueError(f"one-off kinds are {', '.join(ONE_OFF_KINDS)}, not {kind!r}")
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        raise ValueError("due_at must be an aware datetime")
    if detail is not None and len(detail) > 32:
        raise ValueError("detail is at most 32 characters")
    settings = await work.due.settings(telegram_id)
    if settings is None:
        raise UnknownRunner(telegram_id)
    await work.due.put(settings.runner_id, kind, due_at.astimezone(dt.UTC), local_date, detail)


async def cancel(
    work: UnitOfWork, telegram_id: int, kind: DueKind, local_date: dt.date | None = None, runner_id: int | None = None
) -> None:
    """Forget the runner's pending message of this kind, if any (only one for ``local_date`` when
    given). ``runner_id``: the runner's internal id when the caller read it in this unit of work
    (then the runner is not looked up again)."""
    if runner_id is None:
        settings = await work.due.settings(telegram_id)
        if settings is None:
            raise UnknownRunner(telegram_id)
        runner_id = settings.runner_id
    # with a date: one DELETE of the row only if it is for that date (no read of the rows first)
    await work.due.remove(runner_id, [kind], local_date)
