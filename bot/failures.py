"""What an operator reads when the command line cannot do its job: one line, never a traceback.

``run_guarded`` runs a `coach` verb; a failure it recognises (the database cannot be opened or
reached, a schema never migrated, a closed pipe, input too big to handle) becomes one line on
stderr saying what is wrong and what to do, and an exit status. Anything else is still one line,
naming the error. The full traceback is printed only with ``LOG_TRACEBACKS=1`` (or ``LOG_LEVEL=DEBUG``),
its messages scrubbed of what they quote (``bot.logs.format_exception``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

USAGE = 2  # bad arguments, bad input, or a setting that needs fixing
BROKEN = 1  # an error the operator cannot fix by changing what they typed


class CommandFailed(Exception):
    """A failure already worded for the operator: ``str(exc)`` is the one line to print."""

    def __init__(self, line: str, status: int = USAGE) -> None:
        super().__init__(line)
        self.status = status


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what caused it, and a SQLAlchemy error's driver exception, once each."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending.extend([orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__])


def where(url: str) -> str:
    """The database a URL names, for a message: a SQLite file or host:port/name, never a password."""
    try:
        parsed = make_url(url)
    except Exception:
        return "the configured database"
    if parsed.get_backend_name() == "sqlite":
        return f"the file {parsed.database or ':memory:'}"
    return f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


_NOT_THE_DATABASE = ("telegram", "httpx", "httpcore")


def database_problem(exc: BaseException, *, url: str, setting: str = "DATABASE_URL") -> str | None:
    """One line for a database that cannot be used, or None when ``exc`` is not such a failure."""
    from bot.db.engine import DatabaseSilent

    place = where(url)
    if type(exc).__module__.startswith(_NOT_THE_DATABASE):
        return None  # the Bot API's connection failing is not the database's (its causes look alike)
    for error in _chain(exc):
        name = type(error).__name__
        text = str(error)
        if isinstance(error, DatabaseSilent):
            return f"{setting}: {text}: check that the server is up, and the host and port"
        if "unable to open database file" in text:
            return f"{setting}: cannot open {place}: make sure its folder exists and is writable"
        if "readonly database" in text:
            return f"{setting}: {place} is read-only: make it writable, or pick another file"
        if "file is not a database" in text or "database disk image is malformed" in text:
            return f"{setting}: {place} is not a SQLite database: pick another file"
        if name == "UndefinedTableError" or "no such table" in text:
            return f"{setting}: {place} has no tables yet: run `coach migrate` first"
        if name == "InvalidAuthorizationSpecificationError" or name == "InvalidPasswordError":
            return f"{setting}: {place} refused the login ({text}): check the user name and password"
        if name == "InvalidCatalogNameError":
            return f"{setting}: {text} at {place}: create it first, or fix the URL"
        if isinstance(error, ConnectionRefusedError):
            return f"{setting}: nothing is listening at {place}: start PostgreSQL, or fix the host and port"
        if name == "gaierror":
            return f"{setting}: the host of {place} is unknown: fix the URL"
        if isinstance(error, TimeoutError | OSError) and "connect" in text.lower():
            return f"{setting}: cannot reach {place} ({text}): check that the server is up"
    return None


SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(url: str, setting: str) -> None:
    """Before a SQLite database is opened: its folder exists, and an existing file is a SQLite database.

    Raises ``CommandFailed`` naming ``setting``. Checked up front, the driver never gets to fail
    half-way (its worker thread then prints a traceback of its own as the process ends).
    """
    try:
        parsed = make_url(url)
    except Exception:
        return
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    place = where(url)
    if not path.parent.is_dir():
        raise CommandFailed(f"{setting}: cannot open {place}: its folder {path.parent} does not exist")
    if path.is_dir():
        raise CommandFailed(f"{setting}: {path} is a folder: name a database file in it")
    if not path.exists() and not os.access(path.parent, os.W_OK):
        raise CommandFailed(f"{setting}: cannot create {place}: its folder {path.parent} is not writable")
    if path.is_file() and not os.access(path, os.R_OK | os.W_OK):
        raise CommandFailed(f"{setting}: {place} is read-only: make it writable, or pick another file")
    if path.is_file() and path.stat().st_size:
        try:
            with path.open("rb") as file:
                header = file.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise CommandFailed(f"{setting}: cannot read {place} ({exc.strerror}): check its permissions") from None
        if header != SQLITE_HEADER:
            raise CommandFailed(f"{setting}: {place} is not a SQLite database: pick another file")


def debug_wanted() -> bool:
    """Tracebacks are for ``LOG_TRACEBACKS=1`` or ``LOG_LEVEL=DEBUG`` (from the environment or a `.env` file)."""
    if os.environ.get("LOG_LEVEL", "").strip().upper() == "DEBUG":
        return True
    if os.environ.get("LOG_TRACEBACKS", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    from bot.config import load_settings

    try:
        settings = load_settings()
        return settings.log_level == "DEBUG" or settings.log_tracebacks
    except Exception:  # a broken setting is what is being reported; no traceback for it
        return False


def _quiet_stdout() -> None:
    """After the reader of our output went away, send what is left nowhere (no second error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run_guarded(verb: Callable[[], int], *, database: Callable[[], tuple[str, str] | None] = lambda: None) -> int:
    """Run a verb; every failure becomes one line on stderr and a non-zero exit status.

    ``database`` gives the URL of the database the verb uses and the setting that chose it
    (``DATABASE_URL``, ``--db``), to name both in a database message.
    """
    try:
        return verb()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `coach plan ... | head -3`: the reader has all it wanted
        _quiet_stdout()
        return BROKEN
    except CommandFailed as exc:
        _say(str(exc), exc)
        return exc.status
    except RecursionError as exc:
        _say("the input is nested too deeply to read", exc)
        return USAGE
    except (OverflowError, MemoryError) as exc:
        _say("a number or date in the input is too large to handle", exc)
        return USAGE
    except Exception as exc:
        try:
            used = database()
        except Exception:
            used = None
        line = database_problem(exc, url=used[0], setting=used[1]) if used else None
        if line is not None:
            _say(line, exc)
            return USAGE
        _say(f"coach stopped on an unexpected error: {type(exc).__name__}: {_first_line(exc)}", exc)
        return BROKEN


def _first_line(exc: BaseException) -> str:
    from bot.logs import scrub_message  # (what an error quotes of the input stays out of the line)

    text = scrub_message(str(exc)).strip()
    return text.splitlines()[0] if text else "(no details)"


def _say(line: str, exc: BaseException) -> None:
    if debug_wanted():
        from bot.logs import format_exception

        print(format_exception(exc), file=sys.stderr)
    print(line, file=sys.stderr)
