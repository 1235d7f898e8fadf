"""A PostgreSQL ``DATABASE_URL`` as hosts hand it out, made into the one the coach's driver takes.

Fly.io and Heroku give ``postgres://user:pass@host:5432/db`` (Fly adds ``?sslmode=disable``): libpq's
form. The coach talks to PostgreSQL through asyncpg, which SQLAlchemy hands every query option as a
keyword, and asyncpg calls libpq's ``sslmode`` ``ssl`` (same values). So ``postgres://`` and
``postgresql://`` become ``postgresql+asyncpg://`` and ``sslmode=`` becomes ``ssl=``; anything that
cannot be carried over is refused with what to write instead. No message quotes the password.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ASYNCPG = "postgresql+asyncpg"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# query options asyncpg.connect takes as plain strings (ssl: one of SSL_MODES)
ASYNCPG_OPTIONS = ("ssl", "direct_tls", "target_session_attrs", "krbsrvname", "gsslib", "prepared_statement_cache_size")
_DRIVERS = ("", "asyncpg", "psycopg2", "psycopg")  # the drivers a URL may name: all mean the same server


def is_postgres(url: str) -> bool:
    """Whether ``url`` names PostgreSQL, in any spelling hosts use (``postgres://``, ``postgresql+x://``)."""
    return url.partition("://")[0].partition("+")[0] in ("postgres", "postgresql")


def asyncpg_url(url: str) -> str:
    """``url`` (a PostgreSQL URL in any spelling) as a ``postgresql+asyncpg://`` URL asyncpg can take;
    ``ValueError`` saying what to change when it cannot be."""
    scheme, _, rest = url.partition("://")
    driver = scheme.partition("+")[2]
    if driver not in _DRIVERS:
        raise ValueError(f"the coach reaches PostgreSQL through asyncpg: write {ASYNCPG}://... (not {scheme}://)")
    try:
        parsed = make_url(f"{ASYNCPG}://{rest}")
    except (ArgumentError, ValueError):
        raise ValueError(
            f"is not a URL the coach can read; the form is {ASYNCPG}://USER:PASSWORD@HOST:5432/NAME"
        ) from None
    query = dict(parsed.query)
    if "sslmode" in query:
        if "ssl" in query:
            raise ValueError("has both sslmode= and ssl=: keep one (ssl= is asyncpg's name for it)")
        query["ssl"] = query.pop("sslmode")
    for name, value in query.items():
        if not isinstance(value, str):
            raise ValueError(f"gives ?{name}= more than once: keep one")
        if name not in ASYNCPG_OPTIONS:
            raise ValueError(
                f"?{name}= is an option asyncpg does not take: remove it from the URL "
                f"(it takes sslmode= or ssl=, {', '.join(ASYNCPG_OPTIONS[1:])})"
            )
    if query.get("ssl", SSL_MODES[0]) not in SSL_MODES:
        raise ValueError(f"sslmode must be one of {', '.join(SSL_MODES)}")
    if scheme == ASYNCPG and query == dict(parsed.query):
        return url  # already as asyncpg wants it: kept exactly as written
    return parsed.set(query=query).render_as_string(hide_password=False)
