"""Onboarding as a person answers it: going back, typing after tapping, dates, times and places in
everyday words, a reminder at dawn or at night, and questions that read cleanly once answered."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path

import pytest
from chatdriver import UI, Runner

from bot.clock import FakeClock
from bot.coach.library import Library
from bot.services import gazetteer, timezones

# a complete typed onboarding (Saturday 21 November 2026 in Berlin), one answer per question
ANSWERS = ("some", "mon wed fri sun", "sun", "wed", "no race", "gym", "30", "none", "Europe/Berlin", "07:00", "no")
TO_RACE = ("/start", *ANSWERS[:4])
TO_NIGGLES = ("/start", *ANSWERS[:7])
TO_TIMEZONE = ("/start", *ANSWERS[:8])
TO_REMINDER = ("/start", *ANSWERS[:9])
BACK_LABELS = (UI.buttons.back, UI.buttons.change_timezone)


def number(question: str) -> str:
    """ "3/10" of "3/11 · Which of those is your long run?"."""
    return question.split(" · ")[0]


def back_button(runner: Runner) -> str:
    """The label of the way back under the open question (an inline button, or a reply keyboard's)."""
    message = runner.api.last_message(runner.user_id)
    assert message is not None
    labels = [button.text for row in message.keyboard for button in row if button.text in BACK_LABELS]
    assert len(labels) == 1, f"no way back under {message.plain_text!r}"
    return labels[0]


async def go_back(runner: Runner) -> None:
    label = back_button(runner)
    message = runner.api.last_message(runner.user_id)
    assert message is not None
    if any(button.kind == "reply" for button in message.buttons):
        await runner.say(label)  # a reply keyboard's button sends its label as text
    else:
        await runner.press(label)


async def test_every_question_after_the_first_has_a_way_back(runner: Runner) -> None:
    """Each question after the first has a Back button that reopens the question before it, answers kept."""
    await runner.steps("/start")
    assert not any(label in BACK_LABELS for label in runner.labels()), "the first question has nothing before it"
    for step in range(1, len(ANSWERS)):
        await runner.say(ANSWERS[step - 1])
        here = runner.open_question()
        before = number(here)
        await go_back(runner)
        assert number(runner.open_question()) == f"{int(before.split('/')[0]) - 1}/11", here
        await runner.say(ANSWERS[step - 1])  # answer it again: the same question comes back
        assert number(runner.open_question()) == before
    await runner.say(ANSWERS[-1])
    assert runner.replies[0].startswith("All set, Ada!")
    account = await runner.account()
    assert account is not None and account.timezone == "Europe/Berlin"
    assert account.reminder_time == dt.time(7, 0)


async def test_going_back_to_a_multi_choice_question_shows_the_earlier_picks(runner: Runner) -> None:
    """Back from the long-run question reopens the run days with the days given before already ticked."""
    await runner.steps("/start", "#now and then", "#mon", "#thu", "#done")
    await runner.press(UI.buttons.back)
    assert runner.open_question() == "2/11 · Run days so far: Mon, Thu. Tap to add or remove, then Done."
    await runner.steps("#sat", "#done")
    assert (await runner.answers())["run_days"] == ["mon", "thu", "sat"]


async def test_a_marathon_next_year_is_asked_its_day_not_given_one(runner: Runner) -> None:
    """ "next year" for the race date is not turned into today's date next year: the day is asked."""
    await runner.steps(*TO_RACE, "#marathon", "next year")
    assert runner.replies[0].startswith(UI.reasks.bad_date)
    assert "race" not in await runner.answers()


async def test_race_date_question_offers_no_race_and_a_way_back(runner: Runner) -> None:
    """After tapping a distance, the date question (and its re-ask) says how to choose No race, and both work."""
    await runner.steps(*TO_RACE, "#half marathon", "soon")
    assert "Tap No race" in runner.open_question()
    assert UI.buttons.no_race in runner.labels()
    await runner.press(UI.buttons.back)
    assert runner.open_question() == UI.onboarding.ask_race
    await runner.steps("#10k", "#no race")
    answers = await runner.answers()
    assert answers["race"] is None and "draft:race_distance" not in answers
    assert runner.open_question() == UI.onboarding.ask_equipment


async def test_a_typed_answer_after_taps_says_what_it_kept(runner: Runner) -> None:
    """Tapping Mon and Sun, then typing Sun, keeps Sun only, and the runner is told so."""
    await runner.steps("/start", "#now and then", "#mon", "#sun")
    await runner.say("Sun")
    assert runner.replies[0].startswith(UI.onboarding.fmt("typed_kept", kept="Sun", tapped="Mon, Sun"))
    assert (await runner.answers())["run_days"] == ["sun"]


async def test_the_timezone_can_be_corrected_after_it_was_confirmed(runner: Runner) -> None:
    """Under the reminder question, a button reopens the timezone question; a new place replaces the old."""
    await runner.steps(*TO_REMINDER)
    assert runner.replies[0].startswith("Got it: Europe/Berlin")
    await runner.press(UI.buttons.change_timezone)
    assert runner.open_question() == UI.onboarding.ask_timezone
    await runner.say("NYC")
    assert runner.replies[0].startswith("Got it: America/New_York")
    assert (await runner.answers())["timezone"] == "America/New_York"


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("next sunday", "2026-11-22"),
        ("3/14/2027", "2027-03-14"),
        ("Tue 1 Dec", "2026-12-01"),
        ("14th of March", "2027-03-14"),
        ("2028-11-21", "2028-11-21"),  # exactly two years away
    ],
)
async def test_race_dates_as_people_write_them(runner: Runner, typed: str, date: str) -> None:
    """A race date typed in everyday words is read by the bot's date reader and stored."""
    await runner.steps(*TO_RACE, "#half marathon", typed)
    assert (await runner.answers())["race"] == {"distance": "half", "date": date}


async def test_a_race_in_one_line_with_a_relative_date(runner: Runner) -> None:
    """ "5k tomorrow" answers the race question in one go."""
    await runner.steps(*TO_RACE, "5k tomorrow")
    assert (await runner.answers())["race"] == {"distance": "5k", "date": "2026-11-22"}


async def test_a_date_that_reads_two_ways_is_asked_back(runner: Runner) -> None:
    """03/04/2027 is asked back with both readings and nothing is stored; the date in words is then taken."""
    await runner.steps(*TO_RACE, "#marathon")
    before = await runner.answers()
    await runner.say("03/04/2027")
    assert runner.replies[0].startswith(UI.reasks.fmt("ambiguous_date", first="4 Mar 2027", second="3 Apr 2027"))
    assert await runner.answers() == before
    await runner.say("3 April 2027")
    assert (await runner.answers())["race"] == {"distance": "marathon", "date": "2027-04-03"}


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("NYC", "America/New_York"),
        ("LA", "America/Los_Angeles"),
        ("London UK", "Europe/London"),
        ("India", "Asia/Kolkata"),
        ("PST", "America/Los_Angeles"),
    ],
)
async def test_places_as_people_type_them(runner: Runner, typed: str, zone: str) -> None:
    """Nicknames, a city with its country, a one-zone country and a zone abbreviation find the timezone."""
    await runner.steps(*TO_TIMEZONE, typed)
    assert runner.replies[0].startswith(f"Got it: {zone}")
    assert (await runner.answers())["timezone"] == zone


async def test_a_place_that_matches_nothing_says_so(runner: Runner) -> None:
    """ "Atlantis" is not read as a far-away town: the runner hears nothing was found, and nothing is stored."""
    await runner.steps(*TO_TIMEZONE, "Atlantis")
    assert runner.replies[0].startswith(UI.reasks.fmt("no_place", place="Atlantis"))
    assert "timezone" not in await runner.answers()


async def test_the_it_band_is_asked_knee_or_hip(runner: Runner) -> None:
    """ "IT band" as a niggle asks knee or hip; the answer is then stored."""
    await runner.steps(*TO_NIGGLES, "IT band")
    assert runner.replies[0].startswith(UI.reasks.it_band)
    assert "niggles" not in await runner.answers()
    await runner.say("hip")
    assert (await runner.answers())["niggles"] == ["hip"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("noon", dt.time(12, 0)), ("0700", dt.time(7, 0)), ("05:30", dt.time(5, 30)), ("4am", dt.time(4, 0))],
)
async def test_reminder_times_as_people_type_them(runner: Runner, typed: str, stored: dt.time) -> None:
    """Noon, 0700 and a dawn time like 05:30 are taken at once and finish onboarding."""
    await runner.steps(*TO_REMINDER, typed)
    assert runner.open_question() == UI.onboarding.ask_health
    await runner.say("no")
    assert runner.replies[0].startswith("All set, Ada!")
    account = await runner.account()
    assert account is not None and account.reminder_time == stored


async def test_a_night_time_reminder_is_asked_once_and_kept(runner: Runner) -> None:
    """23:30 asks "are you sure?"; Yes keeps it."""
    await runner.steps(*TO_REMINDER, "23:30")
    assert runner.open_question() == UI.onboarding.fmt("ask_reminder_sure", time="23:30")
    assert "reminder" not in await runner.answers()
    await runner.press(UI.buttons.fmt("night_sure", time="23:30"))
    await runner.press(UI.buttons.health_no)
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(23, 30)


async def test_a_night_time_reminder_can_be_changed(runner: Runner) -> None:
    """02:00, then Pick another time, reopens the reminder question; 05:30 then finishes onboarding."""
    await runner.steps(*TO_REMINDER, "2am", f"#{UI.buttons.night_other}")
    assert runner.open_question() == UI.onboarding.ask_reminder
    await runner.steps("05:30", "no")
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(5, 30)


async def test_an_answered_question_no_longer_shows_the_earlier_error(runner: Runner) -> None:
    """After a re-ask, the answered question reads as the question and its answer, without the error or buttons."""
    await runner.steps(*TO_RACE, "#half marathon", "soon")
    reasked = runner.api.last_message(runner.user_id)
    assert reasked is not None and reasked.plain_text.startswith(UI.reasks.bad_date)
    await runner.say("14 March 2027")
    question = UI.onboarding.fmt("ask_race_date", distance="half marathon")
    settled = runner.api.message(runner.user_id, reasked.message_id)
    assert settled.plain_text == f"{question}\n→ 14 March 2027"
    assert settled.keyboard == []

    await runner.say("a spaceship")  # equipment: a re-ask, then a tap
    reasked = runner.api.last_message(runner.user_id)
    assert reasked is not None
    await runner.press("a gym")
    await runner.press("done")
    settled = runner.api.message(runner.user_id, reasked.message_id)
    assert settled.plain_text == UI.onboarding.fmt("equipment_picked", equipment="A gym")
    assert settled.keyboard == []


async def test_a_stale_button_from_someone_not_onboarded_points_to_start(runner: Runner) -> None:
    """After /cancel, an old onboarding button says to send /start (not /today, which needs a profile)."""
    await runner.steps("/start", "#now and then")
    old = runner.keyboard_message()
    await runner.say("/cancel")
    assert await runner.press_offered("ob|run_days|tue", old.message_id) == []
    assert runner.toasts == [UI.general.stale_button_new]


async def test_the_first_city_lookup_does_not_hold_up_other_runners(
    runner: Runner, other: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the city index not read yet, a typed city is looked up off the event loop: another runner is
    answered while the index is still being read (held here until that answer is in)."""
    await runner.steps(*TO_TIMEZONE)
    timezones.places.cache_clear()
    reading, release = threading.Event(), threading.Event()
    load = gazetteer.PlaceIndex.load

    def held(_cls: type[gazetteer.PlaceIndex], path: Path) -> gazetteer.PlaceIndex:
        reading.set()
        # a lookup on the event loop waits this out with the whole bot stopped: the asserts below then fail
        release.wait(timeout=10)
        return load(path)

    monkeypatch.setattr(gazetteer.PlaceIndex, "load", classmethod(held))
    lookup = asyncio.create_task(runner.say("Berlin"))
    assert await asyncio.to_thread(reading.wait, 10), "the city index was never read"
    await other.say("/start")  # another runner, while the index is being read
    assert other.replies and other.replies[0].startswith("Hi Bo!")
    assert not lookup.done(), "the other runner was answered only after the lookup"
    release.set()
    await lookup
    assert runner.replies[0].startswith("Got it: Europe/Berlin")


# --- around a race, and joining late in the week -------------------------------------------------


def plan_line(plan: str, day: int) -> str:
    """The line of the first plan for a day of the month: "Sun 22 · ..."."""
    lines = [line for line in plan.splitlines() if line.split(" · ")[0].endswith(f" {day}")]
    assert len(lines) == 1, plan
    return lines[0]


async def test_race_day_and_the_day_after_read_right(runner: Runner, library: Library) -> None:
    """Race day reads as race day, and the day after keeps the template's long run (P10: the plan never changes a
    run) with mobility only."""
    summary, plan, _ = await runner.steps(
        "/start", "some", "mon wed fri sun", "mon", "wed", "5k tomorrow", "gym", "30", "none", "Berlin", "07:00", "no"
    )
    assert summary.startswith("All set, Ada!")
    assert plan_line(plan, 22) == UI.render.fmt("race_day_line", weekday="Sun", day=22)
    after = plan_line(plan, 23)
    assert after.startswith(f"Mon 23 · {library.messages.run_names['long']} → 🧘 ")
    await runner.say("/tomorrow")
    assert runner.replies[0].startswith("Sunday 22 Nov · race")
    await runner.send(runner.api.text(runner.user_id, "/week", runner.name))
    assert "Week of 23 Nov" in runner.text


async def test_a_runner_who_joins_on_saturday_is_not_sent_to_days_gone_by(runner: Runner, library: Library) -> None:
    """Joining on a Saturday, no day says this week's lifting is already on other (earlier) days."""
    _, plan, _ = await runner.steps(
        "/start", "some", "mon wed fri", "#no long run", "none", "no race", "gym", "30", "none", "Berlin", "07:00", "no"
    )
    week_full = library.messages.reasons["mobility_week_full"]
    await runner.say("/today")
    assert week_full not in runner.text
    await runner.say("/tomorrow")
    assert week_full not in runner.text
    assert "Week of 16 Nov" in plan and "Week of 23 Nov" in plan


async def test_dates_print_as_people_write_them(runner: Runner, clock: FakeClock) -> None:
    """Days of the month print without a leading zero: "Friday 4 Dec", "Week of 7 Dec"."""
    await runner.steps("/start", *ANSWERS)
    clock.set(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC))  # a Friday: this week and the next
    await runner.say("/today")
    assert runner.replies[0].startswith("Friday 4 Dec · ")
    await runner.say("/week")
    assert "Week of 30 Nov" in runner.text and "Week of 7 Dec" in runner.text
    assert "07 Dec" not in runner.text
