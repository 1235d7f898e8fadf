"""/admin: what an operator listed in ADMIN_IDS sees of the whole bot, and what anyone else sees."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chatdriver import OTHER_ID, UI, Runner
from test_checkins import BERLIN, onboarded

from bot.clock import FakeClock
from bot.services.dispatch import dispatch_due
from bot.telegram.context import CoachApplication


async def test_an_admin_sees_runners_and_what_went_out_today(
    app: CoachApplication, runner: Runner, other: Runner, clock: FakeClock
) -> None:
    """Counts of runners (onboarded, active, paused) and of today's prompts, nudges and reviews, and
    how late the latest batch of prompts went out."""
    deps = app.bot_data.deps
    app.bot_data.deps = dataclasses.replace(deps, settings=deps.settings.model_copy(update={"admin_ids": [OTHER_ID]}))
    await onboarded(runner)
    (reply,) = await other.say("/admin")
    assert UI.loop.admin_no_lag in reply
    clock.set(dt.datetime(2026, 11, 23, 7, 0, tzinfo=BERLIN))  # Monday's prompt time
    sent_at = dt.datetime(2026, 11, 23, 7, 0, 42, tzinfo=BERLIN)  # the send took 42 s to go out
    report = await dispatch_due(
        uow=deps.coach.uow,
        sender=deps.broadcast,
        composer=deps.composer,
        now=clock.now(),
        worker_id="t",
        clock=lambda: sent_at,
    )
    assert report.sent == 1
    (reply,) = await other.say("/admin")
    assert "1 onboarded, 1 active, 0 paused" in reply
    assert "1 prompts, 0 nudges, 0 reviews" in reply
    assert "Latest batch, 23 Nov 06:00 UTC: 1 sent, 42.0 s late (median), 42.0 s at most" in reply
    await runner.say("/pause")
    (reply,) = await other.say("/admin")
    assert "1 onboarded, 0 active, 1 paused" in reply


async def test_admin_is_an_unknown_command_for_everyone_else(app: CoachApplication, runner: Runner) -> None:
    """A runner who is not an operator learns nothing: /admin reads as any unknown command."""
    await onboarded(runner)
    (reply,) = await runner.say("/admin")
    assert reply.startswith(UI.loop.unknown_command.split("{")[0])
