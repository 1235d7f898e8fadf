"""The services tier runs the use cases on the in-memory fakes of their ports (``tests/fakes.py``):
no database, no Telegram, a clock that stands still until told to move."""

from __future__ import annotations

import pytest
from fakes import FakeClock, FakeDatabase, RecordingSender
from onboarded import START

from bot.coach.library import Library
from bot.content.loader import default_library


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def uow(clock: FakeClock) -> FakeDatabase:
    return FakeDatabase(clock)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture(scope="session")
def library() -> Library:
    return default_library()
