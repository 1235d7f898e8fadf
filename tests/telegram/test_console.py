"""The `coach chat` terminal loop, driven by scripted lines against a real PTB Application."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import FakeClock
from bot.console.chat import (
    NoScheduler,
    ReadLine,
    parse_clock_argument,
    run_console,
    stdin_reader,
    stdout_writer,
)
from bot.console.transport import OfflineBotApi

RUNNER = 42
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)  # a Monday

AnyApp = Application[Any, Any, Any, Any, Any, Any]
CHECKIN = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("✅ Done", callback_data="checkin:done"),
            InlineKeyboardButton("Partly", callback_data="checkin:partly"),
        ],
        [InlineKeyboardButton("Swap to mobility", callback_data="checkin:swap")],
    ]
)

ANSWER = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="answer:yes")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks for the check-in with buttons."""
    assert update.message
    await update.message.reply_text("Today: lower body\n3x8 goblet squat", reply_markup=CHECKIN)


async def checkin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press with a pop-up and edits the prompt."""
    query = update.callback_query
    assert query and query.data
    await query.answer("Logged")
    await query.edit_message_text(f"Logged: {query.data.split(':')[1]}")


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks a question whose button, when tapped, leaves the answer under it."""
    assert update.message
    await update.message.reply_text("Long intro line\nPick one:", reply_markup=ANSWER)


async def answered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Appends the chosen answer under the question and drops its buttons."""
    query = update.callback_query
    assert query and isinstance(query.message, Message)
    await query.answer()
    await query.edit_message_text(f"{query.message.text}\n→ Yes")


async def where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers a reply keyboard with a location button."""
    assert update.message
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Share location", request_location=True), "Berlin"]])
    await update.message.reply_text("Where do you run?", reply_markup=keyboard)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Replies to free text and to a shared location."""
    message = update.message
    assert message
    if message.location:
        await message.reply_text(f"Got {message.location.latitude}", reply_markup=ReplyKeyboardRemove())
    else:
        await message.reply_text(f"You said: {message.text}")


class _Sweeper:
    def __init__(self, console: Console) -> None:
        self.console = console

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        return await self.console.next_due(after)

    async def run(self, now: dt.datetime) -> int:
        return await self.console.sweep(now)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def api(clock: FakeClock) -> OfflineBotApi:
    return OfflineBotApi(clock=clock)


@pytest.fixture
async def app(api: OfflineBotApi) -> AsyncIterator[AnyApp]:
    application = ApplicationBuilder().token("123:ABC").request(api).get_updates_request(api).updater(None).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("where", where))
    application.add_handler(CommandHandler("ask", ask))
    application.add_handler(CallbackQueryHandler(answered, pattern="^answer:"))
    application.add_handler(CallbackQueryHandler(checkin))
    application.add_handler(MessageHandler(~filters.COMMAND, echo))
    async with application:
        yield application


def scripted(lines: Iterable[str]) -> ReadLine:
    remaining = iter(lines)

    async def read_line() -> str | None:
        return next(remaining, None)

    return read_line


class Console:
    """Runs the console over a script and collects what it printed."""

    def __init__(self, app: AnyApp, api: OfflineBotApi, clock: FakeClock) -> None:
        self.app, self.api, self.clock = app, api, clock
        self.printed: list[str] = []
        self.sweeps = 0

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """A stand-in scheduler: nothing is due on the way, one prompt at the moved-to time."""
        return None

    async def sweep(self, now: dt.datetime) -> int:
        self.sweeps += 1
        await self.app.bot.send_message(RUNNER, f"Daily prompt for {self.clock.now():%a}", reply_markup=CHECKIN)
        return 1

    async def run(self, *lines: str, **options: Any) -> list[str]:
        await run_console(
            self.app,
            self.api,
            user_id=RUNNER,
            first_name="Ana",
            clock=self.clock,
            read_line=scripted(lines),
            write=self.printed.append,
            scheduler=_Sweeper(self),
            **options,
        )
        return "\n".join(self.printed).split("\n")


@pytest.fixture
def console(app: AnyApp, api: OfflineBotApi, clock: FakeClock) -> Console:
    return Console(app, api, clock)


async def test_scripted_session_prints_what_the_runner_would_see(console: Console) -> None:
    """A command, a numbered press, free text, a clock move (what arrived, under its local time) and
    a bad clock argument print as expected."""
    lines = await console.run("/start", "2", "hello", ":clock +1d", ":clock foo", ":now", ":quit", "never read")
    assert lines == [
        "coach> Today: lower body",
        "       3x8 goblet squat",
        "  [1] ✅ Done  [2] Partly",
        "  [3] Swap to mobility",
        "coach (popup)> Logged",
        "coach (edited)> Logged: partly",
        "coach> You said: hello",
        "· Tue 24 Nov 07:00 ·",
        "coach> Daily prompt for Tue",
        "  [1] ✅ Done  [2] Partly",
        "  [3] Swap to mobility",
        "clock: Tue 2026-11-24 07:00 UTC",
        "! can't move the clock to 'foo': use +1d, +3h, +30m, 07:00, thu 20:00 or 2026-12-01T07:00",
        "clock: Tue 2026-11-24 07:00 UTC",
    ]
    assert console.sweeps == 1
    assert console.clock.now() == START + dt.timedelta(days=1)


async def test_buttons_by_label_and_bare_labels_stay_free_text(console: Console) -> None:
    """`#swap` presses by label prefix, a typed label is sent as text, and `[9]` without a button errs."""
    lines = await console.run("/start", "Done", "#nope", "[9]", "#swap", "#done")
    assert lines[4:] == [
        "coach> You said: Done",
        "! no button labelled 'nope' (the buttons are: ✅ Done, Partly, Swap to mobility)",
        "! there is no button 9 to press",
        "coach (popup)> Logged",
        "coach (edited)> Logged: swap",
        "! there are no buttons to press",
    ]


async def test_a_number_without_a_matching_button_is_sent_as_text(console: Console) -> None:
    """With no keyboard showing, a typed number is an answer, and `:say` sends text verbatim."""
    lines = await console.run("30", "/start", ":say 2", "#done")
    assert lines[0] == "coach> You said: 30"
    assert lines[5:] == ["coach> You said: 2", "coach (popup)> Logged", "coach (edited)> Logged: done"]


async def test_reply_keyboard_and_location(console: Console) -> None:
    """Reply-keyboard buttons send their text, and location sharing goes through :location."""
    lines = await console.run("/where", "2", "1", ":location 52.52 13.40")
    assert lines == [
        "coach> Where do you run?",
        "  [1] Share location  [2] Berlin",
        "coach> You said: Berlin",
        "! this button shares your location: type :location LAT LON",
        "coach> Got 52.52",
    ]


async def test_clock_dates_use_the_runners_timezone(console: Console) -> None:
    """`:clock 2026-12-01T07:00` means 07:00 in the runner's zone when a timezone is known."""
    berlin = ZoneInfo("Europe/Berlin")

    async def runner_zone() -> dt.tzinfo:
        return berlin

    lines = await console.run(":clock 2026-12-01T07:00", tz=runner_zone, echo=True)
    assert lines[0] == "you> :clock 2026-12-01T07:00"
    assert lines[1] == "· Tue 01 Dec 07:00 ·"  # what arrived then, under the runner's local time
    assert lines[-1] == "clock: Tue 2026-12-01 07:00 Europe/Berlin (06:00 UTC)"
    assert console.clock.now() == dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)


async def test_echo_mode_writes_a_transcript(console: Console) -> None:
    """With echo on (piped input) each line is repeated and a press shows the button's label."""
    lines = await console.run("/start", "2", "hi", echo=True)
    assert lines[0] == "you> /start"
    assert lines[5:] == [
        "you> [Partly]",
        "coach (popup)> Logged",
        "coach (edited)> Logged: partly",
        "you> hi",
        "coach> You said: hi",
    ]


async def test_help_unknown_controls_and_end_of_input(console: Console) -> None:
    """:help lists the controls, an unknown control is named, and end of input ends the chat."""
    lines = await console.run(":help", ":frobnicate")
    assert lines[0] == "Console controls:"
    assert any(":clock +1d" in line for line in lines)
    assert lines[-1] == "! unknown console command ':frobnicate'; :help lists them"


def test_clock_arguments() -> None:
    """Relative steps add up, a bare time is the next such local time, and nonsense is refused."""
    utc = dt.UTC
    assert parse_clock_argument("+1d2h", START, utc) == START + dt.timedelta(days=1, hours=2)
    assert parse_clock_argument("+30m", START, utc) == START + dt.timedelta(minutes=30)
    assert parse_clock_argument("06:30", START, utc) == dt.datetime(2026, 11, 24, 6, 30, tzinfo=utc)
    assert parse_clock_argument("2026-12-01", START, utc) == dt.datetime(2026, 12, 1, tzinfo=utc)
    for bad in ("foo", "+1y", "-1d", "+d"):
        with pytest.raises(ValueError):
            parse_clock_argument(bad, START, utc)


async def test_piped_stdin_prints_no_prompt_and_flushes_each_message(app: AnyApp, api: OfflineBotApi) -> None:
    """Reading from a pipe shows no prompt and every message is written out on its own."""
    source = io.StringIO("hi\n:quit\n")
    sink = io.StringIO()
    await run_console(
        app,
        api,
        user_id=RUNNER,
        clock=FakeClock(START),
        read_line=stdin_reader(stream=source),
        write=stdout_writer(sink),
        scheduler=NoScheduler(),
    )
    assert sink.getvalue() == "coach> You said: hi\n"


async def test_an_edit_that_only_adds_lines_prints_just_those_lines(console: Console) -> None:
    """When a tap leaves its answer under a question, the console prints only the added line."""
    lines = await console.run("/ask", "1")
    assert lines == [
        "coach> Long intro line",
        "       Pick one:",
        "  [1] Yes",
        "coach (edited)> … → Yes",
    ]
