"""One brief of the runner per update: read-only questions write nothing but the inbox's own
bookkeeping, the runner is read once however many gates the update passes, the last-heard time is
written only when it is over an hour old, and nothing about a runner is remembered across updates
(another process's /delete is seen by the very next update here)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from chatdriver import RUNNER_ID, UI, Runner, settings_for, start_application, stop_application
from sqlalchemy import event
from test_checkins import ONBOARD, onboarded

from bot.app import build_application, start, stop
from bot.clock import FakeClock
from bot.console.transport import OfflineBotApi
from bot.db.engine import create_engine
from bot.telegram.context import CoachApplication

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b(?:\s+INTO)?\s+(\w+)", re.IGNORECASE)
RUNNER_READ = re.compile(r"^\s*SELECT\s+runners\.", re.IGNORECASE)  # a read of the runner's own row


class Statements:
    """Every SQL statement the application's engine sends, as the database receives it."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(statement)

    def writes(self) -> list[str]:
        """The tables written to, one entry per writing statement."""
        return [m.group(2).lower() for s in self.seen if (m := WRITE.match(s))]

    def runner_reads(self) -> int:
        return sum(1 for s in self.seen if RUNNER_READ.match(s))


@pytest.fixture
async def counted(
    any_db_url: str, clock: FakeClock, api: OfflineBotApi
) -> AsyncIterator[tuple[CoachApplication, Statements]]:
    """The application on SQLite and on PostgreSQL, every statement its engine sends counted."""
    engine = create_engine(any_db_url)
    statements = Statements()
    event.listen(engine.sync_engine, "before_cursor_execute", statements)
    application = build_application(settings_for(any_db_url), clock=clock, request=api, engine=engine)
    await start(application)
    try:
        yield application, statements
    finally:
        await stop(application)


async def test_read_only_questions_write_nothing_and_read_the_runner_once(
    counted: tuple[CoachApplication, Statements], api: OfflineBotApi, clock: FakeClock
) -> None:
    """After the first answer of the hour, "/today", "why?", "/week" and "what should I lift today?"
    store nothing (the inbox keeps only its claim), and each reads the runner's row once."""
    app, statements = counted
    runner = Runner(app, api, RUNNER_ID, "Ada")
    await onboarded(runner)
    await runner.say("/today")
    for question in ("/today", "why?", "/week", "what should I lift today?", "/tomorrow"):
        clock.advance(dt.timedelta(minutes=1))
        statements.seen.clear()
        replies = await runner.say(question)
        assert replies and replies[0] != UI.general.error, question
        written = [table for table in statements.writes() if table != "inbox"]
        if question == "/tomorrow":  # "why?" then explains tomorrow, from any process
            assert written == ["runners"], (question, statements.seen)
        else:
            assert written == [], (question, statements.seen)
        assert statements.runner_reads() == 1, (question, statements.seen)


async def test_the_last_heard_time_is_written_once_an_hour(
    counted: tuple[CoachApplication, Statements], api: OfflineBotApi, clock: FakeClock
) -> None:
    """A runner silent for two hours is stored as heard by their next question, and not again by
    the questions within the hour after it."""
    app, statements = counted
    runner = Runner(app, api, RUNNER_ID, "Ada")
    await onboarded(runner)
    clock.advance(dt.timedelta(hours=2))
    statements.seen.clear()
    await runner.say("/today")
    assert [s for s in statements.seen if "last_heard_at=" in s.replace(" ", "")], statements.seen
    async with app.bot_data.deps.coach.uow() as work:
        brief = await work.runners.brief(RUNNER_ID)
    assert brief is not None and brief.last_heard_at == clock.now()
    for _ in range(3):
        clock.advance(dt.timedelta(minutes=15))
        statements.seen.clear()
        await runner.say("why?")
        assert "runners" not in statements.writes(), statements.seen


async def test_a_delete_in_one_process_is_seen_by_the_other_at_once(
    app: CoachApplication, db_url: str, api: OfflineBotApi, clock: FakeClock
) -> None:
    """The second process served the onboarded runner; the first deletes them, and the runner starts
    again at once: every onboarding answer the second process serves is taken as one."""
    second = await start_application(db_url, clock, api)
    try:
        one, two = Runner(app, api, RUNNER_ID, "Ada"), Runner(second, api, RUNNER_ID, "Ada")
        await one.steps(*ONBOARD)
        await two.say("/today")
        await one.say("/delete")
        await one.press(UI.loop.btn_delete_yes)
        await one.say("/start")
        replies: list[str] = []
        for n, step in enumerate(ONBOARD[1:]):
            replies = await (two if n % 2 == 0 else one).say(step)
        assert replies[0].startswith("All set, Ada!"), replies
    finally:
        await stop_application(second)
