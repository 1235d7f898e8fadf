"""Prompts stored ready with their days (``bot.services.ready_prompts``): what the dispatcher sends
is what the renderer draws from the stored day, for a sample of planned days; a re-plan, other
texts or a prompt that is not the plain one never send a stale copy."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from dispatching import add_runner
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    DayPlan,
    Equipment,
    Level,
    Profile,
    RunKind,
    SessionKind,
    kit_of,
)
from bot.coach.planner import plan_week
from bot.content.ui import default_ui
from bot.db.engine import session_factory
from bot.db.models import PlanDayRow
from bot.db.uow import UnitOfWorkFactory, unit_of_work_factory
from bot.services.archive import ArchiveRefused
from bot.services.dispatch import dispatch_due
from bot.services.ports import Outgoing
from bot.services.reading import as_it_happened
from bot.services.recording import RecordingSender
from bot.telegram.compose import LoopComposer
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer

MONDAY = dt.date(2026, 11, 23)
SEVEN_BERLIN = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
RUNS = (RunKind.EASY, RunKind.EASY, RunKind.REST, RunKind.QUALITY, RunKind.LONG)


def profile(rng: random.Random) -> Profile:
    return Profile(
        strength_level=rng.choice(list(Level)),
        week={day: rng.choice(RUNS) for day in WEEKDAYS},
        equipment=kit_of(rng.choice(list(Equipment))),
        session_minutes=rng.choice((20, 30, 45, 60)),
        injuries=frozenset(area for area in BodyArea if rng.random() < 0.1),
    )


async def planned(uow: UnitOfWorkFactory, library: Library, count: int, seed: int) -> dict[int, int]:
    """``count`` runners due a prompt on Monday at 07:00, each with a week whose Monday holds a
    session; their internal ids by Telegram id."""
    rng = random.Random(seed)
    ids: dict[int, int] = {}
    while len(ids) < count:
        week = plan_week(profile(rng), MONDAY, library)
        if week.days[0].session.kind is SessionKind.REST:
            continue
        telegram_id = 5000 + len(ids)
        ids[telegram_id] = await add_runner(uow, telegram_id, now=SEVEN_BERLIN - dt.timedelta(days=2))
        async with uow() as work:
            await work.plans.save_week_for(ids[telegram_id], week, SEVEN_BERLIN - dt.timedelta(days=1))
            await work.commit()
    return ids


async def drawn_now(uow: UnitOfWorkFactory, drawer: LoopRenderer, ids: dict[int, int]) -> dict[int, Outgoing]:
    """Each runner's Monday prompt drawn from the stored day now, its reason worded as it happened."""
    drawn = {}
    async with uow() as work:
        days = await work.plans.days_for([(runner_id, MONDAY) for runner_id in ids.values()])
        for telegram_id, runner_id in ids.items():
            (day,) = await as_it_happened(work, telegram_id, [days[(runner_id, MONDAY)]])
            drawn[telegram_id] = drawer.prompt(day)
    return drawn


async def sent_at_seven(uow: UnitOfWorkFactory, drawer: LoopRenderer, library: Library) -> dict[int, Outgoing]:
    sender = RecordingSender()
    report = await dispatch_due(
        uow=uow, sender=sender, composer=LoopComposer(library, drawer), now=SEVEN_BERLIN, worker_id="test"
    )
    assert report.failed == 0
    sent = {s.chat_id: s.message for s in sender.sent}
    assert len(sent) == len(sender.sent) == report.sent  # one prompt each
    return sent


async def stored_prompts(uow: UnitOfWorkFactory, runner_ids: list[int]) -> dict[int, Any]:
    async with uow() as work:
        _, ready = await work.plans.days_and_prompts([(runner_id, MONDAY) for runner_id in runner_ids])
    return {runner_id: ready.get((runner_id, MONDAY)) for runner_id in runner_ids}


async def test_a_prompt_sent_is_what_the_renderer_draws_from_the_stored_day(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library
) -> None:
    """For a sample of planned days, each runner gets exactly the prompt the renderer draws from the
    stored day, and the plain ones were stored ready with it."""
    ids = await planned(planning, library, 8, seed=22)
    expected = await drawn_now(planning, drawer, ids)
    ready = await stored_prompts(planning, list(ids.values()))
    assert all(r is not None and r.fingerprint == drawer.fingerprint for r in ready.values())
    assert await sent_at_seven(planning, drawer, library) == expected


async def test_the_stored_prompt_is_what_goes_out_and_a_replan_rewrites_it(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library, engine: AsyncEngine
) -> None:
    """The dispatcher sends the stored copy (so a re-plan that did not rewrite it would show); a
    re-plan stores the new day's prompt, and storing without a drawer leaves none to go stale."""
    ids = await planned(planning, library, 3, seed=7)
    (ada, bo, cy) = ids.values()
    async with engine.begin() as connection:  # a marker in Ada's copy: it is sent only if the copy is used
        ready = (await stored_prompts(planning, [ada]))[ada]
        await connection.execute(
            update(PlanDayRow)
            .where(PlanDayRow.runner_id == ada, PlanDayRow.date == MONDAY)
            .values(prompt={"v": ready.fingerprint, "text": "stored copy", "buttons": []})
        )
    rng = random.Random(99)
    while (other := plan_week(profile(rng), MONDAY, library)).days[0] == (await drawn_days(planning, bo)):
        pass
    async with planning() as work:  # Bo re-planned; Cy's week stored by something without a drawer
        await work.plans.save_week_for(bo, other, SEVEN_BERLIN)
        await work.commit()
    bare = unit_of_work_factory(session_factory(engine))
    async with bare() as work:
        await work.plans.save_week_for(cy, plan_week(profile(rng), MONDAY, library), SEVEN_BERLIN)
        await work.commit()
    assert (await stored_prompts(planning, [cy]))[cy] is None
    expected = await drawn_now(planning, drawer, ids)
    sent = await sent_at_seven(planning, drawer, library)
    assert sent[5000].text == "stored copy"
    assert (sent[5001], sent[5002]) == (expected[5001], expected[5002])


async def test_a_prompt_stored_by_other_texts_is_drawn_afresh(
    planning: UnitOfWorkFactory, drawer: LoopRenderer, library: Library, engine: AsyncEngine
) -> None:
    """A copy drawn with other wording (a new ui.yaml, new drawing code) is not sent: the day is drawn now."""
    ids = await planned(planning, library, 2, seed=3)
    async with engine.begin() as connection:
        await connection.execute(
            update(PlanDayRow).values(prompt={"v": "older texts", "text": "old wording", "buttons": []})
        )
    expected = await drawn_now(planning, drawer, ids)
    assert await sent_at_seven(planning, drawer, library) == expected


async def drawn_days(uow: UnitOfWorkFactory, runner_id: int) -> DayPlan:
    async with uow() as work:
        days = await work.plans.days_for([(runner_id, MONDAY)])
    return days[(runner_id, MONDAY)]


async def test_the_fingerprint_follows_the_texts(library: Library) -> None:
    """Other wording in ui.yaml gives another fingerprint, the same texts the same one."""
    ui = default_ui()
    changed = ui.model_copy(update={"loop": ui.loop.model_copy(update={"btn_done": "Did it"})})
    same = LoopRenderer(Renderer(default_ui(), library)).fingerprint
    assert LoopRenderer(Renderer(ui, library)).fingerprint == same
    assert LoopRenderer(Renderer(changed, library)).fingerprint != same


async def test_an_export_leaves_the_stored_prompts_out_and_an_import_cannot_bring_one(
    planning: UnitOfWorkFactory, library: Library
) -> None:
    """A prompt is a copy the bot draws, not the runner's data: /export leaves it out, and a file
    carrying one is refused, so an import never sends words the bot did not draw."""
    await planned(planning, library, 1, seed=5)
    async with planning() as work:
        rows = await work.archive.dump(5000)
    assert rows["plan_days"] and all("prompt" not in row for row in rows["plan_days"])
    rows["runners"][0]["telegram_id"] = 6000
    rows["plan_days"][0]["prompt"] = {"v": "x", "text": "not drawn by the bot", "buttons": []}
    async with planning() as work:
        with pytest.raises(ArchiveRefused) as refused:
            await work.archive.load(rows)
    assert (refused.value.reason, refused.value.detail) == ("unknown_columns", "plan_days: prompt")
