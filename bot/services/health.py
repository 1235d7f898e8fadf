"""Health and level use cases: clearance after the onboarding screen, red flags, moving up a level.

COACHING.md, "Red flags": a yes to the onboarding health screen keeps the plan at the `new` base
dose until the runner says a professional cleared them; a red-flag sign with a pain report stops
all loading of the area until they say a professional cleared it, and the area then returns
through its gentle form, as a niggle. "Beyond the ladder": after enough good weeks a lifter is
asked whether to move up a level, and only a yes changes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum

from bot.coach.adaptation import back_from_pause, clear_red_flag
from bot.coach.library import Library
from bot.coach.model import BodyArea, Level
from bot.services.loop import Problem, replan_open_days, save_profile, settled_account
from bot.services.plans import local_today
from bot.services.ports import UnitOfWork

UNTIL_CLEARED = dt.date.max  # a red-flag area rests until a professional clears it
NEXT_LEVEL = {Level.NEW: Level.SOME, Level.SOME: Level.REGULAR}


class Outcome(StrEnum):
    """What a health or level answer changed; each has a short text in ui.yaml."""

    CLEARED = "cleared"  # the health screen's hold is lifted
    AREA_CLEARED = "area_cleared"  # a red-flag area returns in its gentle form
    NOTHING_TO_CLEAR = "nothing_to_clear"
    RED_FLAG = "red_flag"  # the area rests until cleared
    LEVEL_UP = "level_up"
    LEVEL_KEPT = "level_kept"
    STILL_LIFTING = "still_lifting_yes"  # silence was only silence: nothing changes
    GAP = "still_lifting_no"  # not lifting lately: the return-after-a-gap step down


async def confirm_clearance(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library, area: BodyArea | None = None
) -> Outcome | Problem:
    """The runner says a professional cleared them: for the health screen (``area`` None) the base
    dose hold ends; for a red-flag area the area comes back as a niggle, loaded gently first.
    With no area named, every hold the runner has is lifted (the screen and any red flag)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    profile = account.profile
    assert profile is not None
    niggles = profile.injuries
    flagged = {a for a, until in account.state.pain.items() if until == UNTIL_CLEARED}
    areas = flagged if area is None else flagged & {area}
    screen = area is None and account.state.needs_clearance
    if not areas and not screen:
        return Outcome.NOTHING_TO_CLEAR
    state = replace(account.state, needs_clearance=False) if screen else account.state
    for cleared in areas:
        state = clear_red_flag(state, cleared)
        # back through the niggle route: the area's gentle form first, up the rungs when pain-free
        state = replace(
            state,
            niggle_rungs={**state.niggle_rungs, cleared: 0},
            niggle_streaks={**state.niggle_streaks, cleared: 0},
        )
    await work.runners.save_state(telegram_id, state)
    account = replace(account, state=state)
    if areas - niggles:
        account = await save_profile(work, account, profile.model_copy(update={"injuries": niggles | areas}), now)
    await replan_open_days(work, account, now, library)
    return Outcome.AREA_CLEARED if areas and not screen else Outcome.CLEARED


async def red_flag(
    work: UnitOfWork, telegram_id: int, area: BodyArea, now: dt.datetime, library: Library
) -> Outcome | Problem:
    """A red-flag sign with the pain in ``area``: nothing loads it, jumps included, until a
    professional clears it; the rest of the week is re-planned around it at once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    state = replace(account.state, pain={**account.state.pain, area: UNTIL_CLEARED})
    await work.runners.save_state(telegram_id, state)
    await replan_open_days(work, replace(account, state=state), now, library)
    return Outcome.RED_FLAG


async def answer_level_up(
    work: UnitOfWork, telegram_id: int, accept: bool, now: dt.datetime, library: Library
) -> tuple[Outcome, Level] | Problem:
    """The answer to "ready to move up a level?": a yes moves the runner one level up from the
    next planned day on (their progress so far is kept); a no keeps everything as it is."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    assert account.profile is not None
    level = account.profile.strength_level
    higher = NEXT_LEVEL.get(level)
    if not accept or higher is None:
        return Outcome.LEVEL_KEPT, level
    profile = account.profile.model_copy(update={"strength_level": higher})
    await replan_open_days(work, await save_profile(work, account, profile, now), now, library)
    return Outcome.LEVEL_UP, higher


async def still_lifting(
    work: UnitOfWork, telegram_id: int, lifting: bool, now: dt.datetime, library: Library
) -> Outcome | Problem:
    """The answer to "still lifting?" after two silent weeks. Silence alone is not a gap; a "no"
    is, counted from the last session logged as done (or from onboarding when none was), and the
    plan steps down by its length from today (COACHING.md, "Return after a gap")."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if lifting:
        return Outcome.STILL_LIFTING
    assert account.timezone is not None and account.onboarded_at is not None
    today = local_today(now, account.timezone)
    joined = local_today(account.onboarded_at, account.timezone)
    done = [c.date for c in await work.checkins.between(telegram_id, joined, today) if c.status == "done"]
    last = max(done, default=joined)
    state = back_from_pause(account.state, gap_days=(today - last).days)
    await work.runners.save_state(telegram_id, state)
    await replan_open_days(work, replace(account, state=state), now, library)
    return Outcome.GAP
