"""Places and time zones are never silently wrong (issue 19, point 4): a name several zones share
is asked with buttons that show each place's time now, a country with several zones offers them, and
every confirmation, in onboarding and /settings, shows the local time. Through the real Application
on the offline Bot API."""

from __future__ import annotations

import zoneinfo

import pytest
from chatdriver import UI, Runner
from test_checkins import onboarded
from test_onboarding import TO_QUESTION

from bot.clock import FakeClock

T = UI.settings


def at(clock: FakeClock, name: str) -> str:
    return clock.now().astimezone(zoneinfo.ZoneInfo(name)).strftime("%H:%M")


def button(clock: FakeClock, place: str, name: str) -> str:
    return UI.buttons.fmt("place_now", place=place, time=at(clock, name))


def found(clock: FakeClock, name: str) -> str:
    return UI.onboarding.fmt("timezone_found", timezone=name, local_time=at(clock, name))


async def at_timezone_question(runner: Runner) -> None:
    await runner.steps(*TO_QUESTION["timezone"])


async def test_valencia_is_asked_with_each_place_and_its_time(runner: Runner, clock: FakeClock) -> None:
    """ "Valencia" is not guessed: Valencia, Venezuela and Valencia, Spain are offered with their times
    now, and the tapped one is stored and confirmed with its local time."""
    await at_timezone_question(runner)
    replies = await runner.say("Valencia")
    assert replies[-1] == UI.onboarding.fmt("pick_place", place="Valencia")
    offered = [
        button(clock, "Valencia, Venezuela", "America/Caracas"),
        button(clock, "Valencia, Spain", "Europe/Madrid"),
    ]
    assert runner.labels()[:2] == offered
    assert "timezone" not in await runner.answers()
    assert await runner.press(offered[1]) == [found(clock, "Europe/Madrid"), UI.onboarding.ask_reminder]
    answers = await runner.answers()
    assert answers["timezone"] == "Europe/Madrid" and "draft:places" not in answers


async def test_venice_is_asked_and_the_italian_one_can_be_picked(runner: Runner, clock: FakeClock) -> None:
    """ "Venice" offers Venice, Italy beside the two American ones; tapping it stores Europe/Rome."""
    await at_timezone_question(runner)
    await runner.say("Venice")
    assert button(clock, "Venice, Italy", "Europe/Rome") in runner.labels()
    assert button(clock, "Venice, FL, United States", "America/New_York") in runner.labels()
    await runner.press("Venice, Italy")
    assert (await runner.answers())["timezone"] == "Europe/Rome"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Porto", "Europe/Lisbon"),
        ("Porto Portugal", "Europe/Lisbon"),
        ("Valencia, Spain", "Europe/Madrid"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
    ],
)
async def test_an_unambiguous_place_is_taken_as_its_canonical_zone(
    runner: Runner, clock: FakeClock, typed: str, name: str
) -> None:
    """Porto is Lisbon's zone (not Paris's), a city with its country needs no question, and a legacy
    zone name is stored as its canonical IANA name; each confirmed with the local time."""
    await at_timezone_question(runner)
    assert await runner.say(typed) == [found(clock, name), UI.onboarding.ask_reminder]
    assert (await runner.answers())["timezone"] == name


async def test_a_country_with_several_zones_offers_them(runner: Runner, clock: FakeClock) -> None:
    """ "Portugal" is not the legacy zone "Portugal": the mainland and the Azores are offered, each
    with its main city and time now."""
    await at_timezone_question(runner)
    replies = await runner.say("Portugal")
    assert replies[-1] == UI.onboarding.fmt("pick_zone", country="Portugal")
    assert runner.labels()[:2] == [
        button(clock, "Lisbon, Portugal", "Europe/Lisbon"),
        button(clock, "Ponta Delgada, Portugal", "Atlantic/Azores"),
    ]
    assert await runner.press("Ponta Delgada") == [found(clock, "Atlantic/Azores"), UI.onboarding.ask_reminder]


async def test_a_place_typed_instead_of_tapping_answers_too(runner: Runner, clock: FakeClock) -> None:
    """With places offered, typing another place (here with its country) answers the question."""
    await at_timezone_question(runner)
    await runner.say("Valencia")
    assert await runner.say("Valencia Venezuela") == [found(clock, "America/Caracas"), UI.onboarding.ask_reminder]
    assert "draft:places" not in await runner.answers()


@pytest.mark.parametrize("typed", ["no", "No.", "nope"])
async def test_no_at_the_timezone_question_is_never_norway(runner: Runner, typed: str) -> None:
    """A plain "no" typed as an answer is re-asked, never stored as Europe/Oslo."""
    await at_timezone_question(runner)
    replies = await runner.say(typed)
    assert "Europe/Oslo" not in "\n".join(replies)
    assert "timezone" not in await runner.answers()


async def test_settings_asks_an_ambiguous_place_and_confirms_with_local_time(runner: Runner, clock: FakeClock) -> None:
    """In /settings too, "Valencia" is asked with buttons, and the change is confirmed with the local time."""
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(T.btn_timezone)
    assert (await runner.say("Valencia"))[-1].endswith(UI.onboarding.fmt("pick_place", place="Valencia"))
    replies = await runner.press("Valencia, Spain")
    here = at(clock, "Europe/Madrid")
    assert replies == [T.fmt("changed_delivery", reminder="07:00", timezone="Europe/Madrid", local_time=here)]
    assert (await runner.account()) is not None
    account = await runner.account()
    assert account is not None and account.timezone == "Europe/Madrid"


async def test_back_from_offered_places_leaves_none_behind(runner: Runner) -> None:
    """Back from the offered places returns to the niggles question; the timezone question comes
    afresh after it, with the location key, not the old places."""
    await runner.steps(*TO_QUESTION["timezone"])
    await runner.say("Valencia")
    await runner.press(UI.buttons.back)
    assert "draft:places" not in await runner.answers()
    await runner.press(UI.buttons.no_niggles)
    assert runner.keyboard_message().buttons[0].request_location


async def test_a_button_from_an_earlier_offer_is_refused(runner: Runner) -> None:
    """After "Valencia" and then "Venice", the Spanish Valencia's button stores nothing."""
    await runner.steps(*TO_QUESTION["timezone"])
    await runner.say("Valencia")
    spain = runner.keyboard_message()
    data = next(b.callback_data for b in spain.inline_buttons if b.text.startswith("Valencia, Spain"))
    assert data is not None
    await runner.say("Venice")
    await runner.press_data(data, spain.message_id)
    assert "timezone" not in await runner.answers()
