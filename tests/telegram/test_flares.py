"""A niggle that flares is acknowledged at once with what changes, and the review names it
(issue 20, point 5; COACHING.md N4, A4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, stored_days
from test_niggle_checks import knee_days, morning_answer
from test_review import MONDAY, SUNDAY

from bot.clock import FakeClock
from bot.coach import niggles
from bot.coach.model import BodyArea, DayPlan
from bot.telegram.context import CoachApplication


async def at_rung(app: CoachApplication, runner: Runner, rung: int) -> None:
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        state = replace(account.state, niggles={BodyArea.KNEE: niggles.NiggleState(rung=rung)})
        await work.runners.save_state(runner.user_id, state)
        await work.commit()


async def flared(app: CoachApplication, runner: Runner, clock: FakeClock, day: DayPlan) -> None:
    """The session done at effort 6, no soreness, and the knee more than 3/10 during it."""
    clock.set(dt.datetime.combine(day.date, dt.time(7, 0), tzinfo=BERLIN))
    await deliver(app, runner, "prompt", day.date)
    for label in ("Done", "6", "None", UI.loop.btn_niggle_flare):
        await runner.press(label)


async def knee_rung(runner: Runner) -> int:
    account = await runner.account()
    assert account is not None
    return niggles.rung_of(account.state, BodyArea.KNEE)


async def test_a_flare_is_answered_at_once_and_the_rest_of_the_week_goes_a_level_lower(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "More than 3/10" on a knee at rung 3: the reply says its exercises go back one level from the
    next session, the knee is at rung 2 at once, the week's next knee session is re-planned, and the
    review names the step down without taking a second one."""
    days = await knee_days(runner)
    await at_rung(app, runner, 3)
    before = next(d for d in await stored_days(runner, MONDAY) if d.date == days[1].date)
    await flared(app, runner, clock, days[0])
    assert runner.last_message() == UI.loop.fmt("flare_down", area="knee")
    assert UI.loop.checkin_thanks not in runner.last_message()
    assert await knee_rung(runner) == 2
    after = next(d for d in await stored_days(runner, MONDAY) if d.date == days[1].date)
    knee_work = [p for p in after.session.exercises if BodyArea.KNEE in p.loads]
    assert knee_work != [p for p in before.session.exercises if BodyArea.KNEE in p.loads]
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    text = await deliver(app, runner, "review", SUNDAY)
    assert UI.loop.fmt("review_niggle_down", area="knee") in text
    assert await knee_rung(runner) == 2  # counted once, not again at the review


async def test_a_second_flare_within_two_weeks_is_treated_as_pain(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A flare during the session and "worse" the next morning after another session the same week:
    the second is pain (A4): the reply says so, and nothing loads the knee for a week."""
    days = await knee_days(runner)
    await at_rung(app, runner, 3)
    await flared(app, runner, clock, days[0])
    clock.set(dt.datetime.combine(days[1].date, dt.time(7, 0), tzinfo=BERLIN))
    await deliver(app, runner, "prompt", days[1].date)
    for label in ("Done", "6", "None", UI.loop.btn_niggle_ok):
        await runner.press(label)
    await morning_answer(app, runner, clock, days[1], f"Knee: {UI.loop.btn_morning_worse}")
    assert runner.last_message() == UI.loop.fmt("flare_pain", area="knee")
    account = await runner.account()
    assert account is not None and BodyArea.KNEE in account.state.pain
    for day in await stored_days(runner, MONDAY):
        if day.date > days[1].date + dt.timedelta(days=1):
            assert all(BodyArea.KNEE not in p.loads for p in day.session.exercises)


async def test_a_flare_at_the_gentlest_level_rests_the_knee_a_week(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A knee at rung 1 that flares rests a week: the reply says so and the next sessions leave it out."""
    days = await knee_days(runner)
    await flared(app, runner, clock, days[0])
    assert runner.last_message() == UI.loop.fmt("flare_rest", area="knee")
    for day in await stored_days(runner, MONDAY):
        if day.date > days[0].date:
            assert all(BodyArea.KNEE not in p.loads for p in day.session.exercises)
