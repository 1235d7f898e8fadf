"""Check-ins field by field: done, partly or skipped, the effort, soreness and a niggle's answer,
swapping today's lift for mobility (``bot.services.later`` has "Later").

Every change is logged against the plan on record: a lapsed pause is ended first
(:func:`open_card`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from bot.coach.adjust import adjust_today
from bot.coach.library import Library
from bot.coach.model import BodyArea, DayPlan
from bot.services import scheduling
from bot.services.briefs import UpdateBrief
from bot.services.pauses import lapsed_now, settled_account
from bot.services.plans import local_today, monday_of, pause_end, stored_week
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card, card
from bot.services.schedule import LATER

SORENESS = ("none", "a_bit", "very", "pain")
Soreness = Literal["none", "a_bit", "very", "pain"]
Status = Literal["done", "partial", "skipped"]


async def open_card(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    now: dt.datetime,
    library: Library,
    known: UpdateBrief | None = None,
) -> Card | Problem:
    """The card a change is about to be logged against: a lapsed pause is ended first, so what the
    runner logs is logged against the plan on record (the whole account is read only then).
    ``known``: the update's brief, if the edge has it (else the runner is read now)."""
    brief = known.runner if known is not None else await work.runners.brief(telegram_id)
    if brief is not None and lapsed_now(brief, now):
        await settled_account(work, telegram_id, now, library)
        brief = await work.runners.brief(telegram_id)
    return await card(work, telegram_id, date, now, library, UpdateBrief(brief))


async def log_status(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    status: Status,
    now: dt.datetime,
    library: Library,
    found: Card | Problem | None = None,
) -> Card | Problem:
    """Done, partly or skipped for a day's session (a mobility day only takes done). ``found``: the
    card as :func:`open_card` found it in this unit of work, if the caller has it."""
    if found is None:
        found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is not None and found.checkin.status == status:
        return replace(found, changed=False)
    # a day whose lift was swapped keeps the swap's note ("dropped", "moved:DATE") when its mobility is
    # logged: the week's review still counts that lift as planned
    kept = found.checkin.note if found.checkin is not None and is_swap_note(found.checkin.note) else None
    record = await work.checkins.set_status(
        telegram_id,
        date,
        session_kind=found.day.session.kind,
        status=status,
        note=kept,
        now=now,
        runner_id=found.runner.id,
    )
    # logged: a "Later" promised for it is moot
    await scheduling.cancel(work, telegram_id, LATER, date, runner_id=found.runner.id)
    return replace(found, checkin=record)


DROPPED = "dropped"  # the note of a day whose lift was swapped and found no other day
MOVED = "moved:"  # ... and of one whose lift moved to the date after it


def is_swap_note(note: str | None) -> bool:
    return note is not None and (note == DROPPED or note.startswith(MOVED))


async def log_rpe(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    rpe: int,
    now: dt.datetime,
    library: Library,
    found: Card | Problem | None = None,
) -> Card | Problem:
    """The session's effort (1 to 10), after Done or Partly (``found``: as in :func:`log_status`)."""
    return await _log_detail(work, telegram_id, date, now, library, "rpe", rpe, found)


async def log_soreness(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    soreness: Soreness,
    now: dt.datetime,
    library: Library,
    found: Card | Problem | None = None,
) -> Card | Problem:
    """How sore the session left the runner, after Done or Partly (``found``: as in :func:`log_status`)."""
    return await _log_detail(work, telegram_id, date, now, library, "soreness", soreness, found)


async def _log_detail(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    now: dt.datetime,
    library: Library,
    name: Literal["rpe", "soreness"],
    value: int | str,
    found: Card | Problem | None = None,
) -> Card | Problem:
    """One more field of a done or partly-done session's check-in, the others kept."""
    if found is None:
        found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is None or found.checkin.status not in ("done", "partial"):
        return Problem.NEED_STATUS
    if getattr(found.checkin, name) == value:
        return replace(found, changed=False)
    if name == "rpe":
        assert isinstance(value, int)
        record = await work.checkins.set_details(telegram_id, date, rpe=value, now=now, runner_id=found.runner.id)
    else:
        record = await work.checkins.set_details(
            telegram_id, date, soreness=str(value), now=now, runner_id=found.runner.id
        )
    return replace(found, checkin=record)


def niggle_areas(card: Card) -> tuple[BodyArea, ...]:
    """The runner's niggle areas that the day's session loaded: the ones the pain-monitoring
    question asks about after it (COACHING.md, "Niggles")."""
    if not card.day.session.kind.is_lifting:
        return ()
    loaded = {area for p in card.day.session.exercises for area in p.loads}
    return tuple(area for area in BodyArea if area in card.runner.niggles and area in loaded)


@dataclass(frozen=True, slots=True)
class Swapped:
    day: DayPlan  # today's mobility
    moved_to: dt.date | None  # where the lift went, or None when it was dropped


async def swap_to_mobility(
    work: UnitOfWork, telegram_id: int, date: dt.date, now: dt.datetime, library: Library
) -> Swapped | Problem:
    """Today's lift becomes mobility; the lift moves to the next allowed day this week, or is
    dropped, never stacked (COACHING.md, "Adjusting today")."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if not found.day.session.kind.is_lifting or date != local_today(now, account.timezone):
        return Problem.NOT_LIFTING
    monday = monday_of(date)
    week = await stored_week(work, account, monday, library, now)
    before = await work.plans.week(telegram_id, monday - dt.timedelta(days=7))
    after = await work.plans.week(telegram_id, monday + dt.timedelta(days=7))
    adjusted = adjust_today(
        week,
        date,
        account.profile,
        library,
        account.state,
        lifted_before=before is not None and before.days[-1].session.kind.is_lifting,
        lifted_after=after is not None and after.days[0].session.kind.is_lifting,
        paused_until=pause_end(account),
    )
    await work.plans.save_week(telegram_id, adjusted, now, from_date=date)
    lifted = {d.date for d in week.days if d.session.kind.is_lifting}
    moved_to = next((d.date for d in adjusted.days if d.session.kind.is_lifting and d.date not in lifted), None)
    note = f"{MOVED}{moved_to.isoformat()}" if moved_to is not None else DROPPED
    await work.checkins.set_status(
        telegram_id, date, session_kind=found.day.session.kind, status="swapped", note=note, now=now
    )
    await scheduling.cancel(work, telegram_id, LATER, date)
    today_plan = adjusted.day(date)
    assert today_plan is not None
    return Swapped(day=today_plan, moved_to=moved_to)
