"""Coming back from a pause, through the real Application, the offline Bot API and the bot's
dispatch job: the return rule applies by the break's length (COACHING.md, "Return after a gap"),
the week it applies says so, and the day a dated pause ends brings one welcome back."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from chatdriver import UI, Runner
from test_checkins import onboarded
from test_dispatch_job import job

from bot.clock import FakeClock
from bot.coach.model import DayPlan, ExerciseType
from bot.coach.wording import day_words
from bot.console.transport import OfflineBotApi
from bot.services.plans import monday_of, planned_week
from bot.telegram.context import CoachApplication

BERLIN = ZoneInfo("Europe/Berlin")


def welcome(rule: str) -> str:
    return UI.promises.fmt("welcome_back", rule=getattr(UI.promises, f"back_{rule}"))


def most_sets(days: tuple[DayPlan, ...], since: dt.date) -> int:
    """The most working sets any lifting exercise has from ``since`` on."""
    return max(
        p.sets
        for d in days
        if d.date >= since and d.session.kind.is_lifting
        for p in d.session.exercises
        if p.type is not ExerciseType.MOBILITY
    )


async def test_pause_then_resume_ten_seconds_later_keeps_the_dose_and_says_the_break_was_short(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/pause then /resume ten seconds later said "We'll restart a step lower"; now it says the break
    was short, and the runner's rung and sets are what they were."""
    await onboarded(runner)
    async with app.bot_data.deps.coach.uow() as work:
        account = await work.runners.get(runner.user_id)
        assert account is not None
        await work.runners.save_state(runner.user_id, replace(account.state, step=2))
        await work.commit()
    await runner.say("/pause")
    clock.set(clock.now() + dt.timedelta(seconds=10))
    await runner.say("/resume")
    assert runner.replies[0].startswith(welcome("short"))
    assert "step lower" not in runner.text
    after = await runner.account()
    assert after is not None and (after.state.step, after.state.set_cut) == (2, 0)


async def test_a_ten_day_pause_ends_with_one_welcome_back_a_step_lower_and_a_note_that_says_so(
    app: CoachApplication, api: OfflineBotApi, runner: Runner, clock: FakeClock
) -> None:
    """Paused on a Monday until the Wednesday after next: nothing while away; on Thursday the 07:00
    prompt opens with "Welcome back!" and the step down, once; the week's note says so, and its lifts
    have a set fewer than the same week planned before the pause."""
    await onboarded(runner)
    monday = monday_of(clock.now().astimezone(BERLIN).date()) + dt.timedelta(days=7)
    clock.set(dt.datetime.combine(monday, dt.time(8, 0), tzinfo=BERLIN))
    back = monday + dt.timedelta(days=10)  # Thursday of the week after: ten days from the pause
    deps = app.bot_data.deps
    stored_account = await runner.account()
    account = stored_account.as_onboarded() if stored_account is not None else None
    assert account is not None
    async with deps.coach.uow() as work:
        before = most_sets((await planned_week(work, account, monday_of(back), deps.library)).days, back)
    await runner.say(f"/pause until {back - dt.timedelta(days=1):%d %B}")
    assert runner.replies == [UI.loop.fmt("pause_until", date=day_words(back - dt.timedelta(days=1)))]

    marker = api.marker()
    got: list[tuple[str, str]] = []
    while clock.now() < dt.datetime.combine(back, dt.time(23, 0), tzinfo=BERLIN):
        seen = len(api.sent_since(runner.user_id, marker))
        await job(app).run(app)
        for message in api.sent_since(runner.user_id, marker)[seen:]:
            got.append((clock.now().astimezone(BERLIN).strftime("%a %d %H:%M"), message.plain_text))
        clock.set(clock.now() + dt.timedelta(minutes=30))
    welcomes = [(when, text) for when, text in got if text.startswith("Welcome back")]
    assert [when for when, _ in welcomes] == [f"{back:%a %d} 07:00"], got
    assert welcomes[0][1].startswith(welcome("step"))
    assert got[0][0] == f"{back:%a %d} 07:00", "nothing while away"

    week = (await runner.say("/week"))[0]
    assert "First week back after a break of a week or more: a step lower" in week
    async with deps.coach.uow() as work:
        stored = await work.plans.week(runner.user_id, monday_of(back))
    assert stored is not None
    assert most_sets(stored.days, back) == before - 1


async def test_a_three_week_pause_resumed_says_a_step_lower_and_a_set_fewer(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/pause, and /resume three weeks later: the reply and the week's note say a step lower and one
    set fewer (14 to 27 days), and the runner's sets are cut by one more."""
    await onboarded(runner)
    before = await runner.account()
    assert before is not None
    await runner.say("/pause")
    clock.set(clock.now() + dt.timedelta(days=21))
    await runner.say("/resume")
    assert runner.replies[0].startswith(welcome("set"))
    after = await runner.account()
    assert after is not None and after.state.set_cut >= before.state.set_cut + 1
    assert "a step lower and one set fewer" in (await runner.say("/week"))[0]
