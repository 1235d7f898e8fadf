"""The use cases as the edges call them: :class:`Coach`, bound once in ``bot.app.build_application``.

Each method is one use case: it opens its own unit of work, reads the clock once, runs the steps
of ``bot.services.checkins``, ``pain``, ``pauses``, ``review``, ``reading``, ``moved_runs``,
``health``, ``settings``, ``flares`` and ``onboarding`` (functions that take an open ``work`` and
compose inside one transaction), commits when it changed something, and returns a domain value
(a ``Card``, a ``Shown``, an ``Outcome``, a ``Problem``...) for the edge to render; the few values
only a use case returns (``Reading``, ``TodayCheck``, ``Stats``...) are in ``bot.services.results``,
re-exported here.
The unit-of-work factory, the library and the clock are bound here, so no handler opens a
transaction or threads them through a call.

Reads (``day``, ``week``, ``why``, ``card``, ``today_check``, ``log_menu``...) change no state: a
pause whose end date has passed is shown as ended (``bot.services.pauses.standing``) without writing
it, and is ended for good by the dispatcher's tick or by the runner's next change (every change
that depends on the plan ends such a pause first, inside its own transaction). The one thing a read
of the plan stores is a week shown for the first time, planned as it would be anyway: the stored
plan is the record of what was prescribed. ``show_day`` also remembers which day was shown, for
"why?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from bot.clock import Clock
from bot.coach.dates import day_first_for
from bot.coach.library import Library
from bot.coach.model import BodyArea, DayPlan, Distance, Level, RunKind, SessionKind, Weekday, WeekPlan
from bot.coach.niggles import Compare
from bot.services import checkins, health, later, moved_runs, onboarding, pain, pauses, reading, review, settings
from bot.services.accounts import OnboardedRunner, RunnerAccount, RunnerBrief
from bot.services.briefs import UpdateBrief
from bot.services.checkins import Soreness, Status, Swapped
from bot.services.flares import log_niggle
from bot.services.forget import forget_runner
from bot.services.health import Compared, Outcome
from bot.services.later import LaterOffer
from bot.services.moved_runs import Moved
from bot.services.onboarding import Onboarded
from bot.services.plans import local_today, monday_of, stored_week
from bot.services.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.problems import Problem
from bot.services.questions import Question
from bot.services.reading import Card, Shown
from bot.services.results import LevelAnswer, Reading, Resumed, Stats, TodayCheck
from bot.services.settings import Changed, Pending

__all__ = ["Coach", "LevelAnswer", "Reading", "Resumed", "Stats", "TodayCheck"]

T = TypeVar("T")


def reading_of(brief: RunnerBrief | None, now: dt.datetime) -> Reading:
    """The runner's own date and day-first custom (see :meth:`Coach.reading`) from their brief."""
    if brief is None or brief.timezone is None:
        return Reading(now.astimezone(dt.UTC).date(), None)
    return Reading(local_today(now, brief.timezone), day_first_for(brief.timezone))


@dataclass(frozen=True)
class Coach:
    """Every use case, bound to its unit-of-work factory, the exercise library and the clock."""

    uow: UnitOfWorkFactory
    library: Library
    clock: Clock

    async def _read(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run a read: nothing is committed (and nothing is written)."""
        async with self.uow() as work:
            return await step(work)

    async def _show(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run a read of the plan. It changes no state; the one thing it may store is a week shown
        for the first time, planned as it would be anyway (the stored plan is the record of what was
        prescribed), so it commits that."""
        return await self._change(step)

    async def _change(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run a change in one transaction and commit it."""
        async with self.uow() as work:
            result = await step(work)
            await work.commit()
        return result

    # --- reading the runner and the plan -------------------------------------------------------

    async def brief(self, telegram_id: int) -> RunnerBrief | None:
        return await self._read(lambda work: work.runners.brief(telegram_id))

    async def account(self, telegram_id: int) -> RunnerAccount | None:
        """The runner as stored, onboarded or not (None if they never talked to the coach)."""
        return await self._read(lambda work: work.runners.get(telegram_id))

    async def onboarded(self, telegram_id: int) -> OnboardedRunner | None:
        """The runner as stored, if they finished onboarding."""
        return await self._read(lambda work: pauses.onboarded_runner(work, telegram_id))

    async def reading(self, telegram_id: int) -> Reading:
        """The runner's own date, which "tomorrow" and "thursday" are read from, and whether they
        write the day first ("till 5/12"); UTC's date and no custom before set-up."""
        return reading_of(await self.brief(telegram_id), self.clock.now())

    async def day(self, telegram_id: int, offset: int) -> Shown | None:
        """The session ``offset`` days from the runner's today; a read."""
        now = self.clock.now()
        return await self._show(lambda work: reading.day_at(work, telegram_id, now, offset, self.library))

    async def show_day(self, telegram_id: int, offset: int, known: UpdateBrief | None = None) -> Shown | None:
        """The session ``offset`` days ahead, remembered as the day shown last (what "why?" then
        explains); the plan itself is only read. ``known``: the update's brief, if the edge has it."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> Shown | None:
            shown = await reading.day_at(work, telegram_id, now, offset, self.library, known)
            if (
                shown is not None
                and shown.day is not None
                and (shown.day.date, shown.shown_before) != (shown.today, None)
            ):
                # showing today when nothing else was shown writes nothing: today is the default
                shown_date = None if shown.day.date == shown.today else shown.day.date
                await work.runners.set_shown(telegram_id, shown_date, now, last=True)
            return shown

        return await self._change(step)

    async def week(self, telegram_id: int, known: UpdateBrief | None = None) -> Shown | None:
        """This week, and next week too when only a few days of this one are left; a read."""
        now = self.clock.now()
        return await self._show(lambda work: reading.weeks_at(work, telegram_id, now, self.library, known))

    async def why(self, telegram_id: int, offset: int | None, known: UpdateBrief | None = None) -> Shown | None:
        """The day whose reason to give: ``offset`` days ahead when a day was named, else the day
        shown last (within the hour), else today; a read."""
        now = self.clock.now()
        return await self._show(lambda work: reading.why_at(work, telegram_id, now, offset, self.library, known))

    async def today_check(self, telegram_id: int, known: UpdateBrief | None = None) -> TodayCheck | None:
        """Today's session and its check-in (what "too sore" and "I have a cold" answer from); a
        read. ``known``: the update's brief, if the edge has it."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> TodayCheck | None:
            found = await reading.day_logged_at(work, telegram_id, now, 0, self.library, known)
            if found is None or found[0].day is None:
                return None
            shown, checkin = found
            if checkin is reading.UNREAD:
                checkin = await work.checkins.get(telegram_id, shown.today)
            assert shown.day is not None and not isinstance(checkin, reading.Unread)
            return TodayCheck(shown, shown.day, checkin)

        return await self._show(step)

    async def card(self, telegram_id: int, date: dt.date, known: UpdateBrief | None = None) -> Card | Problem:
        """A day's session with what was logged for it, if it may still be logged; a read."""
        now = self.clock.now()
        return await self._show(lambda work: reading.card(work, telegram_id, date, now, self.library, known))

    async def log_menu(self, telegram_id: int) -> list[DayPlan] | None:
        """The sessions of this week up to the session day, to log after the fact; a read."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> list[DayPlan] | None:
            found = await pauses.standing(work, telegram_id, now, self.library)
            if found is None or found.account.timezone is None:
                return None
            today = reading.session_day(now, found.account.timezone)
            week = await pauses.week_standing(work, found, monday_of(today), self.library, now)
            return [d for d in week.days if d.date <= today and d.session.kind is not SessionKind.REST]

        return await self._show(step)

    async def stats(self) -> Stats:
        """The operators' /stats: runners, who is active, what went out since midnight UTC."""
        now = self.clock.now()
        midnight = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)

        async def step(work: UnitOfWork) -> Stats:
            runners, onboarded, active, paused = await work.runners.census(now.astimezone(dt.UTC).date())
            sent = await work.deliveries.counts_since(midnight)
            return Stats(runners, onboarded, active, paused, midnight, sent, await work.deliveries.latest_lag())

        return await self._read(step)

    # --- check-ins -----------------------------------------------------------------------------

    async def log_status(self, telegram_id: int, date: dt.date, status: Status) -> Card | Problem:
        now = self.clock.now()
        return await self._change(lambda work: checkins.log_status(work, telegram_id, date, status, now, self.library))

    async def log_said(self, telegram_id: int, status: Status, rpe: int | None) -> Card | Problem:
        """A check-in in words ("did it, rpe 7"): the session day's status, and the effort with it."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> Card | Problem:
            brief = await work.runners.brief(telegram_id)
            if brief is None or not brief.onboarded or brief.timezone is None:
                return Problem.NOT_ONBOARDED
            day = reading.session_day(now, brief.timezone)
            found = await checkins.open_card(work, telegram_id, day, now, self.library, UpdateBrief(brief))
            result = await checkins.log_status(work, telegram_id, day, status, now, self.library, found)
            if isinstance(result, Card) and rpe is not None and status != "skipped":
                # the card as just logged: its effort goes on the check-in the status made
                result = await checkins.log_rpe(
                    work, telegram_id, day, rpe, now, self.library, replace(result, changed=True)
                )
            return result

        return await self._change(step)

    async def log_checkin(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        status: Status | None = None,
        rpe: int | None = None,
        soreness: Soreness | None = None,
        known: UpdateBrief | None = None,
    ) -> tuple[Card | Problem, Card | Problem]:
        """A check-in tap (the one of a status, the effort or soreness given): the card as it stood,
        and as logged, in one unit of work. ``known``: the update's brief, if the edge has it."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> tuple[Card | Problem, Card | Problem]:
            found = await checkins.open_card(work, telegram_id, date, now, self.library, known)
            if status is not None:
                return found, await checkins.log_status(work, telegram_id, date, status, now, self.library, found)
            if rpe is not None:
                return found, await checkins.log_rpe(work, telegram_id, date, rpe, now, self.library, found)
            assert soreness is not None
            return found, await checkins.log_soreness(work, telegram_id, date, soreness, now, self.library, found)

        return await self._change(step)

    async def log_rpe(self, telegram_id: int, date: dt.date, rpe: int) -> Card | Problem:
        now = self.clock.now()
        return await self._change(lambda work: checkins.log_rpe(work, telegram_id, date, rpe, now, self.library))

    async def log_soreness(self, telegram_id: int, date: dt.date, soreness: Soreness) -> Card | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: checkins.log_soreness(work, telegram_id, date, soreness, now, self.library)
        )

    async def log_pain(self, telegram_id: int, date: dt.date, area: BodyArea) -> Card | Problem:
        now = self.clock.now()
        return await self._change(lambda work: pain.log_pain(work, telegram_id, date, area, now, self.library))

    async def log_niggle(self, telegram_id: int, date: dt.date, area: BodyArea, held: bool) -> Card | Problem:
        now = self.clock.now()
        return await self._change(lambda work: log_niggle(work, telegram_id, date, area, held, now, self.library))

    async def log_test(self, telegram_id: int, date: dt.date, count: int) -> Card | Problem:
        now = self.clock.now()
        return await self._change(lambda work: health.log_test(work, telegram_id, date, count, now, self.library))

    async def log_morning(self, telegram_id: int, date: dt.date, area: BodyArea, back_to_usual: bool) -> Card | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: health.log_morning(work, telegram_id, date, area, back_to_usual, now, self.library)
        )

    async def swap(self, telegram_id: int, date: dt.date) -> Swapped | Problem:
        now = self.clock.now()
        return await self._change(lambda work: checkins.swap_to_mobility(work, telegram_id, date, now, self.library))

    async def later_offer(self, telegram_id: int, date: dt.date) -> LaterOffer | Problem:
        return await self._show(lambda work: later.offer(work, telegram_id, date, self.clock.now(), self.library))

    async def later(self, telegram_id: int, date: dt.date, at: dt.time | None = None) -> dt.datetime | Problem:
        """The day's lift again at ``at`` (local; two hours on when None), once: when it comes."""
        now = self.clock.now()
        return await self._change(lambda work: later.promise(work, telegram_id, date, at, now, self.library))

    # --- pain, pause, calendar -----------------------------------------------------------------

    async def report_pain(self, telegram_id: int, area: BodyArea) -> OnboardedRunner | Problem:
        now = self.clock.now()
        return await self._change(lambda work: pain.report_pain(work, telegram_id, area, now, self.library))

    async def pain_follow_up(self, telegram_id: int, area: BodyArea, still_hurts: bool) -> OnboardedRunner | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: pain.pain_follow_up(work, telegram_id, area, still_hurts, now, self.library)
        )

    async def bone_pain(self, telegram_id: int, area: BodyArea) -> Outcome | Problem:
        """A bone-stress sign with pain in ``area``: the pain rule and the red-flag hold, together."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> Outcome | Problem:
            reported = await pain.report_pain(work, telegram_id, area, now, self.library)
            if isinstance(reported, Problem):
                return reported
            return await health.red_flag(work, telegram_id, area, now, self.library)

        return await self._change(step)

    async def pause(self, telegram_id: int, until: dt.date | None) -> OnboardedRunner | Problem:
        now = self.clock.now()
        return await self._change(lambda work: pauses.pause(work, telegram_id, until, now, self.library))

    async def resume(self, telegram_id: int) -> Resumed | Problem:
        """/resume: prompts start again, as the break's length calls for; today's session as it now is."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> Resumed | Problem:
            account = await pauses.resume(work, telegram_id, now, self.library)
            if isinstance(account, Problem):
                return account
            today = local_today(now, account.timezone)
            week = await stored_week(work, account, monday_of(today), self.library, now)
            day = week.day(today)
            assert day is not None
            return Resumed(account, day, pauses.back_rule(account.state, today))

        return await self._change(step)

    async def move_run(self, telegram_id: int, run: RunKind, weekday: Weekday) -> Moved | Problem:
        now = self.clock.now()
        return await self._change(lambda work: moved_runs.move_run(work, telegram_id, run, weekday, now, self.library))

    async def set_tune_up_distance(self, telegram_id: int, day: dt.date, distance: Distance | None) -> Moved | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: moved_runs.set_tune_up_distance(work, telegram_id, day, distance, now, self.library)
        )

    async def accept_lighter(self, telegram_id: int, accept: bool) -> tuple[OnboardedRunner, WeekPlan | None] | Problem:
        now = self.clock.now()
        return await self._change(lambda work: review.accept_lighter(work, telegram_id, accept, now, self.library))

    # --- health and level ----------------------------------------------------------------------

    async def confirm_clearance(self, telegram_id: int, area: BodyArea | None = None) -> Outcome | Problem:
        now = self.clock.now()
        return await self._change(lambda work: health.confirm_clearance(work, telegram_id, now, self.library, area))

    async def red_flag(self, telegram_id: int, area: BodyArea) -> Outcome | Problem:
        now = self.clock.now()
        return await self._change(lambda work: health.red_flag(work, telegram_id, area, now, self.library))

    async def still_lifting(self, telegram_id: int, lifting: bool) -> Outcome | Problem:
        now = self.clock.now()
        return await self._change(lambda work: health.still_lifting(work, telegram_id, lifting, now, self.library))

    async def answer_level_up(self, telegram_id: int, accept: bool, to: Level | None = None) -> LevelAnswer | Problem:
        """The answer to "ready to move up a level?" (to ``to``), with the weeks as re-planned on a yes."""
        now = self.clock.now()

        async def step(work: UnitOfWork) -> LevelAnswer | Problem:
            result = await health.answer_level_up(work, telegram_id, accept, now, self.library, to)
            if isinstance(result, Problem):
                return result
            outcome, level = result
            if outcome is not Outcome.LEVEL_UP:
                return LevelAnswer(outcome, level)
            return LevelAnswer(outcome, level, await reading.weeks_at(work, telegram_id, now, self.library))

        return await self._change(step)

    async def compare_week(
        self, telegram_id: int, sunday: dt.date, area: BodyArea, answer: Compare
    ) -> Compared | Problem:
        now = self.clock.now()
        return await self._change(
            lambda work: health.compare_week(work, telegram_id, sunday, area, answer, now, self.library)
        )

    # --- /settings -----------------------------------------------------------------------------

    async def answers(self, telegram_id: int) -> dict[str, Any]:
        """The stored answers: onboarding's so far, or an onboarded runner's open setting."""
        return await self._read(lambda work: work.answers.get_all(telegram_id))

    async def open_setting(
        self,
        telegram_id: int,
        question: Question,
        answers: dict[str, Any] | None = None,
        known: UpdateBrief | None = None,
    ) -> dict[str, Any] | Problem:
        """Start changing ``question``'s setting; ``answers``: the stored answers as the edge read
        them for this update (else read now); ``known``: the update's brief, if the edge has it."""
        now = self.clock.now()
        runner = known.runner if known is not None else None
        return await self._change(
            lambda work: settings.open_setting(work, telegram_id, question, now, self.library, answers, runner)
        )

    async def close_setting(self, telegram_id: int) -> bool:
        return await self._change(lambda work: settings.close(work, telegram_id))

    async def answer_setting(
        self,
        telegram_id: int,
        question: Question,
        values: dict[str, Any],
        answers: dict[str, Any] | None = None,
        known: UpdateBrief | None = None,
    ) -> Changed | Pending | Problem:
        """An answer to the open setting's ``question``; ``answers``: the stored answers as the edge
        read them for this update (else read now); ``known``: the update's brief, if the edge has it."""
        now = self.clock.now()
        runner = known.runner if known is not None else None
        return await self._change(
            lambda work: settings.answer(work, telegram_id, question, values, now, self.library, answers, runner)
        )

    # --- onboarding and the account ------------------------------------------------------------

    async def save_answer(self, telegram_id: int, values: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
        """Store answers (a draft given as None is dropped); all the answers after it."""
        return await onboarding.save_answer(self.uow, telegram_id, values, now=self.clock.now(), drop=drop)

    async def go_back(self, telegram_id: int, question: Question) -> dict[str, Any]:
        return await onboarding.go_back(self.uow, telegram_id, question, now=self.clock.now())

    async def finish_onboarding(self, telegram_id: int, chat_id: int, first_name: str) -> Onboarded:
        return await onboarding.finish(
            self.uow,
            telegram_id=telegram_id,
            chat_id=chat_id,
            first_name=first_name,
            now=self.clock.now(),
            library=self.library,
        )

    async def reactivate(self, telegram_id: int) -> bool:
        """/start from a runner who had blocked the bot: messages start again. True if they were off."""
        now = self.clock.now()
        return await self._change(lambda work: pauses.reactivate(work, telegram_id, now))

    async def forget(self, telegram_id: int) -> bool:
        """/delete: everything stored about the runner erased; False if nothing was."""
        return await self._change(lambda work: forget_runner(work, telegram_id))

    async def first_word_to_group(self, chat_id: int) -> bool:
        """Whether the group is still to be told the coach serves private chats only: True once
        per group in any process, remembered before the note is sent (one note, even if sending
        fails)."""
        return await self._change(lambda work: work.groups.mark_told(chat_id))
