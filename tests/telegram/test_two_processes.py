"""Any process can serve any update: two Applications on one database take turns with one runner.

Each Application is what one bot process holds in memory; they share only the database (and the
fake Telegram, as two webhook replicas share Telegram). Onboarding, the daily check-in and "why?"
are served alternately by one and the other, and come out as if one process had served them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application
from test_checkins import BERLIN, ONBOARD

from bot.clock import FakeClock
from bot.coach.wording import reason_text
from bot.console.transport import OfflineBotApi
from bot.services.dispatch import Due
from bot.telegram.context import CoachApplication


@pytest.fixture
async def second(db_url: str, clock: FakeClock, api: OfflineBotApi) -> AsyncIterator[CoachApplication]:
    application = await start_application(db_url, clock, api)
    try:
        yield application
    finally:
        await stop_application(application)


async def test_two_processes_serve_alternate_updates_of_one_runner(
    app: CoachApplication, second: CoachApplication, api: OfflineBotApi, clock: FakeClock
) -> None:
    """Onboarding steps, check-in taps and "why?" alternate between two Applications and all land."""
    one, two = Runner(app, api, RUNNER_ID, "Ada"), Runner(second, api, RUNNER_ID, "Ada")
    for n, step in enumerate(ONBOARD):
        replies = await (one if n % 2 == 0 else two).say(step)
    assert len(replies) == 3 and replies[0].startswith("All set, Ada!"), replies

    account = await one.account()
    assert account is not None and account.onboarded
    async with app.bot_data.deps.coach.uow() as work:
        week = await work.plans.week(RUNNER_ID, dt.date(2026, 11, 23))
    assert week is not None
    lift = next(d for d in week.days if d.session.kind.is_lifting)
    clock.set(dt.datetime.combine(lift.date, dt.time(7, 0), tzinfo=BERLIN))
    deps = app.bot_data.deps
    due = Due(account.id, RUNNER_ID, account.chat_id, "prompt", lift.date, clock.now(), None, "Europe/Berlin")
    async with deps.coach.uow() as work:
        prompt = (await deps.composer.compose(work, [due], clock.now()))[(account.id, "prompt")]
        await work.commit()
    assert prompt is not None
    await deps.sender.send(account.chat_id, prompt)

    await one.press("Done")
    await two.press("7")  # the second process sees the first one's Done
    await one.press("A bit")
    async with second.bot_data.deps.coach.uow() as work:
        record = await work.checkins.get(RUNNER_ID, lift.date)
    assert record is not None and (record.status, record.rpe, record.soreness) == ("done", 7, "a_bit")

    await one.say("/tomorrow")
    tomorrow = one.replies[0]
    await two.say("why?")  # explains the day the other process showed
    async with app.bot_data.deps.coach.uow() as work:
        shown = await work.plans.day(RUNNER_ID, lift.date + dt.timedelta(days=1))
    assert shown is not None and shown.date.strftime("%A") in tomorrow
    worded = reason_text(app.bot_data.deps.library.messages, shown.session.reason)
    assert two.replies == [UI.general.fmt("why", reason=worded)]


async def test_a_delete_served_by_one_process_is_seen_by_the_other_within_minutes(
    app: CoachApplication, second: CoachApplication, api: OfflineBotApi, clock: FakeClock
) -> None:
    """The second process saw the runner onboarded; the first deletes them. A few minutes later the
    runner starts again, and every onboarding answer the second process serves is taken as one."""
    one, two = Runner(app, api, RUNNER_ID, "Ada"), Runner(second, api, RUNNER_ID, "Ada")
    await one.steps(*ONBOARD)
    await two.say("/today")  # the second process now knows the runner as onboarded
    await one.say("/delete")
    await one.press(UI.loop.btn_delete_yes)
    assert await one.account() is None
    clock.advance(dt.timedelta(minutes=6))
    await one.say("/start")
    replies = []
    for n, step in enumerate(ONBOARD[1:]):
        replies = await (two if n % 2 == 0 else one).say(step)
    assert replies[0].startswith("All set, Ada!"), replies
    account = await one.account()
    assert account is not None and account.onboarded
