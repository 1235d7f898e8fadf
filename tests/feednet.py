"""A fake network for calendar feeds, shared by the services and Telegram tiers: a resolver of
names and an ``httpx.MockTransport`` that records every request that would have gone out (the
address it would have connected to, its Host header and TLS server name) and answers it. Nothing
connects anywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

PUBLIC = "93.184.215.14"


@dataclass
class Network:
    """The fake resolver and transport: names to addresses, and every request that would have gone out."""

    names: dict[str, list[str]] = field(default_factory=dict)
    answer: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(404)
    asked: list[str] = field(default_factory=list)
    sent: list[httpx.Request] = field(default_factory=list)

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.names:
            raise OSError(f"no such name: {host}")
        return self.names[host]

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            self.sent.append(request)
            return self.answer(request)

        return httpx.MockTransport(handle)

    def serve(self, body: bytes) -> None:
        """Every request gets ``body`` as a calendar."""
        self.answer = lambda request: httpx.Response(200, content=body, headers={"Content-Type": "text/calendar"})

    @property
    def connected(self) -> list[str]:
        """The addresses a request would have gone to."""
        return [request.url.host for request in self.sent]
