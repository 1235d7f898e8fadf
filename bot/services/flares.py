"""A niggle that flares is acted on when the runner says so (COACHING.md N4, A4).

A failed check (more than 3/10 during the session, or worse the next morning) moves the area down a
rung at once, or rests it a week from rung 1, and the open days are re-planned around it; the
second failure within 2 weeks is pain, and the pain rule applies. The weekly review then counts
the failure as done, not twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.coach import niggles
from bot.coach.library import Library
from bot.coach.model import BodyArea
from bot.services import scheduling
from bot.services.checkins import niggle_areas, open_card
from bot.services.pain import apply_pain_rule
from bot.services.pauses import settled_account
from bot.services.plans import replan_open_days
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card
from bot.services.schedule import NIGGLE_MORNING, at_local


async def failed_check(
    work: UnitOfWork, telegram_id: int, area: BodyArea, day: dt.date, now: dt.datetime, library: Library
) -> niggles.Flare | None:
    """N4 at once for a failed check of ``day``'s session: the state moves, the open days are
    re-planned around it; what changed (None when that session's failure was already counted)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return None
    state, step = niggles.flare(account.state, area, day)
    if step is None:
        return None
    await work.runners.save_state(telegram_id, state)
    account = replace(account, state=state)
    if step is niggles.Flare.PAIN:
        await apply_pain_rule(work, account, area, now, library)
    else:
        await replan_open_days(work, account, now, library)
    return step


async def log_niggle(
    work: UnitOfWork, telegram_id: int, date: dt.date, area: BodyArea, held: bool, now: dt.datetime, library: Library
) -> Card | Problem:
    """A niggle area's answer after a done or partly-done session: did the pain-monitoring rule
    hold (at most 3/10 during, no worse than usual the next morning)? A flare moves the area down at
    once (``failed_check``); the weekly review moves it up from these answers."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is None or found.checkin.status not in ("done", "partial") or area not in niggle_areas(found):
        return Problem.NEED_STATUS
    if found.checkin.niggles.get(area) is held:
        return replace(found, changed=False)
    record = await work.checkins.set_details(telegram_id, date, niggle=(area, held), now=now)
    step = None if held else await failed_check(work, telegram_id, area, date, now, library)
    timezone, reminder = found.runner.timezone, found.runner.reminder_time
    if timezone is not None and reminder is not None:
        # N4's second check: the next morning, at the runner's reminder time
        morning = date + dt.timedelta(days=1)
        when = at_local(morning, reminder, timezone)
        await scheduling.set_one_off(work, telegram_id, NIGGLE_MORNING, when, morning, detail=date.isoformat())
    return replace(found, checkin=record, flare=step)
