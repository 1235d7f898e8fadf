"""What the hostile tests share: every conversation state a runner can be in, the steps that reach
it, and the hostile texts and taps thrown at it (``test_hostile_fuzz``, ``test_hostile_examples``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from chatdriver import START, UI, Runner, start_application, stop_application
from test_checkins import ONBOARD

from bot.app import prepare_database
from bot.clock import FakeClock
from bot.coach.model import Level
from bot.console.transport import OfflineBotApi
from bot.telegram.context import CoachApplication
from bot.telegram.signing import Signer

S, L = UI.settings, UI.loop
MONDAY = ":clock 2026-11-23T17:00:00+00:00"  # the evening of the first lifting day, Strength for runners
# every state a runner can be in, and the steps that reach it from a new chat ("#label" taps a
# button on the latest keyboard, anything else is typed): the 11 onboarding questions and the chat
# before them, the everyday chat, each /settings question, /log's pick and each check-in step, the
# red-flag question, a pause and /delete's confirmation (``MONDAY`` moves the clock)
STATES: dict[str, tuple[str, ...]] = {
    "new": (),
    **{f"onboarding {n}/11": ONBOARD[:n] for n in range(1, 12)},
    "everyday": ONBOARD,
    **{
        f"settings {name}": (*ONBOARD, "/settings", f"#{label}")
        for name, label in (
            ("reminder", S.btn_reminder),
            ("timezone", S.btn_timezone),
            ("level", S.btn_level),
            ("run_days", S.btn_run_days),
            ("long_day", S.btn_long_day),
            ("quality_days", S.btn_quality_days),
            ("equipment", S.btn_equipment),
            ("minutes", S.btn_minutes),
            ("niggles", S.btn_niggles),
            ("sessions", S.btn_sessions),
        )
    },
    "log pick": (*ONBOARD, MONDAY, "/log"),
    "check-in status": (*ONBOARD, MONDAY, "/log", "#Mon 23"),
    "check-in effort": (*ONBOARD, MONDAY, "/log", "#Mon 23", f"#{L.btn_done}"),
    "check-in soreness": (*ONBOARD, MONDAY, "/log", "#Mon 23", f"#{L.btn_done}", "#7"),
    "red-flag question": (*ONBOARD, "my knee hurts"),
    "paused": (*ONBOARD, "/pause until 5 dec"),
    "delete confirmation": (*ONBOARD, "/delete"),
}

FAR = ("9999-12-28", "31 december 9999", "0000-01-01", "9999-12-31", "1 jan 10000", "2026-02-30", "12/31/9999")
HOSTILE_TEXTS = (
    "x" * 5000,
    "²" * 4096,
    "rpe ²",
    "done, rpe ²",
    "did it rpe 1²",
    "rpe ⑦",  # "⑦".isdigit() is True, int("⑦") raises
    "rpe ٧",  # an Arabic-Indic seven: a real digit to int(), not to a runner writing English
    "30²",
    "⑦:³⁰",
    "\x00\x01\x02\x1b[31m\x7f",
    "\u202eenod\u202c rpe 7",  # right-to-left override
    "مرحبا، هل يمكنني التدريب اليوم؟",
    "🏋️\u200d♀️" * 300,
    "'; DROP TABLE runners; --",
    "*bold* _it_ [link](http://example.com) `code` <b>x</b>",
    "%s %n {0} {name} ${x}",
    "/pause until 9999-12-28",
    "/settings\x00",
    "/start@other_bot",
    *(f"pause until {when}" for when in FAR),
    *(f"back on {when}" for when in FAR),
    *(f"my long run moved to {when}" for when in FAR),
    *(f"did it on {when}, rpe 7" for when in FAR),
    *FAR,
)
FIELDS = ("²", "⑦", "٣", "9" * 40, "", "-1", "0", "11", "99991231", "00000101", "20261131", "1e3", " 7", "7\n", "__")
SCOPES = ("ob", "set", "ci", "rpe", "sore", "area", "pain", "log", "ng", "nt", "nm", "nw", "hl", "del", "pause", "tu")
SCOPES += ("menu", "ck", "")
DAY = "20261123"  # the Monday of the check-in states


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Tap:
    """A tap with ``data``: ``raw`` as a modified client sends it (no MAC, or a MAC it made up),
    ``other`` signed for another chat, ``tamper`` a real button's MAC on changed data, or ``offered``
    as if the bot had put exactly that button on the message (tests the handlers past the gate)."""

    how: str
    data: str


@dataclass(frozen=True)
class Mutate:
    """A real button of the latest keyboard (``button``-th, wrapping) with one field (``position``-th,
    wrapping) replaced by ``field``: tapped as if offered (``offered``), else under its old MAC."""

    button: int
    position: int
    field: str
    offered: bool


Action = Say | Tap | Mutate


def taps_of(scope: str, fields: tuple[str, ...]) -> list[str]:
    """Callback data of a scope with hostile fields: every arity, each field hostile in turn."""
    found = [scope, f"{scope}|", f"{scope}|{DAY}", f"{scope}|{DAY}|7|extra", f"{scope}|{DAY}|" + "m" * 60]
    for field in fields:
        found += [f"{scope}|{DAY}|{field}", f"{scope}|{field}|7", f"{scope}|{field}|done"]
    return found


HOSTILE_DATA = tuple(itertools.chain.from_iterable(taps_of(scope, FIELDS) for scope in SCOPES))
FORGED = ("hl|lvl|some", "hl|lvl|regular", "hl|clear|all", "del|all|yes", f"rpe|{DAY}|²", "set|minutes|999")
FORGED += ("ob|level|regular",)


class Chat:
    """One app on one database for a whole test, with a new runner (a new user id) per example."""

    def __init__(self, app: CoachApplication, api: OfflineBotApi, clock: FakeClock) -> None:
        self.app, self.api, self.clock = app, api, clock
        self.ids = itertools.count(700_000)

    async def runner_in(self, state: str) -> Runner:
        self.clock.set(START)
        runner = Runner(self.app, self.api, next(self.ids), "Ada")
        for step in STATES[state]:
            if step.startswith(":clock "):
                self.clock.set(dt.datetime.fromisoformat(step.removeprefix(":clock ")))
            else:
                await runner.steps(step)
        return runner


@asynccontextmanager
async def chat_on(url: str) -> AsyncIterator[Chat]:
    clock = FakeClock(START)
    api = OfflineBotApi(clock=clock)
    await prepare_database(url)
    app = await start_application(url, clock, api)
    try:
        yield Chat(app, api, clock)
    finally:
        await stop_application(app)


def _message_id(runner: Runner) -> int | None:
    message = runner.api.last_with_buttons(runner.user_id) or runner.api.last_message(runner.user_id)
    return None if message is None else message.message_id


async def act(runner: Runner, action: Action) -> bool:
    """Do one hostile action; whether it was a tap the gate must refuse (so it changes nothing)."""
    if isinstance(action, Say):
        await runner.say(action.text)
        return False
    if isinstance(action, Mutate):
        return await mutate(runner, action)
    message_id = _message_id(runner)
    if message_id is None:  # no bot message yet: nothing a client could tap
        await runner.say(action.data or "?")
        return False
    if action.how == "offered":
        if len(action.data.encode()) > 55:
            await runner.press_data(action.data, message_id)
            return True
        await runner.press_offered(action.data, message_id)
        return False
    await runner.press_data(forge(runner, action), message_id)
    assert runner.toasts == [UI.general.button_gone], (action, runner.toasts)
    return True


async def mutate(runner: Runner, action: Mutate) -> bool:
    message = runner.api.last_with_buttons(runner.user_id)
    buttons = [b.callback_data for b in message.inline_buttons if b.callback_data] if message is not None else []
    if message is None or not buttons:
        return False
    body, _, mac = buttons[action.button % len(buttons)].rpartition("#")
    parts = body.split("|")
    parts[action.position % len(parts)] = action.field
    data = "|".join(parts)
    if action.offered and len(data.encode()) <= 55:
        await runner.press_offered(data, message.message_id)
        return False
    if f"{data}#{mac}" == f"{body}#{mac}":
        return False  # the same button after all
    await runner.press_data(f"{data}#{mac}", message.message_id)
    assert runner.toasts == [UI.general.button_gone], (action, runner.toasts)
    return True


def forge(runner: Runner, tap: Tap) -> str:
    if tap.how == "other":
        fitting = tap.data.encode()[:55].decode(errors="ignore")
        return Signer(b"not the key").sign(runner.user_id, fitting) if fitting else "#AAAAAAAA"
    if tap.how == "tamper":
        message = runner.api.last_with_buttons(runner.user_id)
        real = [b.callback_data for b in message.inline_buttons] if message is not None else []
        mac = str(real[0]).rpartition("#")[2] if real else "AAAAAAAA"
        return f"{tap.data}#{mac}"
    return tap.data


async def stored(runner: Runner) -> tuple[Any, ...]:
    """What is stored about the runner: their onboarding answers and their account (profile,
    pause, settings), as compared before and after taps that must change nothing."""
    answers = await runner.answers()
    return (answers, await runner.account())


async def check_sound(runner: Runner, joined: dt.date | None) -> None:
    """The runner's data still loads, and a stored pause ends on a real day from when they joined."""
    account = await runner.account()
    if account is None:
        return
    if account.onboarded:
        profile = await runner.profile()
        assert profile.strength_level in set(Level)
    if account.paused_until is not None and joined is not None:
        assert joined <= account.paused_until <= dt.date(9999, 12, 31)
