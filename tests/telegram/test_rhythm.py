"""A quieter rhythm for a runner who stopped answering (issue 20, point 10): the dispatcher run
through five simulated weeks on the fake clock, the messages counted as the runner got them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from chatdriver import UI, Runner
from test_checkins import BERLIN, onboarded, stored_days

from bot.clock import FakeClock
from bot.coach.model import SessionKind
from bot.services.dispatch import Due, dispatch_due
from bot.services.plans import monday_of
from bot.services.ports import Outgoing
from bot.telegram.context import CoachApplication

R = UI.rhythm
TICK = dt.timedelta(minutes=30)


async def run_weeks(
    app: CoachApplication, clock: FakeClock, runner: Runner, until: dt.datetime
) -> Counter[tuple[int, str]]:
    """The dispatcher every half hour (and at 19:30 for the review) until ``until``; what went out,
    counted by (week since onboarding, kind)."""
    deps, start, sent = app.bot_data.deps, clock.now(), Counter[tuple[int, str]]()
    at = clock.now()
    while at < until:
        at += TICK
        clock.set(at)
        report = await dispatch_due(
            uow=deps.coach.uow, sender=deps.sender, composer=deps.composer, now=at, worker_id="rhythm"
        )
        for _runner, kind, _day in report.message_ids:
            sent[((at - start).days // 7, str(kind))] += 1
    return sent


def in_week(sent: Counter[tuple[int, str]], week: int) -> Counter[str]:
    return Counter({kind: count for (w, kind), count in sent.items() if w == week})


@pytest.mark.slow
async def test_a_runner_who_never_answers_gets_prompts_only_after_two_weeks_and_one_message_after_four(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Weeks 1-2: prompts, nudges and reviews; weeks 3-4: no nudges; week 5: the review alone."""
    clock.set(dt.datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN))  # a Monday: five whole weeks follow
    await onboarded(runner)
    sent = await run_weeks(app, clock, runner, clock.now() + dt.timedelta(weeks=5))
    weeks = [in_week(sent, w) for w in range(5)]
    for week in weeks[:2]:
        assert week["nudge"] >= 2 and week["prompt"] >= 4, weeks
    for week in weeks[2:4]:
        assert week["nudge"] == 0 and week["prompt"] >= 4 and week["review"] == 1, weeks
    assert weeks[4] == Counter({"review": 1}), weeks
    assert sum(sent.values()) < sum(weeks[0].values()) * 4, "far fewer than the same rhythm for five weeks"


@pytest.mark.slow
async def test_one_answer_brings_the_whole_rhythm_back(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """After five silent weeks, one word from the runner: prompts and nudges again the next week."""
    clock.set(dt.datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN))
    await onboarded(runner)
    sent = await run_weeks(app, clock, runner, clock.now() + dt.timedelta(weeks=5))
    assert in_week(sent, 4) == Counter({"review": 1})
    await runner.say("/today")
    again = await run_weeks(app, clock, runner, clock.now() + dt.timedelta(weeks=1))
    week = in_week(again, 0)
    assert week["nudge"] >= 2 and week["prompt"] >= 4, week


async def composed_prompt(app: CoachApplication, runner: Runner, day: dt.date) -> Outgoing | None:
    """The prompt the dispatcher would send for ``day`` (None: nothing is sent)."""
    deps = app.bot_data.deps
    account = await runner.account()
    assert account is not None
    due = Due(account.id, runner.user_id, account.chat_id, "prompt", day, deps.clock.now(), None, "Europe/Berlin")
    async with deps.coach.uow() as work:
        composed = await deps.composer.compose(work, [due], deps.clock.now())
    return composed[(account.id, "prompt")]


async def test_lifting_days_only_in_settings_leaves_the_mobility_days_without_a_prompt(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/settings, Prompts, Lifting days only: next week's mobility days get no prompt, its lifts do;
    Every session day brings them back."""
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(R.btn_prompts)
    assert runner.replies == [R.fmt("ask_prompts", current=R.prompts_all)]
    await runner.press(R.btn_prompts_lifting)
    assert runner.last_message() == R.fmt("changed_prompts", current=R.prompts_lifting)
    week = await stored_days(runner, monday_of(clock.now().date()) + dt.timedelta(days=7))
    mobility = [d for d in week if d.session.kind is SessionKind.MOBILITY]
    lifts = [d for d in week if d.session.kind.is_lifting]
    assert mobility and lifts
    for day in mobility:
        assert await composed_prompt(app, runner, day.date) is None
    for day in lifts:
        assert await composed_prompt(app, runner, day.date) is not None

    await runner.say("/settings")
    await runner.press(R.btn_prompts)
    assert runner.replies == [R.fmt("ask_prompts", current=R.prompts_lifting)]
    await runner.press(R.btn_prompts_all)
    assert await composed_prompt(app, runner, mobility[0].date) is not None
