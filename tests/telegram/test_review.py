"""The weekly review: next week comes from the stored check-ins by A1 to A5, and is stored."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, stored_days

from bot.clock import FakeClock
from bot.coach.model import BodyArea, TrainingState
from bot.services import loop
from bot.telegram.context import CoachApplication

MONDAY = dt.date(2026, 11, 23)  # the first full week after onboarding on Saturday 21 November
SUNDAY = MONDAY + dt.timedelta(days=6)


async def log_week(
    app: CoachApplication, runner: Runner, clock: FakeClock, answers: list[tuple[str, int | None]]
) -> int:
    """Log the week's lifts in order with (status, rpe); returns how many lifts were planned."""
    deps = app.bot_data.deps
    lifts = [d for d in await stored_days(runner, MONDAY) if d.session.kind.is_lifting]
    for day, (status, rpe) in zip(lifts, answers, strict=False):
        clock.set(dt.datetime.combine(day.date, dt.time(18, 0), tzinfo=BERLIN))
        async with deps.coach.uow() as work:
            assert not isinstance(
                await loop.log_status(work, runner.user_id, day.date, status, clock.now(), deps.library),  # type: ignore[arg-type]
                loop.Problem,
            )
            if rpe is not None:
                await loop.log_rpe(work, runner.user_id, day.date, rpe, clock.now(), deps.library)
            await work.commit()
    return len(lifts)


async def review(app: CoachApplication, runner: Runner, clock: FakeClock) -> str:
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    return await deliver(app, runner, "review", SUNDAY)


async def state(runner: Runner) -> TrainingState:
    account = await runner.account()
    assert account is not None
    return account.state


async def test_every_session_done_at_a_fine_effort_steps_up_and_stores_next_week(
    app: CoachApplication, week_one: Runner, clock: FakeClock
) -> None:
    """A1: all done at RPE at most the target: one step up; the review shows next week, as stored."""
    planned = await log_week(app, week_one, clock, [("done", 6), ("done", 7), ("done", 6)])
    assert planned >= 2
    text = await review(app, week_one, clock)
    assert UI.loop.fmt("review_done", done=planned, planned=planned, partly="") in text
    assert UI.loop.review_A1 in text
    assert (await state(week_one)).step == 1
    async with app.bot_data.deps.coach.uow() as work:
        next_week = await work.plans.week(week_one.user_id, MONDAY + dt.timedelta(days=7))
    assert next_week is not None and app.bot_data.deps.render.week(next_week) in text


async def test_a_review_sent_twice_is_applied_once(app: CoachApplication, week_one: Runner, clock: FakeClock) -> None:
    """The same week reviewed again says the same and does not step up twice."""
    await log_week(app, week_one, clock, [("done", 6), ("done", 6), ("done", 6)])
    first = await review(app, week_one, clock)
    second = await review(app, week_one, clock)
    assert first == second
    assert (await state(week_one)).step == 1


async def test_a_week_with_no_answers_holds(app: CoachApplication, week_one: Runner, clock: FakeClock) -> None:
    """No check-in at all is missing data: the dose holds, it never progresses or backs off."""
    text = await review(app, week_one, clock)
    assert UI.loop.review_A2_no_answers in text
    assert (await state(week_one)).step == 0


async def test_very_hard_sessions_back_off(app: CoachApplication, week_one: Runner, clock: FakeClock) -> None:
    """A3: a mean effort well above the target: a set fewer next week."""
    await log_week(app, week_one, clock, [("done", 10), ("done", 10), ("done", 10)])
    text = await review(app, week_one, clock)
    assert UI.loop.review_A3 in text
    assert (await state(week_one)).set_cut == 1


async def test_pain_in_the_week_rests_the_area(app: CoachApplication, week_one: Runner, clock: FakeClock) -> None:
    """A4: pain reported in a check-in keeps the area out of next week and advises a professional."""
    await log_week(app, week_one, clock, [("done", 6)])
    deps = app.bot_data.deps
    lift = next(d for d in await stored_days(week_one, MONDAY) if d.session.kind.is_lifting)
    async with deps.coach.uow() as work:
        await loop.log_pain(work, week_one.user_id, lift.date, BodyArea.KNEE, clock.now(), deps.library)
        await work.commit()
    text = await review(app, week_one, clock)
    assert UI.loop.review_A4 in text
    for day in await stored_days(week_one, MONDAY + dt.timedelta(days=7)):
        assert all(BodyArea.KNEE not in ex.loads for ex in day.session.exercises)


async def test_tips_do_not_repeat_within_eight_weeks() -> None:
    """Consecutive weekly reviews cycle through at least eight different tips."""
    from bot.telegram.compose import week_number

    tips = [UI.loop.tip(week_number(SUNDAY + dt.timedelta(days=7 * n))) for n in range(8)]
    assert len(set(tips)) == 8
