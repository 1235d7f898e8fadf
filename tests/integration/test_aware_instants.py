"""An instant read back from SQLite is the instant stored, aware and in UTC, however it is read:
the one-step read of the stored text gives what the general way (parse, then tag as UTC) gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from bot.db.models import AwareDateTime

SQLITE = sqlite.dialect()
READ = AwareDateTime().dialect_impl(SQLITE).result_processor(SQLITE, None)
STORE = AwareDateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
GENERAL = DateTime(timezone=True).dialect_impl(SQLITE).result_processor(SQLITE, None)


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_a_stored_instant_reads_back_as_itself_in_utc(instant: dt.datetime) -> None:
    """Stored and read back: the same instant, tagged UTC, as the general way reads it."""
    assert READ is not None and STORE is not None and GENERAL is not None
    stored = STORE(instant)
    read = READ(stored)
    assert read == instant and read.tzinfo is dt.UTC
    assert read == GENERAL(stored).replace(tzinfo=dt.UTC)


def test_other_texts_are_read_the_general_way() -> None:
    """Texts not in the stored form (no fraction, a date alone) and NULL read as before."""
    assert READ is not None
    assert READ("2026-11-23 06:00:00") == dt.datetime(2026, 11, 23, 6, tzinfo=dt.UTC)
    assert READ("2026-11-23") == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert READ(None) is None
