"""/settings for the run calendar and the strength level: run days, the long-run day, quality days
and the level are onboarding's questions again (same buttons, typed fallback), a calendar that does
not hold together is never stored, and a change re-plans the open days and keeps the due messages
current, across a daylight-saving change and after today's prompt went out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chatdriver import UI, Runner
from test_checkins import BERLIN, onboarded, stored_days
from test_settings import due_prompt, prompted_lift_morning

from bot.clock import FakeClock
from bot.coach.model import Level, RunKind, Weekday
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication

T, B = UI.settings, UI.buttons
USUAL = {  # the onboarded runner's calendar: mon wed fri sun, long run sunday, quality wednesday
    Weekday.MON: RunKind.EASY,
    Weekday.TUE: RunKind.REST,
    Weekday.WED: RunKind.QUALITY,
    Weekday.THU: RunKind.REST,
    Weekday.FRI: RunKind.EASY,
    Weekday.SAT: RunKind.REST,
    Weekday.SUN: RunKind.LONG,
}


async def week_of(runner: Runner) -> dict[Weekday, RunKind]:
    return dict((await runner.profile()).week)


async def test_run_days_by_button_keep_the_long_run_and_quality_days(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    assert "✅ Mon" in runner.labels() and "Tue" in runner.labels(), "the run days now are ticked"
    assert await runner.press("Tue") == []  # a tick: the question is redrawn
    replies = await runner.press(B.done)
    assert len(replies) == 1 and replies[0].startswith("Done: your runs are now Mon easy run, Tue easy run,")
    assert T.replanned in replies[0]
    assert await week_of(runner) == {**USUAL, Weekday.TUE: RunKind.EASY}
    assert await runner.answers() == {}, "the setting is closed once answered"


async def test_run_days_without_the_long_run_day_ask_the_long_run_day_again(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    assert len(await runner.say("mon wed sat")) == 1  # no confirmation: the next question
    assert runner.open_question() == UI.onboarding.ask_long_day.removeprefix("3/11 · ")
    assert runner.labels()[:3] == ["Mon", "Wed", "Sat"], "only the new run days are offered"
    assert await week_of(runner) == USUAL, "nothing changes before the calendar holds together"
    await runner.press_offered("set|long_day|sun")  # a tampered button: Sunday is no run day now
    assert runner.toasts == [UI.reasks.stale_button]
    await runner.say("friday")  # typed: not a run day either
    assert runner.replies[0].startswith(UI.reasks.not_a_run_day)
    assert await week_of(runner) == USUAL
    replies = await runner.press("Sat")
    assert replies[0].startswith("Done: your runs are now Mon easy run, Wed quality session, Sat long run.")
    expected = {day: RunKind.REST for day in Weekday}
    assert await week_of(runner) == {
        **expected,
        Weekday.MON: RunKind.EASY,
        Weekday.WED: RunKind.QUALITY,
        Weekday.SAT: RunKind.LONG,
    }


async def test_the_long_run_moved_onto_the_quality_day_asks_the_quality_days_again(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_long_day)
    assert runner.labels() == ["Mon", "Wed", "Fri", "Sun", B.no_long_run, B.cancel]
    assert await runner.press("Wed") == [UI.onboarding.ask_quality_days.removeprefix("4/11 · ")]
    assert "Wed" not in " ".join(runner.labels()), "the long-run day is no quality choice"
    await runner.say("wed")
    assert runner.replies[0].startswith(UI.reasks.long_not_quality)
    assert await week_of(runner) == USUAL
    replies = await runner.say("fri")
    assert replies[0].startswith(
        "Done: your runs are now Mon easy run, Wed long run, Fri quality session, Sun easy run."
    )


async def test_quality_days_typed_and_garbage_asked_again(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_quality_days)
    assert "✅ Wed" in runner.labels()
    await runner.say("banana")
    assert runner.replies[0].startswith(UI.reasks.bad_days)
    await runner.say("tue")
    assert runner.replies[0].startswith(UI.reasks.not_a_run_day)
    await runner.say("sun")
    assert runner.replies[0].startswith(UI.reasks.long_not_quality)
    assert await week_of(runner) == USUAL
    assert (await runner.say("mon fri"))[0].startswith("Done: your runs are now Mon quality session, Wed easy run,")
    assert await week_of(runner) == {
        **USUAL,
        Weekday.MON: RunKind.QUALITY,
        Weekday.WED: RunKind.EASY,
        Weekday.FRI: RunKind.QUALITY,
    }


async def test_level_by_button_and_typed(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_level)
    assert runner.open_question() == UI.onboarding.ask_level.removeprefix("1/11 · ")
    await runner.press_offered("set|level|expert")  # never offered
    assert runner.toasts == [UI.reasks.stale_button]
    replies = await runner.press(B.level_regular)
    assert replies[0].startswith(T.fmt("changed_level", level=B.level_regular))
    assert (await runner.profile()).strength_level is Level.REGULAR
    await runner.say("/settings")
    await runner.press(T.btn_level)
    await runner.say("purple")
    assert (await runner.profile()).strength_level is Level.REGULAR
    await runner.say("/cancel")
    assert (await runner.profile()).strength_level is Level.REGULAR


async def test_a_calendar_change_after_todays_prompt_keeps_today_and_replans_from_tomorrow(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    lift = await prompted_lift_morning(app, runner, clock)
    monday = monday_of(lift.date)
    before = {d.date: d for d in await stored_days(runner, monday)}
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    replies = await runner.say("every day")
    assert replies[0].startswith("Done: your runs are now Mon easy run, Tue easy run,"), replies
    after = {d.date: d for d in await stored_days(runner, monday)}
    assert after[lift.date] == before[lift.date], "today's prompt went out: today keeps what it had"
    template = await week_of(runner)
    assert RunKind.REST not in template.values()
    for day in after.values():
        if day.date > lift.date:
            assert day.run is template[list(Weekday)[day.date.weekday()]], "later days follow the new calendar"
    tomorrow = lift.date + dt.timedelta(days=1)
    assert await due_prompt(app, runner) == dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=BERLIN)


async def test_a_calendar_change_across_the_spring_clock_change(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2027, 3, 24, 9, 0, tzinfo=dt.UTC))  # a Wednesday; clocks go forward Sunday 28 March
    await onboarded(runner)
    clock.set(dt.datetime(2027, 3, 27, 8, 0, tzinfo=BERLIN))  # Saturday, after the prompt time
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    await runner.press("Sat")
    await runner.press(B.done)
    days = {d.date: d for d in await stored_days(runner, dt.date(2027, 3, 22))}
    assert days[dt.date(2027, 3, 27)].run is RunKind.EASY and days[dt.date(2027, 3, 28)].run is RunKind.LONG
    sunday = (await due_prompt(app, runner)).astimezone(ZoneInfo("Europe/Berlin"))
    assert sunday.date() == dt.date(2027, 3, 28) and sunday.time() == dt.time(7, 0), "07:00 on the runner's clock"
    assert sunday.utcoffset() == dt.timedelta(hours=2), "summer time on the day the clocks change"


async def test_a_calendar_with_no_room_for_strength_says_so(app: CoachApplication, runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    await runner.say("every day")
    await runner.say("/settings")
    await runner.press(T.btn_quality_days)
    replies = await runner.say("mon tue wed thu fri sat")
    assert replies[0].startswith("Done: your runs are now Mon quality session,"), replies
    assert app.bot_data.deps.library.messages.week_notes["none_fit"] in replies[0], replies[0]


async def test_no_long_run_then_run_days_changed(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_long_day)
    replies = await runner.press(B.no_long_run)
    assert replies[0].startswith(
        "Done: your runs are now Mon easy run, Wed quality session, Fri easy run, Sun easy run."
    )
    await runner.say("/settings")
    await runner.press(T.btn_run_days)
    replies = await runner.say("mon tue wed")
    assert replies[0].startswith("Done: your runs are now Mon easy run, Tue easy run, Wed quality session."), replies
    assert RunKind.LONG not in (await week_of(runner)).values()
