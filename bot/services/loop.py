"""The daily loop's use cases: check-ins, swapping a lift, pain, pause and resume, the weekly review.

Every use case reads the stored plan (the record of what was prescribed), writes what the
runner said field by field, and re-plans only from today on. They take plain values and a
unit of work; rendering and sending are the caller's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Literal

from bot.coach import niggles
from bot.coach.adaptation import (
    Rule,
    WeekReview,
    ask_still_lifting,
    back_from_pause,
    review_message,
    review_week,
    step_message,
    target_rpe,
    visible_step,
)
from bot.coach.adjust import adjust_today
from bot.coach.inputs import phase_of_week, record_week, week_kind
from bot.coach.library import Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Distance,
    Profile,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    WeekPlan,
)
from bot.coach.phases import phase_on
from bot.coach.planner import context_after, plan_week
from bot.services import scheduling
from bot.services.accounts import CheckinRecord, RunnerAccount, RunnerBrief
from bot.services.plans import (
    SHORT_WEEK_DAYS,
    local_today,
    monday_of,
    pause_end,
    planned_week,
    replan_from,
    replanned,
    stored_week,
)
from bot.services.ports import UnitOfWork
from bot.services.schedule import NIGGLE_MORNING, at_local
from bot.services.timezones import zone

PAIN_REST_DAYS = 7
PAIN_CHECK_DAYS = 3
LATER_BY = dt.timedelta(hours=2)  # "Later": the prompt again this much later, once
QUIET_FROM = dt.time(22, 0)  # ... and never from this local time on
LATE_NIGHT_END = dt.time(4, 0)  # "done" typed before this means the day just ended
SORENESS = ("none", "a_bit", "very", "pain")
Soreness = Literal["none", "a_bit", "very", "pain"]
Status = Literal["done", "partial", "skipped"]


class Problem(StrEnum):
    """Why a check-in or command could not be applied; each has a short text in ui.yaml."""

    NOT_ONBOARDED = "not_onboarded"
    WEEK_CLOSED = "week_closed"
    FUTURE = "future_day"
    NO_SESSION = "no_session"
    NOT_LIFTING = "not_lifting_today"
    NEED_STATUS = "need_status"
    ALREADY_PAUSED = "already_paused"
    NOT_PAUSED = "not_paused"
    PAST_DATE = "pause_past"
    TOO_LATE = "later_too_late"


@dataclass(frozen=True, slots=True)
class Card:
    """A day's session and what the runner has logged for it so far: what a prompt shows."""

    runner: RunnerBrief
    day: DayPlan
    checkin: CheckinRecord | None
    changed: bool = True


def session_day(now: dt.datetime, timezone: str) -> dt.date:
    """The day a "done" typed now refers to: today, or yesterday in the small hours."""
    local = now.astimezone(zone(timezone))
    return local.date() - dt.timedelta(days=1) if local.time() < LATE_NIGHT_END else local.date()


async def settle_pause(work: UnitOfWork, account: RunnerAccount, now: dt.datetime, library: Library) -> RunnerAccount:
    """End a pause whose end date has passed, with the return-after-a-gap step down (a write: the
    dispatcher's tick and the use cases that change something call it; a read computes
    :func:`standing` instead)."""
    if account.paused_from is None or account.paused_until is None or account.timezone is None:
        return account
    today = local_today(now, account.timezone)
    if today <= account.paused_until:
        return account
    return await _end_pause(work, account, today, now, library)


def _resumed(account: RunnerAccount, today: dt.date) -> RunnerAccount:
    """The runner as ending their pause on ``today`` leaves them: not paused, a step lower."""
    assert account.paused_from is not None
    state = back_from_pause(account.state, gap_days=(today - account.paused_from).days)
    return replace(account, state=state, paused_from=None, paused_until=None)


async def _end_pause(
    work: UnitOfWork, account: RunnerAccount, today: dt.date, now: dt.datetime, library: Library
) -> RunnerAccount:
    state = _resumed(account, today).state
    await work.runners.save_state(account.telegram_id, state)
    resumed = await work.runners.set_settings(account.telegram_id, paused_from=None, paused_until=None, now=now)
    resumed = replace(resumed, state=state)
    if resumed.onboarded:
        await replan_from(work, resumed, today, library, now)
    await scheduling.reschedule(work, account.telegram_id, now)
    return resumed


async def settled_account(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library
) -> RunnerAccount | None:
    """An onboarded runner's account, with a pause whose end date has passed ended first (a write)."""
    account = await work.runners.get(telegram_id)
    if account is None or not account.onboarded or account.profile is None or account.timezone is None:
        return None
    return await settle_pause(work, account, now, library)


@dataclass(frozen=True, slots=True)
class Standing:
    """An onboarded runner as they stand now, read without writing anything.

    A pause whose end date has passed is shown as ended: ``account`` is the runner as the next
    tick (or the next change they make) will store them, a step lower and not paused, and
    ``weeks`` holds the weeks that ending the pause re-plans, by their Monday.
    """

    account: RunnerAccount
    today: dt.date
    weeks: dict[dt.date, WeekPlan]

    @property
    def lapsed(self) -> bool:
        """Whether a stored pause has lapsed and is shown here as ended."""
        return bool(self.weeks)


async def standing(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> Standing | None:
    """The onboarded runner as they stand now (see :class:`Standing`); None before onboarding."""
    account = await work.runners.get(telegram_id)
    if account is None or not account.onboarded or account.profile is None or account.timezone is None:
        return None
    today = local_today(now, account.timezone)
    if not _lapsed(account.paused_from, account.paused_until, today):
        return Standing(account=account, today=today, weeks={})
    after = _resumed(account, today)
    plan = await replanned(work, after, today, library)
    weeks = {plan.week.start: plan.week}
    if plan.following is not None:
        weeks[plan.following.start] = plan.following
    return Standing(account=after, today=today, weeks=weeks)


async def week_standing(
    work: UnitOfWork, found: Standing, monday: dt.date, library: Library, now: dt.datetime
) -> WeekPlan:
    """The week starting ``monday`` as the runner stands. Past a lapsed pause: as ending it
    re-plans it, computed and never written. Otherwise as stored, and a week never planned is
    planned and stored now, as the record of what was prescribed from the first time it is shown
    (the plan as it would have been planned anyway: no state changes)."""
    if found.lapsed:
        return found.weeks.get(monday) or await planned_week(work, found.account, monday, library)
    return await stored_week(work, found.account, monday, library, now)


async def card(work: UnitOfWork, telegram_id: int, date: dt.date, now: dt.datetime, library: Library) -> Card | Problem:
    """The day's session and its check-in, if the runner may still log it; a read (nothing written)."""
    brief = await work.runners.brief(telegram_id)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, brief.timezone)
    if date > today:
        return Problem.FUTURE
    if date < monday_of(session_day(now, brief.timezone)):
        return Problem.WEEK_CLOSED
    day = None if _pause_expired(brief, today) else await work.plans.day(telegram_id, date)
    if day is None:
        found = await standing(work, telegram_id, now, library)
        if found is None:
            return Problem.NOT_ONBOARDED
        day = (await week_standing(work, found, monday_of(date), library, now)).day(date)
        if found.lapsed:
            brief = replace(brief, paused_from=None, paused_until=None)
    assert day is not None
    if day.session.kind is SessionKind.REST:
        return Problem.NO_SESSION
    return Card(runner=brief, day=day, checkin=await work.checkins.get(telegram_id, date))


async def open_card(
    work: UnitOfWork, telegram_id: int, date: dt.date, now: dt.datetime, library: Library
) -> Card | Problem:
    """The card a change is about to be logged against: a lapsed pause is ended first, so what the
    runner logs is logged against the plan on record."""
    await settled_account(work, telegram_id, now, library)
    return await card(work, telegram_id, date, now, library)


async def log_status(
    work: UnitOfWork, telegram_id: int, date: dt.date, status: Status, now: dt.datetime, library: Library
) -> Card | Problem:
    """Done, partly or skipped for a day's session (a mobility day only takes done)."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is not None and found.checkin.status == status:
        return replace(found, changed=False)
    record = await work.checkins.set_status(
        telegram_id, date, session_kind=found.day.session.kind, status=status, now=now
    )
    return replace(found, checkin=record)


async def log_rpe(
    work: UnitOfWork, telegram_id: int, date: dt.date, rpe: int, now: dt.datetime, library: Library
) -> Card | Problem:
    """The session's effort (1 to 10), after Done or Partly."""
    return await _log_detail(work, telegram_id, date, now, library, "rpe", rpe)


async def log_soreness(
    work: UnitOfWork, telegram_id: int, date: dt.date, soreness: Soreness, now: dt.datetime, library: Library
) -> Card | Problem:
    """How sore the session left the runner, after Done or Partly."""
    return await _log_detail(work, telegram_id, date, now, library, "soreness", soreness)


async def _log_detail(
    work: UnitOfWork,
    telegram_id: int,
    date: dt.date,
    now: dt.datetime,
    library: Library,
    name: Literal["rpe", "soreness"],
    value: int | str,
) -> Card | Problem:
    """One more field of a done or partly-done session's check-in, the others kept."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is None or found.checkin.status not in ("done", "partial"):
        return Problem.NEED_STATUS
    if getattr(found.checkin, name) == value:
        return replace(found, changed=False)
    if name == "rpe":
        assert isinstance(value, int)
        record = await work.checkins.set_details(telegram_id, date, rpe=value, now=now)
    else:
        record = await work.checkins.set_details(telegram_id, date, soreness=str(value), now=now)
    return replace(found, checkin=record)


def niggle_areas(card: Card) -> tuple[BodyArea, ...]:
    """The runner's niggle areas that the day's session loaded: the ones the pain-monitoring
    question asks about after it (COACHING.md, "Niggles")."""
    if not card.day.session.kind.is_lifting:
        return ()
    loaded = {area for p in card.day.session.exercises for area in p.loads}
    return tuple(area for area in BodyArea if area in card.runner.niggles and area in loaded)


async def log_niggle(
    work: UnitOfWork, telegram_id: int, date: dt.date, area: BodyArea, held: bool, now: dt.datetime, library: Library
) -> Card | Problem:
    """A niggle area's answer after a done or partly-done session: did the pain-monitoring rule
    hold (at most 3/10 during, no worse than usual the next morning)? The weekly review moves the
    area up or down its rungs from these answers."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    if found.checkin is None or found.checkin.status not in ("done", "partial") or area not in niggle_areas(found):
        return Problem.NEED_STATUS
    if found.checkin.niggles.get(area) is held:
        return replace(found, changed=False)
    record = await work.checkins.set_details(telegram_id, date, niggle=(area, held), now=now)
    timezone, reminder = found.runner.timezone, found.runner.reminder_time
    if timezone is not None and reminder is not None:
        # N4's second check: the next morning, at the runner's reminder time
        morning = date + dt.timedelta(days=1)
        when = at_local(morning, reminder, timezone)
        await scheduling.set_one_off(work, telegram_id, NIGGLE_MORNING, when, morning, detail=date.isoformat())
    return replace(found, checkin=record)


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
    record = await work.checkins.set_details(telegram_id, date, soreness="pain", pain_area=area, now=now)
    account = await settled_account(work, telegram_id, now, library)
    assert account is not None
    await apply_pain_rule(work, account, area, now, library)
    return replace(found, checkin=record)


async def apply_pain_rule(
    work: UnitOfWork, account: RunnerAccount, area: BodyArea, now: dt.datetime, library: Library
) -> RunnerAccount:
    """Pain: nothing loads the area for at least a week, the rest of this week is re-planned
    around it, and the coach asks again in three days (COACHING.md, the pain rule and A4)."""
    timezone, reminder = account.timezone, account.reminder_time
    assert timezone is not None and reminder is not None
    today = local_today(now, timezone)
    until = max(account.state.pain.get(area, today), today + dt.timedelta(days=PAIN_REST_DAYS))
    state = replace(account.state, pain={**account.state.pain, area: until})
    state = niggles.restart(state, area)  # A4: back at rung 1 after the rest, its jump clock restarted
    await work.runners.save_state(account.telegram_id, state)
    account = replace(account, state=state)
    profile = account.profile
    if profile is not None and area not in profile.injuries:
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
        "pain_check",
        at_local(check_day, reminder, timezone),
        check_day,
        detail=area.value,
    )
    return account


async def report_pain(
    work: UnitOfWork, telegram_id: int, area: BodyArea, now: dt.datetime, library: Library
) -> RunnerAccount | Problem:
    """Pain said in words ("my knee hurts"): the pain rule, and a check-in of today notes the area."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    assert account.timezone is not None
    today = session_day(now, account.timezone)
    if await work.checkins.get(telegram_id, today) is not None:
        await work.checkins.set_details(telegram_id, today, soreness="pain", pain_area=area, now=now)
    return await apply_pain_rule(work, account, area, now, library)


async def pain_follow_up(
    work: UnitOfWork, telegram_id: int, area: BodyArea, still_hurts: bool, now: dt.datetime, library: Library
) -> RunnerAccount | Problem:
    """The answer to "how is it now?": still hurting rests the area another week."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if still_hurts:
        return await apply_pain_rule(work, account, area, now, library)
    return account


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
    assert account.profile is not None and account.timezone is not None
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
    note = f"moved:{moved_to.isoformat()}" if moved_to is not None else "dropped"
    await work.checkins.set_status(
        telegram_id, date, session_kind=found.day.session.kind, status="swapped", note=note, now=now
    )
    today_plan = adjusted.day(date)
    assert today_plan is not None
    return Swapped(day=today_plan, moved_to=moved_to)


async def later(
    work: UnitOfWork, telegram_id: int, date: dt.date, now: dt.datetime, library: Library
) -> dt.datetime | Problem:
    """ "Later": the day's lift prompted again in two hours, once, never in quiet hours nor on
    another day; the local time it comes."""
    found = await open_card(work, telegram_id, date, now, library)
    if isinstance(found, Problem):
        return found
    timezone = found.runner.timezone
    assert timezone is not None
    when = (now + LATER_BY).astimezone(zone(timezone))
    if when.date() != date or when.time() >= QUIET_FROM or not found.day.session.kind.is_lifting:
        return Problem.TOO_LATE
    await scheduling.set_one_off(work, telegram_id, "later", (now + LATER_BY).astimezone(dt.UTC), date)
    return when


# --- calendar changes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Moved:
    run: RunKind
    day: dt.date
    week: WeekPlan
    today: dt.date


async def move_run(
    work: UnitOfWork, telegram_id: int, run: RunKind, weekday: Weekday, now: dt.datetime, library: Library
) -> Moved | Problem:
    """ "My long run moved to Saturday": this week's calendar changes by one-off dates (the weekly
    template stays), and the rest of the week is re-planned at once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    assert account.profile is not None and account.timezone is not None
    today = local_today(now, account.timezone)
    monday = monday_of(today)
    target = monday + dt.timedelta(days=list(Weekday).index(weekday))
    if target < today:
        return Problem.PAST_DATE
    profile = account.profile
    overrides = dict(profile.overrides)
    distances = dict(profile.tune_up_distances)
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        if day >= today and day != target and profile.run_on(day) is run:
            # the run leaves its usual day this week; that day becomes an easy day off the key runs
            overrides[day] = RunKind.REST
            if run is RunKind.RACE and day in distances:
                distances[target] = distances[day]  # the race moved, and its distance with it
            distances.pop(day, None)
    overrides[target] = run
    if run is not RunKind.RACE:
        distances.pop(target, None)  # no longer a race day: no tune-up distance
    update = {"overrides": overrides, "tune_up_distances": distances}
    account = await save_profile(work, account, profile.model_copy(update=update), now)
    week = await replan_from(work, account, today, library, now)
    return Moved(run=run, day=target, week=week, today=today)


async def set_tune_up_distance(
    work: UnitOfWork, telegram_id: int, day: dt.date, distance: Distance | None, now: dt.datetime, library: Library
) -> Moved | Problem:
    """The answer to "how far is the race?" after a race day was added (P9): the tune-up's distance
    is stored on its override (None, "not sure", stores none: the rules take it as unknown) and the
    week is re-planned around it at once."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    assert account.profile is not None and account.timezone is not None
    today = local_today(now, account.timezone)
    profile = account.profile
    if day < today:
        return Problem.PAST_DATE
    if profile.overrides.get(day) is not RunKind.RACE:
        return Problem.NEED_STATUS  # the day is no longer a race: a stale tap
    distances = dict(profile.tune_up_distances)
    if distance is None:
        distances.pop(day, None)
    else:
        distances[day] = distance
    account = await save_profile(work, account, profile.model_copy(update={"tune_up_distances": distances}), now)
    week = await replan_from(work, account, today, library, now)
    return Moved(run=RunKind.RACE, day=day, week=week, today=today)


# --- pause and resume ------------------------------------------------------------------------


async def pause(
    work: UnitOfWork, telegram_id: int, until: dt.date | None, now: dt.datetime, library: Library
) -> RunnerAccount | Problem:
    """Stop prompts until ``until`` (its last paused day), or until /resume when None."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    assert account.timezone is not None
    today = local_today(now, account.timezone)
    if account.paused_from is not None:
        return Problem.ALREADY_PAUSED
    if until is not None and until < today:
        return Problem.PAST_DATE
    paused = await work.runners.set_settings(telegram_id, paused_from=today, paused_until=until, now=now)
    await replan_from(work, paused, await first_open_day(work, telegram_id, today), library, now)
    await scheduling.reschedule(work, telegram_id, now)
    return paused


async def save_profile(work: UnitOfWork, account: RunnerAccount, profile: Profile, now: dt.datetime) -> RunnerAccount:
    """Store a changed profile for an onboarded runner; their delivery settings and training
    state stay as they are."""
    assert account.timezone is not None and account.reminder_time is not None
    saved = await work.runners.save_profile(
        account.telegram_id, profile, timezone=account.timezone, reminder_time=account.reminder_time, now=now
    )
    return replace(saved, state=account.state)


async def replan_open_days(
    work: UnitOfWork, account: RunnerAccount, now: dt.datetime, library: Library
) -> tuple[dt.date, WeekPlan]:
    """Re-plan this week (and a stored next week) from the first day not yet sent or logged, around
    the runner's profile and state as they are now; the first re-planned day and the week."""
    assert account.timezone is not None
    start = await first_open_day(work, account.telegram_id, local_today(now, account.timezone))
    return start, await replan_from(work, account, start, library, now)


async def first_open_day(work: UnitOfWork, telegram_id: int, today: dt.date) -> dt.date:
    """Today, unless today's session was already sent or logged: then it stays on record as it
    was prescribed, and changes start tomorrow."""
    if await work.checkins.get(telegram_id, today) is not None:
        return today + dt.timedelta(days=1)
    if await work.deliveries.get(telegram_id, today, "prompt") is not None:
        return today + dt.timedelta(days=1)
    return today


async def resume(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> RunnerAccount | Problem:
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    if account.paused_from is None:
        return Problem.NOT_PAUSED
    assert account.timezone is not None
    return await _end_pause(work, account, local_today(now, account.timezone), now, library)


async def reactivate(work: UnitOfWork, telegram_id: int, now: dt.datetime) -> bool:
    """/start from a runner who had blocked the bot: messages start again. True if they were off."""
    account = await work.runners.get(telegram_id)
    if account is None or account.active:
        return False
    await work.runners.set_settings(telegram_id, active=True, now=now)
    await scheduling.reschedule(work, telegram_id, now)
    return True


# --- the weekly review -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A week's review as stored (``payload``) and the next week it planned."""

    payload: dict[str, Any]
    next_week: WeekPlan


def niggle_checks(checkins: list[CheckinRecord]) -> dict[BodyArea, tuple[niggles.SessionChecks, ...]]:
    """Per niggle area, the N4 checks of the sessions that loaded it, in date order: the answer
    after the session, the next morning's, and the strength test's count when it held one."""
    ordered = sorted(checkins, key=lambda c: c.date)
    areas = sorted({a for c in ordered for a in (*c.niggles, *c.mornings)})
    return {
        area: tuple(
            niggles.SessionChecks(c.date, c.niggles.get(area), c.mornings.get(area), c.test)
            for c in ordered
            if area in c.niggles or area in c.mornings
        )
        for area in areas
    }


def _eccentric_ids(library: Library) -> frozenset[str]:
    return frozenset(ex.id for ex in library.exercises.values() if ex.eccentric)


def _review_inputs(
    week: WeekPlan, checkins: list[CheckinRecord], state: TrainingState, eccentric: frozenset[str] = frozenset()
) -> tuple[WeekReview, bool]:
    """The week's check-ins as the adaptation rules read them; True when nothing was answered.

    Pain counts when a check-in named it or when it was reported in words during the week (its
    rest then started inside the week).
    """
    by_date = {c.date: c for c in checkins}
    lifting_days = [d.date for d in week.days if d.session.kind.is_lifting]
    dropped = sum(1 for c in checkins if c.status == "swapped" and c.note == "dropped")
    answered = [by_date[d] for d in lifting_days if d in by_date] + [
        c for c in checkins if c.status == "swapped" and c.note == "dropped"
    ]
    done = [c for c in answered if c.status == "done"]
    partial = [c for c in answered if c.status == "partial"]
    rpes = tuple(c.rpe for c in done + partial if c.rpe is not None)
    review = WeekReview(
        planned=len(lifting_days) + dropped,
        done=len(done),
        partial=len(partial),
        rpes=rpes,
        very_sore=sum(1 for c in checkins if c.soreness == "very"),
        pain=frozenset(c.pain_area for c in checkins if c.pain_area is not None)
        | frozenset(
            area
            for area, until in state.pain.items()
            if week.start <= until - dt.timedelta(days=PAIN_REST_DAYS) <= week.days[-1].date
        ),
        target_rpe=target_rpe(week),
        niggle_sessions=niggle_checks(checkins),
        eccentric_held=any(
            p.id in eccentric for d in week.days if d.session.kind.is_lifting for p in d.session.exercises
        ),
    )
    return review, not checkins


async def weekly_review(
    work: UnitOfWork, account: RunnerAccount, sunday: dt.date, now: dt.datetime, library: Library
) -> Reviewed:
    """Review the week ending ``sunday`` once (A1 to A5), store next week's state and plan.

    Reviewing the same week again returns what was stored the first time.
    """
    assert account.profile is not None
    monday = monday_of(sunday)
    following = monday + dt.timedelta(days=7)
    stored = await work.reviews.get(account.telegram_id, monday)
    if stored is not None:
        return Reviewed(payload=stored, next_week=await stored_week(work, account, following, library, now))
    week = await stored_week(work, account, monday, library, now)
    checkins = await work.checkins.between(account.telegram_id, monday, sunday)
    eccentric = _eccentric_ids(library)
    review, silent = _review_inputs(week, checkins, account.state, eccentric)
    next_phase = phase_on(account.profile.race, following)
    profile = account.profile
    # A1 to A4 on the state the week was planned from; the week's counters (lifting weeks, jumps,
    # eccentric weeks, A5's count) are then written into the outcome
    planned_from = account.state
    state: TrainingState = record_week(profile, planned_from, week, eccentric_ids=eccentric, very_sore=review.very_sore)
    next_week_phase = phase_of_week(profile, following)
    lifts_next = next_week_phase.allows_lifting
    # whether next week is reduced if this review takes no back-off (A1 is only ever weighed then)
    unbacked = replace(state, backoff_weeks=0, recovery_week=review.recovery_week_marked, stepped=False)
    next_kind = week_kind(profile, unbacked, following, next_week_phase, lifting=lifts_next)
    next_reduced = next_kind.reduced or next_kind.step_lower
    # no lifting planned, or no answer at all: missing data holds, it never progresses
    weighed = replace(review, planned=0) if review.planned == 0 or silent else review
    adjusted = review_week(
        planned_from,
        weighed,
        week_phase=week.phase,
        next_phase=next_phase,
        week_end=sunday,
        level=account.profile.strength_level,
        next_reduced=next_reduced,
    )
    main, key, rules = review_message(adjusted, planned=review.planned, silent=silent)
    new_state = record_week(
        profile, planned_from, week, eccentric_ids=eccentric, very_sore=review.very_sore, into=adjusted.state
    )
    context = context_after(week, library, pause_end(account))
    stepping = adjusted.step_change > 0
    shown = visible_step(profile, following, library, state, new_state, context) if stepping else None
    if stepping and shown is None:  # A1 at the top of the ladder: nothing to show, the step holds
        new_state = replace(new_state, step=state.step, set_cut=state.set_cut, stepped=False)
    elif shown is not None:
        new_state = shown
    # what next week is, once the review is applied: A5's deload only when next week is one
    next_kind = week_kind(profile, new_state, following, next_week_phase, lifting=lifts_next)
    key, rules = step_message(
        key,
        main,
        rules,
        stepping=stepping,
        visible=shown is not None,
        pending=new_state.step_pending,
        deload_next=next_kind.deload,
    )
    earlier = await work.reviews.recent(account.telegram_id, monday, 2)
    payload: dict[str, Any] = {
        "week_start": monday.isoformat(),
        "rules": rules,
        "key": key,
        "planned": review.planned,
        "done": review.done,
        "partial": review.partial,
        "mean_rpe": review.mean_rpe,
        "very_sore": review.very_sore,
        "pain": sorted(area.value for area in review.pain),
        "silent": silent and review.planned > 0,
        "ask_still_lifting": ask_still_lifting(silent and review.planned > 0, [bool(e.get("silent")) for e in earlier]),
        "step_before": state.step,
        "step_after": new_state.step,
        "deload_next": Rule.DELOAD.value in rules,
        "eased_next": next_kind.eased is not None,
        "step_later": new_state.step_pending,
        # A3 twice in a row: one tap for one session fewer and shorter sessions
        "offer_lighter": key == "A3_again",
        # niggle areas that moved back a rung, and those asked "vs last week" (N4)
        "niggles_down": sorted(
            a.value
            for a, n in new_state.niggles.items()
            if n.rung < niggles.rung_of(state, a) and a not in new_state.pain
        ),
        "niggles_ask": [a.value for a in niggles.asked_areas(review)],
        "ask_level_up": adjusted.ask_level_up,
        "level": account.profile.strength_level.value,
    }
    await work.reviews.add(account.telegram_id, monday, rules[0] if rules else Rule.HOLD.value, payload, now)
    await work.runners.save_state(account.telegram_id, new_state)
    account = replace(account, state=new_state)
    next_week = plan_week(profile, following, library, new_state, context)
    await work.plans.save_week(account.telegram_id, next_week, now)
    return Reviewed(payload=payload, next_week=next_week)


LIGHTER_MINUTES = 10  # A3 twice in a row: each session this much shorter, on a yes
MAX_FEWER_SESSIONS = 2
MIN_SESSION_MINUTES = 10


async def accept_lighter(
    work: UnitOfWork, telegram_id: int, accept: bool, now: dt.datetime, library: Library
) -> tuple[RunnerAccount, WeekPlan | None] | Problem:
    """The one-tap answer to A3's offer after two back-offs in a row: a yes takes one session off
    each week (never the last one) and ``LIGHTER_MINUTES`` off each session, re-planned from the
    next open day; a no keeps everything as it is (next week still backs off)."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None or account.profile is None:
        return Problem.NOT_ONBOARDED
    if not accept:
        return account, None
    state = account.state
    longest_cut = max(0, account.profile.session_minutes - MIN_SESSION_MINUTES)
    state = replace(
        state,
        fewer_sessions=min(MAX_FEWER_SESSIONS, state.fewer_sessions + 1),
        minutes_cut=min(longest_cut, state.minutes_cut + LIGHTER_MINUTES),
    )
    await work.runners.save_state(telegram_id, state)
    account = replace(account, state=state)
    _, week = await replan_open_days(work, account, now, library)
    return account, week


# --- reading the plan: what /today, /tomorrow, /week and "why?" show ------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """Days of the plan for a runner as they stand now, and the runner's today."""

    today: dt.date
    weeks: list[WeekPlan]
    day: DayPlan | None = None
    shown_before: dt.date | None = None  # the day shown to the runner last (what "why?" explains)
    paused: bool = False  # a pause runs (one whose end date has passed counts as ended)


def _lapsed(paused_from: dt.date | None, paused_until: dt.date | None, today: dt.date) -> bool:
    return paused_from is not None and paused_until is not None and today > paused_until


def _pause_expired(brief: RunnerBrief, today: dt.date) -> bool:
    return _lapsed(brief.paused_from, brief.paused_until, today)


async def day_at(
    work: UnitOfWork, telegram_id: int, now: dt.datetime, offset_days: int, library: Library
) -> Shown | None:
    """The plan of today (offset 0), tomorrow (1) ... for an onboarded runner, else None; a read.

    Two small queries when the day is stored (the runner's settings, then the day). A week never
    stored is shown as it would be planned now, and a pause whose end date has passed as ended,
    without writing either: the tick (or the runner's next change) stores them.
    """
    brief = await work.runners.brief(telegram_id)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return None
    today = local_today(now, brief.timezone)
    date = today + dt.timedelta(days=offset_days)
    if not _pause_expired(brief, today):
        day = await work.plans.day(telegram_id, date)
        if day is not None:
            paused = brief.paused_from is not None
            return Shown(today=today, weeks=[], day=day, shown_before=brief.shown_date, paused=paused)
    found = await standing(work, telegram_id, now, library)
    if found is None:
        return None
    week = await week_standing(work, found, monday_of(date), library, now)
    paused = found.account.paused_from is not None
    return Shown(today=today, weeks=[week], day=week.day(date), shown_before=brief.shown_date, paused=paused)


async def weeks_at(work: UnitOfWork, telegram_id: int, now: dt.datetime, library: Library) -> Shown | None:
    """This week, plus next week when only a few days of this one are left; a read, as :func:`day_at`."""
    brief = await work.runners.brief(telegram_id)
    if brief is None or not brief.onboarded or brief.timezone is None:
        return None
    today = local_today(now, brief.timezone)
    monday = monday_of(today)
    starts = [monday + dt.timedelta(days=7 * n) for n in range(2 if 7 - today.weekday() <= SHORT_WEEK_DAYS else 1)]
    if not _pause_expired(brief, today):
        found = await work.plans.weeks_for([(brief.id, start) for start in starts])
        if len(found) == len(starts):
            weeks = [found[(brief.id, start)] for start in starts]
            return Shown(today=today, weeks=weeks, paused=brief.paused_from is not None)
    now_standing = await standing(work, telegram_id, now, library)
    if now_standing is None:
        return None
    weeks = [await week_standing(work, now_standing, start, library, now) for start in starts]
    return Shown(today=today, weeks=weeks, paused=now_standing.account.paused_from is not None)
