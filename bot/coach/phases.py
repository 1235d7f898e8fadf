"""Training phases counted back from the goal race (COACHING.md, "Phases")."""

from __future__ import annotations

import datetime as dt

from bot.coach.model import Distance, Level, Phase, Profile, Race, RunKind, Weekday

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
    return _phase_at((race.date - day).days, race.distance.taper_days, race.distance.recovery_days)


def days_from(first: dt.date, count: int) -> list[dt.date]:
    """The ``count`` dates from ``first``, made from ordinals (``date + timedelta`` costs several
    times more, through the timedelta's microseconds, and the planner makes dozens a week)."""
    ordinal = first.toordinal()
    return [dt.date.fromordinal(n) for n in range(ordinal, ordinal + count)]


def phases_from(race: Race | None, first: dt.date, count: int) -> list[Phase]:
    """``phase_on`` for ``count`` days from ``first`` (a week is planned and looked ahead of day by
    day: one subtraction, then the same thresholds as ``phase_on``)."""
    if race is None:
        return [Phase.BASE] * count
    to_race = (race.date - first).days
    taper, recovery = race.distance.taper_days, race.distance.recovery_days
    last = to_race - count + 1
    head = _phase_at(to_race, taper, recovery)
    if (to_race < 0) == (last < 0) and _phase_at(last, taper, recovery) is head:
        # on one side of the race the phases only move on (base, build, peak, taper; recovery,
        # base), so the same phase at both ends holds every day between: most weeks
        return [head] * count
    return [_phase_at(days, taper, recovery) for days in range(to_race, last - 1, -1)]


def _phase_at(days_to_race: int, taper: int, recovery: int) -> Phase:
    """``phase_on`` a day ``days_to_race`` before a race of that ``taper`` and ``recovery``."""
    if days_to_race < 0:
        return Phase.RECOVERY if -days_to_race <= recovery else Phase.BASE
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


TUNE_UP_BEFORE = 2  # P9: no lifting in the 2 days before a tune-up race
UNKNOWN_TUNE_UP_RECOVERY = 4  # P9: the days after a tune-up of unknown distance
MAX_TUNE_UP_RECOVERY = max(d.recovery_days for d in Distance)
EASED_LOOKBACK = 28  # days: a tune-up longer ago than this eases no week


def is_tune_up(profile: Profile, day: dt.date) -> bool:
    """A race on the calendar that is not the goal race."""
    return profile.run_on(day) is RunKind.RACE and (profile.race is None or profile.race.date != day)


def _has_tune_ups(profile: Profile) -> bool:
    """Whether the calendar can hold a tune-up at all (most calendars cannot: a cheap early out)."""
    return RunKind.RACE in profile.week.values() or any(
        kind is RunKind.RACE and (profile.race is None or day != profile.race.date)
        for day, kind in profile.overrides.items()
    )


def tune_up_distance(profile: Profile, day: dt.date) -> Distance | None:
    """The distance of the tune-up on ``day``, when the runner said it."""
    return profile.tune_up_distances.get(day)


def tune_up_recovery_days(profile: Profile, day: dt.date) -> int:
    """P9: the days without lifting after the tune-up on ``day``: its distance's recovery days, 4
    when the distance is not known."""
    distance = tune_up_distance(profile, day)
    return distance.recovery_days if distance is not None else UNKNOWN_TUNE_UP_RECOVERY


def tune_up_window(profile: Profile, day: dt.date) -> dt.date | None:
    """P9: the tune-up race whose no-lifting window holds ``day`` (the 2 days before it, or its
    distance's recovery days after it), or None. A race in the 2 days ahead wins over one behind."""
    if not _has_tune_ups(profile):
        return None
    for ahead in range(1, TUNE_UP_BEFORE + 1):
        other = day + dt.timedelta(days=ahead)
        if is_tune_up(profile, other):
            return other
    for back in range(1, MAX_TUNE_UP_RECOVERY + 1):
        other = day - dt.timedelta(days=back)
        if is_tune_up(profile, other) and back <= tune_up_recovery_days(profile, other):
            return other
    return None


def tune_up_windows(profile: Profile, days: list[dt.date]) -> list[dt.date | None]:
    """``tune_up_window`` for each of ``days`` (one early out for a calendar without tune-ups)."""
    if not days or not _has_tune_ups(profile):
        return [None] * len(days)
    first = min(days) - dt.timedelta(days=MAX_TUNE_UP_RECOVERY)
    last = max(days) + dt.timedelta(days=TUNE_UP_BEFORE)
    races = _tune_ups_between(profile, first, last)
    out: list[dt.date | None] = []
    for day in days:
        ahead = [race for race in races if 1 <= (race - day).days <= TUNE_UP_BEFORE]
        behind = [race for race in races if 1 <= (day - race).days <= tune_up_recovery_days(profile, race)]
        out.append(ahead[0] if ahead else (behind[-1] if behind else None))
    return out


def _tune_ups_between(profile: Profile, first: dt.date, last: dt.date) -> list[dt.date]:
    """The tune-up races from ``first`` to ``last``, in date order."""
    goal = profile.race.date if profile.race is not None else None
    found = {
        day for day, kind in profile.overrides.items() if first <= day <= last and kind is RunKind.RACE and day != goal
    }
    if RunKind.RACE in profile.week.values():
        for n in range((last - first).days + 1):
            day = first + dt.timedelta(days=n)
            if day not in profile.overrides and day != goal and profile.week[Weekday.of(day)] is RunKind.RACE:
                found.add(day)
    return sorted(found)


def near_tune_up(profile: Profile, day: dt.date) -> bool:
    """P9: ``day`` falls in the 2 days before a tune-up race or in the recovery days after it."""
    return tune_up_window(profile, day) is not None


def calendar_allows_lifting(profile: Profile, day: dt.date) -> bool:
    """P1, P2, P7 (phases) and P9 for one date, from the calendar alone (no pause, no other lift)."""
    if not phase_on(profile.race, day).allows_lifting:
        return False
    if profile.run_on(day) in (RunKind.LONG, RunKind.RACE):
        return False
    if profile.run_on(day + dt.timedelta(days=1)) in (RunKind.LONG, RunKind.QUALITY, RunKind.RACE):
        return False
    return not near_tune_up(profile, day)


def tune_up_before(profile: Profile, start: dt.date) -> tuple[dt.date, Distance | None] | None:
    """P9's eased week: the tune-up race (its date and distance, None when not known) whose no-lifting
    window ended before the first day of the week from ``start`` on which the calendar allows lifting,
    with no such day between the window's end and this week: this week is the next lifting week after
    the race, so it is eased and its note names the race. None for any other week.

    Pure calendar: "allows lifting" is P1, P2, P7 (phases) and P9; a pause or the runner's other
    lifts are not known here. A tune-up more than 4 weeks before the week eases nothing.
    """
    if not _has_tune_ups(profile):
        return None
    week = [start + dt.timedelta(days=i) for i in range(7)]
    first = next((day for day in week if calendar_allows_lifting(profile, day)), None)
    if first is None:
        return None
    found: dt.date | None = None
    for back in range(1, EASED_LOOKBACK + 1):
        day = first - dt.timedelta(days=back)
        if is_tune_up(profile, day):
            found = day
            break
    if found is None:
        return None
    window_end = found + dt.timedelta(days=tune_up_recovery_days(profile, found))
    if window_end >= first:
        return None  # cannot be: ``first`` would be in the window
    day = window_end + dt.timedelta(days=1)
    while day < first:
        if calendar_allows_lifting(profile, day):
            return None  # an earlier day (an earlier week) was the first chance to lift after it
        day += dt.timedelta(days=1)
    return found, tune_up_distance(profile, found)
