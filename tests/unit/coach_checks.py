"""Rule checks written from COACHING.md, independent of the planner's own code paths.

The helpers here re-derive what a plan must look like from the rulebook (which days may
carry lifting, how many sessions a phase allows, whether a text still has a placeholder)
so the tests compare the planner against the rules rather than against itself.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations, pairwise
from pathlib import Path

from bot.coach.dose import table_dose
from bot.coach.library import Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Equipment,
    ExerciseType,
    Level,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Reason,
    Role,
    RunKind,
    Session,
    SessionKind,
    Weekday,
    WeekNote,
    WeekPlan,
)
from bot.coach.phases import phase_on
from bot.coach.wording import note_text, reason_text
from bot.content.loader import default_library, load_library

TODAY = dt.date(2026, 11, 18)  # a Wednesday; every generated calendar is relative to it
ONE_DAY = dt.timedelta(days=1)

NO_LIFT_RUNS = frozenset({RunKind.LONG, RunKind.RACE})  # P1
KEY_RUNS = frozenset({RunKind.LONG, RunKind.QUALITY, RunKind.RACE})  # P2
LIFTING_PHASES = frozenset({Phase.BASE, Phase.BUILD, Phase.PEAK})  # P7


@cache
def load_test_library() -> Library:
    """The shipped library, or the one in $COACH_TEST_CONTENT_DIR when that is set."""
    override = os.environ.get("COACH_TEST_CONTENT_DIR")
    return load_library(Path(override)) if override else default_library()


def words(said: Reason | WeekNote, library: Library) -> str:
    """A reason or week note as the runner reads it, worded with the library's texts."""
    if isinstance(said, WeekNote):
        return note_text(library.messages, said)
    return reason_text(library.messages, said)


def phase_cap(phase: Phase, level: Level, requested: int | None) -> int:
    """COACHING.md "Phases": strength sessions a week, capped by what the runner asked for."""
    cap = {
        Phase.BASE: 3 if (level is Level.REGULAR and requested == 3) else 2,
        Phase.BUILD: 2,
        Phase.PEAK: 1,
        Phase.TAPER: 0,
        Phase.RECOVERY: 0,
    }[phase]
    return cap if requested is None else min(cap, requested)


def may_lift_on(profile: Profile, day: dt.date, phase: Phase, paused_until: dt.date | None = None) -> bool:
    """P1, P2 and P7 for one date, straight from the runner's calendar."""
    if phase not in LIFTING_PHASES:
        return False
    if paused_until is not None and day <= paused_until:
        return False
    if profile.run_on(day) in NO_LIFT_RUNS:
        return False
    if near_tune_up(profile, day):
        return False
    return profile.run_on(day + ONE_DAY) not in KEY_RUNS


def too_close_to_start(profile: Profile, start: dt.date, weeks_before: int, phase: Phase) -> bool:
    """A new lifter whose coaching began within 3 weeks of the goal race (``weeks_before`` planned weeks ago)."""
    race = profile.race
    began = start - dt.timedelta(days=7 * weeks_before)
    return (
        phase is Phase.PEAK
        and profile.strength_level is Level.NEW
        and race is not None
        and 0 <= (race.date - began).days <= 21
    )


def is_tune_up(profile: Profile, day: dt.date) -> bool:
    """A race on the calendar that is not the goal race."""
    return profile.run_on(day) is RunKind.RACE and (profile.race is None or profile.race.date != day)


# P9 (COACHING.md "Phases" recovery days by distance; 4 when the distance is not known)
TUNE_UP_RECOVERY = {"5k": 3, "10k": 3, "half": 7, "marathon": 10, "ultra": 14}
UNKNOWN_TUNE_UP_RECOVERY = 4


def tune_up_recovery(profile: Profile, race_day: dt.date) -> int:
    """P9: the days without lifting after the tune-up on ``race_day``."""
    distance = profile.tune_up_distances.get(race_day)
    return TUNE_UP_RECOVERY[distance.value] if distance is not None else UNKNOWN_TUNE_UP_RECOVERY


def tune_up_ahead(profile: Profile, day: dt.date) -> bool:
    """P9: a tune-up race 1 or 2 days after ``day``."""
    return any(is_tune_up(profile, day + dt.timedelta(days=offset)) for offset in (1, 2))


def tune_up_behind(profile: Profile, day: dt.date) -> bool:
    """P9: ``day`` is within the recovery days of a tune-up race before it."""
    for back in range(1, max(TUNE_UP_RECOVERY.values()) + 1):
        other = day - dt.timedelta(days=back)
        if is_tune_up(profile, other) and back <= tune_up_recovery(profile, other):
            return True
    return False


def near_tune_up(profile: Profile, day: dt.date) -> bool:
    """P9: no lifting in the 2 days before a race that is not the goal race, nor after it for the
    recovery days of its distance (4 when unknown)."""
    return tune_up_ahead(profile, day) or tune_up_behind(profile, day)


def usual_room(profile: Profile, limit: int) -> int:
    """P5: the most lifting days (up to ``limit``) the runner's weekly template has room for, week
    after week: P1 and P2 from the template, P3 also from Sunday to the next Monday."""
    runs = [profile.week[day] for day in Weekday]
    fits = [runs[i] not in NO_LIFT_RUNS and runs[(i + 1) % 7] not in KEY_RUNS for i in range(7)]
    for size in range(min(limit, sum(fits)), 0, -1):
        for combo in valid_sets(fits, False, size):
            if not (size > 1 and combo[0] == 0 and combo[-1] == 6):
                return size
    return 0


def session_patterns(library: Library, minutes: int) -> frozenset[Pattern]:
    """The patterns a strength session may draw from: its template's and the spares."""
    strength = next(t for t in library.sessions.templates if t.kind is SessionKind.STRENGTH)
    return frozenset(strength.patterns) | frozenset(library.sessions.spare_patterns)


def has_safe_lift(library: Library, profile: Profile, avoid: frozenset[BodyArea]) -> bool:
    """Whether a strength session has any lift the runner's kit and level allow that spares every
    flagged area, or is a gentle form (a niggle may be loaded gently; a power session draws on
    other patterns and may still be possible)."""
    patterns = session_patterns(library, profile.session_minutes) - {Pattern.POWER, Pattern.MOBILITY}
    return any(
        ex.pattern in patterns
        and owns(profile, ex.equipment)
        and ex.min_level.rank <= profile.strength_level.rank
        and (ex.gentle or not avoid.intersection(ex.loads))
        for ex in library.exercises.values()
    )


def valid_sets(eligible: Sequence[bool], lifted_before: bool, size: int) -> list[tuple[int, ...]]:
    """Brute force: every set of ``size`` day indices that keeps P1, P2, P7 (``eligible``) and P3."""
    days = [i for i, ok in enumerate(eligible) if ok]
    return [
        combo
        for combo in combinations(days, size)
        if not (lifted_before and combo and combo[0] == 0) and all(b - a > 1 for a, b in pairwise(combo))
    ]


def largest_valid_set(eligible: Sequence[bool], lifted_before: bool, limit: int) -> int:
    """Brute force: the most lifting days (up to ``limit``) with no two in a row (P3)."""
    for size in range(min(limit, sum(eligible)), 0, -1):
        if valid_sets(eligible, lifted_before, size):
            return size
    return 0


@cache
def template_regex(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex matching any text the ``str.format`` template can produce, and its fields in order."""
    parts: list[str] = []
    fields: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append("(.*?)")
            fields.append(field)
    return re.compile("".join(parts), re.DOTALL), tuple(fields)


def produced_by(template: str, text: str) -> bool:
    """Whether ``text`` is exactly an instance of ``template``."""
    return template_regex(template)[0].fullmatch(text) is not None


def contains_instance(template: str, text: str) -> bool:
    """Whether ``text`` contains an instance of ``template`` (a note made of several parts)."""
    return template_regex(template)[0].search(text) is not None


def fields_in(template: str, text: str) -> dict[str, str] | None:
    """The values the template's placeholders took in ``text`` (which contains an instance of it)."""
    regex, names = template_regex(template)
    found = regex.search(text)
    return None if found is None else dict(zip(names, found.groups(), strict=True))


def matching_keys(texts: Mapping[str, str], text: str) -> list[str]:
    """The message keys whose template produces exactly ``text``."""
    return [key for key, template in texts.items() if produced_by(template, text)]


def consecutive_pairs(dates: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    ordered = sorted(dates)
    return [(a, b) for a, b in pairwise(ordered) if b - a == ONE_DAY]


# ---------------------------------------------------------------------------------------------
# the rules, checked on a list of consecutive weeks


def check_plan(
    profile: Profile,
    plan: Sequence[WeekPlan],
    library: Library,
    *,
    paused_until: dt.date | None = None,
    lifted_before: bool = False,
) -> None:
    notes = library.messages.week_notes
    all_days = [day for week in plan for day in week.days]
    assert [d.date for d in all_days] == [plan[0].start + dt.timedelta(days=n) for n in range(len(all_days))]
    lifting_dates = [d.date for d in all_days if d.session.kind.is_lifting]

    # P3 across the whole plan, including week boundaries (and the day before the plan)
    assert consecutive_pairs(lifting_dates) == []
    if lifted_before:
        assert plan[0].start not in lifting_dates

    previous_lift = lifted_before
    for index, week in enumerate(plan):
        note = words(week.note, library)
        assert week.note.parts, "every planned note is data: keys and the values they cite"
        # a week counts as the phase of its first day that may hold lifting (else its first day's)
        day_phases = [phase_on(profile.race, d.date) for d in week.days]
        may_hold = [
            p.allows_lifting and not (paused_until is not None and d.date <= paused_until)
            for p, d in zip(day_phases, week.days, strict=True)
        ]
        week_phase = next((p for p, ok in zip(day_phases, may_hold, strict=True) if ok), day_phases[0])
        assert week.phase is week_phase
        cap = phase_cap(week_phase, profile.strength_level, profile.sessions_per_week)
        if too_close_to_start(profile, week.start, index, week_phase):
            cap = 0  # a new lifter's first lifting never comes within 3 weeks of the goal race
            assert contains_instance(notes["too_close_to_start"], note), note
        assert week.lifting_target == cap
        placed = len(week.lifting_days)

        # counts per phase, and never more than the runner asked for
        assert placed <= cap
        if profile.sessions_per_week is not None:
            assert placed <= profile.sessions_per_week

        # P5: fewer than asked only when no larger valid set of days exists, and the note says so
        eligible = [may_lift_on(profile, d.date, phase_on(profile.race, d.date), paused_until) for d in week.days]
        best = largest_valid_set(eligible, previous_lift, cap)
        if has_safe_lift(library, profile, profile.injuries):
            # one fewer only to leave the next week more (a Sunday lift blocks Monday: P5 across weeks)
            saves_next_week = placed == best - 1 and week.days[-1].session.kind is not SessionKind.STRENGTH
            assert placed == best or saves_next_week, f"placed {placed}, but {best} valid days existed (target {cap})"
        else:  # no strength session is possible; a power session (its own patterns) may still be
            assert placed <= best
            kinds = {day.date: day.session.kind for day in week.days}
            assert all(kinds[date] is SessionKind.POWER for date in week.lifting_days)
        assert note.strip()
        assert "{" not in note and "}" not in note
        paused_week = paused_until is not None and week.start <= paused_until
        tune_ups = [d.date for d in week.days if is_tune_up(profile, d.date)]
        # P9: a week with a tune-up race names it
        assert bool(tune_ups) == contains_instance(notes["tune_up"], note), note
        if placed < cap and not paused_week and not too_close_to_start(profile, week.start, index, week_phase):
            # P5: as many as fit, and the note says why (its true cause)
            causes = (
                "fit", "joined", "taper", "recovery", "race", "after_race", "key_runs", "after_last_week", "next_week"
            )
            says_why = [notes[f"fewer_{cause}"] for cause in causes] + [notes["none_fit"], notes["niggles"]]
            assert any(contains_instance(text, note) for text in says_why), note
        previous_lift = week.days[-1].session.kind.is_lifting

        for day in week.days:
            check_day(profile, day.date, day, library, paused_until)


def check_day(profile: Profile, date: dt.date, day: DayPlan, library: Library, paused_until: dt.date | None) -> None:
    session = day.session
    run = profile.run_on(date)
    phase = phase_on(profile.race, date)
    assert day.run is run
    assert day.phase is phase
    paused = paused_until is not None and date <= paused_until

    # P8: every day has a one-sentence reason with no placeholder left in it
    assert session.reason.key is not None, f"{date}: the reason is data, a key and the values it cites"
    reason = words(session.reason, library)
    assert reason.strip(), f"{date} has no reason"
    assert "{" not in reason and "}" not in reason

    # a flagged area is loaded only in a gentle form, under the pain rule (never by jumps), and
    # every exercise is what the library says it is
    pain_rule = library.messages.coaching.pain_rule
    for item in session.exercises:
        exercise = library.exercises[item.id]
        assert set(item.loads) == set(exercise.loads)
        assert (item.type, item.equipment) == (exercise.type, exercise.equipment)
        if profile.injuries.intersection(item.loads) and session.kind.is_lifting:
            assert exercise.gentle, f"{item.id} loads a flagged area on {date} and is not a gentle form"
            assert item.rpe is not None and item.rpe <= GENTLE_RPE, f"gentle {item.id} at RPE {item.rpe}"
            assert pain_rule in item.cue, f"gentle {item.id} without the pain-monitoring rule"
            assert exercise.type is not ExerciseType.PLYOMETRIC
        elif profile.injuries.intersection(item.loads):
            assert exercise.pattern is Pattern.MOBILITY or exercise.gentle, f"{item.id} loads a flagged area"

    if session.kind.is_lifting:
        assert run not in NO_LIFT_RUNS, f"P1: {session.kind} on a {run} day ({date})"
        assert profile.run_on(date + ONE_DAY) not in KEY_RUNS, f"P2: lifting on {date}, key run next day"
        assert not near_tune_up(profile, date), f"P9: lifting on {date}, two days from a tune-up race"
        assert phase in LIFTING_PHASES, f"P7: lifting in {phase} on {date}"
        assert not paused, f"P7: lifting on {date} while paused"
        if session.kind is SessionKind.POWER:  # which phases allow it is its own test below
            assert profile.strength_level is Level.REGULAR
        check_lifting(profile, phase, session.exercises, library)
        check_minutes(profile, session, library)
    else:
        # P6: mobility every other day, except race day, a pause and switched-off days
        quiet = run is RunKind.RACE or paused or Weekday.of(date) in profile.mobility_off_days
        expected = SessionKind.REST if quiet else SessionKind.MOBILITY
        assert session.kind is expected, f"{date} ({run}) is {session.kind}, expected {expected}"
        if session.kind is SessionKind.MOBILITY:
            assert session.exercises, f"empty mobility session on {date}"
            assert 5 <= session.minutes <= 15
        else:
            assert session.exercises == ()


def owns(profile: Profile, needed: Equipment) -> bool:
    """COACHING.md "Vocabulary": bodyweight is always in the set and a gym brings dumbbells; nothing else
    implies anything."""
    kit = set(profile.equipment)
    if Equipment.GYM in kit:
        kit.add(Equipment.DUMBBELLS)
    return needed is Equipment.NONE or needed in kit


def check_lifting(profile: Profile, phase: Phase, exercises: Sequence[Prescription], library: Library) -> None:
    dose = table_dose(profile.strength_level, phase)
    assert dose is not None
    lifts = []
    for item in exercises:
        exercise = library.exercises[item.id]
        assert owns(profile, exercise.equipment), f"{item.id} needs {exercise.equipment}"
        assert exercise.min_level.rank <= profile.strength_level.rank, f"{item.id} is beyond the runner's level"
        if exercise.pattern is not Pattern.POWER:
            lifts.append(exercise)
            # D1: ballistic work has no RPE (stop when speed drops); an N5 test counts reps
            assert item.rpe is not None or exercise.role is Role.BALLISTIC or exercise.strength_test
    assert lifts, "a lifting session without a single lift"
    if profile.strength_level is Level.NEW and phase is Phase.BASE:
        assert len(lifts) <= 4, "new lifters in base get at most 4 exercises"
    slots = [library.exercises[item.id].slot_key for item in exercises]
    assert len(slots) == len(set(slots)), f"two exercises of one slot: {slots}"
    for item in exercises:
        check_dose_by_type(item, library)


UNIT_SUFFIX = {
    ExerciseType.ISOMETRIC: " s",
    ExerciseType.CARRY: " steps",
    ExerciseType.PLYOMETRIC: " contacts",
}
GENTLE_RPE = 5
WARMUP_AFTER_RUN_S = 180  # COACHING.md: 5 minutes, of which the 2 general ones are skipped after a run
TIME_SLACK = 1.10


def _reps_range(reps: str) -> tuple[int, int] | None:
    found = re.match(r"(\d+)(?:-(\d+))?", reps)
    if found is None:
        return None
    low = int(found.group(1))
    return low, int(found.group(2) or low)


def check_dose_by_type(item: Prescription, library: Library) -> None:
    """COACHING.md "Dose": the table is for loadable exercises; others read in their own units and
    never get a heavy low-rep prescription; every set says its rest."""
    exercise = library.exercises[item.id]
    reps = item.reps.removesuffix(" each side").split(",")[0]
    assert (" each side" in item.reps) == exercise.per_side, item
    suffix = UNIT_SUFFIX.get(item.type)
    if item.type is ExerciseType.CORE:
        suffix = " s" if exercise.unit == "seconds" else None
    if item.type is ExerciseType.BODYWEIGHT and exercise.unit == "steps":
        suffix = " steps"
    if suffix is not None:
        assert reps.endswith(suffix), f"{item.id} ({item.type}) reads {item.reps!r}"
    else:
        assert reps.replace("-", "").isdigit(), f"{item.id} ({item.type}) reads {item.reps!r}"
    rng = _reps_range(reps)
    assert rng is not None
    if item.type in (ExerciseType.BODYWEIGHT, ExerciseType.CORE) and suffix is None:
        assert rng[0] >= 8, f"heavy low-rep dose on unloadable {item.id}: {item.reps}"
    if item.type is ExerciseType.STRENGTH:
        assert item.rest_s >= 120 if rng[1] <= 5 else item.rest_s >= 60, f"{item.id} rests {item.rest_s} s"
    assert item.rest_s >= 60 or item.type is ExerciseType.MOBILITY, f"{item.id} rests {item.rest_s} s"
    assert item.sets >= 1 and item.work_s > 0


def check_minutes(profile: Profile, session: Session, library: Library, minutes_cut: int = 0) -> None:
    """Honest minutes: the warm-up plus every set's work and rest (paired work counted once), within
    10 % of the runner's session length."""
    length = max(10, profile.session_minutes - minutes_cut)
    if session.minutes > math.ceil(length * TIME_SLACK):
        # D5: over the length, the accessory, core, jumps and unilateral go, then main sets down to 2;
        # what remains is shown at its true length
        roles = [p.role for p in session.exercises]
        assert not {Role.ACCESSORY, Role.UPPER, Role.CORE, Role.PLYOMETRIC, Role.UNILATERAL} & set(roles), (
            f"{session.minutes} min for a {length}-min session"
        )
        assert all(p.sets <= 2 for p in session.exercises if p.role is Role.MAIN)
    floor = WARMUP_AFTER_RUN_S + sum(p.sets * (p.work_s + p.rest_s) for p in session.exercises if not p.paired_with)
    assert session.minutes * 60 >= floor, f"{session.minutes} min stated, at least {floor / 60:.1f} done"
    assert session.warmup, "a lifting session without a warm-up"
    for p in session.exercises:
        if p.paired_with:
            assert p.paired_with in {q.id for q in session.exercises if not q.paired_with}
            assert library.exercises[p.id].pattern in (Pattern.CALF_ANKLE, Pattern.CORE)


# ---------------------------------------------------------------------------------------------
# P8: what each reason and note claims about the calendar must be true of it


@dataclass(frozen=True)
class DayFacts:
    """What is true about one planned day, read from the runner's calendar and the plan."""

    kind: SessionKind
    run: RunKind
    next_run: RunKind
    phase: Phase
    lifted_yesterday: bool
    lifting_elsewhere_this_week: bool
    paused: bool
    switched_off: bool
    preferred: bool
    safe_lift_exists: bool
    near_race: bool = False
    tune_up_ahead: bool = False  # P9: a tune-up in the next 2 days
    tune_up_behind: bool = False  # P9: within a tune-up's recovery days
    day_after_race: bool = False  # P10: the day after the goal race


MOBILITY, REST = SessionKind.MOBILITY, SessionKind.REST

# each reason's claim, in the words of messages.yaml, as a test on the facts
CLAIMS: dict[str, Callable[[DayFacts], bool]] = {
    "lift_easy_day": lambda f: f.kind.is_lifting and f.run is RunKind.EASY and f.next_run not in KEY_RUNS,
    "lift_rest_day": lambda f: f.kind.is_lifting and f.run is RunKind.REST and f.next_run not in KEY_RUNS,
    "lift_quality_day": lambda f: f.kind.is_lifting and f.run is RunKind.QUALITY,
    "lift_preferred_day": lambda f: f.kind.is_lifting and f.preferred,
    "power_day": lambda f: f.kind is SessionKind.POWER and f.next_run not in KEY_RUNS,
    "rest_race_day": lambda f: f.kind is REST and f.run is RunKind.RACE,
    "rest_paused": lambda f: f.kind is REST and f.paused,
    "rest_switched_off": lambda f: f.kind is REST and f.switched_off,
    "mobility_long_today": lambda f: f.kind is MOBILITY and f.run is RunKind.LONG,
    "mobility_quality_today": lambda f: f.kind is MOBILITY and f.run is RunKind.QUALITY,
    "mobility_before_key_run": lambda f: f.kind is MOBILITY and f.next_run in KEY_RUNS,
    "mobility_after_lift": lambda f: f.kind is MOBILITY and f.lifted_yesterday,
    "mobility_taper": lambda f: f.kind is MOBILITY and f.phase is Phase.TAPER,
    "mobility_recovery": lambda f: f.kind is MOBILITY and f.phase is Phase.RECOVERY,
    "mobility_week_full": lambda f: f.kind is MOBILITY and f.lifting_elsewhere_this_week,
    "mobility_no_safe_lifts": lambda f: f.kind is MOBILITY and not f.safe_lift_exists,
    "mobility_light_day": lambda f: f.kind is MOBILITY and not f.lifting_elsewhere_this_week,
    # a swapped session (adjust_today); which weekday they name is checked where they are made
    "mobility_moved_today": lambda f: f.kind is MOBILITY,
    "mobility_no_fit": lambda f: f.kind is MOBILITY,
    "mobility_near_race": lambda f: f.kind is MOBILITY and f.near_race,
    "mobility_before_tune_up": lambda f: f.kind is MOBILITY and f.tune_up_ahead,
    "mobility_after_tune_up": lambda f: f.kind is MOBILITY and f.tune_up_behind,
    "mobility_day_after_race": lambda f: f.kind is MOBILITY and f.day_after_race and f.run is not RunKind.REST,
    # a new lifter within 3 weeks of the race (checked where such runners are planned)
    "mobility_too_close_to_start": lambda f: f.kind is MOBILITY and f.phase is Phase.PEAK,
    "lift_moved_here": lambda f: f.kind.is_lifting and f.next_run not in KEY_RUNS,
}


def check_placeholder_values(profile: Profile, library: Library, template: str, text: str, date: dt.date) -> None:
    """Names and numbers a text cites are the runner's: tomorrow's run is tomorrow's, the race is theirs."""
    values = fields_in(template, text)
    assert values is not None
    names = library.messages
    race = profile.race
    expected = {
        "run": names.run_names[profile.run_on(date).value],
        "next_run": names.run_names[profile.run_on(date + ONE_DAY).value],
        "distance": names.distance_names[race.distance.value] if race else None,
        "days_to_race": str((race.date - date).days) if race else None,
        "race_date": race.date.isoformat() if race else None,
    }
    for field, value in values.items():
        if expected.get(field) is not None:
            assert value == expected[field], f"{{{field}}} reads {value!r} in {text!r}"


def check_reasons_are_true(profile: Profile, plan: Sequence[WeekPlan], library: Library) -> None:
    reasons = dict(library.messages.reasons)
    lifting = {d.date for week in plan for d in week.days if d.session.kind.is_lifting}
    safe = has_safe_lift(library, profile, profile.injuries)
    for week in plan:
        week_lifting = {d.date for d in week.days if d.session.kind.is_lifting}
        for day in week.days:
            facts = DayFacts(
                kind=day.session.kind,
                run=profile.run_on(day.date),
                next_run=profile.run_on(day.date + ONE_DAY),
                phase=phase_on(profile.race, day.date),
                lifted_yesterday=day.date - ONE_DAY in lifting,
                lifting_elsewhere_this_week=bool(week_lifting - {day.date}),
                paused=False,
                switched_off=Weekday.of(day.date) in profile.mobility_off_days,
                preferred=Weekday.of(day.date) in profile.preferred_days,
                safe_lift_exists=safe,
                near_race=near_tune_up(profile, day.date),
                tune_up_ahead=tune_up_ahead(profile, day.date),
                tune_up_behind=tune_up_behind(profile, day.date),
                day_after_race=profile.race is not None and day.date == profile.race.date + ONE_DAY,
            )
            keys = matching_keys(reasons, words(day.session.reason, library))
            assert keys, f"{day.date}: {words(day.session.reason, library)!r} is not one of the coach's reasons"
            assert any(key in CLAIMS and CLAIMS[key](facts) for key in keys), (
                f"{day.date}: {words(day.session.reason, library)!r} is not true of the calendar ({facts})"
            )
            check_placeholder_values(profile, library, reasons[keys[0]], words(day.session.reason, library), day.date)


def week_index(plan: Sequence[WeekPlan], week: WeekPlan) -> int:
    return next(n for n, other in enumerate(plan) if other is week)


def check_notes_are_true(profile: Profile, plan: Sequence[WeekPlan], library: Library) -> None:
    notes = library.messages.week_notes
    previous_lift = False
    for index, week in enumerate(plan):
        note = words(week.note, library)
        phase = week.phase  # check_plan checks it is the phase of the first day that may lift
        cap = phase_cap(phase, profile.strength_level, profile.sessions_per_week)
        if too_close_to_start(profile, week.start, index, phase):
            assert contains_instance(notes["too_close_to_start"], note)
            assert not week.lifting_days
            continue
        if week.days[0].phase is Phase.RECOVERY and phase is not Phase.RECOVERY:
            assert contains_instance(notes["recovery"], note), f"{note!r} lacks the recovery note"
        placed = len(week.lifting_days)
        eligible = [may_lift_on(profile, d.date, phase_on(profile.race, d.date)) for d in week.days]
        calendar_room = largest_valid_set(eligible, previous_lift, cap)
        previous_lift = week.days[-1].session.kind.is_lifting

        items = [p for d in week.days if d.session.kind.is_lifting for p in d.session.exercises]
        loaded = [p for p in items if p.type is ExerciseType.STRENGTH]
        heavy = profile.strength_level is not Level.NEW and any(_reps_range(p.reps)[1] <= 6 for p in loaded)  # type: ignore[index]
        no_race_ahead = profile.race is None or profile.race.date < week.start
        if phase is Phase.BASE and no_race_ahead:
            phase_note = notes["base_no_race"]
        elif phase is Phase.BUILD:
            phase_note = notes["build"] if heavy else notes["build_light"]
        else:
            phase_note = notes[phase.value]
        assert contains_instance(phase_note, note), f"{note!r} lacks the {phase} note"
        check_placeholder_values(profile, library, phase_note, note, week.start)
        # texts claim only what the plan does
        if "heavier" in note.lower():
            assert heavy, f"{note!r} promises heavier weights on {[(p.id, p.reps) for p in items]}"
        if contains_instance(notes["add_load"], note):
            assert loaded, f"{note!r} asks to add load with nothing loadable"
        if contains_instance(notes["slow_progress"], note):
            assert any(p.type is ExerciseType.BODYWEIGHT for p in items)
        # the main lifts rotate every 4 weeks from the runner's start, and the week says so
        index = week_index(plan, week)
        starts_block = index > 0 and index % 4 == 0
        assert contains_instance(notes["new_block"], note) == (starts_block and placed > 0), note
        gentle = [p.name for p in items if p.gentle]
        assert bool(gentle) == contains_instance(notes["gentle"], note), note
        if gentle:
            named = fields_in(notes["gentle"], note)
            assert named is not None and set(named["gentle"].split(", ")) == set(gentle)
        if phase is Phase.PEAK:
            cut = fields_in(notes["peak"], note)
            assert cut is not None
            # weekly sets a session x sessions, from the dose table (the first two weeks use the base dose)
            past_start = week_index(plan, week) >= 2
            build = table_dose(profile.strength_level, Phase.BUILD if past_start else Phase.BASE)
            peak = table_dose(profile.strength_level, Phase.PEAK if past_start else Phase.BASE)
            build_cap = phase_cap(Phase.BUILD, profile.strength_level, profile.sessions_per_week)
            assert build is not None and peak is not None
            real = round(100 * (1 - peak.sets * cap / (build.sets * build_cap)))
            assert abs(int(cut["cut"]) - real) <= 10, f"{note!r}: the sets drop {real}%"
        # P5: "only N fit" only when true of this week and of the runner's usual (repeating) calendar
        usual = usual_room(profile, cap)
        if contains_instance(notes["fewer_fit"], note):
            values = fields_in(notes["fewer_fit"], note)
            assert values == {"placed": str(placed), "target": str(cap)}
            assert calendar_room <= placed < cap, f"{note!r}: the calendar had room for {calendar_room} of {cap}"
            assert usual <= placed, f"{note!r}: the usual week has room for {usual} of {cap}"
        if contains_instance(notes["none_fit"], note):
            assert placed == 0
            assert calendar_room == 0, f"{note!r}: the calendar had room for {calendar_room} of {cap}"
            assert usual == 0, f"{note!r}: the usual week has room for {usual} of {cap}"
        assert not contains_instance(notes["deload"], note), "a deload note without a deload"
