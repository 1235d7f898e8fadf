"""/race: the goal race and tune-up races set, changed and cleared by button or typed, bad dates
answered clearly, and every change followed at once by the plan, the due messages and the phase."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, next_lift, onboarded, stored_days
from test_settings import due_prompt, prompted_lift_morning

from bot.clock import FakeClock
from bot.coach.model import Distance, Race, RunKind
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication

T, B = UI.race, UI.buttons
SAT = dt.date(2026, 11, 21)  # the day the runner joins (chatdriver.START), a Saturday


async def set_goal(runner: Runner, distance: str, date: str) -> list[str]:
    await runner.say("/race")
    await runner.press(T.btn_goal_set)
    await runner.press(distance)
    return await runner.say(date)


async def lifting_days(runner: Runner, since: dt.date) -> list[dt.date]:
    """The lifting days stored from ``since`` to the end of next week."""
    days = [
        *await stored_days(runner, monday_of(since)),
        *await stored_days(runner, monday_of(since) + dt.timedelta(7)),
    ]
    return [d.date for d in days if d.date >= since and d.session.kind.is_lifting]


async def test_a_goal_race_set_by_buttons_and_a_typed_date(runner: Runner) -> None:
    """Set a goal race: distance tapped, date typed; the runner is told the weeks to go, the phase and the taper."""
    await onboarded(runner)
    replies = await runner.say("/race")
    assert replies[0].startswith(T.no_goal) and T.phase_no_goal in replies[0]
    assert runner.labels() == [T.btn_goal_set, T.btn_tune_add]
    assert await runner.press(T.btn_goal_set) == [T.ask_goal_distance]
    await runner.press("half marathon")
    assert runner.open_question() == T.fmt("ask_goal_date", distance="half marathon")
    replies = await runner.say("14 March")
    assert replies[0].startswith(f"{T.done}\n🏁 Goal race: half marathon on Sun 14 Mar 2027, 17 weeks to go.")
    assert T.fmt("phase_now", phase="base", date="Thu 4 Mar 2027") in replies[0], "the taper: 10 days before a half"
    assert T.fmt("replanned", date="Sat 21 Nov 2026") in replies[0]
    assert (await runner.profile()).race == Race(distance=Distance.HALF, date=dt.date(2027, 3, 14))
    assert await runner.answers() == {}, "the question is closed once answered"
    await runner.say("/race")
    assert runner.labels() == [T.btn_goal_distance, T.btn_goal_date, T.btn_goal_clear, T.btn_tune_add]


async def test_the_goal_race_distance_and_date_changed_and_cleared(runner: Runner) -> None:
    """Change the goal race's distance (the taper follows), then its date, then clear it."""
    await onboarded(runner)
    await set_goal(runner, "marathon", "2027-04-18")
    await runner.say("/race")
    await runner.press(T.btn_goal_distance)
    replies = await runner.say("10k")
    assert "10k on Sun 18 Apr 2027" in replies[0]
    assert T.fmt("phase_now", phase="base", date="Sun 11 Apr 2027") in replies[0], "7 days of taper for a 10k"
    await runner.say("/race")
    await runner.press(T.btn_goal_date)
    assert runner.open_question() == T.fmt("ask_goal_date", distance="10k")
    await runner.press("Sun 13 Dec")  # picked, not typed
    profile = await runner.profile()
    assert profile.race == Race(distance=Distance.K10, date=dt.date(2026, 12, 13))
    assert T.fmt("phase_now", phase="peak", date="Sun 6 Dec 2026") in runner.replies[0]
    await runner.say("/race")
    replies = await runner.press(T.btn_goal_clear)
    assert T.phase_no_goal in replies[0] and T.no_goal in replies[0]
    assert (await runner.profile()).race is None


async def test_bad_dates_and_text_where_a_button_is_expected_get_clear_answers(runner: Runner) -> None:
    """A date that does not exist, a past one, one too far away, an ambiguous one, a month alone and
    words at the distance question are each answered clearly, and nothing changes until a good one."""
    await onboarded(runner)
    await runner.say("/race")
    await runner.press(T.btn_goal_set)
    replies = await runner.say("far, very far")
    assert replies[0].startswith(T.bad_distance) and runner.labels()[0] == "5k", "asked again, with its buttons"
    await runner.say("a marathon")
    for typed, said in [
        ("30 February", T.fmt("no_such_date", date="30 February")),
        ("2027-04-31", T.fmt("no_such_date", date="31 April 2027")),
        ("1 November 2026", T.date_past),
        ("1 January 2030", T.date_far),
        ("03/04/2027", T.fmt("ambiguous_date", first="4 Mar 2027", second="3 Apr 2027")),
        ("march", T.fmt("race_needs_day", month="March")),
        ("banana", T.bad_date),
    ]:
        replies = await runner.say(typed)
        assert replies[0].startswith(said), (typed, replies)
        assert runner.open_question() == T.fmt("ask_goal_date", distance="marathon")
    assert (await runner.profile()).race is None
    replies = await runner.say("next sunday")
    assert (await runner.profile()).race == Race(distance=Distance.MARATHON, date=dt.date(2026, 11, 22))
    assert T.fmt("phase_taper", date="Sun 22 Nov 2026") in replies[0]


async def test_a_tune_up_added_its_distance_changed_and_removed(runner: Runner) -> None:
    """Add a tune-up (date picked, distance tapped), change its distance to not sure, then remove it."""
    await onboarded(runner)
    await set_goal(runner, "marathon", "18 April 2027")
    await runner.say("/race")
    assert await runner.press(T.btn_tune_add) == [T.ask_tune_date]
    await runner.press("Sat 5 Dec")
    assert runner.open_question() == T.fmt("ask_tune_distance", date="Sat 5 Dec 2026")
    replies = await runner.press("10k")
    assert T.fmt("tune_up_line", date="Sat 5 Dec 2026", distance="10k") in replies[0]
    profile = await runner.profile()
    assert profile.run_on(dt.date(2026, 12, 5)) is RunKind.RACE
    assert profile.tune_up_distances == {dt.date(2026, 12, 5): Distance.K10}
    await runner.say("/race")
    assert runner.labels()[3:5] == [T.fmt("btn_tune_distance", date="Sat 5 Dec"), "Remove Sat 5 Dec"]
    await runner.press(T.fmt("btn_tune_distance", date="Sat 5 Dec"))
    replies = await runner.say("not sure")
    assert T.fmt("tune_up_line", date="Sat 5 Dec 2026", distance=T.tune_up_unknown) in replies[0]
    assert (await runner.profile()).tune_up_distances == {}
    await runner.say("/race")
    replies = await runner.press("Remove Sat 5 Dec")
    assert T.no_tune_ups in replies[0]
    profile = await runner.profile()
    assert profile.run_on(dt.date(2026, 12, 5)) is RunKind.REST, "the day has its usual run again"
    assert dt.date(2026, 12, 5) not in profile.overrides


async def test_a_tune_up_typed_with_its_distance_typed(runner: Runner) -> None:
    """A tune-up's date and distance typed ("next saturday", "half") work as the taps do."""
    await onboarded(runner)
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    await runner.say("12 December")
    replies = await runner.say("a half")
    assert T.fmt("tune_up_line", date="Sat 12 Dec 2026", distance="half marathon") in replies[0]
    assert T.phase_no_goal in replies[0], "a tune-up is no goal race: no taper"
    assert (await runner.profile()).tune_up_distances == {dt.date(2026, 12, 12): Distance.HALF}


async def test_a_tune_up_on_or_after_the_goal_race_is_refused(runner: Runner) -> None:
    """A tune-up comes before the goal race, and the goal race cannot move onto or before a tune-up."""
    await onboarded(runner)
    await set_goal(runner, "half marathon", "14 March 2027")
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    for typed in ("14 March 2027", "2027-03-20"):
        replies = await runner.say(typed)
        assert replies[0].startswith(T.fmt("tune_up_after_goal", date="Sun 14 March 2027")), replies
    await runner.say("2027-02-14")
    await runner.press("5k")
    await runner.say("/race")
    await runner.press(T.btn_goal_date)
    replies = await runner.say("2027-02-07")
    assert replies[0].startswith(T.goal_before_tune_up)
    assert (await runner.profile()).race == Race(distance=Distance.HALF, date=dt.date(2027, 3, 14))
    await runner.say("/cancel")
    assert runner.replies == [T.cancelled]


async def test_tampered_and_stale_buttons_change_nothing(runner: Runner) -> None:
    """A forged button is refused at the gate; a signed one of a question not open, or with a value
    never offered, pops up "expired"; nothing stored changes."""
    await onboarded(runner)
    await set_goal(runner, "half marathon", "14 March 2027")
    await runner.say("/race")
    await runner.press_data("rm|gclear|-")  # not signed: never offered
    assert runner.toasts == [UI.general.button_gone]
    await runner.press_offered("rc|gdate|20270321")  # no question open
    assert runner.toasts == [UI.general.stale_button]
    await runner.press(T.btn_goal_distance)
    await runner.press_offered("rc|gdist|42k")
    assert runner.toasts == [UI.general.stale_button]
    await runner.press_offered("rm|tdel|20261205")  # no such tune-up
    assert runner.toasts == [T.no_tune_up]
    assert (await runner.profile()).race == Race(distance=Distance.HALF, date=dt.date(2027, 3, 14))


async def test_cancel_leaves_the_question_and_later_text_is_everyday_text(runner: Runner) -> None:
    """/cancel (or its button) closes the open question; what is typed after is not read as a date."""
    await onboarded(runner)
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    assert await runner.say("/cancel") == [T.cancelled]
    assert await runner.answers() == {}
    await runner.say("14 March")
    assert (await runner.profile()).overrides == {}
    await runner.say("/race")
    await runner.press(T.btn_goal_set)
    assert await runner.press(B.cancel) == [T.cancelled]
    assert await runner.answers() == {}


async def test_a_race_ten_days_out_is_in_the_taper_with_no_lifting(runner: Runner) -> None:
    """A half marathon 10 days out: the taper now, and no lifting on any day left before it."""
    await onboarded(runner)
    assert await lifting_days(runner, SAT), "lifting days ahead without a race"
    replies = await set_goal(runner, "half marathon", "1 December")
    assert T.fmt("phase_taper", date="Tue 1 Dec 2026") in replies[0]
    assert await lifting_days(runner, SAT) == []


async def test_a_goal_race_moved_into_next_week_changes_the_coming_days_at_once(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """The goal race moved to next week: the coming lifting sessions become mobility at once, and
    the next prompt says so."""
    await onboarded(runner)
    await set_goal(runner, "marathon", "18 April 2027")
    lift = await next_lift(runner, clock)
    assert await lifting_days(runner, SAT), "lifting days ahead while the race is far away"
    await runner.say("/race")
    await runner.press(T.btn_goal_date)
    replies = await runner.press("Sun 29 Nov")
    assert T.fmt("phase_taper", date="Sun 29 Nov 2026") in replies[0]
    assert await lifting_days(runner, SAT) == []
    tomorrow = SAT + dt.timedelta(days=1)
    assert await due_prompt(app, runner) == dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=BERLIN)
    clock.set(dt.datetime.combine(lift.date, dt.time(7, 0), tzinfo=BERLIN))
    prompt = await deliver(app, runner, "prompt", lift.date)
    assert lift.session.title not in prompt


async def test_a_tune_up_across_the_spring_clock_change(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A tune-up the Sunday the clocks go forward (29 March 2026, Berlin): the days around it lose
    their lifting, and the next prompt is at 07:00 summer time."""
    clock.set(dt.datetime(2026, 3, 25, 9, 0, tzinfo=dt.UTC))  # a Wednesday
    await onboarded(runner)
    clock.set(dt.datetime(2026, 3, 27, 8, 0, tzinfo=BERLIN))  # Friday, after the prompt time
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    await runner.say("sunday")
    replies = await runner.press("10k")
    assert T.fmt("tune_up_line", date="Sun 29 Mar 2026", distance="10k") in replies[0]
    days = {d.date: d for d in await stored_days(runner, dt.date(2026, 3, 23))}
    assert days[dt.date(2026, 3, 29)].run is RunKind.RACE
    assert not any(days[dt.date(2026, 3, n)].session.kind.is_lifting for n in (27, 28)), "P9: 2 days before"
    saturday = (await due_prompt(app, runner)).astimezone(ZoneInfo("Europe/Berlin"))
    assert saturday.date() == dt.date(2026, 3, 28) and saturday.time() == dt.time(7, 0)
    assert saturday.utcoffset() == dt.timedelta(hours=1), "winter time the day before the change"
    clock.set(dt.datetime(2026, 3, 28, 8, 0, tzinfo=BERLIN))  # Saturday, after its prompt time
    await runner.say("/race")
    await runner.press(T.fmt("btn_tune_distance", date="Sun 29 Mar"))
    await runner.press("half marathon")
    assert (await runner.profile()).tune_up_distances == {dt.date(2026, 3, 29): Distance.HALF}
    sunday = (await due_prompt(app, runner)).astimezone(ZoneInfo("Europe/Berlin"))
    assert sunday.date() == dt.date(2026, 3, 29) and sunday.time() == dt.time(7, 0), "07:00 on the runner's clock"
    assert sunday.utcoffset() == dt.timedelta(hours=2), "summer time on the day the clocks change"


async def test_a_race_tomorrow_added_after_todays_prompt_calls_off_todays_lift(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Today's lifting prompt went out; a tune-up tomorrow bars lifting today (P9), so today becomes
    mobility and the runner is told; a tune-up weeks away leaves today's session as sent."""
    lift = await prompted_lift_morning(app, runner, clock)
    before = {d.date: d for d in await stored_days(runner, monday_of(lift.date))}
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    far = lift.date + dt.timedelta(days=21)
    await runner.say(far.isoformat())
    replies = await runner.press("5k")
    assert T.today_changed not in replies[0]
    tomorrow = lift.date + dt.timedelta(days=1)
    assert T.fmt("replanned", date=f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b %Y}") in replies[0], "from tomorrow"
    after = {d.date: d for d in await stored_days(runner, monday_of(lift.date))}
    assert after[lift.date] == before[lift.date], "a change that leaves today alone keeps today as sent"
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    await runner.say((lift.date + dt.timedelta(days=1)).isoformat())
    replies = await runner.press("10k")
    assert T.today_changed in replies[0]
    after = {d.date: d for d in await stored_days(runner, monday_of(lift.date))}
    assert not after[lift.date].session.kind.is_lifting, "no lifting the day before a race (P2, P9)"
    assert await due_prompt(app, runner) == dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=BERLIN), (
        "today's prompt is not sent again; the next one is tomorrow's"
    )


async def test_pain_typed_at_a_race_question_takes_the_pain_route(runner: Runner) -> None:
    """ "My knee hurts" while a date is asked is no date: the question closes and the pain rule answers."""
    await onboarded(runner)
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    replies = await runner.say("my knee hurts")
    assert not any(T.bad_date in reply for reply in replies), replies
    assert await runner.answers() == {}


async def test_a_question_a_day_old_has_closed(runner: Runner, clock: FakeClock) -> None:
    """A day after the question was asked, a date typed is everyday text again, and a tap on its
    buttons has expired."""
    await onboarded(runner)
    await runner.say("/race")
    await runner.press(T.btn_goal_set)
    clock.advance(dt.timedelta(days=1, minutes=1))
    await runner.press("marathon")
    assert runner.toasts == [UI.general.stale_button]
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    clock.advance(dt.timedelta(days=1, minutes=1))
    await runner.say("14 March")
    assert (await runner.profile()).overrides == {} and await runner.answers() == {}


async def test_date_buttons_offer_only_dates_that_fit(runner: Runner) -> None:
    """With the goal race on Sunday 13 December, a tune-up's date buttons stop the day before it, and
    the goal race's buttons start after the last tune-up."""
    await onboarded(runner)
    await set_goal(runner, "10k", "13 December")
    await runner.say("/race")
    await runner.press(T.btn_tune_add)
    assert runner.labels() == [
        "Sun 22 Nov",
        "Sat 28 Nov",
        "Sun 29 Nov",
        "Sat 5 Dec",
        "Sun 6 Dec",
        "Sat 12 Dec",
        B.cancel,
    ]
    await runner.press("Sat 5 Dec")
    await runner.press(T.btn_not_sure)
    await runner.say("/race")
    await runner.press(T.btn_goal_date)
    assert runner.labels() == ["Sun 6 Dec", "Sat 12 Dec", "Sun 13 Dec", "Sat 19 Dec", B.cancel]
