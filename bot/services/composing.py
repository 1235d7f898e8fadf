"""What each due message is about: the dispatcher's decisions, taken inside its unit of work.

For a batch of due rows, :func:`contents` decides what each one carries, as domain values the
composer at the edge only renders (``bot.telegram.compose``): today's session for a prompt, a nudge
or a "later" re-send, the weekly review (written once here: the state moved on and next week
planned), a pain follow-up, a niggle's morning check; ``None`` when there is nothing to say (a
rest day, a session already logged, a pause, a first partial week). This is the tick that ends a
pause whose end date has passed, so a runner's first message after it comes from the plan as
re-planned. A batch takes a few queries (runners, stored days, check-ins), whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.coach.gaps import ReturnRule
from bot.coach.library import Library
from bot.coach.model import BodyArea, DayPlan, RunKind, SessionKind, WeekPlan
from bot.services import pauses, review, rhythm
from bot.services.accounts import CheckinRecord, OnboardedRunner, RunnerAccount, RunnerBrief
from bot.services.history import History, history
from bot.services.plans import local_today, monday_of, stored_week
from bot.services.ports import UnitOfWork
from bot.services.race_day import race_answered
from bot.services.reading import as_it_happened
from bot.services.ready_prompts import ReadyPrompt
from bot.services.review import Reviewed
from bot.services.schedule import DueKind

DAILY = frozenset({DueKind.PROMPT, DueKind.NUDGE, DueKind.LATER})


class DueLike(Protocol):
    """The fields of a due message this module reads (the dispatcher's ``Due``)."""

    @property
    def runner_id(self) -> int: ...
    @property
    def kind(self) -> DueKind: ...
    @property
    def local_date(self) -> dt.date: ...
    @property
    def detail(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Prompt:
    """The day's session to do: the morning prompt, or the "later" re-send (``again``); on the day a
    dated pause ended, with the welcome back and what the break's length changed (``welcome``)."""

    day: DayPlan
    again: bool = False
    race_day: dt.date | None = None  # yesterday's race, whose "How did it go?" the prompt asks
    welcome: ReturnRule | None = None
    ready: ReadyPrompt | None = None  # the day's plain prompt as stored with it, when this is that one

    @property
    def plain(self) -> bool:
        """The day's prompt as it was planned: no intro, no question added, no welcome back."""
        return not self.again and self.race_day is None and self.welcome is None


@dataclass(frozen=True, slots=True)
class RaceMorning:
    """Race day: no session, good luck, and the days after it as planned."""

    day: DayPlan
    after: tuple[DayPlan, ...]


@dataclass(frozen=True, slots=True)
class Nudge:
    """The evening reminder of a lift not logged yet."""

    day: DayPlan


@dataclass(frozen=True, slots=True)
class Review:
    """The weekly review as stored, the next week it planned, and the week's running number."""

    reviewed: Reviewed
    week_number: int
    history: History | None = None  # the runner's weeks, for the chart the review carries (a setting)


@dataclass(frozen=True, slots=True)
class PainCheck:
    """ "How is your knee now?", three days after a pain report."""

    area: BodyArea
    date: dt.date


@dataclass(frozen=True, slots=True)
class MorningCheck:
    """N4's morning-after check for the niggle areas a session loaded and not yet answered."""

    session_day: dt.date
    checkin: CheckinRecord


@dataclass(frozen=True, slots=True)
class RaceQuestion:
    """ "How did your race go?" on its own, the day after it, when there is no prompt to carry it."""

    race_day: dt.date


Content = Prompt | Nudge | Review | PainCheck | MorningCheck | RaceMorning | RaceQuestion


def week_number(day: dt.date) -> int:
    """Weeks since the calendar's start: consecutive weeks get consecutive numbers."""
    return day.toordinal() // 7


async def contents(
    work: UnitOfWork, dues: Sequence[DueLike], now: dt.datetime, library: Library
) -> dict[tuple[int, DueKind], Content | None]:
    """What each due message carries, keyed by (runner id, kind). Prompts, nudges and "later" need
    only the runner's settings, the stored day and its check-in (three queries per batch); reviews,
    pain follow-ups and a lapsed pause load the whole runner."""
    if not dues:
        return {}
    starts = [d for d in dues if d.kind == DueKind.PAUSE_START]
    for due in starts:  # first: a pause that starts today holds back today's other messages
        account = _onboarded((await work.runners.by_ids([due.runner_id])).get(due.runner_id))
        if account is not None:
            await pauses.start_planned_pause(work, account.telegram_id, due.detail, now, library)
    briefs = await work.runners.briefs([d.runner_id for d in dues])
    prompts = [d for d in dues if d.kind == DueKind.PROMPT]
    yesterdays = [(d.runner_id, d.local_date - dt.timedelta(days=1)) for d in prompts]  # a race to ask about
    days, ready = await work.plans.days_and_prompts(
        [(d.runner_id, d.local_date) for d in dues if d.kind in DAILY] + yesterdays
    )
    races = [d for d in prompts if (found := days.get((d.runner_id, d.local_date))) and found.run is RunKind.RACE]
    if races:  # a race morning shows the days after it: read only for the few runners racing today
        days |= await work.plans.days_for(
            [(d.runner_id, d.local_date + dt.timedelta(days=n)) for d in races for n in AFTER]
        )
    dates = [d.local_date for d in dues]
    checkins = await work.checkins.for_runners(list(briefs), min(dates) - dt.timedelta(days=1), max(dates))
    resent = await work.deliveries.states(
        [(d.runner_id, d.local_date, DueKind.LATER) for d in dues if d.kind == DueKind.NUDGE]
    )  # a lift already sent again at the runner's "Later" gets no nudge on top
    full = [d.runner_id for d in dues if d.kind not in DAILY or _needs_account(briefs.get(d.runner_id), d)]
    accounts = await work.runners.by_ids(full) if full else {}
    out: dict[tuple[int, DueKind], Content | None] = {}
    for due in dues:
        brief = briefs.get(due.runner_id)
        key = (due.runner_id, due.kind)
        resent_today = due.kind == DueKind.NUDGE and (due.runner_id, due.local_date, DueKind.LATER) in resent
        if brief is None or not brief.onboarded or not brief.active or resent_today:
            out[key] = None
            continue
        day = days.get((due.runner_id, due.local_date)) if due.kind in DAILY else None
        welcome = None
        account = _onboarded(accounts.get(due.runner_id))
        if account is not None:
            was_paused = account.paused_from is not None
            account = await pauses.settle_pause(work, account, now, library)  # the tick ends a lapsed pause
            if was_paused and account.paused_from is None:
                day = None  # the pause just ended and re-planned the days from today: read them again
                welcome = pauses.back_rule(account.state, due.local_date) if due.kind == DueKind.PROMPT else None
            if _paused_on(account.paused_from, account.paused_until, due.local_date):
                out[key] = None
                continue
        elif _paused_on(brief.paused_from, brief.paused_until, due.local_date):
            out[key] = None
            continue
        if day is None:
            if account is None:
                account = _onboarded((await work.runners.by_ids([due.runner_id])).get(due.runner_id))
            if account is None:
                out[key] = None
                continue
            week = await stored_week(work, account, monday_of(due.local_date), library, now)
            day = week.day(due.local_date)
            if due.kind == DueKind.REVIEW and _joined_during(account, week):
                out[key] = None  # a first, partial week has nothing to review yet
                continue
        if not rhythm.keeps(brief, due.kind, day, now):
            out[key] = None  # a quieter rhythm for a runner who stopped answering
            continue
        checkin = checkins.get((due.runner_id, due.local_date))
        content = await _one(work, due, account, day, checkin, now, library)
        if isinstance(content, Review) and brief.review_chart:
            content = replace(content, history=await history(work, brief.telegram_id, now))
        if welcome is not None and day is not None and checkin is None:  # the day a dated pause ends, once
            content = Prompt(day, welcome=welcome)
        if isinstance(content, Prompt):  # a reason about yesterday, worded as it happened
            (worded,) = await as_it_happened(work, brief.telegram_id, [content.day])
            read = (due.runner_id, due.local_date)  # its stored prompt is its own only if read with it
            stored = ready.get(read) if worded is days.get(read) else None
            content = replace(content, day=worded, ready=stored)
        out[key] = _race_days(due, day, content, days, checkins)
    return out


AFTER = (1, 2, 3)  # the days a race morning's message shows


def _race_days(
    due: DueLike,
    day: DayPlan | None,
    content: Content | None,
    days: dict[tuple[int, dt.date], DayPlan],
    checkins: dict[tuple[int, dt.date], CheckinRecord],
) -> Content | None:
    """A race morning's message instead of no prompt, and yesterday's race asked about in today's."""
    if due.kind != DueKind.PROMPT or day is None:
        return content
    if day.run is RunKind.RACE and checkins.get((due.runner_id, day.date)) is None:
        after = (days.get((due.runner_id, day.date + dt.timedelta(days=n))) for n in AFTER)
        return RaceMorning(day, tuple(d for d in after if d is not None))
    yesterday = day.date - dt.timedelta(days=1)
    before = days.get((due.runner_id, yesterday))
    if before is None or before.run is not RunKind.RACE or race_answered(checkins.get((due.runner_id, yesterday))):
        return content
    if isinstance(content, Prompt):
        return replace(content, race_day=yesterday)
    return RaceQuestion(yesterday) if content is None else content


async def _one(
    work: UnitOfWork,
    due: DueLike,
    account: OnboardedRunner | None,
    day: DayPlan | None,
    checkin: CheckinRecord | None,
    now: dt.datetime,
    library: Library,
) -> Content | None:
    if day is None:
        return None
    if due.kind == DueKind.PROMPT:
        return None if checkin is not None or day.session.kind is SessionKind.REST else Prompt(day)
    if due.kind == DueKind.NUDGE:
        return Nudge(day) if _lift_unanswered(day, checkin) else None
    if due.kind == DueKind.LATER:
        return Prompt(day, again=True) if _lift_unanswered(day, checkin) else None
    if due.kind == DueKind.REVIEW and account is not None:
        reviewed = await review.weekly_review(work, account, due.local_date, now, library)
        return Review(reviewed, week_number(due.local_date))
    if due.kind == DueKind.PAIN_CHECK and due.detail is not None and due.detail in BodyArea.__members__.values():
        return PainCheck(BodyArea(due.detail), due.local_date)
    if due.kind == DueKind.NIGGLE_MORNING and account is not None and due.detail is not None:
        return await _morning(work, account, due.detail)
    return None


async def _morning(work: UnitOfWork, account: OnboardedRunner, detail: str) -> MorningCheck | None:
    """N4's morning check for the session of ``detail`` (its date): the niggle areas it loaded
    that have no morning answer yet."""
    try:
        session_day = dt.date.fromisoformat(detail)
    except ValueError:
        return None
    checkin = await work.checkins.get(account.telegram_id, session_day)
    if checkin is None or all(area in checkin.mornings for area in checkin.niggles):
        return None
    return MorningCheck(session_day, checkin)


def _needs_account(brief: RunnerBrief | None, due: DueLike) -> bool:
    """A pause whose end has passed ends here, which takes the whole runner."""
    if brief is None or brief.paused_from is None or brief.paused_until is None:
        return False
    return due.local_date > brief.paused_until


def _lift_unanswered(day: DayPlan, checkin: CheckinRecord | None) -> bool:
    return day.session.kind.is_lifting and checkin is None


def _onboarded(account: RunnerAccount | None) -> OnboardedRunner | None:
    return account.as_onboarded() if account is not None else None


def _joined_during(account: OnboardedRunner, week: WeekPlan) -> bool:
    return local_today(account.onboarded_at, account.timezone) > week.start


def _paused_on(paused_from: dt.date | None, paused_until: dt.date | None, day: dt.date) -> bool:
    if paused_from is None or day < paused_from:
        return False
    return paused_until is None or day <= paused_until
