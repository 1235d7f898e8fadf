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
from collections.abc import Mapping, Sequence
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
from bot.services.ready_prompts import ReadyPrompt, StoredDay
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
class ReadyToSend:
    """The day's plain prompt as stored with it, drawn by the composer's own drawer: decided on the
    facts stored beside it (``bot.services.ready_prompts.DayFacts``), the day never decoded."""

    ready: ReadyPrompt


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


Content = Prompt | ReadyToSend | Nudge | Review | PainCheck | MorningCheck | RaceMorning | RaceQuestion


def week_number(day: dt.date) -> int:
    """Weeks since the calendar's start: consecutive weeks get consecutive numbers."""
    return day.toordinal() // 7


async def contents(
    work: UnitOfWork,
    dues: Sequence[DueLike],
    now: dt.datetime,
    library: Library,
    *,
    ready_for: str | None = None,
    known: Mapping[int, RunnerBrief] | None = None,
) -> dict[tuple[int, DueKind], Content | None]:
    """What each due message carries, keyed by (runner id, kind). Prompts, nudges and "later" need
    only the runner's settings, the stored day and its check-in (three queries per batch); reviews,
    pain follow-ups and a lapsed pause load the whole runner.

    ``ready_for``: the fingerprint of the composer's drawer. A plain prompt stored with that
    fingerprint and its day's facts is decided on the facts (``ReadyToSend``), the day not decoded.

    ``known``: runners' briefs the caller read earlier (the dispatcher, with its claim), used
    instead of reading them again; a runner whose pause starts in this batch is read afresh."""
    if not dues:
        return {}
    starts = [d for d in dues if d.kind == DueKind.PAUSE_START]
    for due in starts:  # first: a pause that starts today holds back today's other messages
        account = _onboarded((await work.runners.by_ids([due.runner_id])).get(due.runner_id))
        if account is not None:
            await pauses.start_planned_pause(work, account.telegram_id, due.detail, now, library)
    fresh = {d.runner_id for d in starts}  # their pause starts now: read as it is now
    due_ids = {d.runner_id for d in dues}
    known = {k: v for k, v in (known or {}).items() if k in due_ids and k not in fresh}
    unknown = [d.runner_id for d in dues if d.runner_id not in known]
    briefs = {**known, **(await work.runners.briefs(unknown) if unknown else {})}
    prompts = [d for d in dues if d.kind == DueKind.PROMPT]
    yesterdays = [(d.runner_id, d.local_date - dt.timedelta(days=1)) for d in prompts]  # a race to ask about
    stored = await work.plans.stored_days([(d.runner_id, d.local_date) for d in dues if d.kind in DAILY] + yesterdays)
    days = _Days(stored)
    races = [d for d in prompts if days.run((d.runner_id, d.local_date)) is RunKind.RACE]
    if races:  # a race morning shows the days after it: read only for the few runners racing today
        days.add(
            await work.plans.days_for(
                [(d.runner_id, d.local_date + dt.timedelta(days=n)) for d in races for n in AFTER]
            )
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
        replanned = False
        welcome = None
        account = _onboarded(accounts.get(due.runner_id))
        if account is not None:
            was_paused = account.paused_from is not None
            account = await pauses.settle_pause(work, account, now, library)  # the tick ends a lapsed pause
            if was_paused and account.paused_from is None:
                replanned = True  # the pause just ended and re-planned the days from today: read them again
                welcome = pauses.back_rule(account.state, due.local_date) if due.kind == DueKind.PROMPT else None
            if _paused_on(account.paused_from, account.paused_until, due.local_date):
                out[key] = None
                continue
        elif _paused_on(brief.paused_from, brief.paused_until, due.local_date):
            out[key] = None
            continue
        elif due.kind == DueKind.PROMPT and ready_for is not None:
            found = stored.get((due.runner_id, due.local_date))
            decided = _as_stored(due, found, ready_for, brief, days, checkins, now)
            if not isinstance(decided, _FullWay):
                out[key] = decided
                continue
        day = days.get((due.runner_id, due.local_date)) if due.kind in DAILY and not replanned else None
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
            read = stored.get((due.runner_id, due.local_date))  # its stored prompt is its own only if read with it
            own = read is not None and worded is days.get((due.runner_id, due.local_date))
            content = replace(content, day=worded, ready=read.ready if read is not None and own else None)
        out[key] = _race_days(due, day, content, days, checkins)
    return out


AFTER = (1, 2, 3)  # the days a race morning's message shows


class _Days:
    """The batch's stored days by (runner id, date), each decoded when first asked for (a plain
    prompt decided on its facts never is); the same ``DayPlan`` each time."""

    def __init__(self, stored: dict[tuple[int, dt.date], StoredDay]) -> None:
        self._stored = stored
        self._more: dict[tuple[int, dt.date], DayPlan] = {}

    def get(self, key: tuple[int, dt.date]) -> DayPlan | None:
        found = self._stored.get(key)
        return found.day if found is not None else self._more.get(key)

    def run(self, key: tuple[int, dt.date]) -> RunKind | None:
        """The day's run, from its facts when stored with them."""
        found = self._stored.get(key)
        if found is not None:
            return found.run
        day = self._more.get(key)
        return day.run if day is not None else None

    def add(self, days: dict[tuple[int, dt.date], DayPlan]) -> None:
        self._more |= {key: day for key, day in days.items() if key not in self._stored}


class _FullWay:
    """What ``_as_stored`` says when the facts cannot decide: the day is read the full way."""


_FULL_WAY = _FullWay()


def _as_stored(
    due: DueLike,
    found: StoredDay | None,
    ready_for: str,
    brief: RunnerBrief,
    days: _Days,
    checkins: dict[tuple[int, dt.date], CheckinRecord],
    now: dt.datetime,
) -> ReadyToSend | _FullWay | None:
    """A prompt decided on its stored facts, for a runner the tick has nothing else to settle: as
    the full way decides it (no session logged yet, the rhythm keeps it, nothing to say about a
    race), without decoding the day. ``_FULL_WAY`` unless the prompt stored is current and plain
    and yesterday was no race."""
    if found is None or found.ready is None or found.facts is None:
        return _FULL_WAY
    if found.ready.fingerprint != ready_for or not found.facts.plain:
        return _FULL_WAY
    if days.run((due.runner_id, due.local_date - dt.timedelta(days=1))) is RunKind.RACE:
        return _FULL_WAY  # a race yesterday: asked about, or answered; the full way words it
    if not rhythm.keeps_prompt(brief, found.facts.kind.is_lifting, now):
        return None
    if checkins.get((due.runner_id, due.local_date)) is not None:
        return None  # the session is logged already
    return ReadyToSend(found.ready)


def _race_days(
    due: DueLike,
    day: DayPlan | None,
    content: Content | None,
    days: _Days,
    checkins: dict[tuple[int, dt.date], CheckinRecord],
) -> Content | None:
    """A race morning's message instead of no prompt, and yesterday's race asked about in today's."""
    if due.kind != DueKind.PROMPT or day is None:
        return content
    if day.run is RunKind.RACE and checkins.get((due.runner_id, day.date)) is None:
        after = (days.get((due.runner_id, day.date + dt.timedelta(days=n))) for n in AFTER)
        return RaceMorning(day, tuple(d for d in after if d is not None))
    yesterday = day.date - dt.timedelta(days=1)
    before = days.run((due.runner_id, yesterday))
    if before is not RunKind.RACE or race_answered(checkins.get((due.runner_id, yesterday))):
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
