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

from bot.coach import niggles as ladder
from bot.coach.adaptation import back_from_pause, clear_red_flag
from bot.coach.library import Library
from bot.coach.model import BodyArea, Level
from bot.services.checkins import niggle_areas, open_card
from bot.services.flares import failed_check
from bot.services.pain import PAIN_REST_DAYS
from bot.services.pauses import settled_account
from bot.services.plans import local_today, replan_open_days, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem
from bot.services.reading import Card
from bot.services.review import niggle_checks

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
    niggles = profile.injuries
    flagged = {a for a, until in account.state.pain.items() if until == UNTIL_CLEARED}
    areas = flagged if area is None else flagged & {area}
    screen = area is None and account.state.needs_clearance
    if not areas and not screen:
        return Outcome.NOTHING_TO_CLEAR
    state = replace(account.state, needs_clearance=False) if screen else account.state
    for cleared in areas:
        state = clear_red_flag(state, cleared)
        # back through the niggle route: rung 1 first (N3), its jump clock restarted (N5)
        state = ladder.restart(state, cleared, returning=False)
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
    work: UnitOfWork, telegram_id: int, accept: bool, now: dt.datetime, library: Library, to: Level | None = None
) -> tuple[Outcome, Level] | Problem:
    """The answer to "ready to move up a level?": a yes moves the runner one level up from the
    next planned day on (their progress so far is kept); a no keeps everything as it is. A yes
    to a level ``to`` that is not the next one up (an older review's question) changes nothing."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    level = account.profile.strength_level
    higher = NEXT_LEVEL.get(level)
    if not accept or higher is None or (to is not None and to is not higher):
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
    today = local_today(now, account.timezone)
    joined = local_today(account.onboarded_at, account.timezone)
    done = [c.date for c in await work.checkins.between(telegram_id, joined, today) if c.status == "done"]
    last = max(done, default=joined)
    state = back_from_pause(account.state, gap_days=(today - last).days, back_on=today)
    await work.runners.save_state(telegram_id, state)
    await replan_open_days(work, replace(account, state=state), now, library)
    return Outcome.GAP


# --- the niggle ladder's checks (COACHING.md N4, N5) ------------------------------------------


async def log_morning(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    area: BodyArea,
    back_to_usual: bool,
    now: dt.datetime,
    library: Library,
) -> Card | Problem:
    """The morning after a session that loaded a niggle area: back to usual, or worse (N4's second
    check). Refused for an area the session did not load, or a session not logged as done."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    checkin = found.checkin
    if checkin is None or checkin.status not in ("done", "partial") or area not in niggle_areas(found):
        return Problem.NEED_STATUS
    if checkin.mornings.get(area) is back_to_usual:
        return replace(found, changed=False)
    record = await work.checkins.set_details(telegram_id, date, morning=(area, back_to_usual), now=now)
    step = None if back_to_usual else await failed_check(work, telegram_id, area, date, now, library)
    return replace(found, checkin=record, flare=step)


def test_of(found: Card) -> ladder.StrengthTest | None:
    """The N5 strength test the day's session held, if any (one exercise at most)."""
    return ladder.test_in(p.id for p in found.day.session.exercises)


async def log_test(
    work: UnitOfWork, telegram_id: int, date: dt.date, count: int, now: dt.datetime, library: Library
) -> Card | Problem:
    """The count of the strength test the session held (N5), asked at its check-in; refused for
    a session that held no test or was not logged as done."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    test = test_of(found)
    if found.checkin is None or found.checkin.status not in ("done", "partial") or test is None or count < 0:
        return Problem.NEED_STATUS
    if found.checkin.test == (test.exercise, count):
        return replace(found, changed=False)
    record = await work.checkins.set_details(telegram_id, date, test=(test.exercise, count), now=now)
    return replace(found, checkin=record)


class Compared(StrEnum):
    """What a "vs last week" answer changed; each has a short text in ui.yaml."""

    UP = "niggle_up"  # every check passed: one rung up
    HELD = "niggle_held"  # no worse, but another check was missing or failed: the rung holds
    DOWN = "niggle_down"  # worse: one rung down
    REMOVED = "niggle_removed"  # worse at rung 1: the area rests a week
    PAIN = "niggle_pain"  # a second failed check within 2 weeks: rests, then back at rung 1 (A4)


async def compare_week(
    work: UnitOfWork,
    telegram_id: int,
    sunday: dt.date,
    area: BodyArea,
    answer: ladder.Compare,
    now: dt.datetime,
    library: Library,
) -> Compared | Problem:
    """The weekly review's "[area] vs last week" answer (N4's third check) for the week ending
    ``sunday``: only for an area that review asked about, once; the open days are re-planned."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    held = account.state.niggles.get(area)
    if held is None or held.asked != sunday:  # not asked that week, or already answered
        return Problem.NEED_STATUS
    before = account.state
    week = await work.checkins.between(telegram_id, sunday - dt.timedelta(days=6), sunday)
    checks = niggle_checks(week).get(area, ())
    today = local_today(now, account.timezone)
    state, second = ladder.compare(before, area, answer, sunday, today, checks)
    if second:
        today = local_today(now, account.timezone)
        until = max(state.pain.get(area, today), today + dt.timedelta(days=PAIN_REST_DAYS))
        state = replace(state, pain={**state.pain, area: until})
        outcome = Compared.PAIN
    elif ladder.rung_of(state, area) > ladder.rung_of(before, area):
        outcome = Compared.UP
    elif answer is ladder.Compare.WORSE:
        outcome = Compared.REMOVED if area in state.pain and area not in before.pain else Compared.DOWN
    else:
        outcome = Compared.HELD
    await work.runners.save_state(telegram_id, state)
    await replan_open_days(work, replace(account, state=state), now, library)
    return outcome
