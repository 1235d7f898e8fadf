"""``phases_from`` (a week's phases in one pass) says what ``phase_on`` says day by day."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach.model import Distance, Race
from bot.coach.phases import phase_on, phases_from

START = dt.date(2026, 11, 23)


@pytest.mark.parametrize("distance", list(Distance))
def test_each_day_has_the_phase_phase_on_gives_it(distance: Distance) -> None:
    # races from well behind the days (recovery over) to beyond build, so every boundary falls inside
    for offset in range(-30, 100):
        race = Race(distance=distance, date=START + dt.timedelta(days=offset))
        expected = [phase_on(race, START + dt.timedelta(days=i)) for i in range(9)]
        assert phases_from(race, START, 9) == expected, offset


def test_without_a_race_every_day_is_base() -> None:
    assert phases_from(None, START, 7) == [phase_on(None, START)] * 7
