"""/delete: after one confirmation, nothing about the runner is left, and /start begins afresh."""

from __future__ import annotations

from chatdriver import UI, Runner
from test_checkins import ONBOARD

from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication


async def test_delete_asks_first_and_no_keeps_everything(runner: Runner) -> None:
    await runner.steps(*ONBOARD)
    assert await runner.say("/delete") == [UI.loop.delete_confirm]
    assert runner.labels() == [UI.loop.btn_delete_yes, UI.loop.btn_delete_no]
    await runner.press(UI.loop.btn_delete_no)
    assert runner.last_message() == UI.loop.delete_kept
    assert await runner.account() is not None


async def test_delete_erases_the_runner_and_start_begins_afresh(app: CoachApplication, runner: Runner) -> None:
    await runner.steps(*ONBOARD)
    await runner.say("/today")
    account = await runner.account()
    assert account is not None
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)
    assert runner.last_message() == UI.loop.deleted
    assert await runner.account() is None
    assert await runner.answers() == {}
    async with app.bot_data.deps.coach.uow() as work:
        assert account.onboarded_at is not None
        monday = monday_of(account.onboarded_at.date())
        assert await work.plans.weeks_for([(account.id, monday)]) == {}
        assert await work.due.of_runner(account.id) == {}
    assert runner.user_id not in app.user_data
    # the everyday commands now say to set up first, and /start opens onboarding again
    assert await runner.say("/today") == [UI.general.not_onboarded]
    assert (await runner.say("/start"))[0].startswith("Hi Ada!")
    assert runner.open_question() == UI.onboarding.ask_level


async def test_delete_mid_onboarding_clears_the_answers(runner: Runner) -> None:
    await runner.steps(*ONBOARD[:4])
    assert await runner.answers() != {}
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)
    assert runner.last_message() == UI.loop.deleted
    assert await runner.answers() == {}


async def test_delete_from_someone_unknown_says_there_is_nothing(runner: Runner) -> None:
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)
    assert runner.last_message() == UI.loop.nothing_to_delete
