"""/settings use cases on the fakes: each change is applied where it belongs (the schedule or the
plan), the plan is re-planned only from the first day not yet sent or logged, and an answer for a
setting that is not open changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fakes import FakeDatabase
from onboarded import ADA, START, onboard

from bot.coach.library import Library
from bot.coach.model import BodyArea, Equipment, WeekPlan
from bot.services import pauses, settings
from bot.services.loop import Problem
from bot.services.onboarding import Question, button_answer, typed_answer
from bot.services.questions import Draft
from bot.services.records import DeliveryRecord
from bot.services.settings import Changed, Pending

MONDAY = dt.date(2026, 11, 23)  # START is Monday 06:00 in Berlin


async def open_(uow: FakeDatabase, library: Library, question: Question, telegram_id: int = ADA) -> Any:
    async with uow() as work:
        opened = await settings.open_setting(work, telegram_id, question, START, library)
        await work.commit()
    return opened


async def answer(
    uow: FakeDatabase, library: Library, question: Question, values: dict[str, Any]
) -> Changed | Pending | Problem:
    async with uow() as work:
        result = await settings.answer(work, ADA, question, values, START, library)
        await work.commit()
    return result


async def week(uow: FakeDatabase) -> WeekPlan:
    async with uow() as work:
        stored = await work.plans.week(ADA, MONDAY)
    assert stored is not None
    return stored


async def today_sent(uow: FakeDatabase) -> None:
    async with uow() as work:
        account = await work.runners.get(ADA)
        assert account is not None
        await work.deliveries.record([DeliveryRecord(account.id, MONDAY, "prompt", START, 1)])
        await work.commit()


async def test_a_new_reminder_time_moves_the_next_prompt(uow: FakeDatabase, library: Library) -> None:
    done = await onboard(uow, library)
    await open_(uow, library, Question.REMINDER)
    values = typed_answer(Question.REMINDER, "6:30pm", {}, today=MONDAY)
    result = await answer(uow, library, Question.REMINDER, values)
    assert isinstance(result, Changed) and result.week is None
    assert result.account.reminder_time == dt.time(18, 30)
    async with uow() as work:
        due = await work.due.of_runner(done.account.id)
        assert await work.answers.get_all(ADA) == {}, "the setting is closed once answered"
    assert due["prompt"].due_at == dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)  # 18:30 in Berlin


async def test_a_night_reminder_waits_for_are_you_sure(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    await open_(uow, library, Question.REMINDER)
    pending = await answer(uow, library, Question.REMINDER, typed_answer(Question.REMINDER, "23:30", {}, today=MONDAY))
    assert isinstance(pending, Pending) and pending.question is Question.REMINDER_SURE
    values, _ = button_answer(Question.REMINDER_SURE, "sure", pending.answers)
    changed = await answer(uow, library, Question.REMINDER_SURE, values)
    assert isinstance(changed, Changed) and changed.account.reminder_time == dt.time(23, 30)


async def test_a_new_timezone_moves_the_prompt_to_the_same_local_time_there(
    uow: FakeDatabase, library: Library
) -> None:
    done = await onboard(uow, library)
    await open_(uow, library, Question.TIMEZONE)
    result = await answer(uow, library, Question.TIMEZONE, {"timezone": "America/New_York"})
    assert isinstance(result, Changed) and result.account.timezone == "America/New_York"
    async with uow() as work:
        due = await work.due.of_runner(done.account.id)
    assert due["prompt"].due_at == dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # 07:00 in New York


async def test_gym_replans_the_rest_of_the_week_and_a_day_already_sent_keeps_its_session(
    uow: FakeDatabase, library: Library
) -> None:
    await onboard(uow, library)
    before = await week(uow)
    await today_sent(uow)
    opened = await open_(uow, library, Question.EQUIPMENT)
    assert opened["draft:equipment"] == ["dumbbells"], "the kit owned now is ticked"
    values, answered = button_answer(Question.EQUIPMENT, "dumbbells", opened)  # untick
    assert not answered
    pending = await answer(uow, library, Question.EQUIPMENT, values)
    assert isinstance(pending, Pending)
    values, _ = button_answer(Question.EQUIPMENT, "gym", pending.answers)
    pending = await answer(uow, library, Question.EQUIPMENT, values)
    assert isinstance(pending, Pending) and pending.answers["draft:equipment"] == ["gym"]
    values, answered = button_answer(Question.EQUIPMENT, "done", pending.answers)
    assert answered
    result = await answer(uow, library, Question.EQUIPMENT, values)
    assert isinstance(result, Changed) and result.start == MONDAY + dt.timedelta(days=1)
    assert result.account.profile is not None and result.account.profile.equipment == {Equipment.GYM}
    after = await week(uow)
    assert after.days[0] == before.days[0], "today's prompt went out: it stays as it was sent"
    later = [d for d in after.days[1:] if d.session.kind.is_lifting]
    assert later, "lifting is still planned later this week"
    for day in later:
        assert any(p.equipment is Equipment.GYM for p in day.session.exercises), day
    assert result.week is not None and result.week.days == after.days


async def test_a_niggle_added_by_ticks_leaves_only_gentle_forms_on_it(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    opened = await open_(uow, library, Question.NIGGLES)
    assert opened["draft:niggles"] == [], "no niggles yet: nothing ticked"
    values, answered = button_answer(Question.NIGGLES, "knee", opened)
    assert not answered
    pending = await answer(uow, library, Question.NIGGLES, values)
    assert isinstance(pending, Pending) and pending.answers["draft:niggles"] == ["knee"]
    values, answered = button_answer(Question.NIGGLES, "done", pending.answers)
    screening = await answer(uow, library, Question.NIGGLES, values)
    assert isinstance(screening, Pending) and screening.question is Question.NIGGLE_FLAGS  # N1 first
    values, answered = button_answer(Question.NIGGLE_FLAGS, "knee.no", screening.answers)
    result = await answer(uow, library, Question.NIGGLE_FLAGS, values)
    assert isinstance(result, Changed) and result.account.profile is not None
    assert result.account.profile.injuries == {BodyArea.KNEE}
    loading = [p for d in (await week(uow)).days for p in d.session.exercises if BodyArea.KNEE in p.loads]
    assert all(p.gentle for p in loading), loading
    # opened again, the knee is ticked already, and "All good" clears it
    reopened = await open_(uow, library, Question.NIGGLES)
    assert reopened["draft:niggles"] == ["knee"]
    cleared = await answer(uow, library, Question.NIGGLES, button_answer(Question.NIGGLES, "none", reopened)[0])
    assert isinstance(cleared, Changed) and cleared.account.profile is not None
    assert cleared.account.profile.injuries == frozenset()


async def test_session_length_and_sessions_a_week_are_stored_in_the_profile(
    uow: FakeDatabase, library: Library
) -> None:
    await onboard(uow, library, level="regular")
    await open_(uow, library, Question.MINUTES)
    result = await answer(uow, library, Question.MINUTES, typed_answer(Question.MINUTES, "45", {}, today=MONDAY))
    assert isinstance(result, Changed) and result.account.profile is not None
    assert result.account.profile.session_minutes == 45
    await open_(uow, library, Question.SESSIONS)
    result = await answer(uow, library, Question.SESSIONS, typed_answer(Question.SESSIONS, "three", {}, today=MONDAY))
    assert isinstance(result, Changed) and result.account.profile is not None
    assert result.account.profile.sessions_per_week == 3
    assert result.account.profile.session_minutes == 45, "one setting changed, the others kept"


async def test_an_answer_for_a_setting_that_is_not_open_changes_nothing(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    before = await week(uow)
    gym = {"equipment": "gym"}
    assert await answer(uow, library, Question.EQUIPMENT, gym) is Problem.NEED_STATUS  # nothing open
    await open_(uow, library, Question.MINUTES)
    assert await answer(uow, library, Question.EQUIPMENT, gym) is Problem.NEED_STATUS  # another one open
    async with uow() as work:
        assert await settings.close(work, ADA)
        assert not await settings.close(work, ADA)
        await work.commit()
    assert await answer(uow, library, Question.MINUTES, {"minutes": 60}) is Problem.NEED_STATUS  # closed
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    assert (account.profile.equipment, account.profile.session_minutes) == ({Equipment.DUMBBELLS}, 30)
    assert await week(uow) == before


async def test_someone_not_onboarded_cannot_open_a_setting(uow: FakeDatabase, library: Library) -> None:
    assert await open_(uow, library, Question.EQUIPMENT, telegram_id=99) is Problem.NOT_ONBOARDED
    async with uow() as work:
        assert await work.answers.get_all(99) == {}


async def brief_of(uow: FakeDatabase) -> Any:
    async with uow() as work:
        return await work.runners.brief(ADA)


async def test_a_delivery_setting_opened_on_the_updates_brief_asks_as_on_the_account(
    uow: FakeDatabase, library: Library
) -> None:
    """The reminder and the timezone open on the update's brief with the same answers stored as
    when the whole account is read; a runner the brief says is not onboarded is refused alike."""
    await onboard(uow, library)
    runner = await brief_of(uow)
    for question in (Question.REMINDER, Question.TIMEZONE):
        async with uow() as work:
            read = await settings.open_setting(work, ADA, question, START, library)
            await work.commit()
        async with uow() as work:
            briefed = await settings.open_setting(work, ADA, question, START, library, {"x": 1}, runner)
            await work.commit()
            stored = await work.answers.get_all(ADA)
        assert briefed == read == stored
    async with uow() as work:  # a brief that cannot vouch for the runner: the account decides
        unknown = await settings.open_setting(work, ADA + 1, Question.REMINDER, START, library, {}, None)
        assert unknown is Problem.NOT_ONBOARDED


async def test_a_delivery_setting_opened_after_a_pause_lapsed_ends_the_pause_first(
    uow: FakeDatabase, library: Library
) -> None:
    """A pause whose end date has passed is ended when a setting opens, the brief in hand or not:
    the brief shows it lapsed, so the account is read and settled as before."""
    await onboard(uow, library)
    async with uow() as work:
        await pauses.pause(work, ADA, MONDAY + dt.timedelta(days=2), START, library)
        await work.commit()
    later = START + dt.timedelta(days=5)
    runner = await brief_of(uow)
    assert runner.paused_until == MONDAY + dt.timedelta(days=2)
    async with uow() as work:
        opened = await settings.open_setting(work, ADA, Question.REMINDER, later, library, {}, runner)
        await work.commit()
    assert isinstance(opened, dict) and opened[Draft.SETTING] == Question.REMINDER.value
    after = await brief_of(uow)
    assert after.paused_from is None and after.paused_until is None, "the lapsed pause was ended"


async def test_a_delivery_setting_answered_on_the_updates_brief_changes_as_on_the_account(
    uow: FakeDatabase, library: Library
) -> None:
    """A reminder time or timezone answered with the update's brief in hand writes the same
    settings and due rows, and confirms the same time and zone, as when the account is read."""
    await onboard(uow, library)
    await today_sent(uow)
    cases = [
        (Question.REMINDER, typed_answer(Question.REMINDER, "6:30pm", {}, today=MONDAY)),
        (Question.TIMEZONE, {Question.TIMEZONE.value: "America/New_York"}),
        (Question.REMINDER, typed_answer(Question.REMINDER, "7:15", {}, today=MONDAY)),
    ]
    for question, values in cases:
        await open_(uow, library, question)
        runner = await brief_of(uow)
        async with uow() as work:
            briefed = await settings.answer(work, ADA, question, values, START, library, None, runner)
            await work.commit()
            due_briefed = await work.due.of_runner(runner.id)
            after_briefed = await work.runners.brief(ADA)
        await open_(uow, library, question)
        read = await answer(uow, library, question, values)
        async with uow() as work:
            due_read = await work.due.of_runner(runner.id)
            after_read = await work.runners.brief(ADA)
            assert await work.answers.get_all(ADA) == {}
        assert isinstance(briefed, Changed) and isinstance(read, Changed)
        assert (briefed.question, briefed.start, briefed.week) == (read.question, read.start, read.week)
        assert (briefed.account.timezone, briefed.account.reminder_time) == (
            read.account.timezone,
            read.account.reminder_time,
        )
        assert due_briefed == due_read
        assert after_briefed is not None and after_read is not None
        assert (after_briefed.timezone, after_briefed.reminder_time) == (after_read.timezone, after_read.reminder_time)


async def test_a_stale_or_drafted_delivery_answer_on_the_brief_is_told_as_on_the_account(
    uow: FakeDatabase, library: Library
) -> None:
    """On the brief, an answer for a setting not open is stale, and a night-time reminder waits
    for "are you sure?", as when the account is read."""
    await onboard(uow, library)
    runner = await brief_of(uow)
    values = typed_answer(Question.REMINDER, "6:30pm", {}, today=MONDAY)
    async with uow() as work:
        stale = await settings.answer(work, ADA, Question.REMINDER, values, START, library, None, runner)
    assert stale is Problem.NEED_STATUS
    await open_(uow, library, Question.REMINDER)
    night = typed_answer(Question.REMINDER, "23:30", {}, today=MONDAY)
    async with uow() as work:
        pending = await settings.answer(work, ADA, Question.REMINDER, night, START, library, None, runner)
        await work.commit()
    assert isinstance(pending, Pending) and pending.question is Question.REMINDER_SURE
