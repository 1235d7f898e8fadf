"""A runner's health talk never reaches the log: a scripted week through the real Application, logged
at DEBUG, INFO and WARNING in JSON and as console text, holds none of the runner's words, name or the
health replies they got, and no line about their body names them (no Telegram, chat or runner id)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from chatdriver import UI, Runner
from logcapture import captured_logs
from pydantic import TypeAdapter, ValidationError

from bot.app import build_application, prepare_database, start, stop
from bot.clock import FakeClock
from bot.coach.intent_types import Intent
from bot.coach.model import BodyArea
from bot.coach.redflags import Sign
from bot.config import Settings
from bot.console.transport import JSONDict, OfflineBotApi
from bot.services.dispatch import dispatch_due
from bot.services.questions import Question
from bot.telegram.context import CoachApplication

RUNNER_ID = 730_194_826  # a Telegram id no timestamp or count could contain by chance
FIRST, LAST, USERNAME = "Philippa", "Quenneville", "pippa_trailfox"
NIGGLES = "my left knee since last winter, and a grumbly achilles"
# what the runner types during the week, at local times (day offset from the Monday, hour)
SAYS = {
    (0, 12): "my knee hurts at night and I feel dizzy",
    (1, 12): "sharp chest pain when running uphill yesterday",
    (2, 12): "I've got a fever and a streaming cold, staying in bed",
    (3, 12): "did it this morning, rpe 7, though my hamstring twinged",
    (4, 12): "what should I lift today?",
    (5, 12): "my shin bone throbs, a tender spot right on the bone",
    (6, 12): "calves cramping whenever I sprint downhill",  # the reading of this one fails (FAULTY)
}
FAULTY = "calves cramping whenever I sprint downhill"
BERLIN = dt.timezone(dt.timedelta(hours=1))  # Berlin in winter
START = dt.datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)  # a Saturday: onboarding
MONDAY = dt.date(2026, 11, 23)
ONBOARDING = ("some", "mon wed fri sun", "sun", "wed", "no race", "dumbbells", "30", NIGGLES)
SETUP = ("Europe/Berlin", "07:00", "no")
COMMANDS = ("/start", "/admin", "/delete")
STOPWORDS = {"with", "this", "that", "have", "what", "when", "from", "your", "today", "yesterday", "morning"}
STOPWORDS |= {"though", "right", "since", "last", "some", "should"}
# the coach's own words (an intent, a body area, a red flag, a question it asks, a command): labels
# its lines may carry (a health event only without the runner); never the runner's own words
VOCABULARY = {area.value for area in BodyArea} | {i.value for i in Intent} | {s.value for s in Sign}
VOCABULARY |= {q.value for q in Question} | {"start"}
IDS = re.compile(r"\b(user_id|chat_id|update_id|runner_id|telegram_id|message_id)\b")
HEALTH = {"health", "pain", "ill", "illness", "urgent", "red", "flag", "niggle", "niggles", "sore", "bone"}
HEALTH |= {"injury", "injuries", "cleared", "clearance", "dizzy", "fever", "chest"}
HEALTH |= {area.value for area in BodyArea} - {"back"}  # ("onboarding.back" is a tap of the Back button)


class Philippa(Runner):
    """A runner whose updates carry a last name and a username, as Telegram's do."""

    async def send(self, update: JSONDict) -> list[str]:
        body = update.get("message") or update.get("callback_query")
        assert body is not None
        body["from"].update(last_name=LAST, username=USERNAME)
        if "chat" in body:
            body["chat"].update(first_name=FIRST, last_name=LAST, username=USERNAME)
        return await super().send(update)


@pytest.fixture(params=["DEBUG", "INFO", "WARNING"])
def level(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def migrated(tmp_path: Path) -> str:
    """A fresh SQLite file at the newest migration (migrated before the logging under test starts)."""
    url = f"sqlite+aiosqlite:///{tmp_path}/coach.db"
    await prepare_database(url)
    return url


@pytest.fixture(params=["json", "console"])
def captured(request: pytest.FixtureRequest, level: str, migrated: str) -> Iterator[io.StringIO]:
    """Logging configured as `coach run` does it, at ``level``, into a buffer; reset afterwards."""
    with captured_logs(level, ["123456789:offline-coach-token-0000"], json=request.param == "json") as out:
        yield out


@pytest.fixture
async def coach(migrated: str, captured: io.StringIO) -> AsyncIterator[tuple[CoachApplication, FakeClock, Runner]]:
    """The real Application on a fresh SQLite file, the runner an operator too (so /admin answers)."""
    url = migrated
    clock = FakeClock(START.astimezone(dt.UTC))
    api = OfflineBotApi(clock=clock)
    settings = Settings(_env_file=None, database_url=url, telegram_bot_token=None, admin_ids=[RUNNER_ID])  # type: ignore[call-arg]
    app = build_application(settings, clock=clock, request=api)
    await start(app)
    try:
        yield app, clock, Philippa(app, api, RUNNER_ID, FIRST)
    finally:
        await stop(app)


async def onboard(runner: Runner) -> None:
    """Onboarding with a name and two niggles, each answered "no red flag"."""
    await runner.steps("/start", *ONBOARDING)
    if any("Done" in label for label in runner.labels()):
        await runner.press("Done")  # the areas read from the description, ticked: done
    for _ in range(4):  # one red-flag question per niggle area
        if "9/11" in runner.open_question():
            break
        await runner.say("no")
    assert "9/11" in runner.open_question(), runner.replies
    replies = await runner.steps(*SETUP)
    assert len(replies) == 3, replies


async def answer_all(runner: Runner, pressed: list[str]) -> None:
    """Tap through whatever the latest keyboard asks, the way a runner with no complaints would."""
    for _ in range(6):
        try:
            labels = runner.labels()
        except AssertionError:
            return
        for wanted in ("Done", "6", "None", UI.loop.btn_niggle_ok, "Same", UI.loop.btn_red_flag_no, "Not yet"):
            if any(wanted.casefold() in label.casefold() for label in labels):
                try:
                    await runner.press(wanted)
                except AssertionError:
                    continue
                pressed.append(wanted)
                break
        else:
            return


async def run_week(app: CoachApplication, clock: FakeClock, runner: Runner) -> list[str]:
    """Onboarding, then a week of prompts from the dispatcher, check-ins, health talk, /admin and
    /delete; returns every message the bot sent the runner, as they last read it."""
    pressed: list[str] = []
    sent = 0
    await onboard(runner)
    deps = app.bot_data.deps
    at = clock.now()
    end = dt.datetime.combine(MONDAY + dt.timedelta(days=7), dt.time(9), tzinfo=BERLIN)
    while at < end:
        at += dt.timedelta(minutes=30)
        if at.minute and at.astimezone(BERLIN).hour != 19:
            continue  # on the hour, and at 19:30 for the weekly review
        clock.set(at)
        structlog.contextvars.clear_contextvars()  # as the dispatch job does: a sweep is no update's
        structlog.contextvars.bind_contextvars(job="dispatch")
        report = await dispatch_due(
            uow=deps.coach.uow, sender=deps.sender, composer=deps.composer, now=at, worker_id="week"
        )
        sent += len(report.message_ids)
        if report.message_ids:
            await answer_all(runner, pressed)
        local = at.astimezone(BERLIN)
        text = SAYS.get(((local.date() - MONDAY).days, local.hour)) if local.minute == 0 else None
        if text == FAULTY:
            await fail_reading(app, runner, text)
        elif text is not None:
            await runner.say(text)
            await answer_all(runner, pressed)
    assert (await runner.say("/admin"))[0].startswith("Runners: 1 (1 onboarded")
    said = runner.api.texts_since(runner.user_id, 0)
    assert sent >= 6 and pressed.count("Done") >= 2 and "6" in pressed, (sent, pressed)  # prompts, check-ins
    health = (UI.loop.ill_urgent, UI.loop.fmt("red_flag", area="shin"), UI.loop.fmt("pain_rule", area="hamstring"))
    for answer in health:
        assert any(answer in message for message in said), f"health talk unanswered: {answer}"
    await runner.say("/delete")
    await runner.press(UI.loop.btn_delete_yes)
    assert runner.last_message() == UI.loop.deleted and await runner.account() is None
    return said


async def fail_reading(app: CoachApplication, runner: Runner, text: str) -> None:
    """The runner's message breaks the handler with errors that quote it, as a library's would: a
    pydantic validation error (``input_value='...'``), and a ValueError caused by it."""
    intents = app.bot_data.deps.intents
    parse = intents.parse

    def broken(said: str, *args: Any, **kwargs: Any) -> Any:
        try:
            TypeAdapter(int).validate_python(said)
        except ValidationError as exc:
            raise ValueError(f"invalid literal for int() with base 10: {said!r} (from {said})") from exc
        return parse(said, *args, **kwargs)

    object.__setattr__(intents, "parse", broken)
    try:
        update = runner.api.text(runner.user_id, text, FIRST)
        update["message"]["from"].update(last_name=LAST, username=USERNAME)
        await runner.api.deliver(app, update)
    finally:
        object.__delattr__(intents, "parse")
    assert UI.general.error in runner.api.texts_since(runner.user_id, 0), "the runner is told politely"


def entries(out: str) -> list[str]:
    """The log, one entry a string (a console entry keeps its traceback lines)."""
    lines = out.splitlines()
    if all(line.startswith("{") for line in lines if line.strip()):
        return [line for line in lines if line.strip()]
    found: list[str] = []
    for line in lines:
        if re.match(r"\d{4}-\d\d-\d\dT", line) or not found:
            found.append(line)
        else:
            found[-1] += "\n" + line
    return found


def words_of(texts: list[str]) -> set[str]:
    return {
        word
        for text in texts
        for word in re.findall(r"[a-z']{4,}", text.casefold())
        if word not in STOPWORDS and word not in VOCABULARY
    }


async def test_a_week_of_health_talk_leaves_no_trace_of_the_runner_in_the_log(
    coach: tuple[CoachApplication, FakeClock, Runner], captured: io.StringIO, level: str
) -> None:
    """None of the runner's words, names, niggle descriptions or health replies appears in the log
    at any level, and no line about their body carries an id that names them."""
    app, clock, runner = coach
    replies = await run_week(app, clock, runner)
    out = captured.getvalue()
    logged = entries(out)
    typed = [*ONBOARDING, *SETUP, *SAYS.values(), *COMMANDS]
    forbidden = words_of(typed) | {FIRST.casefold(), LAST.casefold(), USERNAME.casefold()}
    forbidden |= {line.strip().casefold() for reply in replies for line in reply.splitlines() if len(line) > 24}
    assert "dizzy" in forbidden and "grumbly" in forbidden and "philippa" in forbidden
    found = sorted(word for word in forbidden if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", out.casefold()))
    print(f"{level}: {len(logged)} log entries, {len(forbidden)} words and reply lines looked for")
    assert not found, f"the runner's words in the log: {found}"
    about_body = [entry for entry in logged if HEALTH & set(re.split(r"[^a-z]+", entry.casefold()))]
    naming = [entry for entry in about_body if IDS.search(entry) or str(RUNNER_ID) in entry]
    assert not naming, "lines about the runner's body that name them:\n" + "\n".join(naming)
    if level != "WARNING":
        assert about_body, "the health events are logged, without the runner"
    errors = [entry for entry in logged if "handler.error" in entry]
    assert len(errors) == 1 and "Traceback" in errors[0], "the failure is logged with its traceback at every level"
    assert "ValidationError" in errors[0] and "ValueError" in errors[0]
    if level == "INFO" and out.lstrip().startswith("{"):
        events = [json.loads(line)["event"] for line in logged]
        assert "runner.deleted" in events
