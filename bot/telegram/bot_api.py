"""python-telegram-bot's HTTP requests with one TLS context for its two clients.

PTB's ``ApplicationBuilder`` builds two httpx clients (Bot API calls, and ``getUpdates``), each
loading certifi's certificate authorities into a TLS context of its own: a twentieth of a second
of the bot's start each. :func:`bot_requests` builds the same two requests, PTB's defaults, sharing
one context.
"""

from __future__ import annotations

import httpx
from telegram.request import HTTPXRequest

CALLS_POOL = 256  # PTB's default connections for the Bot API calls
UPDATES_POOL = 1  # and for getUpdates, one long poll at a time


def bot_requests() -> tuple[HTTPXRequest, HTTPXRequest]:
    """The requests PTB's ``ApplicationBuilder`` makes by default (Bot API calls, getUpdates: pool sizes,
    timeouts and HTTP/1.1 as its own), sharing one TLS context made as httpx makes its default one
    (certifi's authorities, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set)."""
    context = httpx.create_ssl_context()
    return (
        HTTPXRequest(connection_pool_size=CALLS_POOL, httpx_kwargs={"verify": context}),
        HTTPXRequest(connection_pool_size=UPDATES_POOL, httpx_kwargs={"verify": context}),
    )
