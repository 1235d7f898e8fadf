"""The weekly review says only what is so: counts that include a dropped lift, plurals that read
right, and a tip that fits the runner's week (issue 20, point 6)."""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner
from test_checkins import BERLIN
from test_review import MONDAY, review, stored_days

from bot.clock import FakeClock
from bot.services import loop
from bot.telegram.context import CoachApplication

ONBOARDING_TIPS = {tip.text for tip in UI.loop.tips if tip.told_at_start}
JUMP_TIPS = {tip.text for tip in UI.loop.tips if tip.jumps}


async def test_a_lift_dropped_by_a_swap_still_counts_as_planned_after_its_mobility_is_logged(
    app: CoachApplication, week_one: Runner, clock: FakeClock
) -> None:
    """The week's last lift swapped to mobility until no day is left to move it to (so it is dropped),
    and the mobility then logged done: the review still counts it as planned and not done."""
    deps = app.bot_data.deps
    lifts = [d for d in await stored_days(week_one, MONDAY) if d.session.kind.is_lifting]
    first, last = lifts[0], lifts[-1]
    for day in lifts[1:-1]:  # the ones between are skipped
        clock.set(dt.datetime.combine(day.date, dt.time(18, 0), tzinfo=BERLIN))
        async with deps.coach.uow() as work:
            await loop.log_status(work, week_one.user_id, day.date, "skipped", clock.now(), deps.library)
            await work.commit()
    clock.set(dt.datetime.combine(first.date, dt.time(18, 0), tzinfo=BERLIN))
    async with deps.coach.uow() as work:
        await loop.log_status(work, week_one.user_id, first.date, "done", clock.now(), deps.library)
        await loop.log_rpe(work, week_one.user_id, first.date, 6, clock.now(), deps.library)
        await work.commit()
    day = last.date
    for _ in range(3):  # swapped until no day is left to move it to: then it is dropped
        clock.set(dt.datetime.combine(day, dt.time(8, 0), tzinfo=BERLIN))
        async with deps.coach.uow() as work:
            swapped = await loop.swap_to_mobility(work, week_one.user_id, day, clock.now(), deps.library)
            await work.commit()
        assert not isinstance(swapped, loop.Problem)
        if swapped.moved_to is None:
            break
        day = swapped.moved_to
    assert swapped.moved_to is None
    clock.set(dt.datetime.combine(day, dt.time(18, 0), tzinfo=BERLIN))
    async with deps.coach.uow() as work:  # the mobility that replaced it, done
        await loop.log_status(work, week_one.user_id, day, "done", clock.now(), deps.library)
        await work.commit()
    text = await review(app, week_one, clock)
    assert UI.loop.fmt("review_done", done=1, planned=len(lifts), partly="") in text


async def test_one_very_sore_session_reads_once(app: CoachApplication, week_one: Runner, clock: FakeClock) -> None:
    """One very sore session is "Very sore once.", never "1 time(s)"."""
    deps = app.bot_data.deps
    lift = next(d for d in await stored_days(week_one, MONDAY) if d.session.kind.is_lifting)
    clock.set(dt.datetime.combine(lift.date, dt.time(18, 0), tzinfo=BERLIN))
    async with deps.coach.uow() as work:
        await loop.log_status(work, week_one.user_id, lift.date, "done", clock.now(), deps.library)
        await loop.log_rpe(work, week_one.user_id, lift.date, 6, clock.now(), deps.library)
        await loop.log_soreness(work, week_one.user_id, lift.date, "very", clock.now(), deps.library)
        await work.commit()
    text = await review(app, week_one, clock)
    assert "Very sore once." in text
    assert "time(s)" not in text


async def test_the_first_review_does_not_repeat_the_onboarding_note(
    app: CoachApplication, week_one: Runner, clock: FakeClock
) -> None:
    """The first weeks' tips are new to the runner: none says what the onboarding note just said."""
    text = await review(app, week_one, clock)
    assert not any(tip in text for tip in ONBOARDING_TIPS)
    from bot.content.tips import TipWeek

    for weeks_coached in range(4):  # whatever week of the year the first four reviews fall on
        chosen = {UI.loop.tip(n, TipWeek(weeks_coached=weeks_coached, lifts_done=3)) for n in range(52)}
        assert not chosen & ONBOARDING_TIPS


def test_a_knee_niggle_or_a_week_without_jumps_never_gets_the_jumping_tip() -> None:
    """Over a year of weeks, the pogo-hop tip never comes with a sore knee or with no jumps planned."""
    from bot.content.tips import TipWeek

    knee = TipWeek(areas=frozenset({"knee"}), jumps=True, lifts_done=6, weeks_coached=10)
    no_jumps = TipWeek(jumps=False, lifts_done=6, weeks_coached=10)
    jumping = TipWeek(jumps=True, lifts_done=6, weeks_coached=10)
    assert not {UI.loop.tip(n, knee) for n in range(52)} & JUMP_TIPS
    assert not {UI.loop.tip(n, no_jumps) for n in range(52)} & JUMP_TIPS
    assert {UI.loop.tip(n, jumping) for n in range(52)} & JUMP_TIPS


def test_a_runner_who_never_lifted_is_not_told_about_the_strength_they_kept() -> None:
    """Tips about gains made are only for runners who have lifted lately."""
    from bot.content.tips import TipWeek

    gains = {tip.text for tip in UI.loop.tips if tip.lifted}
    assert gains
    never = TipWeek(weeks_coached=10)
    assert not {UI.loop.tip(n, never) for n in range(52)} & gains
    assert {UI.loop.tip(n, TipWeek(weeks_coached=10, lifts_done=3)) for n in range(52)} & gains
