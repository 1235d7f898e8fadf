"""`coach run` in polling mode with PORT set: the real process serves ``/healthz``, ``/readyz`` and
the calendar feeds over HTTP, never logs a feed's token, and, with no PUBLIC_URL, sends the calendar
as an ``.ics`` document (a multipart upload to the emulated Bot API)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar
from test_coach_run import RUNNER, TOKEN, Chat, _free_port, clean_env, coach_run
from test_repository_contract import a_week, full_profile

from bot.app import prepare_database
from bot.clock import FakeClock
from bot.coach.model import SessionKind
from bot.console.emulator import BotApiEmulator
from bot.db.engine import create_engine, session_factory
from bot.db.uow import unit_of_work_factory
from bot.services.feeds import token_hash
from bot.services.plans import monday_of
from bot.telegram.feed_render import ADD, SCOPE
from bot.telegram.render import callback
from bot.telegram.signing import Signer

pytestmark = pytest.mark.slow

CALLBACK_KEY = "feed-test-callback-key-0123456789abcdef"


async def _onboarded_with_a_link(url: str, token: str) -> list[dt.date]:
    """A migrated database with one onboarded runner, this week and next planned, and a feed link
    for ``token``; the dates of their sessions (the days that are not rest)."""
    await prepare_database(url)
    now = dt.datetime.now(dt.UTC)
    engine = create_engine(url)
    uow = unit_of_work_factory(session_factory(engine), clock=FakeClock(now))
    monday = monday_of(now.date())
    weeks = [a_week(monday), a_week(monday + dt.timedelta(days=7))]
    try:
        async with uow() as work:
            await work.runners.ensure(RUNNER, RUNNER, "Ada", now=now)
            profile = full_profile()
            await work.runners.save_profile(
                RUNNER, profile, timezone="Europe/Berlin", reminder_time=dt.time(7, 30), now=now
            )
            for week in weeks:
                await work.plans.save_week(RUNNER, week, now)
            await work.feeds.replace(RUNNER, token_hash(token), now)
            await work.commit()
    finally:
        await engine.dispose()
    since = now.date() - dt.timedelta(weeks=8)
    return [d.date for w in weeks for d in w.days if d.session.kind is not SessionKind.REST and d.date >= since]


def _dates(body: bytes) -> list[dt.date]:
    return sorted(event.decoded("dtstart") for event in Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.timeout(300)
async def test_polling_with_port_serves_health_and_the_feed(tmp_path: Path) -> None:
    """PORT set in polling mode: /healthz answers ok and /readyz ready, the runner's feed URL serves their plan, an
    unknown one 404; the token never appears in the output; and the button, with no PUBLIC_URL,
    sends the calendar as a document through the Bot API's multipart upload."""
    token = secrets.token_urlsafe(32)
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    dates = await _onboarded_with_a_link(url, token)
    port = _free_port()
    async with BotApiEmulator(TOKEN) as emulator:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            DATABASE_URL=url,
            PORT=str(port),
            CALLBACK_KEY=CALLBACK_KEY,
        )
        async with coach_run(tmp_path, env) as process:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                assert (await client.get("/healthz")).text == "ok\n"
                assert (await client.get("/readyz")).text == "ready\n"
                feed = await client.get(f"/calendar/{token}.ics")
                assert feed.status_code == 200
                assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
                assert _dates(feed.content) == dates
                unknown = await client.get(f"/calendar/{secrets.token_urlsafe(32)}.ics")
                assert (unknown.status_code, unknown.text) == (404, "not found\n")
            chat = Chat(emulator, process)
            await chat.say("/today")
            message = emulator.api.last_message(RUNNER)
            assert message is not None
            signed = Signer(CALLBACK_KEY.encode()).sign(RUNNER, callback(SCOPE, ADD, "go"))
            message.data["reply_markup"] = {"inline_keyboard": [[{"text": "Add", "callback_data": signed}]]}
            await chat._await(lambda: emulator.press_button(RUNNER, message.message_id, signed), 1)
            sent = emulator.api.last_document(RUNNER)
            assert sent is not None and sent.name.endswith(".ics")
            assert _dates(sent.content) == dates
        assert process.returncode == 0
    output = (tmp_path / "stdout.txt").read_text() + (tmp_path / "stderr.txt").read_text()
    assert token not in output and token_hash(token) not in output
