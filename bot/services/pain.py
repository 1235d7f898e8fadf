"""The pain rule: a painful area rests a week, the week is re-planned around it, and the coach
asks again in three days (COACHING.md, the pain rule and A4); from a check-in, words or the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.coach import niggles
from bot.coach.library import Library
from bot.coach.model import BodyArea
from bot.services import scheduling
from bot.services.accounts import OnboardedRunner
from bot.services.checkins import open_card
from bot.services.pauses import settled_account
from bot.services.plans import local_today, replan_from, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card, session_day
from bot.services.schedule import DueKind, at_local

PAIN_REST_DAYS = 7
PAIN_CHECK_DAYS = 3


async def log_pain(
    work: UnitOfWork, telegram_id: int, date: dt.date, area: BodyArea, now: dt.datetime, library: Library
) -> Card | Problem:
    """The painful area of a check-in: stored on the day, and the pain rule applied at once."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is None:
        return Problem.NEED_STATUS
    if found.checkin.pain_area == area:
        return replace(found, changed=False)
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    record = await work.checkins.set_details(telegram_id, date, soreness="pain", pain_area=area, now=now)
    await apply_pain_rule(work, account, area, now, library)
    return replace(found, checkin=record)


async def apply_pain_rule(
    work: UnitOfWork, account: OnboardedRunner, area: BodyArea, now: dt.datetime, library: Library
) -> OnboardedRunner:
    """Pain: nothing loads the area for at least a week, the rest of this week is re-planned
    around it, and the coach asks again in three days (COACHING.md, the pain rule and A4)."""
    timezone, reminder = account.timezone, account.reminder_time
    today = local_today(now, timezone)
    until = max(account.state.pain.get(area, today), today + dt.timedelta(days=PAIN_REST_DAYS))
    state = replace(account.state, pain={**account.state.pain, area: until})
    state = niggles.restart(state, area)  # A4: back at rung 1 after the rest, its jump clock restarted
    await work.runners.save_state(account.telegram_id, state)
    account = replace(account, state=state)
    profile = account.profile
    if area not in profile.injuries:
        # worked around from now on, so its checks are asked as it climbs back (N4)
        account = await save_profile(
            work, account, profile.model_copy(update={"injuries": profile.injuries | {area}}), now
        )
    # a session already logged today stays on record as prescribed; otherwise today changes too,
    # so nothing that loads the area is left in it (even if it was already sent)
    logged_today = await work.checkins.get(account.telegram_id, today) is not None
    await replan_from(work, account, today + dt.timedelta(days=1) if logged_today else today, library, now)
    check_day = today + dt.timedelta(days=PAIN_CHECK_DAYS)
    await scheduling.set_one_off(
        work,
        account.telegram_id,
        DueKind.PAIN_CHECK,
        at_local(check_day, reminder, timezone),
        check_day,
        detail=area.value,
    )
    return account


async def report_pain(
    work: UnitOfWork, telegram_id: int, area: BodyArea, now: dt.datetime, library: Library
) -> OnboardedRunner | Problem:
    """Pain said in words ("my knee hurts"): the pain rule, and a check-in of today notes the area."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    today = session_day(now, account.timezone)
    if await work.checkins.get(telegram_id, today) is not None:
        await work.checkins.set_details(telegram_id, today, soreness="pain", pain_area=area, now=now)
    return await apply_pain_rule(work, account, area, now, library)


async def pain_follow_up(
    work: UnitOfWork, telegram_id: int, area: BodyArea, still_hurts: bool, now: dt.datetime, library: Library
) -> OnboardedRunner | Problem:
    """The answer to "how is it now?": still hurting rests the area another week."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if still_hurts:
        return await apply_pain_rule(work, account, area, now, library)
    return account
