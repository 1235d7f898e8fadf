"""The terminal loop behind `coach chat`: the runner types, the real handlers answer, offline.

Each input line becomes the update Telegram would deliver and goes through
`application.process_update`; whatever the bot then sent or edited in the runner's chat is
printed the way the runner would read it (one rendering function, `render`). The loop knows no
handler: it only speaks Telegram (through `OfflineBotApi`) and moves the `FakeClock`.

Input conventions (also printed by `:help`):

- `/command args` is a command (it carries Telegram's `bot_command` entity).
- `2` or `[2]` presses button 2 of the most recent message with buttons. If there is no such
  button the line is sent as ordinary text, so a typed answer like `30` still works where no
  keyboard is showing.
- `#label` presses the button with that label (case-insensitive; a unique prefix is enough, and
  leading emoji/punctuation on labels are ignored).
- Anything else is free text, *even if it equals a button label*: in Telegram typing "Done" sends a
  message, it does not press the button, and the bot's free-text understanding ("done", "skipped
  today") must see it. Use `#Done` to press.
- `:say TEXT` sends TEXT verbatim (to send "2" or "#tag" or ":x" as a message).
- `:clock +1d` / `+3h` / `+30m` / `+1d2h` / `07:00` (next 07:00) / `2026-12-01T07:00` moves the
  fake clock (naive times are in the runner's timezone when `tz` is given, else UTC), then awaits
  `on_clock_moved()` (the scheduler sweep) and prints what arrived. `:now` prints the clock.
- `:location LAT LON`, `:sticker`, `:photo [caption]`, `:file PATH` (a document) send those kinds of message.
- `:help`, `:quit` (or end of input).

Pressing an inline button sends a callback query carrying the message as it is now; pressing a
reply-keyboard button sends its text (a "share location" button asks for `:location`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from bot.clock import FakeClock
from bot.console.chat_terminal import (
    HELP,
    INTRO,
    ReadLine,
    Status,
    Write,
    clock_error,
    describe_clock,
    parse_clock_argument,
    render,
    stdin_reader,
    stdout_writer,
)
from bot.console.chatfile import read_document
from bot.console.transport import Button, CallbackAnswer, ChatMessage, JSONDict, OfflineBotApi

if TYPE_CHECKING:
    from telegram.ext import Application


class Scheduler(Protocol):
    """What moving the clock runs: the dispatcher, one due instant at a time."""

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest instant after ``after`` at which a message falls due, if any."""
        ...

    async def run(self, now: dt.datetime) -> int:
        """Send what is due at ``now``; how many messages went out."""
        ...


class NoScheduler:
    """Nothing is ever due (a console with no dispatcher behind it)."""

    async def next_due(self, after: dt.datetime) -> dt.datetime | None:
        return None

    async def run(self, now: dt.datetime) -> int:
        return 0


TzSource = Callable[[], dt.tzinfo | Awaitable[dt.tzinfo | None] | None]

_LOGGER = logging.getLogger(__name__)
_HEADROOM = dt.timedelta(days=3660)
_NUMBER_RE = re.compile(r"(\d+)|\[(\d+)\]")


# --- the loop ------------------------------------------------------------------------------------


class ConsoleSession:
    """One runner's terminal conversation with the bot (state between lines: what was printed)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        api: OfflineBotApi,
        *,
        user_id: int,
        first_name: str,
        clock: FakeClock,
        write: Write,
        scheduler: Scheduler,
        tz: TzSource | None = None,
        echo: bool = False,
    ) -> None:
        self.application = application
        self.api = api
        self.user_id = user_id
        self.first_name = first_name
        self.clock = clock
        self.write = write
        self.scheduler = scheduler
        self.tz = tz
        self.echo = echo
        self.marker = api.marker()
        self._printed: dict[int, str] = {}  # the text of each message as last printed
        self._unechoed: str | None = None

    async def run(self, read_line: ReadLine) -> None:
        self.flush()
        while True:
            line = await read_line()
            if line is None or not await self.handle_line(line):
                break
        self.flush()

    async def handle_line(self, line: str) -> bool:
        """Act on one input line and print what the bot did; False when the runner quits."""
        text = line.strip()
        if not text:
            return True
        self._unechoed = text if self.echo else None
        if text.startswith(":"):
            keep_going = await self._control(text)
        else:
            await self._say_or_press(text)
            keep_going = True
        self._echo()
        self.flush()
        return keep_going

    def _echo(self, shown: str | None = None) -> None:
        """In echo mode, repeat the input line once (a press shows the button it pressed)."""
        if self._unechoed is not None:
            self.write(f"you> {shown or self._unechoed}")
            self._unechoed = None

    # -- printing --------------------------------------------------------------------------------

    def flush(self) -> None:
        """Print every change in the runner's chat since the last flush, each message once in its
        current state (a message sent and then edited in the same turn prints as new)."""
        events = self.api.events_since(self.user_id, self.marker)
        self.marker = self.api.marker()
        order: list[int | CallbackAnswer] = []
        status: dict[int, Status] = {}
        for event in events:
            if event.answer is not None:
                if event.answer.text:
                    order.append(event.answer)
                continue
            message_id = event.message_id
            if message_id is None:
                continue
            if message_id not in status:
                order.append(message_id)
                status[message_id] = "new" if event.kind == "sent" else "edited"
        for item in order:
            if isinstance(item, CallbackAnswer):
                self.write(render(item))
            else:
                state = status[item]
                message = self.api.message(self.user_id, item)
                self.write(render(message, state, text=self._edit_text(message, state)))
                self._printed[item] = message.plain_text

    def _edit_text(self, message: ChatMessage, state: Status) -> str | None:
        """An edit that kept the first lines of the text already printed shows only what follows
        them (a check-in card growing under its session), not the whole message again."""
        before = self._printed.get(message.message_id)
        now = message.plain_text
        if state != "edited" or not before or now == before:
            return None
        old_lines, new_lines = before.split("\n"), now.split("\n")
        kept = 0
        while kept < min(len(old_lines), len(new_lines)) and old_lines[kept] == new_lines[kept]:
            kept += 1
        if kept == 0:
            return None
        rest = "\n".join(new_lines[kept:]).lstrip("\n")
        return "… " + rest if rest else None

    def _error(self, text: str) -> None:
        self._echo()
        self.write(f"! {text}")

    # -- input -----------------------------------------------------------------------------------

    async def _deliver(self, update: JSONDict) -> None:
        self._echo()
        try:
            await self.api.deliver(self.application, update)
        except Exception as error:  # the console must survive a broken handler
            _LOGGER.exception("processing the update failed")
            self._error(f"the bot failed on that: {type(error).__name__}: {error}")

    async def _send_text(self, text: str) -> None:
        await self._deliver(self.api.text(self.user_id, text, self.first_name))

    async def _say_or_press(self, text: str) -> None:
        number = _NUMBER_RE.fullmatch(text)
        if number:
            index = int(number.group(1) or number.group(2))
            message = self.api.last_with_buttons(self.user_id)
            if message is not None and 1 <= index <= len(message.buttons):
                await self._press(message, message.buttons[index - 1])
                return
            if number.group(2):  # "[n]" is never meant as text
                self._error(f"there is no button {index} to press")
                return
        if text.startswith("#") and len(text) > 1:
            await self._press_label(text[1:])
            return
        await self._send_text(text)

    async def _press_label(self, label: str) -> None:
        message = self.api.last_with_buttons(self.user_id)
        if message is None:
            self._error("there are no buttons to press")
            return
        wanted = _normalise_label(label)
        buttons = message.buttons
        exact = [b for b in buttons if _normalise_label(b.text) == wanted]
        matches = exact or [b for b in buttons if _normalise_label(b.text).startswith(wanted)]
        if len(matches) == 1:
            await self._press(message, matches[0])
        elif not matches:
            labels = ", ".join(b.text for b in buttons)
            self._error(f"no button labelled {label!r} (the buttons are: {labels})")
        else:
            self._error(f"{label!r} matches several buttons: {', '.join(b.text for b in matches)}")

    async def _press(self, message: ChatMessage, button: Button) -> None:
        self._echo(f"[{button.text}]")
        if button.kind == "reply":
            if button.request_location:
                self._error("this button shares your location: type :location LAT LON")
                return
            await self._send_text(button.text)
        elif button.callback_data is not None:
            update = self.api.press(self.user_id, message.message_id, button.callback_data, self.first_name)
            await self._deliver(update)
        else:
            self._error("that button cannot be pressed in the console")

    async def _control(self, text: str) -> bool:
        self._echo()
        command, _, argument = text[1:].partition(" ")
        command = command.lower()
        argument = argument.strip()
        if command in ("quit", "q", "exit"):
            return False
        if command == "help":
            self.write(HELP)
        elif command == "now" or (command == "clock" and not argument):
            self.write(describe_clock(self.clock.now(), await self._timezone()))
        elif command == "clock":
            await self._move_clock(argument)
        elif command == "say" and argument:
            await self._send_text(argument)
        elif command == "location":
            await self._send_location(argument)
        elif command == "sticker":
            await self._deliver(self.api.sticker(self.user_id, first_name=self.first_name))
        elif command == "photo":
            await self._deliver(self.api.photo(self.user_id, argument or None, self.first_name))
        elif command == "file":
            await self._send_file(argument)
        else:
            self._error(f"unknown console command {text.split()[0]!r}; :help lists them")
        return True

    async def _timezone(self) -> dt.tzinfo:
        if self.tz is None:
            return dt.UTC
        zone = self.tz()
        if inspect.isawaitable(zone):
            zone = await zone
        return zone or dt.UTC

    async def _move_clock(self, argument: str) -> None:
        tz = await self._timezone()
        try:
            instant = parse_clock_argument(argument, self.clock.now(), tz)
            instant + _HEADROOM  # the bot plans weeks ahead of the clock: year 9999 is out of reach
        except (ValueError, OverflowError) as error:
            self._error(clock_error(argument, error))
            return
        try:
            await self._run_until(instant, tz)
        except Exception as error:  # show it, keep the chat alive
            _LOGGER.exception("the scheduler failed")
            self._error(f"the scheduler failed: {type(error).__name__}: {error}")
        self.clock.set(instant)
        self.write(describe_clock(self.clock.now(), tz))
        self.flush()

    async def _run_until(self, target: dt.datetime, tz: dt.tzinfo) -> None:
        """Move the clock through every due instant up to ``target``, as if the bot ran all along:
        what falls due is sent at its own minute and printed under that local time."""
        at = self.clock.now()
        while (due := await self.scheduler.next_due(at)) is not None and due <= target:
            await self._run_at(due, tz)
            at = due
        await self._run_at(target, tz)

    async def _run_at(self, instant: dt.datetime, tz: dt.tzinfo) -> None:
        self.clock.set(instant)
        await self.scheduler.run(instant)
        if self.api.events_since(self.user_id, self.marker):
            self.write(f"· {instant.astimezone(tz):%a %d %b %H:%M} ·")
            self.flush()

    async def _send_location(self, argument: str) -> None:
        try:
            lat_text, lon_text = argument.replace(",", " ").split()
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            self._error("use :location LAT LON, e.g. :location 52.52 13.40")
            return
        await self._deliver(self.api.location(self.user_id, lat, lon, self.first_name))

    async def _send_file(self, argument: str) -> None:
        found = read_document(argument)
        if isinstance(found, str):
            self._error(found)
            return
        await self._deliver(self.api.document(self.user_id, found[1], found[0], self.first_name))


def _normalise_label(label: str) -> str:
    """Casefolded label without leading/trailing emoji, punctuation or spaces."""
    text = " ".join(label.casefold().split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", text) or text


async def run_console(
    application: Application[Any, Any, Any, Any, Any, Any],
    api: OfflineBotApi,
    *,
    user_id: int,
    first_name: str = "Runner",
    clock: FakeClock,
    read_line: ReadLine,
    write: Write,
    scheduler: Scheduler,
    tz: TzSource | None = None,
    echo: bool = False,
    intro: str | None = None,
) -> None:
    """Talk to the bot in a terminal until `:quit` or end of input.

    `application` is built and initialized with `api` as its request object; `read_line` returns
    the next line or None at the end; `write` prints one block (and should flush); `scheduler`
    is what a clock move runs, at every due instant on the way (the dispatcher); `tz` gives the
    runner's timezone (sync or async; None means UTC) for naive `:clock` times; `echo` repeats each
    input as `you> ...`, a press as `you> [Label]` (for piped transcripts); `intro` is printed first
    (e.g. `INTRO`).
    """
    if intro:
        write(intro)
    session = ConsoleSession(
        application,
        api,
        user_id=user_id,
        first_name=first_name,
        clock=clock,
        write=write,
        scheduler=scheduler,
        tz=tz,
        echo=echo,
    )
    await session.run(read_line)


__all__ = [
    "HELP",
    "INTRO",
    "ConsoleSession",
    "ReadLine",
    "Write",
    "describe_clock",
    "parse_clock_argument",
    "render",
    "run_console",
    "stdin_reader",
    "stdout_writer",
]
