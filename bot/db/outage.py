"""Telling "the database cannot be reached" apart from every other error."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

_CUT_OFF: tuple[type[BaseException], ...] = (
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # no pooled connection came free
    OSError,  # a refused or reset connection, as the driver raises it
    TimeoutError,
)


# what SQLite and PostgreSQL's drivers say when the database, not the statement, failed
_LOST = ("unable to open", "connection", "closed", "terminat", "shutdown", "timeout", "disk")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) says the database is out of reach: down, restarting,
    unreachable, its file unopenable or its disk full; not SQLite's "database is locked" (a busy
    writer, retried by the services) and not a bad query. Telegram's own network errors are not
    the database's: the walk stops at one."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if type(error).__module__.startswith("telegram"):
            return False
        if isinstance(error, sa_exc.OperationalError):
            # SQLite says "no such table" and syntax errors as OperationalError too: only these are the
            # database's own trouble
            text = str(error.orig).lower()
            return "locked" not in text and any(word in text for word in _LOST)
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, _CUT_OFF):
            return True
        if type(error).__module__.startswith("asyncpg") and "Connection" in type(error).__name__:
            return True
        error = error.__cause__ or error.__context__
    return False
