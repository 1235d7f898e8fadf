"""The live calendar feed of the plan (issue 19, point 6), through the real Application, the offline
Bot API and the real tornado server on 127.0.0.1: the link the runner gets serves their stored plan
as iCalendar, follows a change of plan, dies when revoked or replaced, never serves another runner's
plan, and without a public URL the same calendar comes as a file. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from chatdriver import OTHER_ID, RUNNER_ID, UI, Runner, settings_for
from icalendar import Calendar
from test_checkins import ONBOARD, onboarded
from tornado.netutil import bind_sockets

from bot.app import build_application, start, stop
from bot.clock import FakeClock
from bot.coach.model import DayPlan, SessionKind
from bot.console.transport import OfflineBotApi
from bot.entry.feed_http import FeedHandler, QuietApp, site_server
from bot.entry.health import HealthCheck
from bot.entry.http_limits import AbuseReport, ConnectionLogs, Limits, limited_server
from bot.services.feeds import Feeds
from bot.services.plans import monday_of
from bot.services.records import Unavailable
from bot.telegram.context import CoachApplication

PUBLIC = "https://coach.example"
LINK = re.compile(re.escape(PUBLIC) + r"/calendar/([A-Za-z0-9_-]+)\.ics")
ADD, REVOKE = "feed|add|go", "feed|revoke|go"
F = UI.feed
OTHER_ONBOARD = ("/start", "some", "tue thu sat", "sat", "thu", *ONBOARD[5:])  # another calendar, other days


@dataclass
class Site:
    app: CoachApplication
    port: int

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(f"http://127.0.0.1:{self.port}{path}")

    async def feed(self, url: str) -> httpx.Response:
        return await self.get(url.removeprefix(PUBLIC))


async def _ok() -> None:
    return None


@pytest.fixture
async def site(any_db_url: str, clock: FakeClock, api: OfflineBotApi) -> AsyncIterator[Site]:
    """The application with PUBLIC_URL set, and its HTTP server (``/healthz`` and the feeds) on 127.0.0.1."""
    settings = settings_for(any_db_url).model_copy(update={"public_url": PUBLIC})
    app = build_application(settings, clock=clock, request=api)
    await start(app)
    await app.start()
    server = site_server(app, HealthCheck(app, _ok), Limits())
    quiet = ConnectionLogs(server.report)
    quiet.install()
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    try:
        yield Site(app, sockets[0].getsockname()[1])
    finally:
        server.stop()
        await server.close_all_connections()
        quiet.remove()
        await app.stop()
        await stop(app)


@pytest.fixture
def ada(site: Site, api: OfflineBotApi) -> Runner:
    return Runner(site.app, api, RUNNER_ID, "Ada")


@pytest.fixture
def bo(site: Site, api: OfflineBotApi) -> Runner:
    return Runner(site.app, api, OTHER_ID, "Bo")


async def tap(runner: Runner, data: str) -> list[str]:
    """Tap a feed button as if the bot had put it on its last message (``/calendar`` will carry it)."""
    last = runner.api.last_message(runner.user_id)
    assert last is not None
    return await runner.press_offered(data, last.message_id)


async def link_of(runner: Runner) -> str:
    """Tap "Add to my calendar app"; the link the runner is given."""
    replies = await tap(runner, ADD)
    assert len(replies) == 1, replies
    found = LINK.search(replies[0])
    assert found is not None, replies[0]
    return found.group(0)


async def stored_sessions(runner: Runner, clock: FakeClock) -> list[DayPlan]:
    """The runner's stored days with a session, read back through the bot's own unit of work."""
    monday = monday_of(clock.now().date())
    days: list[DayPlan] = []
    async with runner.app.bot_data.deps.coach.uow() as work:
        for weeks in range(-1, 4):
            week = await work.plans.week(runner.user_id, monday + dt.timedelta(weeks=weeks))
            days += [] if week is None else [d for d in week.days if d.session.kind is not SessionKind.REST]
    return days


def events(body: bytes) -> list[tuple[dt.date, str, str, str, int]]:
    """Each event of an iCalendar body: (date, summary, description, UID, SEQUENCE), by date."""
    calendar = Calendar.from_ical(body)
    found = [
        (
            event.decoded("dtstart"),
            str(event.get("summary")),
            str(event.get("description")),
            str(event.get("uid")),
            int(event.get("sequence")),
        )
        for event in calendar.walk("VEVENT")
    ]
    return sorted(found)


def as_served(days: list[DayPlan]) -> list[tuple[dt.date, str]]:
    return [(d.date, F.fmt("event_title", title=d.session.title, minutes=d.session.minutes)) for d in days]


async def test_the_link_serves_the_stored_plan_as_icalendar(ada: Runner, site: Site, clock: FakeClock) -> None:
    """The feed parses back into exactly the stored sessions: one all-day event per day with a
    session, its title, and its exercises, dose and reason in the description."""
    await onboarded(ada)
    url = await link_of(ada)
    assert F.btn_revoke in ada.labels(), "the link comes with its Revoke button"
    response = await site.feed(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    served = events(response.content)
    stored = await stored_sessions(ada, clock)
    assert stored, "onboarding planned lifting days"
    assert [(date, title) for date, title, *_ in served] == as_served(stored)
    assert all(type(date) is dt.date for date, *_ in served), "all-day events"
    for (_, _, description, _, _), day in zip(served, stored, strict=True):
        for exercise in day.session.exercises:
            assert exercise.name in description
            assert UI.render.fmt("dose", sets=exercise.sets, reps=exercise.reps) in description
        assert ada.app.bot_data.deps.render.reason(day.session) in description
    again = events((await site.feed(url)).content)
    assert [uid for *_, uid, _ in again] == [uid for *_, uid, _ in served], "UIDs are stable"


async def test_a_plan_change_shows_on_the_next_fetch(ada: Runner, site: Site, clock: FakeClock) -> None:
    """After a change that re-plans the week, the same link serves the new plan, the changed events
    with a higher SEQUENCE and the same UID."""
    await onboarded(ada)
    url = await link_of(ada)
    before = events((await site.feed(url)).content)
    clock.advance(dt.timedelta(minutes=5))
    await ada.say("/settings")
    await ada.press(UI.settings.btn_minutes)
    assert (await ada.say("45"))[0].startswith(UI.settings.fmt("changed_minutes", minutes=45))
    after = events((await site.feed(url)).content)
    assert [(date, title) for date, title, *_ in after] == as_served(await stored_sessions(ada, clock))
    assert after != before
    old = {uid: (title, sequence) for _, title, _, uid, sequence in before}
    changed = [(uid, sequence) for _, title, _, uid, sequence in after if uid in old and old[uid][0] != title]
    assert changed, "some session changed in place"
    assert all(sequence > old[uid][1] for uid, sequence in changed)


async def test_a_revoked_link_answers_404(ada: Runner, site: Site) -> None:
    """Revoke link: the runner is told, and the old URL answers 404 with a body that names nobody."""
    await onboarded(ada)
    url = await link_of(ada)
    assert (await site.feed(url)).status_code == 200
    assert await ada.press(F.btn_revoke) == [F.revoked]
    gone = await site.feed(url)
    assert gone.status_code == 404
    assert gone.text == "not found\n"
    assert await tap(ada, REVOKE) == [F.nothing_to_revoke]


async def test_a_new_link_revokes_the_old_one(ada: Runner, site: Site) -> None:
    """Asking for the link again gives a new one; the old one stops working."""
    await onboarded(ada)
    first = await link_of(ada)
    second = await link_of(ada)
    assert first != second
    assert (await site.feed(first)).status_code == 404
    assert (await site.feed(second)).status_code == 200


async def test_one_runners_link_never_serves_another_runners_plan(
    ada: Runner, bo: Runner, site: Site, clock: FakeClock
) -> None:
    """Two runners with different calendars: each link serves its own runner's sessions only."""
    await onboarded(ada)
    await bo.steps(*OTHER_ONBOARD)
    ada_served = events((await site.feed(await link_of(ada))).content)
    bo_served = events((await site.feed(await link_of(bo))).content)
    assert [(date, title) for date, title, *_ in ada_served] == as_served(await stored_sessions(ada, clock))
    assert [(date, title) for date, title, *_ in bo_served] == as_served(await stored_sessions(bo, clock))
    assert [event[:3] for event in ada_served] != [event[:3] for event in bo_served], "the two plans differ"
    assert not {uid for *_, uid, _ in ada_served} & {uid for *_, uid, _ in bo_served}


async def test_unknown_tokens_and_paths_answer_404(site: Site) -> None:
    """A made-up, malformed or empty token gets the same short 404; /healthz is served beside the feeds."""
    for path in ("/calendar/" + "A" * 43 + ".ics", "/calendar/abc.ics", "/calendar/.ics", "/calendar/x"):
        response = await site.get(path)
        assert (response.status_code, response.text) == (404, "not found\n"), path
    assert (await site.get("/healthz")).text == "ok\n"


async def test_delete_ends_the_link(ada: Runner, site: Site) -> None:
    """/delete erases the link with the account: its URL answers 404."""
    await onboarded(ada)
    url = await link_of(ada)
    await ada.say("/delete")
    await ada.press(UI.loop.btn_delete_yes)
    assert await ada.account() is None
    assert (await site.feed(url)).status_code == 404


async def test_without_a_public_url_the_calendar_comes_as_a_file(
    runner: Runner, api: OfflineBotApi, clock: FakeClock
) -> None:
    """No PUBLIC_URL: the button sends the same calendar as an .ics document, with a caption."""
    await onboarded(runner)
    assert await tap(runner, ADD) == [F.document]
    sent = api.last_document(RUNNER_ID)
    assert sent is not None and sent.name == F.file_name
    served = events(sent.content)
    assert [(date, title) for date, title, *_ in served] == as_served(await stored_sessions(runner, clock))


async def test_the_button_before_onboarding_says_to_finish_it(runner: Runner) -> None:
    """A runner not onboarded yet gets no link."""
    await runner.say("/start")
    replies = await tap(runner, ADD)
    assert not any(LINK.search(reply) for reply in replies)


class _Unreachable:
    """A unit of work whose database is out of reach."""

    async def __aenter__(self) -> None:
        raise Unavailable("connection refused")

    async def __aexit__(self, *exc: object) -> None:
        return None


async def test_a_feed_without_its_database_answers_503(app: CoachApplication, clock: FakeClock) -> None:
    """With the database out of reach a feed answers 503 (the calendar app asks again later), not an error page."""
    feeds = Feeds(_Unreachable, clock)  # type: ignore[arg-type]
    routes = [(r"/calendar/([^/]*)", FeedHandler, {"feeds": feeds, "render": app.bot_data.deps.render})]
    server = limited_server(QuietApp(routes), Limits(), AbuseReport(60))
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/calendar/{'A' * 43}.ics")
        assert (response.status_code, response.text) == (503, "unavailable\n")
    finally:
        server.stop()
        await server.close_all_connections()
