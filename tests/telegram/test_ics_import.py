"""Importing a training calendar sent as an .ics document: the next two weeks are shown as
understood with Confirm / Cancel, Confirm stores them as one-off dates and re-plans the open days,
Cancel stores nothing, a race found is offered as goal race or tune-up, and a file that cannot be
used gets one clear sentence."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from icsfiles import calendar
from test_checkins import onboarded

from bot.coach.model import Distance, Race, RunKind
from bot.services.calendar_imports import PENDING

T = UI.imports
SAT = dt.date(2026, 11, 21)  # the tests' first day: a Saturday in Berlin
LAST = SAT + dt.timedelta(days=13)


def day(offset: int) -> dt.date:
    return SAT + dt.timedelta(days=offset)


PLAN = calendar(
    (day(1), "Long Run 22 km"),
    (day(3), "Intervals 6x800"),
    (day(4), "Yoga"),
    (day(5), "Easy 40'"),
    (day(8), "Long Run 25 km"),
    (day(10), "Tempo 5 km"),
)


async def send_file(runner: Runner, data: bytes, name: str = "plan.ics", size: int | None = None) -> list[str]:
    return await runner.send(runner.api.document(runner.user_id, data, name, runner.name, size=size))


async def test_a_calendar_file_is_shown_day_by_day_and_confirm_stores_it(runner: Runner) -> None:
    """The two weeks read from the file are listed, and Confirm makes them the runner's calendar."""
    await onboarded(runner)
    [shown] = await send_file(runner, PLAN)
    assert shown.startswith(T.fmt("preview_header", first="21 Nov", last="4 Dec"))
    assert "Sun 22 · long run · Long Run 22 km" in shown and "Sat 21 · rest" in shown
    assert T.fmt("ignored", count=1) in shown, "the yoga class is left out, and said so"
    assert runner.labels() == [T.btn_confirm, T.btn_cancel]
    assert (await runner.profile()).overrides == {}, "nothing is stored before Confirm"
    replies = await runner.press(T.btn_confirm)
    assert replies[0].startswith(T.fmt("stored", first="21 Nov", last="4 Dec"))
    overrides = (await runner.profile()).overrides
    assert overrides[day(1)] is RunKind.LONG and overrides[day(3)] is RunKind.QUALITY
    assert overrides[day(5)] is RunKind.EASY and overrides[day(2)] is RunKind.REST, "a day without a run rests"
    assert set(overrides) == {day(i) for i in range(14)}, "the two weeks shown, no more"
    assert PENDING not in await runner.answers(), "the pending import is gone once stored"


async def test_cancel_stores_nothing_and_the_buttons_go(runner: Runner) -> None:
    """Cancel leaves the calendar as it was; a second tap on the old buttons changes nothing."""
    await onboarded(runner)
    await send_file(runner, PLAN)
    message_id = runner.keyboard_message().message_id
    await runner.press(T.btn_cancel)
    assert runner.api.message(runner.user_id, message_id).plain_text.endswith(T.cancelled)
    assert (await runner.profile()).overrides == {}
    assert (await runner.answers()) == {}


async def test_a_race_in_the_calendar_is_offered_as_goal_race_or_tune_up(runner: Runner) -> None:
    """A race found in the calendar is asked about: as the goal race it becomes Profile.race."""
    await onboarded(runner)
    await send_file(runner, calendar((day(1), "Long Run"), (day(8), "Race: Berlin Half")))
    replies = await runner.press(T.btn_confirm)
    assert replies[-1] == T.fmt("race_found", weekday="Sunday", day="29 Nov", title="Race: Berlin Half")
    assert runner.labels() == [T.btn_goal, T.btn_tune_up, T.btn_ignore]
    assert (await runner.profile()).overrides[day(8)] is RunKind.RACE, "a tune-up until said otherwise"
    await runner.press(T.btn_goal)
    profile = await runner.profile()
    assert profile.race == Race(distance=Distance.HALF, date=day(8))
    assert day(8) not in profile.overrides


async def test_a_race_kept_as_tune_up_carries_its_distance(runner: Runner) -> None:
    """Tune-up keeps the race day a race, with the distance the calendar gave."""
    await onboarded(runner)
    await send_file(runner, calendar((day(8), "10K Race")))
    await runner.press(T.btn_confirm)
    await runner.press(T.btn_tune_up)
    profile = await runner.profile()
    assert profile.overrides[day(8)] is RunKind.RACE and profile.tune_up_distances[day(8)] is Distance.K10
    assert profile.race is None


async def test_files_that_cannot_be_used_get_a_clear_answer(runner: Runner) -> None:
    """Empty, not a calendar, binary, no runs: one sentence each, and nothing pending."""
    await onboarded(runner)
    assert await send_file(runner, b"") == [T.empty]
    assert await send_file(runner, b"hello, this is my plan") == [T.not_ics]
    assert await send_file(runner, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n") == [T.not_ics]
    assert await send_file(runner, b"%PDF-1.4\x00\x01\x02\xff", "plan.pdf") == [T.binary]
    assert await send_file(runner, calendar((day(2), "Swim 2 km"))) == [T.no_runs]
    assert (await runner.answers()) == {}


async def test_a_file_announced_over_one_megabyte_is_refused_before_downloading(runner: Runner) -> None:
    """Telegram's announced size decides: nothing is downloaded."""
    await onboarded(runner)
    assert await send_file(runner, PLAN, size=2_000_000) == [T.too_big]
    assert runner.api.calls_to("getFile") == []


async def test_a_runner_not_onboarded_is_told_to_finish_onboarding_first(runner: Runner) -> None:
    """No profile, no calendar to change."""
    assert await send_file(runner, PLAN) == [UI.general.not_onboarded]
