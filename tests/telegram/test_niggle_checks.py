"""The niggle ladder's checks in the chat (COACHING.md N4, N5), end to end on the offline Bot API:
the morning after a session, the weekly "vs last week" and the strength test's count, each one tap,
stored, refused when forged, and fed to the ladder."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, on_lift_morning, stored_days
from test_health import KNEE
from test_review import MONDAY, SUNDAY

from bot.clock import FakeClock
from bot.coach import niggles
from bot.coach.inputs import lifting_inputs
from bot.coach.model import BodyArea, DayPlan, Phase, Prescription
from bot.services.plans import monday_of
from bot.services.schedule import NIGGLE_MORNING, at_local
from bot.telegram.context import CoachApplication

BOX_SQUATS = niggles.STRENGTH_TESTS[BodyArea.KNEE]


def _last_id(runner: Runner) -> int:
    message = runner.api.last_message(runner.user_id)
    assert message is not None
    return message.message_id


async def knee_days(runner: Runner) -> list[DayPlan]:
    """The week's lifting days that load the knee (a knee niggle still trains it, at its rung)."""
    await runner.steps(*KNEE)
    lifts = [d for d in await stored_days(runner, MONDAY) if d.session.kind.is_lifting]
    days = [d for d in lifts if any(BodyArea.KNEE in p.loads for p in d.session.exercises)]
    assert len(days) >= 2
    return days


async def session_checked(app: CoachApplication, runner: Runner, clock: FakeClock, day: DayPlan) -> None:
    """The session done, effort 6, no soreness, the knee at 3/10 or less during it."""
    clock.set(dt.datetime.combine(day.date, dt.time(7, 0), tzinfo=BERLIN))
    await deliver(app, runner, "prompt", day.date)
    for label in ("Done", "6", "None", UI.loop.btn_niggle_ok):
        await runner.press(label)


async def morning_answer(app: CoachApplication, runner: Runner, clock: FakeClock, day: DayPlan, label: str) -> str:
    """The next morning's message, delivered as the dispatcher would, and one tap on it."""
    morning = day.date + dt.timedelta(days=1)
    clock.set(dt.datetime.combine(morning, dt.time(7, 0), tzinfo=BERLIN))
    text = await deliver(app, runner, NIGGLE_MORNING, morning, day.date.isoformat())
    await runner.press(label)
    return text


async def test_N4_the_morning_check_comes_at_the_next_reminder_time_and_is_stored(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """After a knee session the next morning's message goes out at the reminder time and asks
    "back to usual / worse" in one tap; the answer is stored on the session's check-in."""
    day = (await knee_days(runner))[0]
    await session_checked(app, runner, clock, day)
    account = await runner.account()
    assert account is not None and account.reminder_time is not None
    async with app.bot_data.deps.coach.uow() as work:
        due = (await work.due.of_runner(account.id))[NIGGLE_MORNING]
    morning = day.date + dt.timedelta(days=1)
    assert due.local_date == morning and due.detail == day.date.isoformat()
    assert due.due_at == at_local(morning, account.reminder_time, "Europe/Berlin")

    text = await morning_answer(app, runner, clock, day, f"Knee: {UI.loop.btn_morning_worse}")
    assert UI.loop.fmt("ask_morning", area="knee") in text
    shown = runner.api.messages(runner.user_id)[-2].plain_text  # the check, redrawn with the answer
    assert UI.loop.fmt("morning_logged", area="knee", answer=UI.loop.btn_morning_worse.lower()) in shown
    assert runner.last_message() == UI.loop.fmt("flare_rest", area="knee")
    async with app.bot_data.deps.coach.uow() as work:
        record = await work.checkins.get(runner.user_id, day.date)
    assert record is not None and record.mornings == {BodyArea.KNEE: False}


async def test_N4_a_forged_morning_answer_for_an_area_the_session_did_not_load_is_refused(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A hip answer for a session that loaded only the knee, or one for a day without a session
    logged, changes nothing."""
    days = await knee_days(runner)
    await session_checked(app, runner, clock, days[0])
    card = _last_id(runner)
    await runner.press_offered(f"nm|{days[0].date:%Y%m%d}|hip.worse", card)
    await runner.press_offered(f"nm|{days[1].date:%Y%m%d}|knee.worse", card)  # not logged yet
    await runner.press_offered(f"nm|{days[0].date:%Y%m%d}|elbow.ok", card)
    async with app.bot_data.deps.coach.uow() as work:
        first = await work.checkins.get(runner.user_id, days[0].date)
        second = await work.checkins.get(runner.user_id, days[1].date)
    assert first is not None and first.mornings == {} and second is None


async def test_N4_the_weekly_check_moves_the_knee_up_one_rung_only_after_all_three_checks(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Every session at 3/10 or less and back to usual next morning, then "same as last week" in the
    review: one rung up, once; a second tap, or a forged one for the hip, changes nothing."""
    for day in (await knee_days(runner))[:2]:
        await session_checked(app, runner, clock, day)
        await morning_answer(app, runner, clock, day, f"Knee: {UI.loop.btn_morning_ok}")
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    text = await deliver(app, runner, "review", SUNDAY)
    assert UI.loop.fmt("ask_compare", area="knee") in text
    assert [f"Knee: {b}" for b in (UI.loop.btn_week_better, UI.loop.btn_week_same, UI.loop.btn_week_worse)] == (
        runner.labels()[-3:]
    )
    account = await runner.account()
    assert account is not None and niggles.rung_of(account.state, BodyArea.KNEE) == 1  # not before the answer
    review_id = runner.keyboard_message().message_id
    await runner.press_offered(f"nw|{SUNDAY:%Y%m%d}|hip.same", review_id)
    await runner.press(f"Knee: {UI.loop.btn_week_same}")
    assert runner.last_message() == UI.loop.fmt("niggle_up", area="knee")
    await runner.press_offered(f"nw|{SUNDAY:%Y%m%d}|knee.better", review_id)
    account = await runner.account()
    assert account is not None and niggles.rung_of(account.state, BodyArea.KNEE) == 2
    assert BodyArea.HIP not in account.state.niggles


async def test_N4_worse_than_last_week_moves_the_knee_down(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A knee at rung 3 that felt worse than last week goes back to rung 2, and the runner is told."""
    days = await knee_days(runner)
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        state = replace(account.state, niggles={BodyArea.KNEE: niggles.NiggleState(rung=3)})
        await work.runners.save_state(runner.user_id, state)
        await work.commit()
    await session_checked(app, runner, clock, days[0])
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    await deliver(app, runner, "review", SUNDAY)
    await runner.press(f"Knee: {UI.loop.btn_week_worse}")
    assert runner.last_message() == UI.loop.fmt("niggle_down", area="knee")
    account = await runner.account()
    assert account is not None and niggles.rung_of(account.state, BodyArea.KNEE) == 2


async def test_N5_the_check_in_of_the_session_with_the_test_asks_its_count(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A session whose knee exercise is the strength test (15 single-leg box squats) asks the count
    after the niggle question, in one tap, and stores it; a session without the test refuses one."""
    days = await knee_days(runner)
    deps = app.bot_data.deps
    async with deps.coach.uow() as work:
        week = await work.plans.week(runner.user_id, MONDAY)
        assert week is not None
        day = days[0]
        exercises = list(day.session.exercises)
        at = next(i for i, p in enumerate(exercises) if BodyArea.KNEE in p.loads)
        exercises[at] = Prescription(
            id=BOX_SQUATS.exercise,
            name="Single-leg box squat test",
            sets=1,
            reps="15 each side",
            rpe=None,
            cue="",
            loads=(BodyArea.KNEE,),
        )
        tested = replace(day, session=replace(day.session, exercises=tuple(exercises)))
        week = replace(week, days=tuple(tested if d.date == day.date else d for d in week.days))
        await work.plans.save_week(runner.user_id, week, clock.now())
        await work.commit()
    await session_checked(app, runner, clock, tested)
    card = runner.last_message()
    assert UI.loop.fmt("ask_test", count=BOX_SQUATS.count, side="") in card
    assert runner.labels() == ["15+", "12-14", "<12"]
    await runner.press("15+")
    async with deps.coach.uow() as work:
        record = await work.checkins.get(runner.user_id, day.date)
    assert record is not None and record.test == (BOX_SQUATS.exercise, 15)
    assert UI.loop.fmt("logged_test", count=15) in runner.last_message()

    await session_checked(app, runner, clock, days[1])
    await runner.press_offered(f"nt|{days[1].date:%Y%m%d}|15", _last_id(runner))
    async with deps.coach.uow() as work:
        other = await work.checkins.get(runner.user_id, days[1].date)
    assert other is not None and other.test is None


async def test_A4_after_knee_pain_the_knee_rests_then_returns_at_rung_1_and_its_checks_are_asked(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Finding: after "my knee hurts" the knee was said to come back gently, yet the next session had
    back squats at RPE 7. Now it rests a week, then is worked around from rung 1 (its jump clock
    restarted), and the check-in after a session that loads it asks the knee's question."""
    lift = await on_lift_morning(runner, clock)  # no niggles declared
    await runner.say("my knee hurts")
    await runner.press(UI.loop.btn_red_flag_no)
    account = await runner.account()
    assert account is not None and account.profile is not None
    assert BodyArea.KNEE in account.profile.injuries and BodyArea.KNEE in account.state.rested_areas(lift.date)
    assert niggles.rung_of(account.state, BodyArea.KNEE) == 1
    back = max(account.state.pain[BodyArea.KNEE], lift.date) + dt.timedelta(days=1)
    inputs = lifting_inputs(account.profile, account.state, Phase.BASE, back, deload=False, eased=False)
    assert dict(inputs.rungs)[BodyArea.KNEE] == 1 and BodyArea.KNEE in inputs.no_jump_areas
    later: list[DayPlan] = []
    for when in (back, monday_of(back) + dt.timedelta(days=7)):
        clock.set(dt.datetime.combine(when, dt.time(7, 0), tzinfo=BERLIN))
        await runner.say("/week")  # plans and stores the week of ``when``
        later += [d for d in await stored_days(runner, monday_of(when)) if d.date >= back and d.session.kind.is_lifting]
    day = next(d for d in later if any(BodyArea.KNEE in p.loads for p in d.session.exercises))
    clock.set(dt.datetime.combine(day.date, dt.time(7, 0), tzinfo=BERLIN))
    await deliver(app, runner, "prompt", day.date)
    for label in ("Done", "6", "None"):
        await runner.press(label)
    assert UI.loop.fmt("ask_niggle", area="knee") in runner.last_message()
