"""Fetching a runner's calendar feed URL safely: only http(s), only public addresses, bounded.

A feed URL is whatever a runner pastes, and the bot fetches it from inside its own network, so it
could point the bot at itself, the database, another service on the private network or a cloud's
metadata endpoint (169.254.169.254). :func:`fetch_feed` refuses before connecting: schemes other
than http, https and webcal (which is https), a user name or password in the URL, and any host whose
address is not public: an IP literal, or a name of which ANY resolved address is loopback, private,
link-local, multicast, reserved, unspecified or shared (100.64/10), including those wrapped in IPv6
(IPv4-mapped, 6to4, Teredo; NAT64's prefix is not public at all). It then connects to the address it
checked, not to a second lookup of the name (the request goes to the IP, with the name as Host
header and TLS server name), so a name cannot resolve to a public address for the check and a
private one for the connection. Redirects are followed by hand, each hop checked again, at most
``max_redirects``. The body is streamed and cut at ``limit`` bytes (after decompression), and
``timeout`` bounds the whole fetch, lookups included. No cookies are kept, no proxy from the
environment is used, and the URL (which often carries the feed's secret token) is never logged: only
its host.

The resolver and transport are parameters: the bot passes :func:`system_resolver` and no transport;
tests pass fakes that record what would have been connected to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeAlias

import httpx
import structlog

from bot.coach.calendar_import import MAX_ICS_BYTES

__all__ = ["FetchProblem", "Resolver", "fetch_feed", "is_public", "system_resolver"]

log = structlog.get_logger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]

USER_AGENT = "runner-strength-coach (calendar import)"
_SCHEMES = {"http": "http", "https": "https", "webcal": "https", "webcals": "https"}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HOST = re.compile(rb"[A-Za-z0-9.\-_:\[\]]+")  # a name (IDNA-encoded), an IPv4 or a bracketed IPv6 address
_IP: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchProblem(StrEnum):
    BAD_URL = "bad_url"  # not an http(s) or webcal URL, or one with a user name or password
    REFUSED_ADDRESS = "refused_address"  # the host is (or resolves to, or redirects to) a non-public address
    UNREACHABLE = "unreachable"  # the name does not resolve, or no address accepts a connection
    TIMEOUT = "timeout"
    TOO_BIG = "too_big"
    HTTP_ERROR = "http_error"  # an error status, a redirect without a place, or too many redirects


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives ``host``, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _embedded(ip: _IP) -> _IP:
    """The IPv4 address an IPv6 address wraps (IPv4-mapped, 6to4, Teredo's client), else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        wrapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if wrapped is not None:
            return wrapped
    return ip


def is_public(address: str) -> bool:
    """Whether ``address`` (an IP address as text) is one the bot may connect to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    for each in {ip, _embedded(ip)}:
        if not each.is_global or each.is_multicast or each.is_reserved or each.is_private:
            return False
        if isinstance(each, ipaddress.IPv6Address) and each.is_site_local:
            return False
    return True


def _target(url: str) -> httpx.URL | FetchProblem:
    """``url`` as an http(s) URL to fetch, or why it is not one."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        return FetchProblem.BAD_URL
    scheme = _SCHEMES.get(parsed.scheme.lower())
    if scheme is None or not _HOST.fullmatch(parsed.raw_host) or parsed.userinfo:
        return FetchProblem.BAD_URL
    return parsed.copy_with(scheme=scheme)


def _name(url: httpx.URL) -> str:
    """The URL's host as it goes on the wire: ASCII, an international name in its IDNA form."""
    return url.raw_host.decode("ascii")


async def _addresses(url: httpx.URL, resolver: Resolver) -> list[str] | FetchProblem:
    """The checked addresses of ``url``'s host: every one public, or the host is refused."""
    host = _name(url)
    try:
        literal: _IP | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return [host] if is_public(host) else FetchProblem.REFUSED_ADDRESS
    try:
        found = await resolver(host, url.port or (443 if url.scheme == "https" else 80))
    except (OSError, UnicodeError):  # socket.gaierror is an OSError; an IDNA name too long is a UnicodeError
        return FetchProblem.UNREACHABLE
    if not found:
        return FetchProblem.UNREACHABLE
    return found if all(is_public(address) for address in found) else FetchProblem.REFUSED_ADDRESS


def _pinned(url: httpx.URL, address: str) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The request to ``address`` for ``url``: its URL, its headers (Host is the name) and extensions
    (the TLS server name is the name, so the certificate is checked against it)."""
    name = _name(url)
    host_header = name if url.port is None else f"{name}:{url.port}"
    headers = {
        "Host": host_header,
        "User-Agent": USER_AGENT,
        "Accept": "text/calendar, */*;q=0.5",
        "Accept-Encoding": "identity",  # the limit counts what arrives: no compressed bomb to unpack
    }
    ip_host = address.split("%", 1)[0]
    extensions = {"sni_hostname": name} if url.scheme == "https" else {}
    return url.copy_with(host=ip_host), headers, extensions


async def _get(
    client: httpx.AsyncClient, url: httpx.URL, addresses: list[str], limit: int
) -> bytes | httpx.URL | FetchProblem:
    """The body at ``url`` from the first of ``addresses`` that answers; the next URL for a redirect."""
    for address in addresses:
        request_url, headers, extensions = _pinned(url, address)
        request = client.build_request("GET", request_url, headers=headers, extensions=extensions)
        try:
            response = await client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            continue
        try:
            return await _answer(response, url, limit)
        finally:
            await response.aclose()
    return FetchProblem.UNREACHABLE


async def _answer(response: httpx.Response, url: httpx.URL, limit: int) -> bytes | httpx.URL | FetchProblem:
    if response.status_code in _REDIRECTS:
        location = response.headers.get("Location")
        if not location:
            return FetchProblem.HTTP_ERROR
        try:
            return url.join(location)
        except (httpx.InvalidURL, TypeError, ValueError):
            return FetchProblem.BAD_URL
    if response.status_code >= 300:  # 3xx without a place to go, 4xx, 5xx
        return FetchProblem.HTTP_ERROR
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        return FetchProblem.TOO_BIG
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > limit:
            return FetchProblem.TOO_BIG
    return bytes(body)


async def _fetch(
    url: httpx.URL, resolver: Resolver, client: httpx.AsyncClient, limit: int, max_redirects: int
) -> bytes | FetchProblem:
    for _hop in range(max_redirects + 1):
        addresses = await _addresses(url, resolver)
        if isinstance(addresses, FetchProblem):
            log.info("feed_fetch_refused", host=_name(url), problem=addresses.value)
            return addresses
        client.cookies.clear()  # a redirect's cookie never goes along to the next hop
        got = await _get(client, url, addresses, limit)
        if not isinstance(got, httpx.URL):
            return got
        target = _target(str(got))
        if isinstance(target, FetchProblem):
            return target
        url = target
    return FetchProblem.HTTP_ERROR  # more redirects than allowed


async def fetch_feed(
    url: str,
    *,
    resolver: Resolver,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 10.0,  # noqa: ASYNC109 - one deadline over lookups, hops and body, kept inside
    limit: int = MAX_ICS_BYTES,
    max_redirects: int = 3,
) -> bytes | FetchProblem:
    """The body of the calendar feed at ``url`` (http, https or webcal), at most ``limit`` bytes,
    fetched within ``timeout`` seconds from public addresses only; or why it could not be."""
    target = _target(url)
    if isinstance(target, FetchProblem):
        return target
    try:
        async with (
            asyncio.timeout(timeout),
            httpx.AsyncClient(
                transport=transport,
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                trust_env=False,  # no proxy from the environment: it would connect for us, unchecked
            ) as client,
        ):
            return await _fetch(target, resolver, client, limit, max_redirects)
    except (TimeoutError, httpx.TimeoutException):
        return FetchProblem.TIMEOUT
    except httpx.TransportError:  # the connection broke mid-answer, or the answer was not HTTP
        return FetchProblem.UNREACHABLE
    except httpx.DecodingError:
        return FetchProblem.HTTP_ERROR
