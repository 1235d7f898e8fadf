"""Four weeks of the daily loop for seven runners, through the real Application on the offline Bot
API, with the dispatcher run at every 5 minutes of the period.

The period (Sunday 7 March to Sunday 4 April 2027) crosses both daylight-saving changes that
matter here: New York springs forward on 14 March, Berlin on 28 March. The runners:

- ``diligent`` (Berlin, 07:00) taps Done at effort 6 on every lift and Done on every mobility day;
- ``hard`` (Berlin, 06:30) answers every lift Done at effort 9 or 10;
- ``silent`` (New York, 07:00) never answers (after two silent weeks, no more nudges);
- ``kathmandu`` (Asia/Kathmandu, UTC+5:45, 07:15) answers like ``diligent``;
- ``pauser`` (Berlin, 07:00) pauses on the second Monday and resumes on the third;
- ``blocker`` (Berlin, 07:00) blocks the bot on the second Wednesday;
- ``sore`` (Berlin, 07:00) answers like ``diligent`` but reports knee pain on its first lift of week 2.

Every expected message must arrive exactly once, at its local minute (prompts at the reminder
time on days with a session, nudges at 19:00 on unanswered lifts, reviews on Sunday at 19:30),
nothing in quiet hours, nothing to a paused or blocked runner; and the weekly reviews apply what
the rulebook predicts for each runner's check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from chatdriver import Runner

from bot.clock import FakeClock
from bot.coach.model import BodyArea, SessionKind
from bot.console.transport import OfflineBotApi
from bot.services.dispatch import dispatch_due
from bot.services.rhythm import PROMPTS_ONLY_AFTER
from bot.telegram.context import CoachApplication

pytestmark = pytest.mark.slow

START = dt.datetime(2027, 3, 7, 12, 0, tzinfo=dt.UTC)  # a Sunday: the first full week starts next day
# after the last review (New York, 23:30 UTC), before any of the next Monday's prompts
END = dt.datetime(2027, 4, 5, 0, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(minutes=5)
MONDAYS = [dt.date(2027, 3, 8) + dt.timedelta(days=7 * n) for n in range(4)]


@dataclass
class Plan:
    name: str
    user_id: int
    zone: str
    reminder: str
    effort: int | None = 6  # the effort a lift is logged at; None: never answers
    runner: Runner | None = None
    sent: dict[tuple[str, dt.date], list[int]] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


PLANS = [
    Plan("diligent", 1001, "Europe/Berlin", "07:00"),
    Plan("hard", 1002, "Europe/Berlin", "06:30", effort=9),
    Plan("silent", 1003, "America/New_York", "07:00", effort=None),
    Plan("kathmandu", 1004, "Asia/Kathmandu", "07:15"),
    Plan("pauser", 1005, "Europe/Berlin", "07:00"),
    Plan("blocker", 1006, "Europe/Berlin", "07:00"),
    Plan("sore", 1007, "Europe/Berlin", "07:00"),
]
PAUSE_ON = MONDAYS[1]  # the pauser pauses at 08:00 that day and resumes a week later at 08:00
RESUME_ON = MONDAYS[2]
BLOCK_ON = MONDAYS[1] + dt.timedelta(days=2)  # the blocker blocks the bot at noon that Wednesday


def script(plan: Plan) -> tuple[str, ...]:
    return (
        *("/start", "some", "mon wed fri sun", "sun", "wed", "no race"),
        *("dumbbells", "30", "none", plan.zone, plan.reminder, "no"),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def _answer(plan: Plan, kind: str, day: dt.date, message_id: int, app: CoachApplication) -> None:
    """What each runner does with a prompt, straight away."""
    runner = plan.runner
    assert runner is not None
    if plan.effort is None or kind not in ("prompt", "nudge"):
        return
    async with app.bot_data.deps.coach.uow() as work:
        stored = await work.plans.day(plan.user_id, day)
    assert stored is not None
    if not stored.session.kind.is_lifting:
        await runner.press_offered(f"ci|{day:%Y%m%d}|done", message_id)
        return
    await runner.press_offered(f"ci|{day:%Y%m%d}|done", message_id)
    effort = plan.effort if plan.name != "hard" else (9 if day.day % 2 else 10)
    await runner.press_offered(f"rpe|{day:%Y%m%d}|{effort}", message_id)
    if plan.name == "sore" and MONDAYS[1] <= day < MONDAYS[2] and not _sore_reported(plan):
        await runner.press_offered(f"sore|{day:%Y%m%d}|pain", message_id)
        await runner.press_offered(f"area|{day:%Y%m%d}|knee", message_id)
        plan.sent[("pain_reported", day)] = [message_id]
    else:
        await runner.press_offered(f"sore|{day:%Y%m%d}|none", message_id)


def _sore_reported(plan: Plan) -> bool:
    return any(kind == "pain_reported" for kind, _ in plan.sent)


async def _act_at(instant: dt.datetime, plans: list[Plan], api: OfflineBotApi) -> None:
    """The runners' own scheduled actions: pause, resume, block."""
    for plan in plans:
        local = instant.astimezone(plan.tz)
        assert plan.runner is not None
        if local.hour == 8 and local.minute == 0:
            if plan.name == "pauser" and local.date() == PAUSE_ON:
                await plan.runner.say("/pause")
            elif plan.name == "pauser" and local.date() == RESUME_ON:
                await plan.runner.say("/resume")
        if plan.name == "blocker" and local.date() == BLOCK_ON and local.hour == 12 and local.minute == 0:
            api.block(plan.user_id)


async def test_four_weeks_of_prompts_nudges_and_reviews(
    app: CoachApplication, api: OfflineBotApi, clock: FakeClock
) -> None:
    """Every expected message exactly once at its local minute; none in quiet hours, none paused or
    blocked; the reviews progress, hold, back off and deload as the rulebook predicts."""
    deps = app.bot_data.deps
    by_runner = {}
    for plan in PLANS:
        plan.runner = Runner(app, api, plan.user_id, plan.name.capitalize())
        replies = await plan.runner.steps(*script(plan))
        assert len(replies) == 3, (plan.name, replies)
        account = await plan.runner.account()
        assert account is not None
        by_runner[account.id] = plan

    at = START
    while at <= END:
        at += TICK
        clock.set(at)
        await _act_at(at, PLANS, api)
        report = await dispatch_due(
            uow=deps.coach.uow, sender=deps.sender, composer=deps.composer, now=at, worker_id="sim"
        )
        for (runner_id, kind, day), message_id in sorted(report.message_ids.items()):
            plan = by_runner[runner_id]
            plan.sent.setdefault((kind, day), []).append(message_id)
            await _answer(plan, kind, day, message_id, app)

    for plan in PLANS:
        await check_runner(plan, app, api)


async def check_runner(plan: Plan, app: CoachApplication, api: OfflineBotApi) -> None:
    sent = {key: ids for key, ids in plan.sent.items() if key[0] != "pain_reported"}
    # exactly once, at the right local minute, never in quiet hours
    for (kind, day), ids in sent.items():
        assert len(ids) == 1, f"{plan.name}: {kind} for {day} sent {len(ids)} times"
        message = api.message(plan.user_id, ids[0])
        local = dt.datetime.fromtimestamp(message.date, tz=plan.tz)
        assert local.date() == day, f"{plan.name}: {kind} for {day} arrived on {local:%a %d %H:%M}"
        expected = {"prompt": plan.reminder, "nudge": "19:00", "review": "19:30"}.get(kind)
        if expected is not None:
            assert f"{local:%H:%M}" == expected, f"{plan.name}: {kind} for {day} at {local:%H:%M}"
        assert dt.time(6) <= local.time() < dt.time(22), f"{plan.name}: {kind} in quiet hours"

    expected = await expected_messages(plan, app)
    kinds = Counter(kind for kind, _ in expected)
    assert kinds["prompt"] >= (8 if plan.name in ("pauser", "blocker") else 20), (plan.name, kinds)
    assert set(sent) == expected, (
        f"{plan.name}: missing {sorted(expected - set(sent))}, unexpected {sorted(set(sent) - expected)}"
    )
    await check_reviews(plan, app)


async def expected_messages(plan: Plan, app: CoachApplication) -> set[tuple[str, dt.date]]:
    """From the stored plan (the record) and check-ins: what the rulebook says this runner gets."""
    expected: set[tuple[str, dt.date]] = set()
    async with app.bot_data.deps.coach.uow() as work:
        for monday in MONDAYS:
            if plan.name == "blocker" and monday > BLOCK_ON:
                continue  # nothing asks for a blocked runner's plan any more
            week = await work.plans.week(plan.user_id, monday)
            assert week is not None, f"{plan.name}: week of {monday} never stored"
            for day in week.days:
                if not _receiving(plan, day.date):
                    continue
                resumed_today = plan.name == "pauser" and day.date == RESUME_ON
                if day.session.kind is not SessionKind.REST and not resumed_today:
                    expected.add(("prompt", day.date))
                if day.session.kind.is_lifting and (plan.effort is None or resumed_today) and _nudged(plan, day.date):
                    # a lift nobody answered; the pauser's first day back was shown by /resume at 08:00,
                    # after the 07:00 prompt time, and is answered by no one
                    expected.add(("nudge", day.date))
            sunday = monday + dt.timedelta(days=6)
            if _receiving(plan, sunday):
                expected.add(("review", sunday))
        pain = await work.checkins.between(plan.user_id, MONDAYS[0], MONDAYS[-1] + dt.timedelta(days=6))
    if plan.name == "sore":
        reported = next(c.date for c in pain if c.pain_area is BodyArea.KNEE)
        expected.add(("pain_check", reported + dt.timedelta(days=3)))
    return expected


def _nudged(plan: Plan, day: dt.date) -> bool:
    """The silent runner, last heard at onboarding, gets no nudge after two silent weeks."""
    nudge = dt.datetime.combine(day, dt.time(19), tzinfo=plan.tz)
    return plan.effort is not None or nudge - START < PROMPTS_ONLY_AFTER


def _receiving(plan: Plan, day: dt.date) -> bool:
    """Whether the runner gets messages for ``day``: the pause starts after the 07:00 prompt of
    its first day, and ends after the prompt time of the day of /resume."""
    if plan.name == "pauser" and PAUSE_ON < day < RESUME_ON:
        return False
    return not (plan.name == "blocker" and day > BLOCK_ON)  # blocked at noon, after that day's prompt


async def check_reviews(plan: Plan, app: CoachApplication) -> None:
    """What the rulebook predicts from each runner's answers (COACHING.md, A1 to A5)."""
    async with app.bot_data.deps.coach.uow() as work:
        reviews = [await work.reviews.get(plan.user_id, monday) for monday in MONDAYS]
        account = await work.runners.get(plan.user_id)
    assert account is not None
    keys = [r.key if r else None for r in reviews]
    rules = [set(r.rules) if r else set() for r in reviews]
    if plan.name in ("diligent", "kathmandu"):
        # A1: the third good week's step waits past the deload it comes before, then comes (A5, A1)
        assert keys == ["A1", "A1", "A1_later", "A1"], keys
        assert "A5" in rules[2], "the 4th week of continuous training is a deload"
        assert account.state.step >= 3
    elif plan.name == "hard":
        assert keys == ["A3", "A3_again", "A3_again", "A3_again"], keys
        assert account.state.step == 0 and account.state.set_cut >= 1
    elif plan.name == "silent":
        assert keys == ["A2_no_answers"] * 4, keys
        assert reviews[1] is not None and reviews[1].ask_still_lifting, "two silent weeks: ask once"
        assert reviews[2] is not None and not reviews[2].ask_still_lifting, "asked once, not every week"
        assert account.state.step == 0
    elif plan.name == "sore":
        assert keys[0] == "A1" and keys[1] == "A4", keys
        reported = next(day for kind, day in plan.sent if kind == "pain_reported")
        async with app.bot_data.deps.coach.uow() as work:
            rested = [await work.plans.day(plan.user_id, reported + dt.timedelta(days=n)) for n in range(1, 8)]
        for day in rested:
            assert day is not None and all(BodyArea.KNEE not in ex.loads for ex in day.session.exercises), day
        assert BodyArea.KNEE not in account.state.pain, "the rest week is over by the end"
    elif plan.name == "pauser":
        assert keys[0] == "A1" and reviews[1] is None, keys
        assert account.paused_from is None
    elif plan.name == "blocker":
        assert not account.active
        assert reviews[1] is None and reviews[2] is None
    counts = Counter(keys)
    assert sum(counts.values()) >= 1
