"""/settings end to end: the current settings with a button each; a tap asks that onboarding
question again (same buttons, typed fallback), and the answer moves the schedule or re-plans the
rest of the week, never a day already sent. Through the real Application on the offline Bot API."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN, on_lift_morning, onboarded, stored_days

from bot.clock import FakeClock
from bot.coach.model import BodyArea, DayPlan, Equipment
from bot.services.plans import monday_of
from bot.services.records import DeliveryRecord
from bot.telegram.context import CoachApplication

T = UI.settings


async def due_prompt(app: CoachApplication, runner: Runner) -> dt.datetime:
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        due = await work.due.of_runner(account.id)
    return due["prompt"].due_at.astimezone(BERLIN)


async def test_settings_shows_what_is_set_with_a_button_for_each(runner: Runner) -> None:
    await onboarded(runner)
    replies = await runner.say("/settings")
    assert replies == [
        T.fmt(
            "summary",
            name=runner.name,
            level=UI.buttons.level_some,
            runs="Mon easy run, Wed quality session, Fri easy run, Sun long run",
            equipment=UI.buttons.equipment_dumbbells,
            minutes=30,
            niggles=UI.render.none,
            sessions=T.sessions_default,
            reminder="07:00",
            timezone="Europe/Berlin",
        )
    ]
    assert runner.labels() == [
        T.btn_reminder,
        T.btn_timezone,
        T.btn_level,
        T.btn_run_days,
        T.btn_long_day,
        T.btn_quality_days,
        T.btn_equipment,
        T.btn_minutes,
        T.btn_niggles,
        T.btn_sessions,
        UI.rhythm.btn_prompts,
        UI.history.btn_chart_setting,
    ]


async def test_a_new_reminder_time_moves_the_next_prompt(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    await onboarded(runner)
    assert (await due_prompt(app, runner)).time() == dt.time(7, 0)
    await runner.say("/settings")
    await runner.press(T.btn_reminder)
    assert runner.open_question() == UI.onboarding.ask_reminder.removeprefix("10/11 · ")
    here = clock.now().astimezone(BERLIN).strftime("%H:%M")
    assert await runner.say("18:30") == [
        T.fmt("changed_delivery", reminder="18:30", timezone="Europe/Berlin", local_time=here)
    ]
    assert (await due_prompt(app, runner)).time() == dt.time(18, 30)
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(18, 30)
    assert await runner.answers() == {}, "the setting is closed once answered"


async def prompted_lift_morning(app: CoachApplication, runner: Runner, clock: FakeClock) -> DayPlan:
    """The morning of a lifting day, its prompt already sent (recorded as delivered)."""
    lift = await on_lift_morning(runner, clock)
    account = await runner.account()
    assert account is not None
    async with app.bot_data.deps.coach.uow() as work:
        await work.deliveries.record([DeliveryRecord(account.id, lift.date, "prompt", clock.now(), None)])
        await work.commit()
    return lift


async def test_gym_replans_the_rest_of_the_week_and_the_day_already_sent_keeps_its_session(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    lift = await prompted_lift_morning(app, runner, clock)
    before = {d.date: d for d in await stored_days(runner, monday_of(lift.date))}
    await runner.say("/settings")
    await runner.press(T.btn_equipment)
    ticked = UI.onboarding.fmt("equipment_picked", equipment=UI.buttons.equipment_dumbbells)
    assert runner.open_question() == ticked.removeprefix("6/11 · "), "the kit owned now is ticked"
    assert await runner.press(UI.buttons.equipment_dumbbells) == []  # untick: the question is redrawn
    assert await runner.press(UI.buttons.equipment_gym) == []
    replies = await runner.press(UI.buttons.done)
    assert len(replies) == 1
    assert replies[0].startswith(f"{T.fmt('changed_equipment', equipment=UI.buttons.equipment_gym)}\n\n{T.replanned}")
    after = await stored_days(runner, monday_of(lift.date))
    assert (await runner.profile()).equipment == {Equipment.GYM}
    for day in after:
        if day.date <= lift.date:
            assert day == before[day.date], "a day already sent keeps what it had"
    later = [d for d in after if d.date > lift.date and d.session.kind.is_lifting]
    assert later, "lifting is still planned later this week"
    for day in later:
        assert any(p.equipment is Equipment.GYM for p in day.session.exercises), day


async def test_a_niggle_added_leaves_only_gentle_forms_on_it(runner: Runner, clock: FakeClock) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_niggles)
    await runner.press("knee")
    assert "✅ knee" in runner.labels()
    await runner.press(UI.buttons.done)
    assert runner.open_question() == UI.onboarding.fmt("ask_niggle_flag", area="knee")  # N1 first
    replies = await runner.press(UI.loop.btn_red_flag_no)
    assert replies[0].startswith(T.fmt("changed_niggles", niggles="knee"))
    assert (await runner.profile()).injuries == {BodyArea.KNEE}
    today = clock.now().astimezone(BERLIN).date()
    for offset in (0, 7):
        for day in await stored_days(runner, monday_of(today) + dt.timedelta(days=offset)):
            if day.date >= today:
                assert all(p.gentle for p in day.session.exercises if BodyArea.KNEE in p.loads), day


async def test_typed_garbage_is_asked_again_and_changes_nothing(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_minutes)
    await runner.say("banana")
    assert runner.replies[0].startswith(UI.reasks.bad_minutes)
    assert runner.open_question() == UI.onboarding.ask_minutes.removeprefix("7/11 · ")
    assert (await runner.profile()).session_minutes == 30
    assert (await runner.answers())["draft:setting"] == "minutes"
    assert (await runner.say("45"))[0].startswith(T.fmt("changed_minutes", minutes=45))
    assert (await runner.profile()).session_minutes == 45


async def test_sessions_a_week_by_button(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_sessions)
    assert runner.open_question() == T.ask_sessions
    replies = await runner.press(T.btn_sessions_3)
    assert replies[0].startswith(T.fmt("changed_sessions", sessions=T.fmt("sessions_set", count=3)))
    assert (await runner.profile()).sessions_per_week == 3


async def test_a_stale_or_forged_settings_tap_is_refused(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press_offered("set|equipment|gym")  # nothing open
    assert runner.toasts == [UI.general.stale_button]
    await runner.press_offered("set|open|race")  # not a setting
    assert runner.toasts == [UI.general.stale_button]
    await runner.press(T.btn_minutes)
    await runner.press_offered("set|equipment|gym")  # another setting is open
    assert runner.toasts == [UI.general.stale_button]
    await runner.press_offered("set|minutes|999")  # never offered
    assert runner.toasts == [UI.reasks.stale_button]
    profile = await runner.profile()
    assert (profile.equipment, profile.session_minutes) == ({Equipment.DUMBBELLS}, 30)


async def test_cancel_closes_an_open_setting(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_equipment)
    assert await runner.say("/cancel") == [T.cancelled]
    assert await runner.answers() == {}
    assert await runner.say("/cancel") == [UI.onboarding.nothing_to_cancel]
    await runner.say("a gym")  # no longer an answer: everyday text
    assert (await runner.profile()).equipment == {Equipment.DUMBBELLS}


async def test_someone_not_onboarded_is_told_to_set_up_first(runner: Runner) -> None:
    assert await runner.say("/settings") == [UI.general.not_onboarded]
    last = runner.api.last_message(runner.user_id)
    assert last is not None
    await runner.press_offered("set|open|equipment", last.message_id)
    assert runner.toasts == [UI.general.not_onboarded]
    assert await runner.answers() == {}
