"""Onboarding survives a restart of the bot: a new Application on the same database carries on,
on SQLite and on PostgreSQL."""

from __future__ import annotations

from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application

from bot.clock import FakeClock
from bot.coach.model import WEEKDAYS, Equipment, Level, Profile, RunKind
from bot.console.transport import OfflineBotApi

HALF_DONE = ("/start", "#now and then", "mon wed fri sun", "#sun", "#wed", "#done", "no race")
EXPECTED = Profile(
    strength_level=Level.SOME,
    week={
        day: {"mon": RunKind.EASY, "wed": RunKind.QUALITY, "fri": RunKind.EASY, "sun": RunKind.LONG}.get(
            day.value, RunKind.REST
        )
        for day in WEEKDAYS
    },
    equipment=Equipment.GYM,
    session_minutes=30,
)


async def test_a_restart_mid_onboarding_resumes_at_the_open_question(any_db_url: str, clock: FakeClock) -> None:
    """After a restart, the runner's next typed answer answers the same open question, earlier answers kept."""
    first_api = OfflineBotApi(clock=clock)
    first = await start_application(any_db_url, clock, first_api)
    try:
        before = Runner(first, first_api, RUNNER_ID, "Ada")
        await before.steps(*HALF_DONE)
        assert before.open_question() == UI.onboarding.ask_equipment
        answers = await before.answers()
    finally:
        await stop_application(first)

    api = OfflineBotApi(clock=clock)
    second = await start_application(any_db_url, clock, api)
    try:
        after = Runner(second, api, RUNNER_ID, "Ada")
        assert await after.answers() == answers
        assert await after.say("gym") == [UI.onboarding.ask_minutes]
        assert await after.answers() == {**answers, "equipment": ["gym"]}
        await after.steps("30", "none", "Europe/Berlin")
        await after.say("07:00")
        summary, _plan, _why = await after.say("no")
        assert summary.startswith("All set, Ada!")
        assert await after.profile() == EXPECTED
    finally:
        await stop_application(second)


async def test_start_after_a_restart_resumes_at_the_open_question(any_db_url: str, clock: FakeClock) -> None:
    """After a restart, /start welcomes the runner back at the question they had reached."""
    first_api = OfflineBotApi(clock=clock)
    first = await start_application(any_db_url, clock, first_api)
    try:
        await Runner(first, first_api, RUNNER_ID, "Ada").steps(*HALF_DONE)
    finally:
        await stop_application(first)

    api = OfflineBotApi(clock=clock)
    second = await start_application(any_db_url, clock, api)
    try:
        after = Runner(second, api, RUNNER_ID, "Ada")
        assert await after.say("/start") == [f"{UI.onboarding.resumed}\n\n{UI.onboarding.ask_equipment}"]
        await after.press("a gym")
        await after.press("done")
        assert after.replies == [UI.onboarding.ask_minutes]
    finally:
        await stop_application(second)
