"""python-telegram-bot's requests built by the bot: PTB's defaults, one TLS context (bot.telegram.bot_api)."""

from __future__ import annotations

from typing import Any

from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.telegram.bot_api import bot_requests

TOKEN = "987654321:bot-api-token-XYZ"


def _settings(request: Any) -> dict[str, Any]:
    """What an HTTPXRequest hands its httpx client, but the TLS context (PTB's keyword arguments)."""
    assert isinstance(request, HTTPXRequest)
    kwargs = {name: value for name, value in request._client_kwargs.items() if name != "verify"}
    return {**kwargs, "timeout": repr(kwargs["timeout"]), "limits": repr(kwargs["limits"])}


def test_the_bots_requests_are_ptbs_own_sharing_one_tls_context() -> None:
    """The Bot API calls and getUpdates go out as PTB's builder would send them (pools, timeouts, HTTP/1.1),
    through one TLS context loaded once rather than one per client."""
    calls, updates = bot_requests()
    bot = ApplicationBuilder().token(TOKEN).updater(None).build().bot
    ptb_updates, ptb_calls = bot._request  # PTB keeps (getUpdates, everything else)
    assert _settings(calls) == _settings(ptb_calls)
    assert _settings(updates) == _settings(ptb_updates)
    assert calls._client_kwargs["verify"] is updates._client_kwargs["verify"]
    assert calls.read_timeout == ptb_calls.read_timeout and updates.read_timeout == ptb_updates.read_timeout
