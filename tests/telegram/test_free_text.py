"""Free text in the daily loop: what a runner types does what the buttons and commands do."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN, checkin, deliver, on_lift_morning, onboarded, stored_days

from bot.clock import FakeClock
from bot.coach.model import BodyArea, RunKind, SessionKind
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication


async def test_done_with_an_effort_logs_today_like_the_buttons(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "did it, rpe 7" logs today's lift as done at 7 and asks the next question (soreness)."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(18, 30), tzinfo=BERLIN))
    await runner.say("did it, rpe 7")
    assert await checkin(runner, lift.date) == ("done", 7, None, None)
    assert UI.loop.ask_soreness in runner.text
    await runner.press("None")
    assert await checkin(runner, lift.date) == ("done", 7, "none", None)


async def test_done_typed_after_midnight_logs_the_day_that_just_ended(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Late at night, "done" means the session of the day that just ended."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date + dt.timedelta(days=1), dt.time(0, 40), tzinfo=BERLIN))
    assert lift.date.weekday() != 6, "a Sunday lift would belong to last week by 00:40 Monday"
    await runner.say("done 8/10")
    assert await checkin(runner, lift.date) == ("done", 8, None, None)


async def test_skipped_in_words(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """ "skipped today" logs a skip."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("skipped today")
    assert await checkin(runner, lift.date) == ("skipped", None, None, None)
    assert UI.loop.logged_skipped in runner.text


async def test_too_sore_offers_the_swap(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """ "too sore" on a lifting day offers Swap to mobility; tapping it swaps today's lift."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("too sore today")
    assert runner.replies == [UI.loop.sore_offer]
    await runner.press("Swap to mobility")
    today = next(d for d in await stored_days(runner, monday_of(lift.date)) if d.date == lift.date)
    assert today.session.kind is SessionKind.MOBILITY


async def test_pain_in_words_applies_the_pain_rule(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """ "my knee hurts": the knee is rested, the rest of the week avoids it, a professional is suggested."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("my knee hurts")
    assert runner.replies == [UI.loop.fmt("pain_rule", area="knee"), UI.loop.fmt("ask_red_flag", area="knee")]
    account = await runner.account()
    assert account is not None and BodyArea.KNEE in account.state.pain
    for day in await stored_days(runner, monday_of(lift.date)):
        if day.date >= lift.date:
            assert all(BodyArea.KNEE not in ex.loads for ex in day.session.exercises)


async def test_pain_without_an_area_asks_where(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """ "my leg hurts" names no area the coach knows: it asks where, and the tap applies the rule."""
    await on_lift_morning(runner, clock)
    await runner.say("my leg hurts")
    assert runner.replies == [UI.loop.ask_pain_area]
    picker = runner.keyboard_message().message_id
    assert await runner.press("Hip") == [UI.loop.fmt("ask_red_flag", area="hip")]
    assert runner.api.message(runner.user_id, picker).plain_text == UI.loop.fmt("pain_rule", area="hip")
    account = await runner.account()
    assert account is not None and BodyArea.HIP in account.state.pain


async def test_a_moved_long_run_changes_this_week_and_replans_it(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "long run moved to saturday": Saturday is this week's long run, Sunday no longer is, and no
    lift sits on Friday (the day before it)."""
    await onboarded(runner)  # Saturday 21 November: the long run is on Sunday
    clock.set(dt.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN))  # Monday
    await runner.say("long run moved to saturday")
    assert runner.text.startswith(UI.loop.fmt("moved_run", run="long run", weekday="Saturday"))
    days = {d.date.weekday(): d for d in await stored_days(runner, dt.date(2026, 11, 23))}
    assert days[5].run is RunKind.LONG and days[6].run is not RunKind.LONG
    assert not days[4].session.kind.is_lifting
    profile = await runner.profile()
    assert profile.run_on(dt.date(2026, 11, 29)) is not RunKind.LONG  # only this week changed...
    assert profile.run_on(dt.date(2026, 12, 6)) is RunKind.LONG  # ...next Sunday is long again


async def test_a_moved_long_run_swaps_with_the_run_it_displaces_and_says_so(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "long run moved to friday" on a week with an easy run on Friday: the easy run takes Sunday,
    the day the long run left, and the reply says so."""
    await onboarded(runner)  # runs Mon, Wed (quality), Fri, Sun (long)
    clock.set(dt.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN))  # Monday
    await runner.say("long run moved to friday")
    said = UI.loop.fmt("moved_run", run="long run", weekday="Friday")
    swapped = UI.loop.fmt("moved_run_swapped", run="easy run", weekday="Sunday")
    assert runner.text.startswith(f"{said} {swapped}")
    days = {d.date.weekday(): d for d in await stored_days(runner, dt.date(2026, 11, 23))}
    assert days[4].run is RunKind.LONG and days[6].run is RunKind.EASY


async def test_a_run_moved_onto_a_run_with_no_free_day_left_says_that_run_is_off(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """On Thursday, "quality moved to friday": Wednesday's quality day is past, so Friday's easy run
    has nowhere to go; the reply says it was taken off rather than dropping it silently."""
    await onboarded(runner)
    clock.set(dt.datetime(2026, 11, 26, 8, 0, tzinfo=BERLIN))  # Thursday
    await runner.say("quality session moved to friday")
    said = UI.loop.fmt("moved_run", run="quality session", weekday="Friday")
    dropped = UI.loop.fmt("moved_run_dropped", run="easy run", weekday="Friday")
    assert runner.text.startswith(f"{said} {dropped}"), runner.text


async def test_pause_and_back_in_words(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """ "pause until friday" pauses to that date; "im back" the same day resumes, the dose unchanged."""
    await onboarded(runner)
    clock.set(dt.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN))  # Monday
    await runner.say("pause until friday")
    assert runner.replies == [UI.loop.fmt("pause_until", date="Fri 27 Nov")]
    account = await runner.account()
    assert account is not None and account.paused_until == dt.date(2026, 11, 27)
    await runner.say("im back")
    assert runner.replies[0].startswith(UI.promises.fmt("welcome_back", rule=UI.promises.back_short))


async def test_greetings_and_thanks_are_answered_like_a_person(app: CoachApplication, runner: Runner) -> None:
    """ "hi" gets a hello with a hint; "thanks!" gets a you're-welcome; nonsense gets the pointer."""
    await onboarded(runner)
    await runner.say("hi")
    assert runner.replies == [UI.loop.fmt("greeting", name="Ada")]
    await runner.say("thanks!")
    assert runner.replies == [UI.loop.thanks]
    await runner.say("asdfgh qwerty")
    assert runner.replies == [UI.general.unknown]


async def test_a_nudge_answered_in_words(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """After the evening nudge, "done" in words logs the lift and a second nudge has nothing to say."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(19, 0), tzinfo=BERLIN))
    await deliver(app, runner, "nudge", lift.date)
    await runner.say("done")
    assert (await checkin(runner, lift.date) or ("",))[0] == "done"


async def test_a_cold_on_a_lift_day_offers_the_swap_and_a_pause_that_pauses(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "got a cold" on a lifting day: the illness rule, Swap to mobility and Pause my plan; the pause
    is open-ended like /pause, stored, and confirmed under the advice with the buttons gone."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("got a cold 🤧")
    assert runner.replies == [f"{UI.loop.ill}\n\n{UI.loop.ill_swap}\n\n{UI.loop.ill_pause}"]
    assert runner.labels() == [UI.loop.btn_swap, UI.loop.btn_pause]
    advice = runner.keyboard_message().message_id
    assert await runner.press("Pause my plan") == []  # edited in place
    account = await runner.account()
    assert account is not None and account.paused_from == lift.date and account.paused_until is None
    shown = runner.api.message(runner.user_id, advice)
    assert shown.plain_text.startswith(UI.loop.ill) and shown.plain_text.endswith(UI.loop.pause_open)
    assert shown.inline_buttons == []
    await runner.say("im back")
    assert runner.replies[0].startswith(UI.promises.fmt("welcome_back", rule=UI.promises.back_short))


async def test_a_cold_on_a_lift_day_can_swap_the_lift_for_mobility(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """The swap under the illness advice is the check-in card's own: today's lift becomes mobility."""
    lift = await on_lift_morning(runner, clock)
    await runner.say("I've got a head cold, runny nose")
    await runner.press("Swap to mobility")
    today = next(d for d in await stored_days(runner, monday_of(lift.date)) if d.date == lift.date)
    assert today.session.kind is SessionKind.MOBILITY
    account = await runner.account()
    assert account is not None and account.paused_from is None


async def test_chest_pain_is_sent_to_a_doctor_with_no_swap_offered(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "chest pain on my run": see a doctor before any more training; only the pause is offered, and
    no body area is put under the pain rule."""
    await on_lift_morning(runner, clock)
    await runner.say("chest pain on my run")
    assert runner.replies == [f"{UI.loop.ill_urgent}\n\n{UI.loop.ill_urgent_pause}"]
    assert runner.labels() == [UI.loop.btn_pause]
    account = await runner.account()
    assert account is not None and not account.state.pain
    await runner.press("Pause my plan")
    account = await runner.account()
    assert account is not None and account.paused_from is not None


async def test_illness_while_paused_gets_the_advice_without_buttons(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A runner already paused who says they're ill gets the advice alone; a stale Pause tap says so."""
    await on_lift_morning(runner, clock)
    await runner.say("feverish")
    pause_button = runner.keyboard_message().message_id
    await runner.say("pause")
    await runner.say("stomach bug now too")
    last = runner.api.last_message(runner.user_id)
    assert last is not None and last.plain_text == UI.loop.ill and last.inline_buttons == []
    stale = runner.api.message(runner.user_id, pause_button).inline_buttons[-1]
    assert stale.text == UI.loop.btn_pause and stale.callback_data is not None
    await runner.press_offered(stale.callback_data, pause_button)
    assert runner.toasts == [UI.loop.already_paused]


async def test_illness_before_setting_up_asks_to_set_up(app: CoachApplication, runner: Runner) -> None:
    """Someone not set up yet who says they have the flu, or forges a Pause tap, is asked to set up first;
    a Pause tap that names no day is stale."""
    await runner.say("I have the flu")
    assert runner.replies == [UI.general.not_onboarded]
    reply = runner.api.last_message(runner.user_id)
    assert reply is not None
    await runner.press_offered("pause|20261130|open", reply.message_id)  # as a modified client could
    assert runner.toasts == [UI.general.not_onboarded]
    await runner.press_offered("pause|someday|open", reply.message_id)
    assert runner.toasts == [UI.general.stale_button]
