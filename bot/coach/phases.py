"""Training phases counted back from the goal race (COACHING.md, "Phases")."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import Level, Phase, Race

BUILD_DAYS = 12 * 7
PEAK_DAYS = 3 * 7
RECOVERY_DAYS = 7


def phase_on(race: Race | None, day: dt.date) -> Phase:
    """The phase a date falls in.

    Taper covers the last 7 (5k, 10k) or 10 (longer races) days before the race and race day
    itself; peak the 3 weeks before the taper; build back to 12 weeks out; recovery the 7 days
    after the race. Everything else, and a runner with no race, is base.
    """
    if race is None:
        return Phase.BASE
    days_to_race = (race.date - day).days
    if days_to_race < 0:
        return Phase.RECOVERY if -days_to_race <= RECOVERY_DAYS else Phase.BASE
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
