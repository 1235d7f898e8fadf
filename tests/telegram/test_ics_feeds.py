"""A training calendar's feed link: fetched over the composition root's resolver and transport
(fakes here: nothing connects anywhere), shown like a file, stored on Confirm and read again every
day by the dispatcher, which re-plans and tells the runner what moved once, says nothing when the
feed is unchanged, and tells the runner once when the link keeps failing. Links to private,
loopback, link-local or reserved addresses are refused, by name, literal or redirect."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import httpx
import pytest
from chatdriver import UI, Runner, start_application, stop_application
from feednet import PUBLIC, Network
from icsfiles import calendar
from test_checkins import onboarded

from bot.clock import FakeClock
from bot.coach.model import RunKind
from bot.console.transport import OfflineBotApi
from bot.services.dispatch import dispatch_through
from bot.services.schedule import FEED_REFRESH
from bot.telegram.context import CoachApplication

T = UI.imports
BERLIN = ZoneInfo("Europe/Berlin")
SAT = dt.date(2026, 11, 21)
LINK = "webcal://plans.example.com/u/42/feed.ics?token=s3cret"


def day(offset: int, start: dt.date = SAT) -> dt.date:
    return start + dt.timedelta(days=offset)


def plan(start: dt.date = SAT, quality: int = 3) -> bytes:
    return calendar(
        (day(1, start), "Long Run 22 km"), (day(quality, start), "Intervals 6x800"), (day(8, start), "Long")
    )


@pytest.fixture
def net() -> Network:
    return Network(names={"plans.example.com": [PUBLIC], "inside.example.com": ["10.1.2.3"]})


@pytest.fixture
async def feed_app(db_url: str, clock: FakeClock, api: OfflineBotApi, net: Network) -> AsyncIterator[CoachApplication]:
    app = await start_application(db_url, clock, api, feed_resolver=net.resolve, feed_transport=net.transport())
    try:
        yield app
    finally:
        await stop_application(app)


@pytest.fixture
def ada(feed_app: CoachApplication, api: OfflineBotApi) -> Runner:
    return Runner(feed_app, api, 4242, "Ada")


async def run_days(app: CoachApplication, clock: FakeClock, days: int) -> None:
    """Let ``days`` days pass with the dispatcher sweeping at every due time, as the bot does."""
    deps, since = app.bot_data.deps, clock.now()
    clock.advance(dt.timedelta(days=days))
    await dispatch_through(
        uow=deps.coach.uow, sender=deps.sender, composer=deps.composer, since=since, until=clock.now(), worker_id="t"
    )


def said(runner: Runner, marker: int, start: str) -> list[str]:
    return [text for text in runner.api.texts_since(runner.user_id, marker) if text.startswith(start)]


async def imported(runner: Runner, net: Network, body: bytes) -> None:
    net.serve(body)
    await onboarded(runner)
    (shown,) = await runner.say(LINK)
    assert shown.startswith(T.fmt("preview_header", first="21 Nov", last="4 Dec")), shown
    await runner.press(T.btn_confirm)


async def test_a_feed_link_is_fetched_shown_and_stored_on_confirm(
    ada: Runner, net: Network, feed_app: CoachApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    """The link is fetched from the address checked, shown, and on Confirm stored and read again
    daily from tomorrow 06:30 local; the link (and its token) is never logged."""
    await imported(ada, net, plan())
    assert net.connected == [PUBLIC] and net.sent[0].headers["Host"] == "plans.example.com"
    assert T.feed_saved in ada.replies
    assert (await ada.profile()).overrides[day(1)] is RunKind.LONG
    async with feed_app.bot_data.deps.coach.uow() as work:
        source = await work.sources.get(ada.user_id)
        account = await work.runners.get(ada.user_id)
        assert account is not None
        due = (await work.due.of_runner(account.id))[FEED_REFRESH]
    assert source is not None and source.url == LINK
    assert due.due_at.astimezone(BERLIN) == dt.datetime(2026, 11, 22, 6, 30, tzinfo=BERLIN)
    logged = capsys.readouterr()
    assert "s3cret" not in logged.out + logged.err and "u/42" not in logged.out + logged.err


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.1/feed.ics",
        "https://10.0.0.1/feed.ics",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/feed.ics",
        "https://inside.example.com/feed.ics",  # a name resolving to a private address
    ],
)
async def test_links_to_addresses_inside_are_refused_without_connecting(ada: Runner, net: Network, link: str) -> None:
    """Loopback, private, link-local: refused with a clear answer, and nothing is connected to."""
    await onboarded(ada)
    assert await ada.say(link) == [T.refused_address]
    assert net.sent == []


async def test_a_redirect_inside_is_refused(ada: Runner, net: Network) -> None:
    """A public feed that redirects to 127.0.0.1 is refused at the redirect."""
    net.answer = lambda request: httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})
    await onboarded(ada)
    assert await ada.say("https://plans.example.com/feed.ics") == [T.refused_address]
    assert net.connected == [PUBLIC]


async def test_feeds_that_fail_get_a_clear_answer(ada: Runner, net: Network) -> None:
    """Unreachable, timing out, an error, not a calendar, a bad link: one sentence each, nothing pending."""
    await onboarded(ada)
    assert await ada.say("https://nowhere.example.com/feed.ics") == [T.unreachable]

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    net.answer = slow
    assert await ada.say("https://plans.example.com/feed.ics") == [T.timeout]
    net.answer = lambda request: httpx.Response(500)
    assert await ada.say("https://plans.example.com/feed.ics") == [T.http_error]
    net.answer = lambda request: httpx.Response(200, content=b"<html>Log in to see your plan</html>")
    assert await ada.say("https://plans.example.com/feed.ics") == [T.not_ics]
    assert await ada.say("https://ada:pw@plans.example.com/feed.ics") == [T.bad_url]
    assert "draft:ics_import" not in await ada.answers()


async def test_a_runner_not_onboarded_is_told_before_anything_is_fetched(ada: Runner, net: Network) -> None:
    """No fetch for a runner who has no calendar yet."""
    assert await ada.say(LINK) == [UI.general.not_onboarded]
    assert net.asked == [] and net.sent == []


async def test_the_daily_refresh_replans_and_tells_once_and_an_unchanged_feed_says_nothing(
    ada: Runner, net: Network, feed_app: CoachApplication, clock: FakeClock
) -> None:
    """A changed feed re-plans the open days and says what moved, once; unchanged, nothing is said."""
    await imported(ada, net, plan())
    marker = ada.api.marker()
    await run_days(feed_app, clock, 1)  # Sunday 06:30: the feed is as it was
    assert said(ada, marker, T.refreshed) == []
    net.serve(plan(quality=4))  # the intervals move from Tuesday to Wednesday
    marker = ada.api.marker()
    await run_days(feed_app, clock, 1)
    (told,) = said(ada, marker, T.refreshed)
    assert "Tue 24 Nov: quality session → rest day" in told and "Wed 25 Nov: rest day → quality session" in told
    overrides = (await ada.profile()).overrides
    assert overrides[day(3)] is RunKind.REST and overrides[day(4)] is RunKind.QUALITY
    marker = ada.api.marker()
    await run_days(feed_app, clock, 2)
    assert said(ada, marker, T.refreshed) == [], "told once: the next reads find it unchanged"
    assert len([r for r in net.sent if r.url.host == PUBLIC]) == 5, "read once a day"


async def test_a_failing_feed_is_retried_daily_and_the_runner_told_once(
    ada: Runner, net: Network, feed_app: CoachApplication, clock: FakeClock
) -> None:
    """Three failed days in a row: told once; the calendar stays the last one read."""
    await imported(ada, net, plan())
    before = (await ada.profile()).overrides
    net.answer = lambda request: httpx.Response(503)
    marker = ada.api.marker()
    await run_days(feed_app, clock, 5)
    failing = T.fmt("feed_failing", days=3)
    assert said(ada, marker, failing.split("{")[0][:30]) == [failing]
    assert (await ada.profile()).overrides == before


async def test_the_refresh_keeps_its_local_time_across_a_daylight_saving_change(
    ada: Runner, net: Network, feed_app: CoachApplication, clock: FakeClock
) -> None:
    """Europe/Berlin springs forward on 28 March 2027: the refresh stays at 06:30 local, and a
    feed changed that week is still applied, once."""
    await onboarded(ada)
    clock.set(dt.datetime(2027, 3, 26, 9, 0, tzinfo=dt.UTC))  # Friday before the change
    friday = dt.date(2027, 3, 26)
    net.serve(plan(friday))
    await ada.say(LINK)
    await ada.press(T.btn_confirm)
    net.serve(plan(friday, quality=4))
    marker = ada.api.marker()
    await run_days(feed_app, clock, 3)  # through Monday 29 March, after the change
    assert len(said(ada, marker, T.refreshed)) == 1
    assert len(net.sent) == 1 + 3, "the import, then one read a day"
    async with feed_app.bot_data.deps.coach.uow() as work:
        account = await work.runners.get(ada.user_id)
        assert account is not None
        due = (await work.due.of_runner(account.id))[FEED_REFRESH]
    assert due.due_at.astimezone(BERLIN).time() == dt.time(6, 30)
    assert due.due_at.astimezone(dt.UTC).time() == dt.time(4, 30), "summer time: 06:30 is 04:30 UTC"
