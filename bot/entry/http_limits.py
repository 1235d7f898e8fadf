"""The webhook server's limits: how long a client may take, how many may be connected, and how
abuse is logged (a count per kind per interval, never a line or a traceback per connection).

A connection has ``header_timeout`` seconds to send a whole request head (the same bound applies
between two requests on a kept-alive connection), then ``body_timeout`` seconds for the body.
At most ``max_connections`` are open at once; when one more arrives, the connection that has
waited longest for a request head is closed to make room (one that is mid-request is never
cut), so clients that connect and say nothing cannot lock Telegram out, however many they are.
Each kind of abuse (``too_many_connections``, ``header_timeout``, ``body_timeout``,
``header_too_large``, ``malformed_request``, and the webhook handler's ``wrong_secret`` and
``body_too_large``) is counted and written as one ``webhook.abuse``
line per ``report_interval`` in which it happened.
"""

from __future__ import annotations

import logging
import resource
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import structlog
from tornado import httputil
from tornado.http1connection import HTTP1ServerConnection
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream

log = structlog.get_logger(__name__)

# Telegram opens at most 100 connections to a webhook (40 unless set_webhook says otherwise)
MAX_CONNECTIONS = 256
RESERVED_FILES = 64  # files the rest of the process needs: the database, the Bot API client, logs
# the loggers that write a line per connection: tornado's, and asyncio's for a failed callback
CONNECTION_LOGGERS = ("tornado.general", "tornado.application", "asyncio")
# tornado's per-connection lines, by the start of their message, and the kind of abuse each tells
KNOWN_LINES = (
    ("Timeout reading body", "body_timeout"),
    ("Unsatisfiable read", "header_too_large"),
    ("Malformed HTTP message", "malformed_request"),
)


@dataclass(frozen=True)
class Limits:
    """What the webhook server tolerates of one client, and of all of them together."""

    max_connections: int = MAX_CONNECTIONS
    header_timeout: float = 10.0  # seconds for a request's head (Telegram sends it at once)
    body_timeout: float = 10.0  # seconds for its body (an update is a few kilobytes)
    max_header_bytes: int = 16 * 1024
    max_body_bytes: int = 1024 * 1024
    report_interval: float = 60.0  # seconds between two webhook.abuse lines of one kind


def file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; return the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):  # not allowed here: keep the soft limit
            pass
    return soft if soft != resource.RLIM_INFINITY else MAX_CONNECTIONS + RESERVED_FILES


def fitted(limits: Limits, open_files: int) -> Limits:
    """``limits`` with a connection cap that leaves room, under ``open_files``, for everything else
    the process opens: past that limit accept() fails, and tornado would retry it in a tight loop."""
    room = max(8, open_files - RESERVED_FILES)
    if limits.max_connections <= room:
        return limits
    log.warning("webhook.connection_cap_lowered", max_connections=room, open_files=open_files)
    return Limits(
        max_connections=room,
        header_timeout=limits.header_timeout,
        body_timeout=limits.body_timeout,
        max_header_bytes=limits.max_header_bytes,
        max_body_bytes=limits.max_body_bytes,
        report_interval=limits.report_interval,
    )


class AbuseReport:
    """Counts rejected clients by kind; writes one ``webhook.abuse`` line per kind per interval."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()  # since start, for tests and the last line
        self._timer: PeriodicCallback | None = None

    def count(self, kind: str) -> None:
        self.counts[kind] += 1
        self.totals[kind] += 1

    def flush(self) -> None:
        """Write the counts gathered since the last flush, one line per kind, and start again."""
        counts, self.counts = self.counts, Counter()
        for kind, count in sorted(counts.items()):
            log.warning("webhook.abuse", kind=kind, count=count, interval=f"{self.interval:g}s")

    def start(self) -> None:
        """Flush every interval (on the running IO loop) until :meth:`stop`."""
        self._timer = PeriodicCallback(self.flush, self.interval * 1000)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.flush()


class ConnectionLogs(logging.Filter):
    """Turns tornado's per-connection lines into counts, and lets any other line of the connection
    loggers through once per interval (with its traceback), counting its repeats.

    A flood of bad connections would otherwise write a line, often a traceback, for each one.
    """

    def __init__(self, report: AbuseReport, *, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.report = report
        self.clock = clock
        self.last_seen: dict[tuple[str, object], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        for start, kind in KNOWN_LINES:
            if message.startswith(start):
                self.report.count(kind)
                return False
        key, now = (record.name, record.msg), self.clock()
        last = self.last_seen.get(key)
        if last is not None and now - last < self.report.interval:
            self.report.count("repeated_log_line")
            return False
        if len(self.last_seen) > 1000:  # keyed by message template; bounded all the same
            self.last_seen.clear()
        self.last_seen[key] = now
        return True

    def install(self) -> None:
        for name in CONNECTION_LOGGERS:
            logging.getLogger(name).addFilter(self)

    def remove(self) -> None:
        for name in CONNECTION_LOGGERS:
            logging.getLogger(name).removeFilter(self)


@dataclass
class _Waiting:
    since: float  # loop time it started waiting for a request head
    requests: int  # request heads it sent before this wait


class _Watched(httputil.HTTPMessageDelegate):
    """A request's delegate that tells the server when the request's head is in."""

    def __init__(self, inner: httputil.HTTPMessageDelegate, on_head: Any) -> None:
        self.inner = inner
        self.on_head = on_head

    def headers_received(
        self, start_line: httputil.RequestStartLine | httputil.ResponseStartLine, headers: httputil.HTTPHeaders
    ) -> Any:
        self.on_head()
        return self.inner.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Any:
        return self.inner.data_received(chunk)

    def finish(self) -> None:
        self.inner.finish()

    def on_connection_close(self) -> None:
        self.inner.on_connection_close()


class LimitedHTTPServer(HTTPServer):
    """tornado's HTTP server with a connection cap that closes the longest-idle connection first,
    counting what it cuts; build it with :func:`limited_server`."""

    limits: Limits
    report: AbuseReport

    def setup(self, limits: Limits, report: AbuseReport) -> None:
        self.limits = limits
        self.report = report
        self.open: set[IOStream] = set()
        # connections waiting for a request head, the longest-waiting first
        self.waiting: dict[IOStream, _Waiting] = {}
        self.requests: dict[IOStream, int] = {}

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        if len(self.open) >= self.limits.max_connections:
            self.report.count("too_many_connections")
            if not self.waiting:  # every connection is mid-request: the newcomer waits its turn
                stream.close()
                return
            idlest = next(iter(self.waiting))
            self._forget(idlest)
            idlest.close()
        self.open.add(stream)
        self.requests[stream] = 0
        self._wait(stream)
        super().handle_stream(stream, address)

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> httputil.HTTPMessageDelegate:
        stream = self._stream(server_conn)
        if stream in self.open and stream not in self.waiting:
            self._wait(stream)
        delegate = super().start_request(server_conn, request_conn)
        return _Watched(delegate, lambda: self._head_in(stream))

    def on_close(self, server_conn: object) -> None:
        stream = self._stream(server_conn)
        waited = self.waiting.get(stream)
        timed_out = waited is not None and self.io_loop_time() - waited.since >= self.limits.header_timeout * 0.9
        if waited is not None and waited.requests == 0 and timed_out:
            self.report.count("header_timeout")  # connected, and never sent a whole request head
        self._forget(stream)
        super().on_close(server_conn)

    def _head_in(self, stream: IOStream) -> None:
        self.waiting.pop(stream, None)
        if stream in self.requests:
            self.requests[stream] += 1

    def _wait(self, stream: IOStream) -> None:
        self.waiting[stream] = _Waiting(self.io_loop_time(), self.requests.get(stream, 0))

    def _forget(self, stream: IOStream) -> None:
        self.open.discard(stream)
        self.waiting.pop(stream, None)
        self.requests.pop(stream, None)

    @staticmethod
    def _stream(server_conn: object) -> IOStream:
        assert isinstance(server_conn, HTTP1ServerConnection)
        return server_conn.stream

    @staticmethod
    def io_loop_time() -> float:
        return time.monotonic()


def limited_server(
    application: httputil.HTTPServerConnectionDelegate, limits: Limits, report: AbuseReport
) -> LimitedHTTPServer:
    """An HTTP server for ``application`` with ``limits``, counting abuse in ``report`` (not yet listening)."""
    server = LimitedHTTPServer(
        application,
        idle_connection_timeout=limits.header_timeout,
        body_timeout=limits.body_timeout,
        max_header_size=limits.max_header_bytes,
        max_body_size=limits.max_body_bytes,
    )
    server.setup(limits, report)
    return server
