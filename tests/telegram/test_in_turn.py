"""The gates run in one group (``bot.app.InTurn``) exactly as they ran in a group each: every one
that matches, in order; an ``ApplicationHandlerStop`` ends the update; any other error goes to the
error handlers and on to the next gate, unless an error handler stops it."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder, ApplicationHandlerStop, MessageHandler, TypeHandler, filters

from bot.app import InTurn
from bot.console.transport import OfflineBotApi

TOKEN = "123456789:offline-coach-token-0000"


def script(events: list[str], stop_in_error: bool) -> tuple[list[Any], Any]:
    def gate(name: str, outcome: str | None = None) -> Any:
        async def run(update: object, _context: Any) -> None:
            events.append(name)
            if outcome == "stop":
                raise ApplicationHandlerStop
            if outcome == "fail":
                raise ValueError(name)

        return run

    async def on_error(_update: object, context: Any) -> None:
        events.append(f"error {context.error}")
        if stop_in_error and str(context.error) == "b":
            raise ApplicationHandlerStop

    gates = [
        TypeHandler(Update, gate("a")),
        TypeHandler(Update, gate("b", "fail")),
        MessageHandler(filters.COMMAND, gate("commands only")),
        TypeHandler(Update, gate("c")),
        TypeHandler(Update, gate("d", "stop")),
        TypeHandler(Update, gate("never")),
    ]
    return gates, on_error


async def run(one_group: bool, stop_in_error: bool, text: str) -> list[str]:
    events: list[str] = []
    gates, on_error = script(events, stop_in_error)
    api = OfflineBotApi()
    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).build()
    if one_group:
        app.add_handler(InTurn(gates), group=-1)
    else:
        for group, gate in enumerate(gates, start=-len(gates)):
            app.add_handler(gate, group=group)
    app.add_handler(TypeHandler(Update, lambda _u, _c: events.append("after")))  # type: ignore[arg-type,return-value]
    app.add_error_handler(on_error)
    await app.initialize()
    try:
        await app.process_update(api.to_update(api.text(4242, text), app.bot))
        await app.process_update(object())  # no gate matches it
    finally:
        await app.shutdown()
    return events


@pytest.mark.parametrize("stop_in_error", [False, True])
@pytest.mark.parametrize("text", ["hello", "/help"])
async def test_gates_in_one_group_run_as_in_a_group_each(stop_in_error: bool, text: str) -> None:
    assert await run(True, stop_in_error, text) == await run(False, stop_in_error, text)
    assert (await run(True, False, "/help"))[:5] == ["a", "b", "error b", "commands only", "c"]
