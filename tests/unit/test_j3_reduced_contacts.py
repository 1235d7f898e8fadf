"""J3 across weeks: a deload or eased week cuts its jumps from the full week before it, and the services'
context (``context_after``) carries what that week held."""

from __future__ import annotations

import datetime as dt

from coach_checks import load_test_library

from bot.coach.model import Distance, Equipment, Level, Profile, Race, RunKind, TrainingState, Weekday
from bot.coach.planner import context_after, plan_weeks
from bot.coach.session_dose import reduced_contacts_cap

START = dt.date(2026, 8, 25)
TUNE_UP = dt.date(2026, 9, 6)


def _profile() -> Profile:
    return Profile(
        strength_level=Level.REGULAR,
        week=dict.fromkeys(Weekday, RunKind.REST) | {Weekday.FRI: RunKind.EASY},
        race=Race(distance=Distance.K5, date=dt.date(2026, 11, 18)),
        equipment=frozenset({Equipment.DUMBBELLS}),
        session_minutes=30,
        overrides={TUNE_UP: RunKind.RACE, START: RunKind.RACE},
        tune_up_distances={TUNE_UP: Distance.K5},
    )


def test_a_reduced_session_holds_at_most_70_percent_of_the_full_weeks_biggest() -> None:
    assert reduced_contacts_cap(None) == 0 and reduced_contacts_cap(0) == 0  # no jumps before: nothing to cut
    assert reduced_contacts_cap(20) == 14
    assert reduced_contacts_cap(40) == 28


def test_the_context_after_a_full_week_carries_its_biggest_sessions_contacts() -> None:
    library = load_test_library()
    eased_first, full, eased = plan_weeks(_profile(), START, 3, library, TrainingState(weeks_coached=1))
    assert eased_first.deload and not full.deload and eased.deload
    assert context_after(full, library, None).jumps_before == 20
    assert context_after(eased, library, None).jumps_before is None  # a reduced week is not cut from
