"""Health and level, end to end: the onboarding health screen and clearance, red flags after a
pain report, the niggle check after a session, and the level-up question of a weekly review.

COACHING.md, "Red flags", "Niggles" and "Beyond the ladder", through the real Application on the
offline Bot API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from chatdriver import UI, Runner
from test_checkins import BERLIN, ONBOARD, deliver, next_lift, on_lift_morning, stored_days
from test_review import MONDAY, SUNDAY, log_week

from bot.clock import FakeClock
from bot.coach import niggles
from bot.coach.model import BodyArea, Level, WeekPlan
from bot.services.health import UNTIL_CLEARED
from bot.services.plans import monday_of
from bot.services.records import ReviewPayload
from bot.telegram.context import CoachApplication

SCREEN_YES = (*ONBOARD[:-1], "yes")  # a "some" lifter with dumbbells who says yes to the screen
KNEE = (*ONBOARD[:-4], "knee", "no", *ONBOARD[-3:])  # the same runner working around a knee niggle (no red flag, N1)


async def stored_week(runner: Runner, monday: dt.date) -> WeekPlan:
    async with runner.app.bot_data.deps.coach.uow() as work:
        week = await work.plans.week(runner.user_id, monday)
    assert week is not None
    return week


async def max_effort_from(runner: Runner, day: dt.date) -> int:
    """The highest RPE prescribed on any lifting day from ``day`` to the end of next week."""
    efforts = [
        p.rpe or 0
        for offset in (0, 7)
        for d in await stored_days(runner, monday_of(day) + dt.timedelta(days=offset))
        if d.date >= day and d.session.kind.is_lifting
        for p in d.session.exercises
    ]
    assert efforts, "no lifting planned"
    return max(efforts)


async def test_a_yes_to_the_health_screen_holds_the_gentlest_dose_until_cleared(
    runner: Runner, clock: FakeClock
) -> None:
    """Yes: advice to get clearance, with a button; every session stays at the new lifter's base
    dose (RPE 6) until the runner says they are cleared, then their own level's dose (RPE 7)."""
    replies = await runner.steps(*SCREEN_YES)
    assert replies[0].startswith("All set, Ada!")
    assert replies[-1] == UI.onboarding.needs_clearance
    assert runner.labels() == [UI.buttons.cleared]
    account = await runner.account()
    assert account is not None and account.state.needs_clearance
    today = clock.now().astimezone(BERLIN).date()
    assert await max_effort_from(runner, today) == 6

    await runner.press(UI.buttons.cleared)
    assert runner.last_message().endswith(UI.loop.cleared)
    account = await runner.account()
    assert account is not None and not account.state.needs_clearance
    assert await max_effort_from(runner, today + dt.timedelta(days=1)) == 7
    assert await runner.say("/cleared") == [UI.loop.nothing_to_clear]  # asked again: nothing left on hold


async def test_a_no_to_the_health_screen_starts_at_the_runners_own_level(runner: Runner, clock: FakeClock) -> None:
    replies = await runner.steps(*ONBOARD)
    assert len(replies) == 3 and UI.onboarding.needs_clearance not in replies
    account = await runner.account()
    assert account is not None and not account.state.needs_clearance
    assert await max_effort_from(runner, clock.now().astimezone(BERLIN).date()) == 7


async def test_a_typed_answer_that_is_neither_yes_nor_no_is_asked_again(runner: Runner) -> None:
    await runner.steps(*ONBOARD[:-1])
    await runner.say("maybe later")
    assert runner.replies[0].startswith(UI.reasks.yes_or_no)
    assert runner.open_question() == UI.onboarding.ask_health
    assert "health" not in await runner.answers()
    await runner.press(UI.buttons.health_no)
    assert (await runner.account()) is not None


async def test_a_red_flag_rests_the_area_until_a_professional_clears_it(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Pain, then a red-flag sign: nothing loads the knee (jumps included) until the runner says
    they were cleared; then the knee comes back as a niggle, in its gentle form first."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("my knee hurts")
    assert runner.replies[-1] == UI.loop.fmt("ask_red_flag", area="knee")
    await runner.press(UI.loop.btn_red_flag_yes)
    assert runner.last_message() == UI.loop.fmt("red_flag", area="knee")
    assert runner.labels() == [UI.buttons.cleared]
    account = await runner.account()
    assert account is not None and account.state.pain[BodyArea.KNEE] == UNTIL_CLEARED

    # weeks later the knee still rests: the hold has no end date
    far = lift.date + dt.timedelta(days=30)
    clock.set(dt.datetime.combine(far, dt.time(7, 0), tzinfo=BERLIN))
    await runner.say("/week")
    for day in await stored_days(runner, monday_of(far)):
        assert all(BodyArea.KNEE not in p.loads for p in day.session.exercises), day

    await runner.say("/cleared")
    assert runner.replies == [UI.loop.area_cleared]
    account = await runner.account()
    assert account is not None and account.profile is not None
    assert BodyArea.KNEE not in account.state.pain
    assert BodyArea.KNEE in account.profile.injuries  # back through the niggle route
    assert niggles.rung_of(account.state, BodyArea.KNEE) == 1  # N3: back at rung 1


async def test_the_niggle_check_after_a_session_is_stored_and_the_review_asks_vs_last_week(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A knee niggle: after a session that loaded the knee, the card asks how the knee took it;
    fine sessions alone do not move it (N4): the review asks how it compares with last week."""
    replies = await runner.steps(*KNEE)
    assert len(replies) == 3
    lifts = [d for d in await stored_days(runner, MONDAY) if d.session.kind.is_lifting]
    knee_days = [d for d in lifts if any(BodyArea.KNEE in p.loads for p in d.session.exercises)]
    assert len(knee_days) >= 2, "a knee niggle still trains the knee, gently"
    for day in knee_days[:2]:
        clock.set(dt.datetime.combine(day.date, dt.time(7, 0), tzinfo=BERLIN))
        await deliver(app, runner, "prompt", day.date)
        prompt = runner.keyboard_message().message_id
        await runner.press("Done")
        await runner.press("6")
        await runner.press("None")
        card = runner.api.message(runner.user_id, prompt).plain_text
        assert UI.loop.fmt("ask_niggle", area="knee") in card
        await runner.press(UI.loop.btn_niggle_ok)
        card = runner.api.message(runner.user_id, prompt).plain_text
        assert UI.loop.fmt("logged_niggle_ok", area="Knee") in card and UI.loop.checkin_thanks in card
        async with app.bot_data.deps.coach.uow() as work:
            record = await work.checkins.get(runner.user_id, day.date)
        assert record is not None and record.niggles == {BodyArea.KNEE: True}
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    text = await deliver(app, runner, "review", SUNDAY)
    assert UI.loop.fmt("ask_compare", area="knee") in text
    account = await runner.account()
    assert account is not None and niggles.rung_of(account.state, BodyArea.KNEE) == 1


async def test_a_forged_niggle_answer_for_an_area_the_session_did_not_load_is_refused(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    lift = await on_lift_morning(runner, clock)  # no niggles at all
    await deliver(app, runner, "prompt", lift.date)
    await runner.press("Done")
    await runner.press_offered(f"ng|{lift.date:%Y%m%d}|knee.flare")
    async with app.bot_data.deps.coach.uow() as work:
        record = await work.checkins.get(runner.user_id, lift.date)
    assert record is not None and record.niggles == {}
    before = await runner.account()
    await runner.press_offered(f"ng|{lift.date:%Y%m%d}|elbow.ok")  # not an area at all
    await runner.press_offered("hl|lvl|maybe")
    await runner.press_offered("hl|flag|knee.perhaps")
    await runner.press_offered("hl|clear|elbow")
    after = await runner.account()
    assert before is not None and after is not None
    assert (after.profile, after.state) == (before.profile, before.state)  # nothing changed
    async with app.bot_data.deps.coach.uow() as work:
        record = await work.checkins.get(runner.user_id, lift.date)
    assert record is not None and record.niggles == {}


async def test_after_enough_good_weeks_the_review_asks_to_move_up_a_level(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A new lifter with 8 good weeks of the last 10 is asked once; a yes plans them as "some"."""
    await runner.steps("/start", "#never", *ONBOARD[2:])
    deps = app.bot_data.deps
    account = await runner.account()
    assert account is not None
    async with deps.coach.uow() as work:  # seven good weeks already behind them
        await work.runners.save_state(runner.user_id, replace(account.state, good_weeks="1111111"))
        await work.commit()
    await log_week(app, runner, clock, [("done", 6), ("done", 6), ("done", 6)])
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    text = await deliver(app, runner, "review", SUNDAY)
    assert UI.loop.ask_level_up_some in text
    assert runner.labels() == [UI.loop.btn_level_yes, UI.loop.btn_level_no]
    review = runner.keyboard_message().message_id
    await runner.press(UI.loop.btn_level_yes)
    assert runner.last_message().startswith(UI.loop.fmt("level_up", level=UI.buttons.level_some))
    account = await runner.account()
    assert account is not None and account.profile is not None
    assert account.profile.strength_level is Level.SOME
    await runner.press_offered("hl|lvl|some", review)  # the same question of an older review cannot move them up twice
    assert (await runner.profile()).strength_level is Level.SOME
    # the next week is re-planned for the new level: its sessions now ask for effort 7
    lift = await next_lift(runner, clock)
    assert max(p.rpe or 0 for p in lift.session.exercises) == 7


async def test_not_yet_keeps_the_level(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    await runner.steps("/start", "#never", *ONBOARD[2:])
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        await work.runners.save_state(runner.user_id, replace(account.state, good_weeks="1111111"))
        await work.commit()
    await log_week(app, runner, clock, [("done", 6), ("done", 6), ("done", 6)])
    clock.set(dt.datetime.combine(SUNDAY, dt.time(19, 30), tzinfo=BERLIN))
    await deliver(app, runner, "review", SUNDAY)
    await runner.press(UI.loop.btn_level_no)
    assert runner.last_message() == UI.loop.level_kept
    account = await runner.account()
    assert account is not None and account.profile is not None and account.profile.strength_level is Level.NEW


async def test_not_lifting_lately_after_two_silent_weeks_restarts_gently(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "Still lifting?" → "Not lately" 30 days after the last session done: the return-after-a-gap
    rule restarts at the base week-1 dose; "Yes" changes nothing (silence alone is not a gap)."""
    await runner.steps(*ONBOARD)
    account = await runner.account()
    assert account is not None
    climbed = replace(account.state, step=3, weeks_coached=5, weeks_trained=5)
    async with app.bot_data.deps.coach.uow() as work:
        await work.runners.save_state(runner.user_id, climbed)
        await work.commit()
    clock.advance(dt.timedelta(days=30))
    review = app.bot_data.deps.loop_render.review(
        ReviewPayload(
            week_start=MONDAY,
            rules=("A2",),
            key="A2_no_answers",
            planned=2,
            done=0,
            partial=0,
            very_sore=0,
            pain=(),
            ask_still_lifting=True,
            step_before=3,
            step_after=3,
        ),
        await stored_week(runner, MONDAY),
        1,
    )
    assert UI.loop.still_lifting in review.text
    await app.bot_data.deps.sender.send(account.chat_id, review)
    await runner.press(UI.loop.btn_still_lifting_yes)
    assert runner.last_message() == UI.loop.still_lifting_yes
    unchanged = await runner.account()
    assert unchanged is not None and unchanged.state == climbed

    await app.bot_data.deps.sender.send(account.chat_id, review)
    await runner.press(UI.loop.btn_still_lifting_no)
    assert runner.last_message() == UI.loop.still_lifting_no
    after = await runner.account()
    assert after is not None and after.state.step == 0 and after.state.weeks_coached == 0
