"""A TCP proxy in front of PostgreSQL that a test can cut and restore: a database outage, as the
bot meets it (its connections drop, new ones are refused), without touching the server."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.engine import make_url


class DatabaseProxy:
    """Forwards 127.0.0.1:``port`` to the database ``url`` names, until :meth:`cut`."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self._url = parsed
        self._target = (parsed.host or "127.0.0.1", parsed.port or 5432)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._down = False
        self._trip: list[bytes] = []  # cut once the client has sent each of these, in turn
        self.port = 0

    @property
    def url(self) -> str:
        """The database URL, through the proxy."""
        return self._url.set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def cut(self) -> None:
        """The database goes away: every open connection drops and new ones are dropped at once.

        The proxy keeps its port while cut (a closed port could be handed to another test's proxy
        running in parallel, which would reconnect the bot to the database through it)."""
        self._down = True
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def cut_after(self, *markers: bytes) -> None:
        """Cut at the first thing the client sends after it sent each marker in turn (say, the
        commit that follows an INSERT): an outage that strikes between two transactions."""
        self._trip = list(markers)

    async def close(self) -> None:
        """Cut, and give the port back (at the end of a test)."""
        await self.cut()
        if self._server is not None:
            self._server.close()
            self._server = None

    async def restore(self) -> None:
        """The database is back on the same address."""
        self._down = False

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer, True), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, client: bool = False) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                if client and self._trip == [b""]:
                    self._trip = []
                    await self.cut()
                    return
                if client and self._trip and self._trip[0] in data:
                    self._trip = self._trip[1:] or [b""]
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self._writers.discard(writer)
