"""/export: everything stored about the runner as a JSON document and their check-ins as a CSV,
both sent as files; `coach import` brings the JSON into another database with the same plan and
history, and refuses what is not an export or a runner who is there already."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chatdriver import UI, Runner, settings_for, start_application, stop_application
from test_checkins import BERLIN, onboarded, stored_days

from bot.clock import FakeClock
from bot.console.transport import ChatMessage, OfflineBotApi
from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory
from bot.entry.importing import import_once
from bot.services import loop
from bot.services.archive import export_json
from bot.telegram.context import CoachApplication

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
async def app(any_db_url: str, clock: FakeClock, api: OfflineBotApi) -> AsyncIterator[CoachApplication]:
    """The application on SQLite and on PostgreSQL: an export goes out and comes back in on both."""
    application = await start_application(any_db_url, clock, api)
    try:
        yield application
    finally:
        await stop_application(application)


async def log_lifts(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """The first full week's lifts: one done at effort 7 and a bit sore, one skipped."""
    deps = app.bot_data.deps
    clock.set(dt.datetime.combine(MONDAY, dt.time(8, 0), tzinfo=BERLIN))
    await runner.say("/week")
    first, second = [d for d in await stored_days(runner, MONDAY) if d.session.kind.is_lifting][:2]
    for day, status in ((first, "done"), (second, "skipped")):
        clock.set(dt.datetime.combine(day.date, dt.time(18, 0), tzinfo=BERLIN))
        async with deps.coach.uow() as work:
            await loop.log_status(work, runner.user_id, day.date, status, clock.now(), deps.library)  # type: ignore[arg-type]
            if status == "done":
                await loop.log_rpe(work, runner.user_id, day.date, 7, clock.now(), deps.library)
                await loop.log_soreness(work, runner.user_id, day.date, "a_bit", clock.now(), deps.library)
            await work.commit()


async def export(runner: Runner) -> tuple[ChatMessage, ChatMessage]:
    """/export, and the two documents it sent."""
    marker = runner.api.marker()
    await runner.say("/export")
    documents = [m for m in runner.api.sent_since(runner.user_id, marker) if m.kind == "document"]
    assert len(documents) == 2, documents
    return documents[0], documents[1]


def content(message: ChatMessage, runner: Runner) -> bytes:
    """The bytes of a document the bot sent the runner."""
    return runner.api.documents[(message.chat_id, message.message_id)].content


async def imported(url: str, tmp_path: Path, raw: bytes) -> int:
    """`coach import` of ``raw`` into the database: its exit status."""
    path = tmp_path / "coach-export.json"
    path.write_bytes(raw)
    return await asyncio.to_thread(import_once, settings_for(url), path)


async def test_export_sends_everything_stored_as_json_and_the_checkins_as_csv(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """Two files: the JSON (format 1) of the account, plan and check-ins; the CSV, a row a session."""
    await onboarded(runner)
    await log_lifts(app, runner, clock)

    as_json, as_csv = await export(runner)

    assert as_json.data["document"]["file_name"] == "coach-export.json"
    assert as_json.data["caption"] == UI.history.export_json and as_csv.data["caption"] == UI.history.export_csv
    document = json.loads(content(as_json, runner))
    assert document["format"] == 1
    tables = document["tables"]
    assert [r["telegram_id"] for r in tables["runners"]] == [runner.user_id]
    assert len(tables["run_days"]) == 7 and tables["plan_days"] and tables["due_messages"]
    assert [(r["status"], r["rpe"], r["soreness"]) for r in tables["checkins"]] == [
        ("done", 7, "a_bit"),
        ("skipped", None, None),
    ]
    rows = list(csv.DictReader(io.StringIO(content(as_csv, runner).decode("utf-8"))))
    assert [(r["status"], r["effort"], r["soreness"]) for r in rows] == [("done", "7", "a_bit"), ("skipped", "", "")]
    assert rows[0]["date"] < rows[1]["date"] and rows[0]["session"] in ("strength", "power")


async def test_an_export_after_delete_is_empty(app: CoachApplication, runner: Runner, clock: FakeClock) -> None:
    """Once /delete has run, /export finds nothing about the runner, and says so."""
    await onboarded(runner)
    await log_lifts(app, runner, clock)
    await export(runner)
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)

    as_json, as_csv = await export(runner)

    assert as_json.data["caption"] == UI.history.export_empty
    assert not any(json.loads(content(as_json, runner))["tables"].values())
    assert content(as_csv, runner).decode("utf-8").splitlines() == [
        "date,session,status,effort,soreness,pain,niggle answers,note"
    ]


async def test_export_delete_import_gives_the_same_export_and_the_same_plan(
    app: CoachApplication, runner: Runner, other: Runner, clock: FakeClock, any_db_url: str, tmp_path: Path
) -> None:
    """A runner deleted and imported back from their export exports the same JSON, sees the same
    week, and another runner's data is untouched throughout."""
    await onboarded(runner)
    await onboarded(other)
    await log_lifts(app, runner, clock)
    await log_lifts(app, other, clock)
    before, _ = await export(runner)
    others, _ = await export(other)
    (week_before,) = await runner.say("/week")
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)

    assert await imported(any_db_url, tmp_path, content(before, runner)) == 0

    after, _ = await export(runner)
    assert content(after, runner) == content(before, runner)
    assert await runner.say("/week") == [week_before]
    others_after, _ = await export(other)
    assert content(others_after, other) == content(others, other)


async def test_import_refuses_a_runner_who_is_here_and_a_file_that_is_no_export(
    app: CoachApplication, runner: Runner, any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`coach import` writes nothing for a runner already in the database or a file that is not an
    export, and says why in one line."""
    await onboarded(runner)
    as_json, _ = await export(runner)

    assert await imported(any_db_url, tmp_path, content(as_json, runner)) == 2
    assert f"runner {runner.user_id} (Telegram id) is already in this database" in capsys.readouterr().err
    assert await imported(any_db_url, tmp_path, b'{"runners": []}') == 2
    assert "not an export of this coach" in capsys.readouterr().err
    assert await imported(any_db_url, tmp_path, b"\x89PNG") == 2
    assert "not JSON" in capsys.readouterr().err
    newer = json.loads(content(as_json, runner)) | {"format": 2}
    assert await imported(any_db_url, tmp_path, json.dumps(newer).encode()) == 2
    assert "export format 2" in capsys.readouterr().err


async def test_an_export_imported_into_a_fresh_database_reads_back_the_same(
    app: CoachApplication, runner: Runner, clock: FakeClock, tmp_path: Path
) -> None:
    """Another bot's database, new and empty: `coach import` migrates it, brings the runner in, and
    what it then holds of them exports as the same JSON."""
    await onboarded(runner)
    await log_lifts(app, runner, clock)
    as_json, _ = await export(runner)
    fresh = f"sqlite+aiosqlite:///{tmp_path}/another-bot.db"

    assert await imported(fresh, tmp_path, content(as_json, runner)) == 0

    engine = create_engine(fresh)
    try:
        async with unit_of_work_factory(session_factory(engine))() as work:
            assert export_json(await work.archive.dump(runner.user_id)) == content(as_json, runner)
    finally:
        await engine.dispose()
