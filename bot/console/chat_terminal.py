"""The terminal side of `coach chat`: lines read from stdin and blocks printed to stdout, a bot
message as terminal lines (`render`), the `:clock` argument and the clock line, the introduction
and the controls' help. :mod:`bot.console.chat` is the loop between these and the bot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Literal, TextIO

from bot.console.transport import CallbackAnswer, ChatMessage

ReadLine = Callable[[], Awaitable[str | None]]
Write = Callable[[str], None]
Status = Literal["new", "edited"]

BOT_NAME = "coach"
INTRO = "Offline chat with the coach. Send /start to begin; :help shows the console controls."
HELP = """\
Console controls:
  /command        a bot command, e.g. /start, /today, /help
  2  or  [2]      press button 2 of the latest message with buttons
  #Done           press the button labelled "Done" (a unique start like #sw is enough)
  any other text  sent to the coach as a message (typing a label sends text, it does not press)
  :say TEXT       send TEXT exactly as typed (e.g. a bare number)
  :clock +1d      move the clock forward: +3h, +30m, +1d2h, 07:00 (next 07:00), thu 20:00, 2026-12-01T07:00
  :now            show the clock
  :location LAT LON, :sticker, :photo [caption]   send a location, a sticker or a photo
  :file PATH      send a file as a document (e.g. an .ics calendar)
  :help           this list
  :quit           leave (end of input works too)"""

_RELATIVE_RE = re.compile(r"\+(?:\d+[wdhm])+")
_RELATIVE_PART_RE = re.compile(r"(\d+)([wdhm])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


# --- rendering -----------------------------------------------------------------------------------


def render(item: ChatMessage | CallbackAnswer, status: Status = "new", *, text: str | None = None) -> str:
    """How the runner reads one bot message (or a callback answer's pop-up), as terminal lines.

    New messages start with `coach> `, re-printed edits with `coach (edited)> `; continuation
    lines are indented under the first; buttons follow as numbered choices, one keyboard row a line:
    `  [1] Done  [2] Partly`. ``text`` replaces the message's text (an edit shown as what it added).
    """
    if isinstance(item, CallbackAnswer):
        kind = "alert" if item.show_alert else "popup"
        return f"{BOT_NAME} ({kind})> {item.text or ''}"
    prefix = f"{BOT_NAME}> " if status == "new" else f"{BOT_NAME} ({status})> "
    lines = (item.plain_text if text is None else text).splitlines() or [""]
    indent = " " * len(prefix)
    out = [prefix + lines[0], *(indent + line if line else "" for line in lines[1:])]
    document = item.data.get("document")
    if isinstance(document, dict):  # sendDocument: the file's name and size (its bytes stay in the transport)
        out.append(f"{indent}[file sent: {document.get('file_name')}, {document.get('file_size')} bytes]")
    photo = item.data.get("photo")
    if isinstance(photo, list) and photo:  # sendPhoto: the picture's size (its bytes stay in the transport)
        out.append(f"{indent}[picture sent: {photo[-1].get('width')} x {photo[-1].get('height')} px]")
    number = 1
    for row in item.keyboard:
        out.append("  " + "  ".join(f"[{number + i}] {button.text}" for i, button in enumerate(row)))
        number += len(row)
    return "\n".join(out)


# --- clock ---------------------------------------------------------------------------------------


CLOCK_FORMS = "use +1d, +3h, +30m, 07:00, thu 20:00 or 2026-12-01T07:00"


def clock_error(argument: str, error: Exception) -> str:
    """Why `:clock ARGUMENT` did not move the clock, and what it takes."""
    return str(error) if isinstance(error, ClockBackwards) else f"can't move the clock to {argument!r}: {CLOCK_FORMS}"


class ClockBackwards(ValueError):
    """`:clock` to an instant before now: the chat's time only moves forward, as a real one does."""


def parse_clock_argument(argument: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The instant `:clock ARGUMENT` moves to: `+1d`, `+3h`, `+30m`, `+2w`, `+1d2h` from `now`;
    `07:00` the next such local time; `thu 20:00` (or `thu`, at 07:00) the next such weekday and
    time, so a script works on any day; or an ISO date-time (naive ones are local to `tz`), never
    one before `now` (:class:`ClockBackwards`)."""
    instant = _clock_target(argument.strip(), now, tz)
    if instant < now:
        local = now.astimezone(tz)
        raise ClockBackwards(f"the clock only moves forward: it is {local:%a %Y-%m-%d %H:%M} now")
    return instant


_WEEKDAY_RE = re.compile(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:\s+(\d{1,2}:\d{2}))?", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_target(argument: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    weekday = _WEEKDAY_RE.fullmatch(argument)
    if weekday is not None:
        time = dt.time.fromisoformat((weekday.group(2) or "07:00").zfill(5))
        local_now = now.astimezone(tz)
        ahead = (_WEEKDAYS.index(weekday.group(1).lower()) - local_now.weekday()) % 7
        candidate = dt.datetime.combine(local_now.date() + dt.timedelta(days=ahead), time, tzinfo=tz)
        return candidate if candidate > local_now else candidate + dt.timedelta(days=7)
    if _RELATIVE_RE.fullmatch(argument):
        delta = dt.timedelta()
        for amount, unit in _RELATIVE_PART_RE.findall(argument):
            delta += dt.timedelta(**{_UNITS[unit]: int(amount)})
        return now + delta
    if re.fullmatch(r"\d{1,2}:\d{2}", argument):
        time = dt.time.fromisoformat(argument.zfill(5))
        local_now = now.astimezone(tz)
        candidate = dt.datetime.combine(local_now.date(), time, tzinfo=tz)
        if candidate <= local_now:
            candidate = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), time, tzinfo=tz)
        return candidate
    if not re.match(r"\d{4}-\d{2}-\d{2}", argument):
        raise ValueError(argument)
    instant = dt.datetime.fromisoformat(argument)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=tz)
    return instant


def describe_clock(now: dt.datetime, tz: dt.tzinfo) -> str:
    """`clock: Tue 2026-12-01 07:00 Europe/Berlin (06:00 UTC)`."""
    local = now.astimezone(tz)
    name = getattr(tz, "key", None) or local.tzname() or "UTC"
    line = f"clock: {local:%a %Y-%m-%d %H:%M} {name}"
    if local.utcoffset() != dt.timedelta(0):
        line += f" ({now.astimezone(dt.UTC):%H:%M} UTC)"
    return line


# --- reading and printing -------------------------------------------------------------------------


def stdin_reader(prompt: str = "you> ", stream: TextIO | None = None) -> ReadLine:
    """A `read_line` over stdin: shows `prompt` only when the input is a terminal."""
    source = stream or sys.stdin
    interactive = source.isatty()

    async def read_line() -> str | None:
        if interactive and source is sys.stdin:
            try:
                return await asyncio.to_thread(input, prompt)
            except EOFError:
                return None
        line = await asyncio.to_thread(source.readline)
        return line.rstrip("\r\n") if line else None

    return read_line


def stdout_writer(stream: TextIO | None = None) -> Write:
    """A `write` that prints each block on its own and flushes at once (scriptable output)."""

    def write(text: str) -> None:
        target = stream or sys.stdout
        target.write(text + "\n")
        target.flush()

    return write
