"""Reads never write, through the real Application on SQLite and PostgreSQL: after a pause's end
date has passed (and before any tick), /today, /tomorrow, /week, "why?", the card from /log and
"too sore" answer from the same plan, and the stored runner, plans, check-ins and due messages are
the same before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application
from test_checkins import BERLIN, onboarded

from bot.clock import FakeClock
from bot.coach.model import SessionKind
from bot.coach.wording import day_words
from bot.console.transport import OfflineBotApi
from bot.services.plans import monday_of


async def stored(runner: Runner, monday: dt.date) -> tuple[Any, ...]:
    """What the database holds that a read could change: the runner, their plan, check-ins and due rows."""
    async with runner.app.bot_data.deps.coach.uow() as work:
        account = await work.runners.get(runner.user_id)
        assert account is not None
        weeks = [await work.plans.week(runner.user_id, monday + dt.timedelta(days=7 * n)) for n in (-1, 0, 1)]
        checkins = await work.checkins.between(
            runner.user_id, monday - dt.timedelta(days=7), monday + dt.timedelta(days=13)
        )
        due = await work.due.of_runner(account.id)
    return account, weeks, checkins, due


async def test_every_read_after_a_lapsed_pause_answers_alike_and_writes_nothing(
    any_db_url: str, clock: FakeClock
) -> None:
    """Paused until a Tuesday, read on the Wednesday after: every read path shows the un-paused plan
    (the same day everywhere), and nothing stored changes until the tick ends the pause."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(any_db_url, clock, api)
    try:
        runner = Runner(app, api, RUNNER_ID, "Ada")
        await onboarded(runner)
        today = clock.now().astimezone(BERLIN).date()
        monday = monday_of(today) + dt.timedelta(days=7)
        clock.set(dt.datetime.combine(monday, dt.time(6, 0), tzinfo=BERLIN))
        await runner.say("/pause until tuesday")
        assert runner.replies == [UI.loop.fmt("pause_until", date=day_words(monday + dt.timedelta(days=1)))]
        wednesday = monday + dt.timedelta(days=2)
        clock.set(dt.datetime.combine(wednesday, dt.time(8, 0), tzinfo=BERLIN))
        before = await stored(runner, monday)

        render = app.bot_data.deps.render
        week_text = (await runner.say("/week"))[0]
        today_text = (await runner.say("/today"))[0]
        tomorrow_text = (await runner.say("/tomorrow"))[0]
        why_text = (await runner.say("why?"))[0]
        sore = await runner.say("too sore today")
        await runner.say("/log")
        labels = runner.labels()

        assert await stored(runner, monday) == before
        shown = app.bot_data.deps.coach
        week = await shown.week(runner.user_id)
        assert week is not None and not week.paused
        days = {d.date: d for d in week.weeks[0].days}
        assert today_text == render.day(days[wednesday])
        assert tomorrow_text == render.day(days[wednesday + dt.timedelta(days=1)])
        assert why_text == UI.general.fmt("why", reason=render.reason(days[wednesday + dt.timedelta(days=1)].session))
        assert render.week(week.weeks[0], from_day=wednesday) in week_text
        lifting = days[wednesday].session.kind.is_lifting
        assert sore == [UI.loop.sore_offer if lifting else UI.loop.sore_no_lift]
        logged = [d for d in week.weeks[0].days if d.date <= wednesday and d.session.kind is not SessionKind.REST]
        assert len(labels) == len(logged)
        if lifting:
            await runner.press(next(label for label in labels if label.endswith(days[wednesday].session.title)))
            assert runner.replies[-1].startswith(render.day(days[wednesday]).split("\n")[0])
        assert await stored(runner, monday) == before
    finally:
        await stop_application(app)
