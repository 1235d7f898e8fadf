"""Training phases counted back from the goal race (COACHING.md, "Phases")."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import Level, Phase, Profile, Race, RunKind

BUILD_DAYS = 12 * 7
PEAK_DAYS = 3 * 7


def phase_on(race: Race | None, day: dt.date) -> Phase:
    """The phase a date falls in.

    Taper covers the last 7 (5k, 10k) or 10 (longer races) days before the race and race day
    itself; peak the 3 weeks before the taper; build back to 12 weeks out; recovery the days
    after the race its distance asks for (3 for a 5k or 10k, 7 half, 10 marathon, 14 ultra).
    Everything else, and a runner with no race, is base.
    """
    if race is None:
        return Phase.BASE
    days_to_race = (race.date - day).days
    if days_to_race < 0:
        return Phase.RECOVERY if -days_to_race <= race.distance.recovery_days else Phase.BASE
    taper = race.distance.taper_days
    if days_to_race <= taper:
        return Phase.TAPER
    if days_to_race <= taper + PEAK_DAYS:
        return Phase.PEAK
    if days_to_race <= BUILD_DAYS:
        return Phase.BUILD
    return Phase.BASE


def lifting_target(phase: Phase, level: Level, requested: int | None) -> int:
    """Strength/power sessions a week for a phase, capped by what the runner asked for.

    Base gives 2, or 3 for a regular lifter who asked for 3; build 2; peak 1; taper and
    recovery none.
    """
    if phase is Phase.BASE:
        cap = 3 if level is Level.REGULAR and requested == 3 else 2
    elif phase is Phase.BUILD:
        cap = 2
    elif phase is Phase.PEAK:
        cap = 1
    else:
        return 0
    return cap if requested is None else min(cap, requested)


TUNE_UP_DAYS = 2  # P9: no lifting in the 2 days before a tune-up race, nor the 2 after (10k and under)


def is_tune_up(profile: Profile, day: dt.date) -> bool:
    """A race on the calendar that is not the goal race."""
    return profile.run_on(day) is RunKind.RACE and (profile.race is None or profile.race.date != day)


def near_tune_up(profile: Profile, day: dt.date) -> bool:
    """P9: a tune-up race within two days before or after ``day`` (its distance is not known, so the
    recovery after it is the 2 days of a 10k and under)."""
    return any(
        is_tune_up(profile, day + dt.timedelta(days=offset))
        for offset in range(-TUNE_UP_DAYS, TUNE_UP_DAYS + 1)
        if offset
    )
