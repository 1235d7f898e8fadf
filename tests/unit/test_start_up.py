"""The collector held off while a process starts, and always given back (bot.entry.start_up)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.entry.start_up import hold_collector, release_collector


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    release_collector()
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_collections_stop_while_starting_and_start_again_with_the_start_ups_objects_frozen() -> None:
    gc.enable()
    gc.unfreeze()
    hold_collector()
    assert not gc.isenabled()
    release_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # later collections skip what start-up made


def test_releasing_twice_or_without_holding_changes_nothing() -> None:
    gc.enable()
    hold_collector()
    release_collector()
    frozen = gc.get_freeze_count()
    release_collector()  # every path out of a command releases: the second time is a no-op
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    frozen = gc.get_freeze_count()
    hold_collector()
    release_collector()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen
