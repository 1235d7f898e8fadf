"""Fetching a runner's calendar feed: only http(s) to public addresses, pinned, bounded and timed.

No test connects anywhere: a fake resolver answers names, and an ``httpx.MockTransport`` records
every request that would have gone out (the address it would have connected to, its Host header
and TLS server name) and answers it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import feednet
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar_import import MAX_ICS_BYTES, IcsProblem, ImportedCalendar, read_calendar
from bot.services.feed_fetch import FetchProblem, fetch_feed, is_public, system_resolver

ICS = (Path(__file__).resolve().parents[1] / "data" / "calendars" / "garmin_connect.ics").read_bytes()
PUBLIC = "93.184.215.14"
OTHER_PUBLIC = "151.101.1.69"


@dataclass
class Network(feednet.Network):
    """The shared fake network, serving the Garmin sample unless told otherwise."""

    answer: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(200, content=ICS)

    async def fetch(self, url: str, *, limit: int = MAX_ICS_BYTES, max_redirects: int = 3) -> bytes | FetchProblem:
        return await fetch_feed(
            url, resolver=self.resolve, transport=self.transport(), limit=limit, max_redirects=max_redirects
        )


def _redirect(location: str) -> Callable[[httpx.Request], httpx.Response]:
    """An answer that redirects the first request to ``location`` and serves the feed after."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed.ics":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, content=ICS)

    return answer


async def test_a_public_feed_is_fetched_from_the_address_that_was_checked() -> None:
    """The request goes to the resolved address, with the name as Host header and TLS server name."""
    net = Network(names={"calendar.example.com": [PUBLIC]})
    assert await net.fetch("https://calendar.example.com/feed.ics?token=s3cret") == ICS
    (request,) = net.sent
    assert str(request.url) == f"https://{PUBLIC}/feed.ics?token=s3cret"
    assert request.headers["Host"] == "calendar.example.com"
    assert request.extensions["sni_hostname"] == "calendar.example.com"
    assert "cookie" not in request.headers and "authorization" not in request.headers
    assert request.headers["Accept-Encoding"] == "identity"  # nothing compressed to unpack past the limit
    assert net.asked == ["calendar.example.com"]  # one lookup: the connection is pinned to it


async def test_webcal_is_fetched_over_https() -> None:
    """A webcal:// link, as training platforms publish them, is fetched as https."""
    net = Network(names={"app.trainingpeaks.example": [PUBLIC]})
    assert await net.fetch("webcal://app.trainingpeaks.example/ical/abc.ics") == ICS
    assert net.sent[0].url.scheme == "https"


async def test_an_international_name_is_looked_up_and_sent_in_its_ascii_form() -> None:
    """A feed on bücher.example is resolved and asked for as xn--bcher-kva.example."""
    net = Network(names={"xn--bcher-kva.example": [PUBLIC]})
    assert await net.fetch("https://bücher.example/feed.ics") == ICS
    assert (net.asked, net.sent[0].headers["Host"]) == (["xn--bcher-kva.example"], "xn--bcher-kva.example")
    assert net.sent[0].extensions["sni_hostname"] == "xn--bcher-kva.example"


async def test_a_port_in_the_url_is_kept_in_the_host_header() -> None:
    """A feed on a non-standard port is asked for at that port, under its name."""
    net = Network(names={"feeds.example.org": [PUBLIC]})
    assert await net.fetch("http://feeds.example.org:8080/cal.ics") == ICS
    assert (net.sent[0].url.port, net.sent[0].headers["Host"]) == (8080, "feeds.example.org:8080")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed.ics",
        "http://127.9.9.9:8080/feed.ics",
        "http://10.0.0.1/feed.ics",
        "http://192.168.1.10/feed.ics",
        "http://172.16.0.5/feed.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/feed.ics",
        "http://0.0.0.0/feed.ics",
        "http://224.0.0.1/feed.ics",
        "http://240.0.0.1/feed.ics",
        "http://[::1]/feed.ics",
        "http://[::]/feed.ics",
        "http://[fe80::1]/feed.ics",
        "http://[fd00::1]/feed.ics",
        "http://[::ffff:127.0.0.1]/feed.ics",
        "http://[::ffff:169.254.169.254]/feed.ics",
        "http://[2002:7f00:1::1]/feed.ics",
    ],
)
async def test_non_public_address_literals_are_refused_before_connecting(url: str) -> None:
    """Loopback, private, link-local, shared, multicast, reserved and wrapped IPv4 addresses are refused."""
    net = Network()
    assert await net.fetch(url) is FetchProblem.REFUSED_ADDRESS
    assert net.sent == []


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.0.0.1"], ["169.254.169.254"], ["::1"], [PUBLIC, "10.1.2.3"], ["::ffff:10.0.0.1", PUBLIC]],
    ids=["loopback", "private", "metadata", "ipv6-loopback", "public-and-private", "mapped-private-and-public"],
)
async def test_a_name_resolving_to_any_non_public_address_is_refused(addresses: list[str]) -> None:
    """A name is refused when any of its addresses is not public, so no DNS trick picks the bad one later."""
    net = Network(names={"feeds.evil.example": addresses})
    assert await net.fetch("https://feeds.evil.example/feed.ics") is FetchProblem.REFUSED_ADDRESS
    assert net.sent == []


@pytest.mark.parametrize(
    ("location", "names"),
    [
        ("http://127.0.0.1/", {}),
        ("http://[::1]/x.ics", {}),
        ("http://169.254.169.254/latest/meta-data/", {}),
        ("https://internal.example/x.ics", {"internal.example": ["10.0.0.7"]}),
    ],
    ids=["loopback", "ipv6-loopback", "metadata", "name-to-private"],
)
async def test_a_redirect_to_a_non_public_address_is_refused(location: str, names: dict[str, list[str]]) -> None:
    """Each redirect hop is checked again: the first request goes out, the redirected one never does."""
    net = Network(names={"calendar.example.com": [PUBLIC], **names}, answer=_redirect(location))
    assert await net.fetch("https://calendar.example.com/feed.ics") is FetchProblem.REFUSED_ADDRESS
    assert net.connected == [PUBLIC]


async def test_a_redirect_to_a_public_host_is_followed_and_pinned_there() -> None:
    """A relative or absolute redirect to a public host is fetched from that host's checked address."""
    net = Network(
        names={"calendar.example.com": [PUBLIC], "cdn.example.net": [OTHER_PUBLIC]},
        answer=_redirect("https://cdn.example.net/ics/abc.ics"),
    )
    assert await net.fetch("https://calendar.example.com/feed.ics") == ICS
    assert net.connected == [PUBLIC, OTHER_PUBLIC]
    assert net.sent[1].headers["Host"] == "cdn.example.net"


async def test_too_many_redirects_stop() -> None:
    """A feed that keeps redirecting is given up after the allowed hops."""
    net = Network(
        names={"loop.example.com": [PUBLIC]},
        answer=lambda request: httpx.Response(301, headers={"Location": "/feed.ics"}),
    )
    assert await net.fetch("https://loop.example.com/feed.ics", max_redirects=2) is FetchProblem.HTTP_ERROR
    assert len(net.sent) == 3


@pytest.mark.parametrize(
    "url",
    [
        "ftp://calendar.example.com/feed.ics",
        "file:///etc/passwd",
        "gopher://calendar.example.com/",
        "javascript:alert(1)",
        "https://user:password@calendar.example.com/feed.ics",
        "https://:token@calendar.example.com/feed.ics",
        "not a url",
        "https:///feed.ics",
        "",
    ],
)
async def test_urls_that_are_not_plain_http_are_refused(url: str) -> None:
    """Other schemes, a user name or password in the URL, and nonsense are bad URLs, not looked up."""
    net = Network()
    assert await net.fetch(url) is FetchProblem.BAD_URL
    assert (net.asked, net.sent) == ([], [])


async def test_a_name_that_does_not_resolve_is_unreachable() -> None:
    """A name the resolver does not know is unreachable."""
    assert await Network().fetch("https://nowhere.example/feed.ics") is FetchProblem.UNREACHABLE


async def test_a_refused_connection_is_unreachable() -> None:
    """When the transport cannot connect, the feed is unreachable."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    net = Network(names={"calendar.example.com": [PUBLIC, OTHER_PUBLIC]}, answer=refuse)
    assert await net.fetch("https://calendar.example.com/feed.ics") is FetchProblem.UNREACHABLE
    assert net.connected == [PUBLIC, OTHER_PUBLIC]  # each checked address tried once


async def test_a_slow_feed_times_out() -> None:
    """A server slower than the timeout is a timeout, not a hang."""

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, content=ICS)

    net = Network(names={"slow.example.com": [PUBLIC]})
    started = asyncio.get_running_loop().time()
    got = await fetch_feed(
        "https://slow.example.com/feed.ics", resolver=net.resolve, transport=httpx.MockTransport(slow), timeout=0.2
    )
    assert got is FetchProblem.TIMEOUT
    assert asyncio.get_running_loop().time() - started < 2


async def test_a_slow_lookup_times_out() -> None:
    """The timeout covers the name lookup too."""

    async def slow_resolver(host: str, port: int) -> list[str]:
        await asyncio.sleep(5)
        return [PUBLIC]

    net = Network()
    got = await fetch_feed(
        "https://slow.example.com/feed.ics", resolver=slow_resolver, transport=net.transport(), timeout=0.2
    )
    assert (got, net.sent) == (FetchProblem.TIMEOUT, [])


@pytest.mark.parametrize("status", [404, 410, 500, 503])
async def test_an_error_status_is_an_http_error(status: int) -> None:
    """A missing feed or a failing server is an HTTP error."""
    net = Network(names={"calendar.example.com": [PUBLIC]}, answer=lambda request: httpx.Response(status))
    assert await net.fetch("https://calendar.example.com/feed.ics") is FetchProblem.HTTP_ERROR


async def test_an_over_size_body_is_cut_off() -> None:
    """A body over the limit is refused, whether its length is declared or only streamed."""
    declared = Network(
        names={"big.example.com": [PUBLIC]}, answer=lambda request: httpx.Response(200, content=b"x" * 2000)
    )
    assert await declared.fetch("https://big.example.com/feed.ics", limit=1000) is FetchProblem.TOO_BIG

    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"BEGIN:VEVENT\r\n" * 100

    streamed = Network(
        names={"big.example.com": [PUBLIC]}, answer=lambda request: httpx.Response(200, content=endless())
    )
    assert await streamed.fetch("https://big.example.com/feed.ics", limit=10_000) is FetchProblem.TOO_BIG


async def test_a_page_that_is_not_a_calendar_is_fetched_and_then_named_by_the_reader() -> None:
    """A login page comes back as bytes, and the calendar reader says it is not iCalendar."""
    page = b"<!DOCTYPE html><html><body>Please log in</body></html>"
    net = Network(names={"calendar.example.com": [PUBLIC]}, answer=lambda request: httpx.Response(200, content=page))
    body = await net.fetch("https://calendar.example.com/feed.ics")
    assert isinstance(body, bytes)
    assert (
        read_calendar(body, dt.date(2026, 3, 23), dt.date(2026, 4, 5), ZoneInfo("Europe/Berlin")) is IcsProblem.NOT_ICS
    )


async def test_a_fetched_feed_reads_as_a_calendar() -> None:
    """What the fetcher returns is what the reader reads."""
    net = Network(names={"calendar.example.com": [PUBLIC]})
    body = await net.fetch("webcal://calendar.example.com/feed.ics")
    assert isinstance(body, bytes)
    calendar = read_calendar(body, dt.date(2026, 3, 23), dt.date(2026, 4, 5), ZoneInfo("Europe/Berlin"))
    assert isinstance(calendar, ImportedCalendar) and calendar.days


@pytest.mark.parametrize(
    ("address", "public"),
    [
        (PUBLIC, True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("100.100.100.100", False),
        ("198.18.0.1", False),
        ("::ffff:192.168.0.1", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo wrapping 192.0.2.45
        ("fec0::1", False),
        ("64:ff9b::a00:1", False),  # NAT64 wrapping 10.0.0.1
        ("not an address", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    """Only globally routable unicast addresses count as public."""
    assert is_public(address) is public


async def test_the_system_resolver_reads_an_address_without_the_network() -> None:
    """The real resolver gives an IP literal back as itself (no lookup goes out)."""
    assert await system_resolver("127.0.0.1", 80) == ["127.0.0.1"]


_ADDRESSES = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1", PUBLIC, OTHER_PUBLIC]),
)
_URLS = st.one_of(
    st.text(max_size=60),
    st.builds(
        "{}://{}{}/{}".format,
        st.sampled_from(["http", "https", "webcal", "HTTPS", "ftp", "file"]),
        st.sampled_from(["", "user:pw@", ":x@"]),
        st.one_of(st.sampled_from(["feeds.example.com", "a.example", "[::1]", "127.0.0.1"]), _ADDRESSES),
        st.text(max_size=10),
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    url=_URLS,
    answers=st.lists(_ADDRESSES, max_size=3),
    location=st.one_of(st.none(), _URLS),
)
async def test_no_url_redirect_or_lookup_ever_reaches_a_non_public_address(
    url: str, answers: list[str], location: str | None
) -> None:
    """Whatever the URL, the names' addresses and a redirect, every request goes to a public address."""
    net = Network(
        names={"feeds.example.com": answers, "a.example": answers},
        answer=_redirect(location) if location is not None else Network.answer,
    )
    await net.fetch(url)
    assert all(is_public(host) for host in net.connected)
