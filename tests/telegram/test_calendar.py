"""/calendar: this week and next at a glance; a day or the usual week changed by a tap or in words;
what a change moved and why, with Undo; bad input answered clearly; and the plan and due messages
that follow, across a daylight-saving change and after today's prompt went out (today's stored
plan stays as the record of what was sent; the reply says the changes start tomorrow)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chatdriver import UI, Runner
from test_checkins import BERLIN, onboarded, stored_days
from test_settings import due_prompt, prompted_lift_morning

from bot.clock import FakeClock
from bot.coach.model import Distance, RunKind, Weekday
from bot.services.calendar_edit import UNDO
from bot.telegram.context import CoachApplication

C = UI.calendar
NOV = {d: dt.date(2026, 11, d) for d in range(16, 31)}  # the clock starts on Saturday 21 November 2026
NOV_21 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def run_name(runner: Runner, run: RunKind) -> str:
    return runner.app.bot_data.deps.render.run(run)


async def run_on(runner: Runner, day: dt.date) -> RunKind:
    """The run of ``day`` in the stored plan."""
    monday = day - dt.timedelta(days=day.weekday())
    return next(d.run for d in await stored_days(runner, monday) if d.date == day)


async def test_calendar_shows_this_week_and_next_with_a_button_per_open_day(runner: Runner) -> None:
    """Each day of both weeks reads its run and session; today on can be tapped, and the usual week."""
    await onboarded(runner)
    replies = await runner.say("/calendar")
    assert len(replies) == 1 and replies[0].startswith(C.shown)
    assert "Week of 16 Nov" in replies[0] and "Week of 23 Nov" in replies[0]
    assert "Sun 22 · long run → " in replies[0] and "Wed 25 · quality session → " in replies[0]
    labels = runner.labels()
    assert labels[0] == "Sat 21 Nov" and labels[8] == "Sun 29 Nov", "today to the end of next week"
    assert labels[9:] == [C.btn_template, UI.feed.btn_add]
    assert "calendar" in UI.commands and "/calendar" in UI.general.help


async def test_one_off_day_by_taps_replans_and_undo_puts_it_back(runner: Runner) -> None:
    """Tap a day, tap a kind: that date changes, the plan follows, and Undo restores both."""
    await onboarded(runner)
    await runner.say("/calendar")
    await runner.press("Sun 22 Nov")
    assert runner.last_message().startswith(C.fmt("ask_day", weekday="Sunday", date="22 Nov", run="long run"))
    await runner.press(run_name(runner, RunKind.REST))
    shown = runner.last_message()
    assert shown.startswith(C.changed) and "• Sun 22 Nov: long run → rest day" in shown, shown
    assert (await runner.profile()).overrides == {NOV[22]: RunKind.REST}
    assert await run_on(runner, NOV[22]) is RunKind.REST
    assert (await runner.profile()).week[Weekday.SUN] is RunKind.LONG, "the usual week stays"
    token, confirmation = (await runner.answers())[UNDO]["token"], runner.keyboard_message().message_id
    await runner.press(C.btn_undo)
    assert runner.last_message().startswith(C.undone)
    assert (await runner.profile()).overrides == {}
    assert await run_on(runner, NOV[22]) is RunKind.LONG
    await runner.press_offered(f"cal|undo|{token}", confirmation)  # the same change again
    assert runner.toasts == [C.undo_nothing]


async def test_usual_week_by_taps_moves_the_long_run(runner: Runner) -> None:
    """My usual week → Sat → long run: every Saturday is the long run, Sunday becomes an easy run."""
    await onboarded(runner)
    await runner.say("/calendar")
    await runner.press(C.btn_template)
    assert UI.settings.btn_run_days in runner.labels(), "/settings' own calendar questions are offered"
    await runner.press("Sat · rest day")
    assert runner.last_message().startswith(C.fmt("ask_weekday_kind", weekday="Saturday", run="rest day"))
    await runner.press(run_name(runner, RunKind.LONG))
    week = (await runner.profile()).week
    assert week[Weekday.SAT] is RunKind.LONG and week[Weekday.SUN] is RunKind.EASY
    shown = runner.last_message()
    assert "• Sat 28 Nov: rest day → long run" in shown and "• Sun 29 Nov: long run → easy run" in shown
    assert C.fmt("template_now", runs=runner.app.bot_data.deps.render.runs(week)) in shown
    assert await run_on(runner, NOV[28]) is RunKind.LONG
    assert runner.labels() == [C.btn_undo]


async def test_no_run_on_the_24th_typed_anywhere(runner: Runner, clock: FakeClock) -> None:
    """ "no run on the 24th" needs no /calendar open: that Sunday's long run is off, with Undo."""
    await onboarded(runner)
    clock.set(dt.datetime(2027, 1, 18, 9, 0, tzinfo=dt.UTC))  # a Monday; the 24th is Sunday
    replies = await runner.say("no run on the 24th")
    assert replies[0].startswith(C.changed) and "• Sun 24 Jan: long run → rest day" in replies[0], replies
    assert (await runner.profile()).overrides == {dt.date(2027, 1, 24): RunKind.REST}
    assert runner.labels() == [C.btn_undo]


async def test_long_run_saturday_this_week_typed_in_calendar(runner: Runner) -> None:
    """The long run moves for this week only: Saturday long, Sunday rest, the usual week as it was."""
    await onboarded(runner)
    await runner.say("/calendar")
    replies = await runner.say("long run saturday this week")
    assert "• Sat 21 Nov: rest day → long run" in replies[0] and "• Sun 22 Nov: long run → rest day" in replies[0]
    assert (await runner.profile()).overrides == {NOV[21]: RunKind.LONG, NOV[22]: RunKind.REST}


async def test_i_run_mon_wed_sat_now_typed(runner: Runner) -> None:
    """New run days from now on: kept days keep their run, a new one is easy, the rest are rest days."""
    await onboarded(runner)
    replies = await runner.say("I run mon wed sat now")
    assert replies[0].startswith(C.changed), replies
    week = (await runner.profile()).week
    assert [d for d in Weekday if week[d] is not RunKind.REST] == [Weekday.MON, Weekday.WED, Weekday.SAT]
    assert week[Weekday.WED] is RunKind.QUALITY and week[Weekday.SAT] is RunKind.EASY
    assert "• Sun 22 Nov: long run → rest day" in replies[0] and "• Fri 27 Nov: easy run → rest day" in replies[0]


async def test_race_on_the_14th_a_10k_is_a_tune_up_race(runner: Runner, clock: FakeClock) -> None:
    """A race with its distance is a tune-up: a one-off race day and its distance, no question after."""
    await onboarded(runner)
    clock.set(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))  # Monday 7 December
    replies = await runner.say("race on the 14th, a 10k")
    assert len(replies) == 1 and "• Mon 14 Dec: easy run → race" in replies[0], replies
    profile = await runner.profile()
    assert profile.overrides == {dt.date(2026, 12, 14): RunKind.RACE}
    assert profile.tune_up_distances == {dt.date(2026, 12, 14): Distance.K10}
    assert profile.race is None, "a tune-up, not the goal race"
    replies = await runner.say("race on the 16th")
    assert len(replies) == 2 and replies[1] == UI.loop.fmt("ask_tune_up_distance", weekday="Wednesday")


async def test_dates_that_do_not_exist_or_have_passed_are_refused(runner: Runner) -> None:
    """ "the 31st" of November, "Feb 30" and a day gone by are answered, and nothing changes."""
    await onboarded(runner)
    assert await runner.say("no run on the 31st") == [C.fmt("no_such_date", day=31, month="November")]
    await runner.say("/calendar")
    assert await runner.say("no run on feb 30") == [C.fmt("no_such_date", day=30, month="February")]
    assert await runner.say("no run on the 20th") == [C.fmt("past_date", date="Fri 20 Nov")]
    await runner.press_offered("cal|day|20261120")  # a tap on a day already gone
    assert runner.toasts == [C.fmt("past_date", date="Fri 20 Nov")]
    await runner.press_offered("cal|set|20261116.rest")
    assert runner.toasts == [C.fmt("past_date", date="Mon 16 Nov")]
    assert (await runner.profile()).overrides == {}


async def test_tampered_buttons_change_nothing(runner: Runner) -> None:
    """A forged tap stops at the gate; a signed one with a kind or day never offered is stale."""
    await onboarded(runner)
    await runner.say("/calendar")
    await runner.press_data("cal|set|20261122.rest")  # unsigned
    assert runner.toasts == [UI.general.button_gone]
    for data in ("cal|set|20261122.sprint", "cal|set|2026xx22.rest", "cal|wset|funday.long", "cal|fly|now"):
        await runner.press_offered(data)
        assert runner.toasts == [UI.general.stale_button], data
    await runner.press_offered("cal|wset|sat.race")  # a race is a date, never the usual week
    assert runner.toasts == [UI.general.stale_button]
    profile = await runner.profile()
    assert profile.overrides == {} and profile.week[Weekday.SAT] is RunKind.REST


async def test_text_when_a_kind_button_is_expected(runner: Runner) -> None:
    """After a day is tapped, words that are no run kind are pointed to the buttons; a kind typed works."""
    await onboarded(runner)
    await runner.say("/calendar")
    await runner.press("Mon 23 Nov")
    assert await runner.say("banana") == [C.tap_expected]
    replies = await runner.say("rest")
    assert "• Mon 23 Nov: easy run → rest day" in replies[0]
    assert await runner.say("the moon is green") == [C.not_understood], "/calendar still reads the next text"


async def test_undo_after_another_change_or_once_the_day_passed(runner: Runner, clock: FakeClock) -> None:
    """Only the latest change can be undone; a change whose days have all passed can't."""
    await onboarded(runner)
    await runner.say("/calendar")
    await runner.press("Sun 22 Nov")
    await runner.press(run_name(runner, RunKind.REST))
    first, token = runner.keyboard_message().message_id, (await runner.answers())[UNDO]["token"]
    await runner.say("no run on the 23rd")
    await runner.press_offered(f"cal|undo|{token}", first)  # the first change's Undo, after another change
    assert runner.toasts == [C.undo_later]
    assert (await runner.profile()).overrides == {NOV[22]: RunKind.REST, NOV[23]: RunKind.REST}
    await runner.press(C.btn_undo)  # the latest change's Undo works
    assert (await runner.profile()).overrides == {NOV[22]: RunKind.REST}
    await runner.say("no run on the 23rd")
    clock.set(dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC))  # Tuesday: Monday the 23rd has passed
    await runner.press(C.btn_undo)
    assert runner.toasts == [C.undo_passed]
    assert (await runner.profile()).overrides == {NOV[22]: RunKind.REST, NOV[23]: RunKind.REST}


async def test_a_change_that_leaves_no_room_for_strength_says_so(app: CoachApplication, runner: Runner) -> None:
    """Quality runs every day but Sunday, then a long run on Sunday: the reply gives the rulebook's note."""
    await onboarded(runner)
    account = await runner.account()
    assert account is not None and account.profile is not None
    week = {d: RunKind.QUALITY for d in Weekday} | {Weekday.SUN: RunKind.EASY}
    async with app.bot_data.deps.coach.uow() as work:
        profile = account.profile.model_copy(update={"week": week})
        await work.runners.save_profile(
            runner.user_id, profile, timezone="Europe/Berlin", reminder_time=dt.time(7), now=NOV_21
        )
        await work.commit()
    await runner.say("/calendar")
    await runner.press("Sun 29 Nov")
    await runner.press(run_name(runner, RunKind.LONG))
    shown = runner.last_message()
    notes = app.bot_data.deps.library.messages.week_notes
    assert "⚠️ Week of 23 Nov: " in shown, shown
    assert any(notes[key].split("{")[0] in shown for key in ("none_fit", "fewer_key_runs", "fewer_fit")), shown


async def test_a_change_across_the_spring_clock_change(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """Berlin, Saturday 28 March 2026: Sunday's long run made a rest day; Sunday's prompt stays at 07:00
    on the runner's clock, in summer time."""
    clock.set(dt.datetime(2026, 3, 25, 9, 0, tzinfo=dt.UTC))
    await onboarded(runner)
    clock.set(dt.datetime(2026, 3, 28, 8, 0, tzinfo=BERLIN))
    await runner.say("/calendar")
    await runner.press("Sun 29 Mar")
    await runner.press(run_name(runner, RunKind.REST))
    assert "• Sun 29 Mar: long run → rest day" in runner.last_message()
    assert await run_on(runner, dt.date(2026, 3, 29)) is RunKind.REST
    sunday = (await due_prompt(app, runner)).astimezone(ZoneInfo("Europe/Berlin"))
    assert sunday.date() == dt.date(2026, 3, 29) and sunday.time() == dt.time(7, 0)
    assert sunday.utcoffset() == dt.timedelta(hours=2)


async def test_a_change_to_today_after_its_prompt_keeps_today_as_sent(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Today's prompt went out: the calendar records the change, today's plan stays as it was sent,
    the reply says the changes start tomorrow, and tomorrow's prompt is due as usual."""
    lift = await prompted_lift_morning(app, runner, clock)
    before = (
        await run_on(runner, lift.date),
        {d.date: d for d in await stored_days(runner, lift.date - dt.timedelta(days=lift.date.weekday()))},
    )
    other = RunKind.EASY if lift.run is RunKind.REST else RunKind.REST
    await runner.say("/calendar")
    await runner.press(runner.labels()[0])  # today
    await runner.press(run_name(runner, other))
    shown = runner.last_message()
    assert C.today_kept in shown, shown
    assert (await runner.profile()).overrides[lift.date] is other
    after = {d.date: d for d in await stored_days(runner, lift.date - dt.timedelta(days=lift.date.weekday()))}
    assert after[lift.date] == before[1][lift.date], "today keeps the session that was sent"
    tomorrow = lift.date + dt.timedelta(days=1)
    assert await due_prompt(app, runner) == dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=BERLIN)


async def test_a_check_in_typed_while_calendar_waits_is_still_a_check_in(runner: Runner) -> None:
    """ "what's on tomorrow?" after a look at /calendar is answered as usual, not as a calendar change."""
    await onboarded(runner)
    await runner.say("/calendar")
    replies = await runner.say("what's on tomorrow?")
    assert replies and C.not_understood not in replies, replies


async def test_cancel_stops_calendar_reading_the_next_text(runner: Runner) -> None:
    """/cancel after /calendar: the next text is the everyday handlers' again."""
    await onboarded(runner)
    await runner.say("/calendar")
    assert await runner.say("/cancel") == [C.closed]
    assert await runner.say("the moon is green") == [UI.general.unknown]
    assert await runner.say("/cancel") == [UI.onboarding.nothing_to_cancel]


async def test_pain_said_with_a_change_is_answered_first(runner: Runner) -> None:
    """ "my knee hurts, no run on the 23rd": the pain rule answers, and the calendar stays as it was."""
    await onboarded(runner)
    replies = await runner.say("my knee hurts, no run on the 23rd")
    assert replies and not replies[0].startswith(C.changed), replies
    assert (await runner.profile()).overrides == {}
