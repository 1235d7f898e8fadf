"""The daily loop's use cases on the in-memory fakes: onboarding, check-ins, pain, pause and resume,
the weekly review, and forgetting a runner. What a caller notices: the results and what is stored."""

from __future__ import annotations

import datetime as dt

from fakes import FakeDatabase
from onboarded import ADA, START, onboard

from bot.coach.library import Library
from bot.coach.model import BodyArea, SessionKind
from bot.services import loop, onboarding
from bot.services.forget import forget_runner
from bot.services.loop import Card, Problem
from bot.services.plans import monday_of

MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 29)


def berlin(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in November 2026 given in Berlin's wall time (UTC+1)."""
    return dt.datetime(2026, 11, day, hour - 1, minute, tzinfo=dt.UTC)


async def a_lifting_day(uow: FakeDatabase) -> dt.date:
    """The first day of this week with a lift in the stored plan."""
    async with uow() as work:
        week = await work.plans.week(ADA, MONDAY)
    assert week is not None
    return next(d.date for d in week.days if d.session.kind.is_lifting)


async def test_finishing_onboarding_stores_the_profile_the_plan_and_the_schedule(
    uow: FakeDatabase, library: Library
) -> None:
    """Finishing onboarding stores the runner's profile and first week, clears the answers, and
    schedules the first prompt, nudge and review at the runner's local times."""
    done = await onboard(uow, library)
    async with uow() as work:
        account = await work.runners.get(ADA)
        week = await work.plans.week(ADA, MONDAY)
        answers = await work.answers.get_all(ADA)
        due = await work.due.of_runner(done.account.id)
    assert account is not None and account.onboarded and account.profile == done.profile
    assert (account.timezone, account.reminder_time) == ("Europe/Berlin", dt.time(7))
    assert week is not None and week == done.weeks[0]
    assert answers == {}
    assert {kind: row.due_at for kind, row in due.items()} == {
        "prompt": berlin(23, 7),
        "nudge": berlin(23, 19),
        "review": berlin(29, 19, 30),
    }


async def test_onboarding_answers_survive_going_back_and_forth(uow: FakeDatabase) -> None:
    """Each answer is stored as it comes; going back reopens the question before, its picks kept."""
    await onboarding.save_answer(uow, ADA, {"level": "new"}, now=START)
    await onboarding.save_answer(uow, ADA, {"run_days": ["mon", "thu"]}, now=START)
    answers = await onboarding.go_back(uow, ADA, onboarding.Question.LONG_DAY, now=START)
    assert onboarding.next_question(answers) is onboarding.Question.RUN_DAYS
    assert answers == {"level": "new", "draft:run_days": ["mon", "thu"]}
    assert await onboarding.stored_answers(uow, ADA) == answers


async def test_a_session_is_logged_tap_by_tap(uow: FakeDatabase, library: Library) -> None:
    """Done, then effort, then soreness, each stored on the day's check-in; the same tap again changes nothing."""
    await onboard(uow, library)
    day = await a_lifting_day(uow)
    now = berlin(day.day, 18)
    async with uow() as work:
        done = await loop.log_status(work, ADA, day, "done", now, library)
        rated = await loop.log_rpe(work, ADA, day, 7, now, library)
        sore = await loop.log_soreness(work, ADA, day, "a_bit", now, library)
        again = await loop.log_rpe(work, ADA, day, 7, now, library)
        await work.commit()
    assert isinstance(done, Card) and done.checkin is not None and done.checkin.status == "done"
    assert isinstance(rated, Card) and rated.checkin is not None and rated.checkin.rpe == 7
    assert isinstance(again, Card) and not again.changed
    assert isinstance(sore, Card)
    async with uow() as work:
        stored = await work.checkins.get(ADA, day)
    assert stored is not None
    assert (stored.status, stored.rpe, stored.soreness, stored.session_kind) == (
        "done",
        7,
        "a_bit",
        SessionKind.STRENGTH,
    )


async def test_what_cannot_be_logged_says_why(uow: FakeDatabase, library: Library) -> None:
    """Effort before a status, a day in the future, last week's day, or a stranger: each has its
    reason, and nothing is stored."""
    await onboard(uow, library)
    day = await a_lifting_day(uow)
    now = berlin(day.day, 18)
    async with uow() as work:
        assert await loop.log_rpe(work, ADA, day, 7, now, library) is Problem.NEED_STATUS
        assert await loop.log_status(work, ADA, day + dt.timedelta(days=1), "done", now, library) is Problem.FUTURE
        next_week = now + dt.timedelta(days=7)
        assert await loop.log_status(work, ADA, day, "done", next_week, library) is Problem.WEEK_CLOSED
        assert await loop.log_status(work, 999, day, "done", now, library) is Problem.NOT_ONBOARDED
        assert await work.checkins.between(ADA, MONDAY, SUNDAY) == []


async def test_a_check_in_not_committed_is_not_stored(uow: FakeDatabase, library: Library) -> None:
    """A use case whose unit of work is left without commit stores nothing."""
    await onboard(uow, library)
    day = await a_lifting_day(uow)
    async with uow() as work:
        assert isinstance(await loop.log_status(work, ADA, day, "done", berlin(day.day, 18), library), Card)
    async with uow() as work:
        assert await work.checkins.get(ADA, day) is None


async def test_pain_rests_the_area_and_asks_again_in_three_days(uow: FakeDatabase, library: Library) -> None:
    """ "My knee hurts": the knee rests a week, the rest of the week is re-planned without loading it,
    and a pain check is due three days on at the reminder time."""
    done = await onboard(uow, library)
    now = berlin(24, 12)
    async with uow() as work:
        result = await loop.report_pain(work, ADA, BodyArea.KNEE, now, library)
        await work.commit()
    assert not isinstance(result, Problem)
    async with uow() as work:
        account = await work.runners.get(ADA)
        due = await work.due.of_runner(done.account.id)
    assert account is not None and account.state.pain == {BodyArea.KNEE: dt.date(2026, 12, 1)}
    assert (due["pain_check"].local_date, due["pain_check"].due_at, due["pain_check"].detail) == (
        dt.date(2026, 11, 27),
        berlin(27, 7),
        "knee",
    )


async def test_a_pause_stops_the_prompts_and_resume_brings_them_back(uow: FakeDatabase, library: Library) -> None:
    """Paused until Wednesday, the next prompt is Thursday's; pausing again is refused; resuming
    brings today's prompt back and starts a step lower."""
    done = await onboard(uow, library)
    runner_id = done.account.id
    async with uow() as work:
        paused = await loop.pause(work, ADA, dt.date(2026, 11, 25), berlin(23, 6), library)
        again = await loop.pause(work, ADA, None, berlin(23, 6), library)
        await work.commit()
        prompt_while_paused = (await work.due.of_runner(runner_id))["prompt"].local_date
    assert not isinstance(paused, Problem) and (paused.paused_from, paused.paused_until) == (
        MONDAY,
        dt.date(2026, 11, 25),
    )
    assert again is Problem.ALREADY_PAUSED
    assert prompt_while_paused == dt.date(2026, 11, 26)

    async with uow() as work:
        before = await work.runners.get(ADA)
        resumed = await loop.resume(work, ADA, berlin(24, 6), library)
        not_paused = await loop.resume(work, ADA, berlin(24, 6), library)
        await work.commit()
        prompt = (await work.due.of_runner(runner_id))["prompt"]
    assert before is not None and not isinstance(resumed, Problem)
    assert (resumed.paused_from, resumed.paused_until) == (None, None)
    assert not_paused is Problem.NOT_PAUSED
    assert (prompt.local_date, prompt.due_at) == (dt.date(2026, 11, 24), berlin(24, 7))
    assert resumed.state.weeks_trained == 0 and resumed.state.step <= before.state.step


async def test_a_week_is_reviewed_once(uow: FakeDatabase, library: Library) -> None:
    """Reviewing the same week twice gives the first review again: one stored review, the state moved
    on once, next week stored."""
    await onboard(uow, library)
    for day in (23, 25, 27):
        async with uow() as work:
            await loop.log_status(work, ADA, dt.date(2026, 11, day), "done", berlin(day, 18), library)
            await loop.log_rpe(work, ADA, dt.date(2026, 11, day), 6, berlin(day, 18), library)
            await work.commit()
    reviews = []
    for _ in range(2):
        async with uow() as work:
            account = await work.runners.get(ADA)
            assert account is not None
            reviews.append(await loop.weekly_review(work, account, SUNDAY, berlin(29, 19, 30), library))
            await work.commit()
    async with uow() as work:
        account = await work.runners.get(ADA)
        stored = await work.reviews.get(ADA, MONDAY)
        earlier = await work.reviews.recent(ADA, dt.date(2026, 11, 30), 5)
        following = await work.plans.week(ADA, dt.date(2026, 11, 30))
    first, second = reviews
    assert second.payload == first.payload == stored
    assert second.next_week == first.next_week == following
    assert len(earlier) == 1
    assert account is not None and account.state.step == first.payload.step_after
    assert first.payload.done >= 1 and first.payload.week_start == dt.date(2026, 11, 23)


async def test_the_stored_plan_is_what_today_shows(uow: FakeDatabase, library: Library) -> None:
    """/today and /week read the stored plan: the day shown is the day stored."""
    await onboard(uow, library)
    async with uow() as work:
        shown = await loop.day_at(work, ADA, berlin(25, 9), 0, library)
        week = await loop.weeks_at(work, ADA, berlin(25, 9), library)
        stored = await work.plans.week(ADA, MONDAY)
    assert shown is not None and stored is not None and week is not None
    assert shown.day == stored.day(dt.date(2026, 11, 25))
    assert week.weeks == [stored]
    assert monday_of(shown.today) == MONDAY


async def test_forgetting_a_runner_leaves_nothing_and_spares_the_others(uow: FakeDatabase, library: Library) -> None:
    """forget_runner removes the runner's account, plans, check-ins, schedule and answers; another
    runner keeps everything, and a group told the coach serves private chats only stays told."""
    await onboard(uow, library)
    bob = (await onboard(uow, library, telegram_id=77)).account.id
    async with uow() as work:
        await loop.log_status(work, ADA, MONDAY, "done", berlin(23, 18), library)
        await work.answers.put(ADA, "level", "new", START)
        await work.commit()
    uow.tables.told_groups = frozenset({-100123})
    async with uow() as work:
        assert await forget_runner(work, ADA)
        await work.commit()
    tables = uow.tables
    assert [r.telegram_id for r in tables.runners.values()] == [77]
    for rows in (tables.weeks, tables.days, tables.due):
        assert {key[0] for key in rows} == {bob}
    assert tables.checkins == {} and tables.reviews == {} and tables.deliveries == {}
    assert tables.answers == {}
    assert tables.told_groups == {-100123}
