"""The bot's every-minute dispatch job, run as the job queue runs it, on the offline Bot API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from chatdriver import Runner, settings_for
from dispatching import EchoComposer, add_runner
from telegram.ext import Job
from test_checkins import ONBOARD

from bot.app import build_application
from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachApplication
from bot.telegram.signing import unsigned

ADA = 4242  # chatdriver's RUNNER_ID
BERLIN = ZoneInfo("Europe/Berlin")


def job(app: CoachApplication) -> Job[Any]:
    assert app.job_queue is not None
    (found,) = app.job_queue.get_jobs_by_name("dispatch")
    return found


async def test_the_job_sweeps_every_minute_and_sends_through_the_bot(
    app: CoachApplication, api: OfflineBotApi, clock: FakeClock
) -> None:
    """The job runs each minute; at the reminder time the prompt arrives with its button, once."""
    composer = EchoComposer()
    app.bot_data.deps = dataclasses.replace(app.bot_data.deps, composer=composer)
    await add_runner(app.bot_data.deps.coach.uow, ADA, now=clock.now(), reminder=dt.time(11, 0))  # Europe/Berlin
    dispatch = job(app)
    assert dispatch.job.trigger.interval == dt.timedelta(seconds=60)
    assert dispatch.job.max_instances > 1  # a sweep still sending a fan-out does not skip the next
    await dispatch.run(app)
    assert api.texts_since(ADA) == []
    clock.set(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC))  # 11:00 in Berlin
    await dispatch.run(app)
    await dispatch.run(app)
    assert api.texts_since(ADA) == ["prompt 2026-11-21"]
    message = api.last_message(ADA)
    assert message is not None and [unsigned(str(b.callback_data)) for b in message.buttons] == ["ck|prompt|20261121"]


async def test_a_runner_who_blocked_the_bot_is_marked_inactive(
    app: CoachApplication, api: OfflineBotApi, clock: FakeClock
) -> None:
    """Telegram's 403 during the sweep marks the runner inactive; their messages stop."""
    app.bot_data.deps = dataclasses.replace(app.bot_data.deps, composer=EchoComposer())
    await add_runner(app.bot_data.deps.coach.uow, ADA, now=clock.now(), reminder=dt.time(11, 0))
    api.block(ADA)
    clock.set(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC))
    await job(app).run(app)
    async with app.bot_data.deps.coach.uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None and not account.active
        assert not await work.due.any_due(clock.now() + dt.timedelta(days=3))


async def test_the_bots_own_composer_and_sender_deliver_the_week_at_local_times(
    app: CoachApplication, api: OfflineBotApi, clock: FakeClock, runner: Runner
) -> None:
    """Onboarded through the chat, the runner then gets, from the every-minute sweep, a prompt with the
    check-in buttons at 07:00 on session days, nothing at night, and each message once."""
    await runner.steps(*ONBOARD)
    deps = app.bot_data.deps
    start = clock.now()
    marker = api.marker()
    sent_at: list[tuple[str, str]] = []
    for minute in range(0, 3 * 24 * 60, 5):  # three days, a sweep every five minutes
        clock.set(start + dt.timedelta(minutes=minute))
        before = len(api.sent_since(ADA, marker))
        await job(app).run(app)
        for message in api.sent_since(ADA, marker)[before:]:
            sent_at.append((clock.now().astimezone(BERLIN).strftime("%a %H:%M"), message.plain_text.split("\n")[0]))
    times = [when for when, _ in sent_at]
    assert times, "the sweep sent nothing in three days"
    assert all("06:00" <= when[4:] < "22:00" for when in times), sent_at
    prompts = [m for m in api.sent_since(ADA, marker) if "Done ✅" in [b.text for b in m.buttons]]
    assert prompts, sent_at
    assert len({(t, text) for t, text in sent_at}) == len(sent_at)
    async with deps.coach.uow() as work:
        delivered = await work.deliveries.of_runner(ADA)
    assert len({(d.date, d.kind) for d in delivered}) == len(delivered) == len(sent_at)
    assert all(d.sent_at.astimezone(BERLIN).strftime("%H:%M") in ("07:00", "19:00", "19:30") for d in delivered)


def test_with_dispatch_workers_the_bot_does_not_sweep(db_url: str, clock: FakeClock, api: OfflineBotApi) -> None:
    """DISPATCH_IN_BOT=false (the bot beside `coach dispatch --loop` workers) schedules no sweep of its
    own; by default it does, every DISPATCH_INTERVAL seconds."""
    workers = settings_for(db_url).model_copy(update={"dispatch_in_bot": False})
    beside_workers = build_application(workers, clock=clock, request=api)
    assert beside_workers.job_queue is not None and beside_workers.job_queue.get_jobs_by_name("dispatch") == ()
    faster = settings_for(db_url).model_copy(update={"dispatch_interval": 15})
    assert job(build_application(faster, clock=clock, request=api)).job.trigger.interval == dt.timedelta(seconds=15)
