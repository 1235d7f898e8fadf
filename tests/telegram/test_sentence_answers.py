"""Onboarding and /settings take sentences (issue 16): natural answers are accepted, an unsure
reading is confirmed with a tap, a message that is not an answer is handled as what it is and the
question asked again, and every open question can be cancelled and closes after a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from chatdriver import UI, Runner
from test_checkins import onboarded
from test_onboarding_answers import ANSWERS

from bot.clock import FakeClock
from bot.services.timezones import zone

AT = {"level": 0, "run_days": 1, "long_day": 2, "quality_days": 3, "race": 4, "equipment": 5, "minutes": 6,
      "niggles": 7, "reminder": 9}  # fmt: skip


def to(question: str) -> tuple[str, ...]:
    return ("/start", *ANSWERS[: AT[question]])


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        ("level", "never lifted", "new"),
        ("level", "I lift twice a week", "regular"),
        ("run_days", "I run mon, wed and sat", ["mon", "wed", "sat"]),
        ("run_days", "mondays wednesdays and saturdays", ["mon", "wed", "sat"]),
        ("run_days", "every day except friday", ["mon", "tue", "wed", "thu", "sat", "sun"]),
        ("run_days", "weekends", ["sat", "sun"]),
        ("run_days", "tues thurs", ["tue", "thu"]),
        ("run_days", "weekdays", ["mon", "tue", "wed", "thu", "fri"]),
        ("long_day", "long run on sundays", "sun"),
        ("race", "marathon on 18 april", {"distance": "marathon", "date": "2027-04-18"}),
        ("race", "10k on the 14th", {"distance": "10k", "date": "2026-12-14"}),
        ("equipment", "I have a barbell at the gym", ["gym"]),
        ("equipment", "just dumbbells at home", ["dumbbells"]),
        ("equipment", "nothing, bodyweight only", []),
        ("equipment", "full gym", ["gym"]),
        ("minutes", "45 minutes", 45),
        ("minutes", "forty five minutes", 45),
        ("minutes", "an hour", 60),
        ("minutes", "half an hour", 30),
        ("minutes", "1h", 60),
        ("minutes", "90 mins", 90),
        ("niggles", "my left achilles is a bit sore", ["ankle"]),
        ("niggles", "none", []),
        ("reminder", "remind me at 6:30am", "06:30"),
        ("reminder", "half past seven", "07:30"),
        ("reminder", "quarter to 7", "06:45"),
        ("reminder", "7ish", "07:00"),
        ("reminder", "18:00", "18:00"),
        ("reminder", "noon", "12:00"),
        ("reminder", "7 in the morning", "07:00"),
        ("reminder", "7pm", "19:00"),
    ],
)
async def test_natural_answers_are_accepted(runner: Runner, question: str, typed: str, stored: Any) -> None:
    """Each answer as a new runner typed it is taken at its question, with no re-ask."""
    await runner.steps(*to(question))
    await runner.say(typed)
    assert (await runner.answers())[question] == stored
    assert not any(r.startswith(UI.reasks.fmt("did_you_mean", answer="")[:8]) for r in runner.replies)


async def test_a_race_month_without_a_day_asks_which_day(runner: Runner) -> None:
    """ "a half in march" keeps the half and asks the day in March; "14" then sets 14 March 2027."""
    await runner.steps(*to("race"), "a half in march")
    assert runner.open_question() == UI.onboarding.fmt("ask_race_day", month="March", distance="half marathon")
    assert "race" not in await runner.answers()
    await runner.say("14")
    assert (await runner.answers())["race"] == {"distance": "half", "date": "2027-03-14"}
    assert "draft:race_month" not in await runner.answers()


async def test_pain_at_an_open_question_is_noted_and_the_question_asked_again(runner: Runner) -> None:
    """ "my knee hurts" at the minutes question is a pain report, not a bad answer: noted as a niggle
    (ticked at the niggles question), and the minutes question is asked again."""
    await runner.steps(*to("minutes"))
    replies = await runner.say("my knee hurts")
    assert replies[0] == UI.onboarding.fmt("pain_noted", area="knee")
    assert runner.open_question() == UI.onboarding.ask_minutes
    assert "minutes" not in await runner.answers()
    await runner.say("30")
    assert runner.open_question() == UI.onboarding.fmt("niggles_picked", areas="knee")


async def test_pain_at_the_reminder_question_is_never_a_bad_time(runner: Runner) -> None:
    """After the niggles, "my knee hurts" adds the knee, whose red-flag check comes next."""
    await runner.steps(*to("reminder"))
    replies = await runner.say("my knee hurts")
    assert UI.reasks.bad_time not in runner.text
    assert replies[0] == UI.onboarding.fmt("pain_added", area="knee")
    assert runner.open_question() == UI.onboarding.fmt("ask_niggle_flag", area="knee")
    assert (await runner.answers())["niggles"] == ["knee"]


async def test_a_red_flag_at_an_open_question_gets_the_doctor_first(runner: Runner) -> None:
    """ "I had chest pain on my run" at the reminder question: the urgent doctor reply, then the question."""
    await runner.steps(*to("reminder"))
    replies = await runner.say("I had chest pain on my run")
    assert replies[0] == UI.loop.ill_urgent
    assert UI.reasks.bad_time not in runner.text
    assert runner.open_question() == UI.onboarding.ask_reminder


async def test_a_question_back_gets_why(runner: Runner) -> None:
    """ "why do you need this?" gets the question's one-line why, and the question again."""
    await runner.steps(*to("minutes"))
    assert (await runner.say("why do you need this?"))[0] == UI.why["minutes"]
    assert runner.open_question() == UI.onboarding.ask_minutes


async def test_an_unsure_reading_is_confirmed_with_a_tap(runner: Runner) -> None:
    """ "5:30" asks "Did you mean 17:30?": nothing is kept until Yes is tapped; No asks again."""
    await runner.steps(*to("reminder"), "5:30")
    assert runner.open_question() == UI.reasks.fmt("did_you_mean", answer="17:30")
    assert "reminder" not in await runner.answers()
    await runner.press(UI.buttons.confirm_no)
    assert runner.open_question() == UI.onboarding.ask_reminder
    await runner.say("5:30")
    await runner.press(UI.buttons.confirm_yes)
    assert (await runner.answers())["reminder"] == "17:30"
    assert runner.open_question() == UI.onboarding.ask_health


async def test_the_cancel_button_stops_onboarding_and_start_resumes(runner: Runner) -> None:
    await runner.steps(*to("minutes"))
    assert UI.buttons.cancel in runner.labels()
    await runner.press(UI.buttons.cancel)
    assert runner.replies[-1] == UI.onboarding.cancelled
    assert (await runner.answers())["equipment"] == ["gym"]
    await runner.say("/start")
    assert runner.open_question() == UI.onboarding.ask_minutes


async def test_an_onboarding_question_a_day_old_is_asked_afresh(runner: Runner, clock: FakeClock) -> None:
    """A day after it was asked, a typed answer is not taken blind: the question comes again."""
    await runner.steps(*to("minutes"))
    clock.advance(dt.timedelta(days=1, minutes=1))
    await runner.say("45")
    assert runner.replies[0].startswith(UI.onboarding.expired)
    assert "minutes" not in await runner.answers()
    await runner.say("45")
    assert (await runner.answers())["minutes"] == 45


# --- /settings -----------------------------------------------------------------------------------

T = UI.settings


def delivery(runner: Runner, reminder: str) -> str:
    """The /settings confirmation of a reminder time in Berlin, with Berlin's time now."""
    here = runner.app.bot_data.deps.clock.now().astimezone(zone("Europe/Berlin")).strftime("%H:%M")
    return T.fmt("changed_delivery", reminder=reminder, timezone="Europe/Berlin", local_time=here)


async def open_reminder(runner: Runner) -> None:
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_reminder)


async def test_settings_take_a_sentence(runner: Runner) -> None:
    await open_reminder(runner)
    assert await runner.say("remind me at half past six in the evening pls") == [delivery(runner, "18:30")]


async def test_settings_confirm_an_unsure_reading(runner: Runner) -> None:
    """ "5:30" in /settings asks "Did you mean 17:30?"; Yes changes the reminder."""
    await open_reminder(runner)
    await runner.say("5:30")
    assert runner.open_question() == UI.reasks.fmt("did_you_mean", answer="17:30")
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(7, 0)
    await runner.press(UI.buttons.confirm_yes)
    assert runner.replies == [delivery(runner, "17:30")]


async def test_settings_cancel_button_and_slash_cancel(runner: Runner) -> None:
    await open_reminder(runner)
    await runner.press(UI.buttons.cancel)
    assert runner.replies == [T.cancelled]
    assert await runner.answers() == {}
    await runner.say("/settings")
    await runner.press(T.btn_minutes)
    assert await runner.say("/cancel") == [T.cancelled]
    assert await runner.answers() == {}


async def test_a_settings_question_closes_after_a_day(runner: Runner, clock: FakeClock) -> None:
    await open_reminder(runner)
    clock.advance(dt.timedelta(days=1, hours=1))
    assert await runner.say("18:30") == [T.closed]
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(7, 0)
    assert await runner.answers() == {}


async def test_pain_and_red_flags_in_settings_take_the_everyday_route(runner: Runner) -> None:
    """ "my knee hurts" gets the pain rule, "I had chest pain on my run" the doctor; each time the
    setting's question comes again, and it still takes its answer."""
    await open_reminder(runner)
    await runner.say("my knee hurts")
    assert runner.replies[0] == UI.loop.fmt("pain_rule", area="knee")
    assert UI.reasks.bad_time not in runner.text
    await runner.say("I had chest pain on my run")
    assert runner.replies[0].startswith(UI.loop.ill_urgent)
    assert runner.open_question() == UI.onboarding.ask_reminder.removeprefix("10/11 · ")
    assert await runner.say("7pm") == [delivery(runner, "19:00")]
