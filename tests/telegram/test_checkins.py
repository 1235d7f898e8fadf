"""The daily prompt and its one-tap check-in, through the real Application on the offline Bot API.

The prompt is composed by the same composer the dispatcher uses and sent through the app's own
sender; the runner then taps, exactly as on a phone, and what is stored is read back.
"""

from __future__ import annotations

import datetime as dt

from chatdriver import UI, Runner

from bot.clock import FakeClock
from bot.coach.model import BodyArea, DayPlan, SessionKind
from bot.services import loop
from bot.services.dispatch import Due
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication

BERLIN = dt.timezone(dt.timedelta(hours=1))  # Berlin in winter
ONBOARD = (
    "/start",
    "some",
    "mon wed fri sun",
    "sun",
    "wed",
    "no race",
    "dumbbells",
    "30",
    "none",
    "Europe/Berlin",
    "07:00",
    "no",
)


async def onboarded(runner: Runner) -> None:
    replies = await runner.steps(*ONBOARD)
    assert len(replies) == 3, replies


async def stored_days(runner: Runner, monday: dt.date) -> tuple[DayPlan, ...]:
    async with runner.app.bot_data.deps.coach.uow() as work:
        week = await work.plans.week(runner.user_id, monday)
    assert week is not None
    return week.days


async def next_lift(runner: Runner, clock: FakeClock) -> DayPlan:
    """The next lifting day in the stored plan, from tomorrow on."""
    today = clock.now().astimezone(BERLIN).date()
    for offset in (0, 7):
        for day in await stored_days(runner, monday_of(today) + dt.timedelta(days=offset)):
            if day.date > today and day.session.kind.is_lifting:
                return day
    raise AssertionError("no lifting day in the next two weeks")


async def deliver(app: CoachApplication, runner: Runner, kind: str, day: dt.date, detail: str | None = None) -> str:
    """Compose one due message as the dispatcher would and send it; returns what the runner reads."""
    deps = app.bot_data.deps
    account = await runner.account()
    assert account is not None
    due = Due(account.id, runner.user_id, account.chat_id, kind, day, deps.clock.now(), detail, "Europe/Berlin")
    async with deps.coach.uow() as work:
        composed = await deps.composer.compose(work, [due], deps.clock.now())
        await work.commit()
    message = composed[(account.id, kind)]
    assert message is not None, f"nothing to say for {kind} on {day}"
    marker = runner.api.marker()
    await deps.sender.send(account.chat_id, message)
    return "\n".join(runner.api.texts_since(runner.user_id, marker))


async def checkin(runner: Runner, day: dt.date) -> tuple[str, int | None, str | None, BodyArea | None] | None:
    async with runner.app.bot_data.deps.coach.uow() as work:
        record = await work.checkins.get(runner.user_id, day)
    return None if record is None else (record.status, record.rpe, record.soreness, record.pain_area)


async def on_lift_morning(runner: Runner, clock: FakeClock) -> DayPlan:
    await onboarded(runner)
    lift = await next_lift(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(7, 0), tzinfo=BERLIN))
    return lift


async def test_done_then_effort_then_soreness_each_one_tap_and_stored_as_given(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Done asks effort, effort asks soreness; each answer is stored the moment it is tapped and
    the prompt is edited in place to show what was logged."""
    lift = await on_lift_morning(runner, clock)
    text = await deliver(app, runner, "prompt", lift.date)
    assert lift.session.title in text and "Why:" in text
    assert runner.labels() == ["Done ✅", "Partly", "Skip", "Swap to mobility", "Later"]
    prompt_id = runner.keyboard_message().message_id

    assert await runner.press("Done") == []  # edited in place: no new message
    assert await checkin(runner, lift.date) == ("done", None, None, None)
    shown = runner.api.message(runner.user_id, prompt_id).plain_text
    assert UI.loop.logged_done in shown and UI.loop.ask_rpe in shown
    assert runner.labels() == [str(n) for n in range(1, 11)]

    await runner.press("8")
    assert await checkin(runner, lift.date) == ("done", 8, None, None)
    await runner.press("A bit")
    assert await checkin(runner, lift.date) == ("done", 8, "a_bit", None)
    final = runner.api.message(runner.user_id, prompt_id)
    assert "Effort 8/10" in final.plain_text and UI.loop.checkin_thanks in final.plain_text
    assert final.inline_buttons == []


async def test_a_repeated_or_stale_tap_changes_nothing_and_says_so(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Done pressed twice, effort before any status, and an old week's button: polite, no change."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    key = lift.date.strftime("%Y%m%d")
    prompt_id = runner.keyboard_message().message_id
    await runner.press("Done")
    await runner.press("6")
    assert await runner.press_offered(f"ci|{key}|done", prompt_id) == []
    assert runner.toasts == [UI.loop.already_logged]
    shown = runner.api.message(runner.user_id, prompt_id).plain_text
    # an earlier question's button: the correction is answered by a new message, the card left as it was
    assert UI.loop.logged_partly in "".join(await runner.press_offered(f"ci|{key}|partly", prompt_id))
    assert runner.api.message(runner.user_id, prompt_id).plain_text == shown
    assert await checkin(runner, lift.date) == ("partial", 6, None, None)  # a correction keeps the effort

    old = (lift.date - dt.timedelta(days=14)).strftime("%Y%m%d")
    assert await runner.press_offered(f"rpe|{old}|9", prompt_id) == []
    assert runner.toasts == [UI.loop.week_closed]
    future = (lift.date + dt.timedelta(days=1)).strftime("%Y%m%d")
    assert await runner.press_offered(f"ci|{future}|done", prompt_id) == []
    assert runner.toasts == [UI.loop.future_day]
    for forged in ("ci|2026ab01|done", f"rpe|{key}|11", f"rpe|{key}|0", f"sore|{key}|agony", f"area|{key}|elbow"):
        assert await runner.press_offered(forged, prompt_id) == [], forged
    assert await checkin(runner, lift.date) == ("partial", 6, None, None)


async def test_another_runners_tap_reaches_only_their_own_day(
    app: CoachApplication, runner: Runner, other: Runner, clock: FakeClock
) -> None:
    """Callback data names a day, never a runner: Bo replaying Ada's button logs nothing for Ada."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    data = f"ci|{lift.date.strftime('%Y%m%d')}|done"
    await other.say("/help")
    bo_message = runner.api.last_message(other.user_id)
    assert bo_message is not None
    await other.press_offered(data, bo_message.message_id)
    assert other.toasts == [UI.general.not_onboarded]
    assert await checkin(runner, lift.date) is None


async def test_skip_is_logged_and_closes_the_card(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """Skip logs a skipped session and asks nothing more."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    prompt_id = runner.keyboard_message().message_id
    await runner.press("Skip")
    assert await checkin(runner, lift.date) == ("skipped", None, None, None)
    shown = runner.api.message(runner.user_id, prompt_id)
    assert UI.loop.logged_skipped in shown.plain_text and shown.inline_buttons == []


async def test_swap_to_mobility_moves_the_lift_or_drops_it_and_says_which(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Swap gives today's mobility and moves the lift to a later allowed day, kept in the stored plan."""
    lift = await on_lift_morning(runner, clock)
    before = await stored_days(runner, monday_of(lift.date))
    await deliver(app, runner, "prompt", lift.date)
    await runner.press("Swap to mobility")
    after = await stored_days(runner, monday_of(lift.date))
    today = next(d for d in after if d.date == lift.date)
    assert today.session.kind is SessionKind.MOBILITY
    lifted_before = {d.date for d in before if d.session.kind.is_lifting}
    moved = [d for d in after if d.session.kind.is_lifting and d.date not in lifted_before]
    shown = runner.last_message()
    if moved:
        (target,) = moved
        assert target.date > lift.date
        assert UI.loop.fmt("swapped_moved", weekday=target.date.strftime("%A")) in shown
    else:
        assert UI.loop.swapped_dropped in shown
    assert [d for d in after if d.date < lift.date] == [d for d in before if d.date < lift.date]
    assert (await checkin(runner, lift.date) or ("",))[0] == "swapped"


async def test_pain_asks_where_then_rests_the_area_and_replans_the_week(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Pain → which area → the area is rested a week, nothing left this week loads it, and the
    runner is told to see a professional if it persists."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    await runner.press("Done")
    await runner.press("7")
    await runner.press("Pain")
    assert runner.labels()[0] == "Knee"
    replies = await runner.press("Knee")
    assert await checkin(runner, lift.date) == ("done", 7, "pain", BodyArea.KNEE)
    # the pain rule, then the red-flag signs that would need a professional first
    assert replies == [UI.loop.fmt("pain_rule", area="knee"), UI.loop.fmt("ask_red_flag", area="knee")]
    account = await runner.account()
    assert account is not None and account.state.pain[BodyArea.KNEE] >= lift.date + dt.timedelta(days=7)
    for day in await stored_days(runner, monday_of(lift.date)):
        if day.date > lift.date:
            assert all(BodyArea.KNEE not in ex.loads for ex in day.session.exercises), day
    await runner.press(UI.loop.btn_red_flag_no)
    assert runner.last_message() == UI.loop.fmt("red_flag_no", area="knee")  # the question answered in place
    after = await runner.account()
    assert after is not None and after.state.pain == account.state.pain  # a week's rest, no more


async def test_the_nudge_goes_only_to_an_unanswered_lift(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """The evening nudge carries the same buttons; once the lift is logged there is nothing to nudge."""
    lift = await on_lift_morning(runner, clock)
    text = await deliver(app, runner, "nudge", lift.date)
    assert text == UI.loop.fmt("nudge", title=lift.session.title)
    assert runner.labels()[0] == "Done ✅"
    await runner.press("Skip")
    deps = app.bot_data.deps
    account = await runner.account()
    assert account is not None
    async with deps.coach.uow() as work:
        again = await deps.composer.compose(
            work,
            [Due(account.id, runner.user_id, account.chat_id, "nudge", lift.date, clock.now(), None, "Europe/Berlin")],
            clock.now(),
        )
    assert again[(account.id, "nudge")] is None


async def test_log_lists_this_weeks_sessions_and_logs_an_earlier_one(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/log offers this week's sessions up to today; tapping one asks how it went."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date + dt.timedelta(days=1), dt.time(12, 0), tzinfo=BERLIN))
    assert lift.date.weekday() != 6, "the day after a Sunday lift is a new week, with nothing of it to log"
    await runner.say("/log")
    assert runner.replies == [UI.loop.log_pick]
    label = next(label for label in runner.labels() if label.endswith(lift.session.title))
    await runner.press(label)
    await runner.press("Done")
    assert await checkin(runner, lift.date) == ("done", None, None, None)


async def test_pause_stops_the_plan_and_resume_at_once_keeps_the_dose(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/pause until a date makes those days rest; /resume the same day says the break was short and
    keeps the dose (a break changes it from a week on)."""
    await onboarded(runner)
    deps = app.bot_data.deps
    async with deps.coach.uow() as work:
        from bot.coach.model import TrainingState

        await work.runners.save_state(runner.user_id, TrainingState(step=2))
        await work.commit()
    today = clock.now().astimezone(BERLIN).date()
    await runner.say("/pause until 2 Dec")
    assert runner.replies == [UI.loop.fmt("pause_until", date="Wed 2 Dec")]
    await runner.say("/pause")
    assert runner.replies == [UI.loop.already_paused]
    days = await stored_days(runner, monday_of(today))
    assert all(d.session.kind is SessionKind.REST for d in days if d.date >= today)
    await runner.say("/resume")
    assert runner.replies[0].startswith(UI.promises.fmt("welcome_back", rule=UI.promises.back_short))
    account = await runner.account()
    assert account is not None and account.paused_from is None and account.state.step == 2
    await runner.say("/resume")
    assert runner.replies == [UI.loop.not_paused]
    await runner.say("/pause until yesterday-ish")
    assert runner.replies == [UI.loop.pause_bad_date]


async def test_a_checkin_for_a_day_before_the_runner_joined_is_refused(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A runner who joined on Saturday cannot log a skip for that week's Thursday: nothing was
    planned for them then, and nothing is stored."""
    await onboarded(runner)  # Saturday 21 November
    deps = app.bot_data.deps
    async with deps.coach.uow() as work:
        said = await loop.log_status(work, runner.user_id, dt.date(2026, 11, 19), "skipped", clock.now(), deps.library)
        await work.commit()
        assert said is loop.Problem.BEFORE_JOINING
        assert await work.checkins.get(runner.user_id, dt.date(2026, 11, 19)) is None
