"""/settings for the run calendar and the strength level on the fakes: the calendar questions are
asked around the current calendar, an answer that leaves it impossible asks the broken question next
and stores nothing, and a whole calendar re-plans the open days and keeps the due messages."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeDatabase
from onboarded import ADA, onboard
from test_settings_use_cases import MONDAY, answer, open_, today_sent, week

from bot.coach.library import Library
from bot.coach.model import Level, RunKind, Weekday
from bot.services import settings
from bot.services.onboarding import Question, Reask, button_answer, typed_answer
from bot.services.settings import Changed, Pending

USUAL = {Weekday.MON: RunKind.EASY, Weekday.WED: RunKind.QUALITY, Weekday.FRI: RunKind.EASY, Weekday.SUN: RunKind.LONG}


def template(runs: dict[Weekday, RunKind]) -> dict[Weekday, RunKind]:
    return {day: runs.get(day, RunKind.REST) for day in Weekday}


async def stored_template(uow: FakeDatabase) -> dict[Weekday, RunKind]:
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    return dict(account.profile.week)


async def test_a_calendar_question_is_asked_around_the_current_calendar(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    opened = await open_(uow, library, Question.RUN_DAYS)
    assert opened["draft:run_days"] == ["mon", "wed", "fri", "sun"], "the run days now are ticked"
    opened = await open_(uow, library, Question.QUALITY_DAYS)
    assert opened["draft:quality_days"] == ["wed"]
    with pytest.raises(Reask):
        button_answer(Question.QUALITY_DAYS, "sun", opened)  # the long-run day is no quality choice
    opened = await open_(uow, library, Question.LONG_DAY)
    with pytest.raises(Reask):
        typed_answer(Question.LONG_DAY, "tuesday", opened, today=MONDAY)  # not a run day


async def test_run_days_without_the_long_run_day_store_nothing_until_it_is_asked_again(
    uow: FakeDatabase, library: Library
) -> None:
    await onboard(uow, library)
    before = await week(uow)
    opened = await open_(uow, library, Question.RUN_DAYS)
    pending = await answer(
        uow, library, Question.RUN_DAYS, typed_answer(Question.RUN_DAYS, "tue thu sat", opened, today=MONDAY)
    )
    assert isinstance(pending, Pending) and pending.question is Question.LONG_DAY
    assert settings.open_question(pending.answers) is Question.LONG_DAY
    assert await stored_template(uow) == template(USUAL) and await week(uow) == before, "nothing stored yet"
    values, _ = button_answer(Question.LONG_DAY, "sat", pending.answers)
    pending = await answer(uow, library, Question.LONG_DAY, values)
    assert isinstance(pending, Pending) and pending.question is Question.QUALITY_DAYS, "wednesday is no run day now"
    assert pending.answers["draft:quality_days"] == [], "only ticks that still fit"
    changed = await answer(
        uow, library, Question.QUALITY_DAYS, button_answer(Question.QUALITY_DAYS, "none", pending.answers)[0]
    )
    assert isinstance(changed, Changed) and changed.week is not None
    expected = template({Weekday.TUE: RunKind.EASY, Weekday.THU: RunKind.EASY, Weekday.SAT: RunKind.LONG})
    assert await stored_template(uow) == expected
    assert [d.run for d in (await week(uow)).days] == [expected[d] for d in Weekday]
    async with uow() as work:
        assert await work.answers.get_all(ADA) == {}, "closed once the calendar holds together"


async def test_closing_halfway_through_changes_nothing(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    opened = await open_(uow, library, Question.RUN_DAYS)
    await answer(uow, library, Question.RUN_DAYS, {"run_days": ["tue"]})
    async with uow() as work:
        assert await settings.close(work, ADA)
        await work.commit()
    assert await stored_template(uow) == template(USUAL)
    assert opened["run_days"] == ["mon", "wed", "fri", "sun"]


async def test_a_calendar_change_after_todays_prompt_replans_from_tomorrow_and_keeps_the_due_prompt(
    uow: FakeDatabase, library: Library
) -> None:
    done = await onboard(uow, library)
    before = await week(uow)
    await today_sent(uow)
    opened = await open_(uow, library, Question.QUALITY_DAYS)
    changed = await answer(
        uow, library, Question.QUALITY_DAYS, typed_answer(Question.QUALITY_DAYS, "mon fri", opened, today=MONDAY)
    )
    assert isinstance(changed, Changed) and changed.start == MONDAY + dt.timedelta(days=1)
    after = await week(uow)
    assert after.days[0] == before.days[0], "today's prompt went out: it stays as it was sent"
    assert after.days[4].run is RunKind.QUALITY and after.days[2].run is RunKind.EASY
    async with uow() as work:
        due = await work.due.of_runner(done.account.id)
    assert due["prompt"].due_at == dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC), (
        "tomorrow 07:00 in Berlin, not today again"
    )


async def test_the_strength_level_is_stored_and_the_week_replanned(uow: FakeDatabase, library: Library) -> None:
    await onboard(uow, library)
    opened = await open_(uow, library, Question.LEVEL)
    changed = await answer(uow, library, Question.LEVEL, button_answer(Question.LEVEL, "regular", opened)[0])
    assert isinstance(changed, Changed) and changed.week is not None
    assert changed.account.profile.strength_level is Level.REGULAR
    assert (await stored_template(uow)) == template(USUAL), "one setting changed, the others kept"
