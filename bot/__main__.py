"""The `coach` command line: start | chat | run | migrate | plan | intent | dispatch | import."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from bot.config import Settings

# Each verb imports what it needs when it runs: the settings alone pull in pydantic-settings and
# SQLAlchemy's URL parser, which `coach ... --help` and a mistyped argument never need.

FIRST_START, LAST_START = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_PROFILE_BYTES = 1_000_000  # a profile is a few hundred bytes
DATABASE_VERBS = ("start", "chat", "run", "migrate", "dispatch", "import")


def _date(text: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
    if not FIRST_START <= date <= LAST_START:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (use a date from {FIRST_START} to {LAST_START})")
    return date


def _weeks(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 52:
        raise argparse.ArgumentTypeError("weeks must be a whole number from 1 to 52")
    return int(text)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def cmd_plan(args: argparse.Namespace) -> int:
    from bot.coach.planner import plan_weeks
    from bot.coach.profile_io import ProfileError, parse_profile, plan_to_json
    from bot.content.loader import ContentError, default_library

    today = args.clock.now().date()
    try:
        with Path(args.profile).open(encoding="utf-8") as file:
            text = file.read(MAX_PROFILE_BYTES + 1)
        if len(text) > MAX_PROFILE_BYTES:
            print("profile: larger than 1 MB; a profile is a few hundred bytes of JSON", file=sys.stderr)
            return 2
        raw = json.loads(text)
    except OSError as exc:
        print(f"profile: cannot read {args.profile}: {exc.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("profile: not UTF-8 text; save the file as UTF-8 JSON", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"profile: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", file=sys.stderr)
        return 2
    except RecursionError:
        print("profile: nested too deeply to be a profile", file=sys.stderr)
        return 2
    except ValueError:  # e.g. a number of more than 4,300 digits
        print("profile: holds a number too long to read", file=sys.stderr)
        return 2
    start = args.start or next_monday(today)
    try:
        # a plan that starts in the past may cite races after its start: "past" is before both
        profile = parse_profile(raw, today=min(today, start), latest_from=max(today, start))
    except ProfileError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    try:
        library = default_library()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    plan = plan_to_json(plan_weeks(profile, start, args.weeks, library), library.messages)
    json.dump(plan, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[str, bool]]:
    """Each line of ``stream`` as text, and whether it can be read: UTF-8 and at most ``limit`` bytes.

    An unreadable line comes back decoded with replacement characters (cut at ``limit`` bytes),
    so it can still be shown; an over-long one is skipped without holding it in memory.
    """
    while chunk := stream.readline(limit + 1):
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield chunk[:limit].decode("utf-8", errors="replace"), False
            continue
        chunk = chunk.rstrip(b"\r\n")
        try:
            yield chunk.decode("utf-8"), True
        except UnicodeDecodeError:
            yield chunk.decode("utf-8", errors="replace"), False


def cmd_intent(args: argparse.Namespace) -> int:
    """One JSON line per message line: what the free-text parser reads in it."""
    from bot.coach.intents import MAX_TEXT, Intent, Parsed
    from bot.content.loader import ContentError, default_intent_parser

    today: dt.date = args.today or args.clock.now().astimezone().date()
    try:
        parser = default_intent_parser()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    for text, readable in _lines(sys.stdin.buffer, limit=4 * MAX_TEXT):
        parsed = parser.parse(text, today) if readable else Parsed(text, Intent.UNKNOWN)
        row = {
            "text": parsed.text,
            "intent": parsed.intent.value,
            "rpe": parsed.rpe,
            "area": None if parsed.area is None else parsed.area.value,
            "run": None if parsed.run is None else parsed.run.value,
            "day": None if parsed.day is None else parsed.day.value,
            "until": None if parsed.until is None else parsed.until.isoformat(),
            "urgent": parsed.urgent,
            "flag": None if parsed.flag is None else parsed.flag.value,
            "also": [intent.value for intent in parsed.also],
            "topic": None if parsed.topic is None else parsed.topic.value,
        }
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def _settings() -> Settings | None:
    from bot.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_migrate(args: argparse.Namespace) -> int:
    import asyncio

    from bot.db.migrate import current_revision, upgrade

    settings = _settings()
    if settings is None:
        return 2

    from bot.db.storage import new_database_line

    if new := new_database_line(settings.database_url):
        print(new, file=sys.stderr)

    async def migrate() -> str | None:
        await upgrade(settings.database_url)
        return await current_revision(settings.database_url)

    revision = asyncio.run(migrate())
    print(f"database is at migration {revision}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    import asyncio

    from bot.entry.start_up import starting

    with starting():  # the collector held off until `chat` builds the application: see bot.entry.start_up
        from bot.logs import configure_logging

        settings = _settings()
        if settings is None:
            return 2
        # the application only once the settings are known good: a broken one is told in a blink
        from bot.console.chatfile import prepare_chat_file
        from bot.entry.chat import chat

        configure_logging("WARNING", stream=sys.stderr)
        database = Path(args.db)
        notice = prepare_chat_file(database, fresh=args.fresh, bot_database_url=settings.database_url)
        if notice:
            print(notice, file=sys.stderr)
        return asyncio.run(chat(settings, database=database, user_id=args.user_id, name=args.name))


def cmd_run(args: argparse.Namespace) -> int:
    from bot.entry.start_up import starting

    with starting():  # the collector held off until `run_bot` builds the application: see bot.entry.start_up
        from bot.logs import configure_logging

        settings = _settings_with_token()
        if settings is None:
            return 2
        from bot.entry.run import run_bot

        configure_logging(settings.log_level, settings.secrets())
        return run_bot(settings)


def _settings_with_token() -> Settings | None:
    """The settings for a verb that talks to Telegram; None (after one line on stderr) without a token."""
    from bot.config import SettingsError

    settings = _settings()
    if settings is None:
        return None
    try:
        settings.require_token()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None
    return settings


def _instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO-8601 instant (e.g. 2026-11-23T07:00+01:00)") from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset: add one, e.g. {text}+00:00 or {text}Z")
    return instant


def cmd_dispatch(args: argparse.Namespace) -> int:
    from bot.entry.start_up import starting

    with starting():  # the collector held off until the sweep builds the application: see bot.entry.start_up
        from bot.logs import configure_logging

        settings = _settings_with_token()
        if settings is None:
            return 2
        if args.loop:
            from bot.entry.dispatch_loop import sweep_loop

            configure_logging(settings.log_level, settings.secrets())  # a worker logs to stdout, as `coach run` does
            return sweep_loop(settings)
        from bot.entry.dispatch import sweep_once

        # every secret the bot redacts (token, its secret half, webhook secret, database password)
        configure_logging(settings.log_level, settings.secrets(), stream=sys.stderr)  # stdout: the sweep's one line
        return sweep_once(settings, args.at)


def cmd_import(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings is None:
        return 2
    from bot.entry.importing import import_once

    return import_once(settings, Path(args.file))


def cmd_start(args: argparse.Namespace) -> int:
    """The README's start command: the real bot when a token is configured, else the offline chat."""
    settings = _settings()
    if settings is None:
        return 2
    if settings.telegram_bot_token is not None:
        return cmd_run(args)
    return cmd_chat(args)


def _chat_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="coach-chat.db", metavar="FILE", help="SQLite file (default coach-chat.db)")
    parser.add_argument(
        "--fresh", action="store_true", help="start over: remove the chat's own file (never one it did not create)"
    )
    parser.add_argument("--user-id", type=int, default=1001, help=argparse.SUPPRESS)
    parser.add_argument("--name", default="Runner", help="your first name in the chat")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="A strength and mobility coach for runners.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = sub.add_parser("plan", help="print the plan for a profile as JSON (no database, no network)")
    plan.add_argument("--profile", required=True, metavar="FILE", help="the runner profile (JSON)")
    plan.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help="first day (default: next Monday)")
    plan.add_argument("--weeks", type=_weeks, default=1, metavar="N", help="how many weeks (default 1)")
    plan.set_defaults(func=cmd_plan)

    chat = sub.add_parser("chat", help="talk to the coach in this terminal, offline, no token needed")
    _chat_options(chat)
    chat.set_defaults(func=cmd_chat)

    start = sub.add_parser(
        "start", help="the real bot if TELEGRAM_BOT_TOKEN is set (env or .env), else the offline chat"
    )
    _chat_options(start)
    start.set_defaults(func=cmd_start)

    run = sub.add_parser("run", help="run the Telegram bot (polling; webhook when WEBHOOK_URL is set)")
    run.set_defaults(func=cmd_run)

    intent = sub.add_parser("intent", help="read messages (one a line, stdin) and print what each means as JSON")
    intent.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="read dates from this day (default: today)")
    intent.set_defaults(func=cmd_intent)

    migrate = sub.add_parser("migrate", help="bring the database schema to the newest migration")
    migrate.set_defaults(func=cmd_migrate)

    dispatch = sub.add_parser("dispatch", help="send every prompt, nudge and review due now (or --at), then exit")
    when = dispatch.add_mutually_exclusive_group()
    when.add_argument("--at", type=_instant, metavar="ISO-8601", help="sweep as if at this instant (default now)")
    when.add_argument(
        "--loop", action="store_true", help="a worker: sweep every DISPATCH_INTERVAL seconds (60) until SIGTERM"
    )
    dispatch.set_defaults(func=cmd_dispatch)

    imports = sub.add_parser("import", help="bring in a runner from another bot: the JSON file /export sent them")
    imports.add_argument("file", metavar="FILE", help="the runner's export (coach-export.json)")
    imports.set_defaults(func=cmd_import)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run one `coach` command; ``clock`` (the machine's by default) is what `plan` and `intent`
    call today."""
    args = build_parser().parse_args(argv)
    args.clock = clock or SystemClock()
    from bot.failures import run_guarded

    return run_guarded(lambda: _run(args), database=lambda: _database_of(args))


def _run(args: argparse.Namespace) -> int:
    from bot.config import SettingsError
    from bot.failures import check_sqlite_file

    try:
        database = _database_of(args)
    except SettingsError:
        database = None  # the verb itself names the broken setting
    if database is not None and database[1] == "DATABASE_URL":
        from bot.config import load_settings
        from bot.db.storage import refuse_ephemeral

        refuse_ephemeral(load_settings())  # in a container, no DATABASE_URL: refused, not silently ephemeral
        check_sqlite_file(*database)
    return int(args.func(args))


def _database_of(args: argparse.Namespace) -> tuple[str, str] | None:
    """The database a verb works on and the setting that chose it, to name both when it fails."""
    from bot.config import load_settings

    if args.command not in DATABASE_VERBS:
        return None
    if hasattr(args, "db") and (args.command == "chat" or load_settings().telegram_bot_token is None):
        return f"sqlite:///{args.db}", "--db"
    return load_settings().database_url, "DATABASE_URL"


if __name__ == "__main__":
    sys.exit(main())
