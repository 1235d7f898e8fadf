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
    NoteKey,
    Pattern,
    Phase,
    Prescription,
    Profile,
    Reason,
    Role,
    RunKind,
    Session,
    SessionKind,
    TrainingState,
    Weekday,
    WeekNote,
    WeekPlan,
    kit_offers,
)
from bot.coach.phases import phase_on
from bot.coach.plural import Text, forms_of
from bot.coach.wording import day_words, note_text, reason_text
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


LIFTING_PATTERNS = frozenset(Pattern) - {Pattern.POWER, Pattern.MOBILITY}  # what a strength session lifts


def has_safe_lift(library: Library, profile: Profile, avoid: frozenset[BodyArea]) -> bool:
    """Whether a strength session has any lift the runner's kit and level allow that spares every
    flagged area, or is a gentle form (a niggle may be loaded gently; a power session draws on
    other patterns and may still be possible)."""
    patterns = LIFTING_PATTERNS
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


def produced_by(template: Text, text: str) -> bool:
    """Whether ``text`` is exactly an instance of ``template`` (of one of its plural forms)."""
    return any(template_regex(form)[0].fullmatch(text) is not None for form in forms_of(template))


def contains_instance(template: Text, text: str) -> bool:
    """Whether ``text`` contains an instance of ``template`` (a note made of several parts)."""
    return any(template_regex(form)[0].search(text) is not None for form in forms_of(template))


def fields_in(template: Text, text: str) -> dict[str, str] | None:
    """The values the template's placeholders took in ``text`` (which contains an instance of it)."""
    for form in forms_of(template):
        regex, names = template_regex(form)
        found = regex.search(text)
        if found is not None:
            return dict(zip(names, found.groups(), strict=True))
    return None


def matching_keys(texts: Mapping[str, Text], text: str) -> list[str]:
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
                "fit",
                "joined",
                "taper",
                "recovery",
                "race",
                "after_race",
                "key_runs",
                "after_last_week",
                "next_week",
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
    if item.gentle and reps.endswith(" s") and library.messages.coaching.hold_rung in item.cue:
        suffix = " s"  # N3's rung 1: a moving exercise held still where it is hardest without pain
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


def spoken_date(day: dt.date) -> str:
    """A date as the runner reads it in a note: "Sun 29 Nov" (the one date style)."""
    return day_words(day)


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
        "race_date": spoken_date(race.date) if race else None,
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


def pick(notes: Mapping[NoteKey, str], note: str, *keys: str) -> str:
    """The first of the notes ``keys`` the week's note holds (else the last, for the message)."""
    return next((notes[k] for k in keys if contains_instance(notes[k], note)), notes[keys[-1]])  # type: ignore[index]


def working_sets(week: WeekPlan) -> int:
    """M2's count: the prescribed working sets of the lifting days (jumps in, ramps and mobility out)."""
    return sum(p.sets for d in week.days if d.session.kind.is_lifting for p in d.session.exercises)


def check_peak_cut(plan: Sequence[WeekPlan], week: WeekPlan, note: str, library: Library) -> None:
    """M2: peak states a cut only when it has one, to the nearest 5 %; when the plan holds the build
    week just before and that week placed all its sessions, the cut is counted from its sets."""
    cut = fields_in(library.messages.week_notes["peak"], note)
    if cut is None:
        return
    claimed = int(cut["peak_cut"])
    assert claimed > 0 and claimed % 5 == 0, f"{note!r}"
    index = week_index(plan, week)
    before = plan[index - 1] if index > 0 else None
    if before is None or before.phase is not Phase.BUILD or before.deload:
        return
    if len(before.lifting_days) < before.lifting_target or not working_sets(before):
        return
    real = 5 * round(20 * (1 - working_sets(week) / working_sets(before)))
    assert claimed == real, f"{note!r}: the sets drop {real}%"


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
        if phase is Phase.BASE and no_race_ahead:  # A1: "a little more each week" only when it steps
            phase_note = pick(notes, note, "base_no_race_progress", "base_no_race")
        elif phase is Phase.BASE:
            phase_note = pick(notes, note, "base_progress", "base")
        elif phase is Phase.BUILD:  # M1: "heavier" only in the first heavy week
            phase_note = pick(notes, note, "build", "build_heavy") if heavy else notes["build_light"]
        elif phase is Phase.PEAK and not contains_instance(notes["peak"], note):
            phase_note = notes["peak_start"]  # M2: no cut to state (no build week, or none fewer)
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
            check_peak_cut(plan, week, note, library)
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


# =============================================================================================
# The rulebook's third revision (COACHING.md rev. 3), checked on plans from the public API only:
# plan_week / plan_weeks output, the library's data and the rule's own numbers. Each checker takes
# a session (or consecutive weeks) and asserts one rule; ``check_rev3`` applies them all.

# D1/D2 roles, grouped by the place of the session cap they take
JUMP_ROLES = frozenset({Role.PLYOMETRIC, Role.BALLISTIC})
LEAD_ROLES = frozenset({Role.MAIN, Role.BILATERAL})  # "1 main lift (a main, or without one a bilateral squat or hinge)"
EXTRA_ROLES = frozenset({Role.ACCESSORY, Role.UPPER})  # "1 accessory (hip, tibialis or upper body)"
# D1: each role's own range, in reps (or seconds for holds); `new` unilateral 8 to 12
ROLE_REPS: dict[Role, tuple[int, int]] = {
    Role.BILATERAL: (6, 12),
    Role.UNILATERAL: (6, 10),
    Role.CALF: (6, 15),
    Role.UPPER: (8, 12),
    Role.CORE: (8, 12),
    Role.ACCESSORY: (10, 20),
    Role.BALLISTIC: (3, 15),
}
ROLE_SECONDS: dict[Role, tuple[int, int]] = {Role.CORE: (20, 45), Role.ISOMETRIC: (30, 45)}
BODYWEIGHT_REPS = (8, 15)  # bodyweight and band work, whatever the role
# the dose table's sets (low, high) by level and phase: D3's "3 when the table gives 3 or more"
TABLE_SETS: dict[tuple[Level, Phase], tuple[int, int]] = {
    (Level.NEW, Phase.BASE): (2, 2),
    (Level.NEW, Phase.BUILD): (2, 3),
    (Level.NEW, Phase.PEAK): (2, 2),
    (Level.SOME, Phase.BASE): (3, 3),
    (Level.SOME, Phase.BUILD): (3, 3),
    (Level.SOME, Phase.PEAK): (2, 2),
    (Level.REGULAR, Phase.BASE): (3, 4),
    (Level.REGULAR, Phase.BUILD): (3, 4),
    (Level.REGULAR, Phase.PEAK): (2, 2),
}
CONTACT_CAP = {Level.NEW: 40, Level.SOME: 60, Level.REGULAR: 80}  # J1 (convention)
JUMP_FREE_LIFTING_WEEKS = 2  # J2
ECCENTRIC_FREE_LIFTING_WEEKS = 4  # D4
ECCENTRIC_CEILING_WEEK = 6  # D4: the ceiling not before the exercise's 6th lifting week
NIGGLE_JUMP_FREE_WEEKS = 6  # N5
UNKNOWN_TUNE_UP_RECOVERY_DAYS = 4  # P9
# J1's stages, by the rulebook's own examples, for a library that does not mark them yet
STAGE_BY_ID = {
    "pogo_hops": 1,
    "low_skips": 1,
    "single_leg_pogo": 2,
    "lateral_hops": 2,
    "a_skip": 2,
}
HEAVY_REST = (120, 180)  # D5: 2 to 3 min heavy
LIGHT_REST = (60, 90)  # 60 to 90 s otherwise
CHANGEOVER_S = 30
RAMP_SETS_S = 120  # 2 ramp-up sets, 1 min each
REP_S, SLOW_REP_S = 3, 6


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")


def is_strength_test(item: Prescription) -> bool:
    """N5's strength test (25 heel raises, 15 single-leg squats, 20 single-leg bridges): the prescription
    says "test" in its id, name or cue."""
    return "test" in f"{item.id} {item.name} {item.cue}".lower()


def role_of(item: Prescription, library: Library) -> Role | None:
    """The prescription's role (D1), else the library's."""
    return item.role or library.exercises[item.id].role


def is_eccentric(exercise_id: str, library: Library) -> bool:
    """D4: the Nordic curl, the Copenhagen plank and whatever else the library marks."""
    lowered = exercise_id.lower()
    return library.exercises[exercise_id].eccentric or "nordic" in lowered or "copenhagen" in lowered


def jump_stage_of(exercise_id: str, library: Library) -> int:
    """J1's stage of a jump: the library's, else the rulebook's examples (bounds, box, hurdle: 3)."""
    ex = library.exercises[exercise_id]
    if ex.jump_stage:
        return ex.jump_stage
    if ex.high_impact:
        return 3
    return STAGE_BY_ID.get(exercise_id, 2 if ex.per_side else 1)


def is_jump(item: Prescription, library: Library) -> bool:
    """A plyometric or loaded jump (J1-J3): by role, or by the library's type."""
    return role_of(item, library) in JUMP_ROLES or library.exercises[item.id].type is ExerciseType.PLYOMETRIC


def is_plyometric(item: Prescription, library: Library) -> bool:
    return role_of(item, library) is Role.PLYOMETRIC or library.exercises[item.id].type is ExerciseType.PLYOMETRIC


def reps_numbers(item: Prescription) -> tuple[int, int] | None:
    """The first number range of a prescription's reps ("8-12", "6-10 each side", "30-45 s")."""
    return _reps_range(item.reps)


def in_seconds(item: Prescription, library: Library) -> bool:
    return item.reps.split(",")[0].removesuffix(" each side").strip().endswith(" s") or (
        library.exercises[item.id].unit == "seconds"
    )


def in_reps(item: Prescription, library: Library) -> bool:
    """Dosed in repetitions (not seconds, steps, metres or contacts)."""
    head = item.reps.split(",")[0].removesuffix(" each side").strip()
    return head.replace("-", "").isdigit() and not in_seconds(item, library) and not is_plyometric(item, library)


def is_slow(item: Prescription, library: Library) -> bool:
    """Slow reps (D5: 6 s a rep): calf raises, and any tempo the prescription states."""
    text = f"{item.reps} {item.name}".lower()
    return role_of(item, library) is Role.CALF or "slow" in text or "s down" in text or "tempo" in text


def is_heavy(item: Prescription, library: Library) -> bool:
    """D5: a heavy lift is a `main`, or loaded at 6 reps or fewer; N3's rung work below the normal
    exercise (shown gentle: holds, slow and light, slow at most RPE 7) never is."""
    if item.gentle and (item.rpe or 0) <= 7:
        return False
    if role_of(item, library) is Role.MAIN:
        return True
    rng = reps_numbers(item)
    return item.type is ExerciseType.STRENGTH and in_reps(item, library) and rng is not None and rng[1] <= 6


def lifting_sessions(plan: Sequence[WeekPlan]) -> list[tuple[dt.date, Session]]:
    return [(d.date, d.session) for week in plan for d in week.days if d.session.kind.is_lifting]


def calendar_run(profile: Profile, day: dt.date) -> RunKind:
    """P10: the runner's calendar alone (an override, the goal race, else the template); the day
    after the goal race keeps its template run."""
    if day in profile.overrides:
        return profile.overrides[day]
    if profile.race is not None and profile.race.date == day:
        return RunKind.RACE
    return profile.week[Weekday.of(day)]


def tune_up_dates(profile: Profile) -> list[dt.date]:
    """Race days on the calendar that are not the goal race (overrides; a template never races)."""
    goal = profile.race.date if profile.race else None
    return sorted(d for d, kind in profile.overrides.items() if kind is RunKind.RACE and d != goal)


def p9_barred(profile: Profile, day: dt.date) -> dt.date | None:
    """P9: the tune-up that bars lifting on ``day`` (2 days before it, its day, and its distance's
    recovery days after it, 4 when the distance is unknown), if any."""
    for race in tune_up_dates(profile):
        distance = profile.tune_up_distances.get(race)
        after = distance.recovery_days if distance is not None else UNKNOWN_TUNE_UP_RECOVERY_DAYS
        if -2 <= (day - race).days <= after:
            return race
    return None


def contacts_of(item: Prescription, library: Library) -> int:
    """A jump's landings: its stated contacts, else sets x the most reps x sides (J1 checks they are stated)."""
    if item.contacts:
        return item.contacts
    rng = reps_numbers(item) or (0, 0)
    sides = 2 if "each side" in item.reps else 1
    return item.sets * rng[1] * sides


def session_contacts(session: Session, library: Library) -> int:
    return sum(contacts_of(item, library) for item in session.exercises if is_plyometric(item, library))


def jump_stages(session: Session, library: Library) -> list[int]:
    return [jump_stage_of(item.id, library) for item in session.exercises if is_plyometric(item, library)]


# --------------------------------------------------------------------------------------------- D1


def check_D1_dose_by_role(session: Session, library: Library, level: Level) -> None:
    """D1: every lift has a role; only `main` takes the table's low reps (no other lift below 6, loaded
    jumps aside); each role keeps its own range; unilateral RPE at most 8; load cue N = 10 - RPE."""
    for item in session.exercises:
        role = role_of(item, library)
        assert role is not None, f"D1: {item.id} has no role"
        if role in (Role.MOBILITY, Role.PLYOMETRIC, Role.CARRY):
            continue
        if is_eccentric(item.id, library) or is_strength_test(item):
            continue  # dosed by D4 (2 x 3-5 to start) and N5 (25, 15 or 20 reps) instead
        if "pull_up" in item.id:
            # "pull-ups as bodyweight reps 2 to 3 short of failure, or assisted, never 'pick a load'"
            assert "short of failure" in item.cue and not item.load_cue, f"D1: {item.id}: {item.cue!r}"
            continue
        rng = reps_numbers(item)
        if item.gentle and (item.rpe or 0) <= 5 and "3 s up, 3 s down" in item.reps:
            continue  # N3's rung 2, slow and light at 8 to 12 reps, whatever the role
        if in_reps(item, library) and rng is not None:
            if role is Role.BALLISTIC:
                assert rng[0] >= 3, f"D1: {item.id} ({role}) at {item.reps}"
            elif role is not Role.MAIN:
                assert rng[0] >= 6, f"D1: only the main lift goes below 6 reps; {item.id} ({role}) at {item.reps}"
            if role in ROLE_REPS:
                low, high = ROLE_REPS[role]
                if role is Role.UNILATERAL and level is Level.NEW:
                    low, high = 8, 12
                ranges = [(low, high)]
                if item.type is ExerciseType.BODYWEIGHT:
                    ranges.append(BODYWEIGHT_REPS)
                assert any(lo <= rng[0] and rng[1] <= hi for lo, hi in ranges), (
                    f"D1: {item.id} ({role}) at {item.reps}, outside {ranges}"
                )
        elif in_seconds(item, library) and rng is not None and role in ROLE_SECONDS:
            low, high = ROLE_SECONDS[role]
            assert low <= rng[0] and rng[1] <= high, f"D1: {item.id} ({role}) holds {item.reps}"
        if role is Role.UNILATERAL and item.rpe is not None:
            assert item.rpe <= 8, f"D1: unilateral {item.id} at RPE {item.rpe}"
        if role is Role.UPPER and item.rpe is not None:
            assert item.rpe <= 7, f"D1: upper {item.id} at RPE {item.rpe}"
        if item.load_cue and item.rpe is not None:
            said = set(re.findall(r"\d+", item.load_cue)) | {
                str(n) for n, word in enumerate(NUMBER_WORDS) if re.search(rf"\b{word}\b", item.load_cue.lower())
            }
            assert str(10 - item.rpe) in said, (
                f"D1: {item.id} at RPE {item.rpe} cues {item.load_cue!r}, not {10 - item.rpe} more"
            )
        if is_heavy(item, library):
            assert item.load_cue, f"D1/D5: heavy {item.id} without a load cue"


# --------------------------------------------------------------------------------------------- D2


def lead_of(session: Session, library: Library) -> Pattern | None:
    """The session's main lift's pattern (squat or hinge), if it has one."""
    for item in session.exercises:
        if role_of(item, library) in LEAD_ROLES:
            pattern = library.exercises[item.id].pattern
            if pattern in (Pattern.SQUAT, Pattern.HINGE):
                return pattern
    return None


def unilateral_pattern(exercise_id: str, library: Library) -> Pattern:
    """Which pattern a single-leg exercise trains: a single-leg hinge (RDL) or a squat/lunge."""
    ex = library.exercises[exercise_id]
    hinge = "hinge" in (ex.slot or "") or "rdl" in ex.id or ex.pattern is Pattern.HINGE
    return Pattern.HINGE if hinge else Pattern.SQUAT


def check_D2_session_cap(session: Session, library: Library) -> None:
    """D2: strength holds at most 2 jumps, 1 main lift, 1 unilateral, 1 calf, 1 core, 1 accessory;
    power 2 plyometric/ballistic, 1 main lift, 1 calf and nothing else; jumps open the session."""
    roles = [role_of(item, library) for item in session.exercises]
    count = {role: roles.count(role) for role in set(roles)}

    def n(group: frozenset[Role] | set[Role]) -> int:
        return sum(count.get(role, 0) for role in group)

    listing = [(item.id, role) for item, role in zip(session.exercises, roles, strict=True)]
    assert n(JUMP_ROLES) <= 2, f"D2: more than 2 jumps: {listing}"
    assert n(LEAD_ROLES) <= 1, f"D2: more than 1 main lift: {listing}"
    assert count.get(Role.CALF, 0) <= 1, f"D2: more than 1 calf: {listing}"
    if session.kind is SessionKind.POWER:
        others = [r for r in roles if r not in JUMP_ROLES | LEAD_ROLES | {Role.CALF}]
        # a flagged area's hold (N3 rung 1) may stand in for the main lift
        assert others in ([], [Role.ISOMETRIC]), f"D2: a power session is 2 jumps, 1 main lift, 1 calf: {listing}"
    else:
        assert count.get(Role.UNILATERAL, 0) <= 1, f"D2: more than 1 unilateral: {listing}"
        assert n({Role.CORE, Role.CARRY}) <= 1, f"D2: more than 1 core: {listing}"
        assert n(EXTRA_ROLES) <= 1, f"D2: more than 1 accessory: {listing}"
        lifts = [r for r in roles if r not in JUMP_ROLES]
        assert len(lifts) <= 5, f"D2: {len(lifts)} lifts besides jumps: {listing}"
    jumps = [is_jump(item, library) for item in session.exercises]
    assert jumps == sorted(jumps, reverse=True), f"J1/D5: jumps open the session: {listing}"


def check_D2_alternation(sessions: Sequence[Session], library: Library) -> None:
    """D2: squat and hinge take turns as the main lift across consecutive strength sessions; the
    unilateral takes the other pattern; a power session's main lift is the pattern the last strength
    session did not lead with."""
    last: Pattern | None = None
    for session in sessions:
        lead = lead_of(session, library)
        if session.kind is SessionKind.POWER:
            if lead is not None and last is not None:
                assert lead is not last, f"D2: power leads with {lead}, as the strength session before"
            continue
        if lead is not None and last is not None:
            assert lead is not last, f"D2: two strength sessions in a row lead with {lead}"
        if lead is not None:
            for item in session.exercises:
                if role_of(item, library) is Role.UNILATERAL:
                    assert unilateral_pattern(item.id, library) is not lead, (
                        f"D2: the unilateral {item.id} repeats the lead pattern {lead}"
                    )
        last = lead if lead is not None else last


# --------------------------------------------------------------------------------------------- D3


def check_D3_calf(session: Session, library: Library, *, three_sets: bool) -> None:
    """D3: every strength and power session has a calf or soleus raise of at least 2 sets (3 when the
    table gives 3 or more)."""
    calves = [item for item in session.exercises if role_of(item, library) is Role.CALF]
    assert calves, f"D3: no calf or soleus raise in {[item.id for item in session.exercises]}"
    need = 3 if three_sets else 2
    assert max(item.sets for item in calves) >= need, (
        f"D3: calf raise at {[(item.id, item.sets) for item in calves]} sets, at least {need}"
    )


def table_gives_three(level: Level, phase: Phase) -> bool:
    sets = TABLE_SETS.get((level, phase))
    return sets is not None and sets[1] >= 3


# --------------------------------------------------------------------------------------------- D4


def check_D4_eccentric(plan: Sequence[WeekPlan], library: Library, *, lifting_weeks_before: int = 0) -> None:
    """D4: no eccentric-heavy exercise in the runner's first 4 lifting weeks; it starts at 2 sets of
    3 to 5 (or 10 to 15 s) and reaches its ceiling (3 sets of 6+ reps, 8+ for the Copenhagen, 30 s)
    not before its own 6th lifting week. ``lifting_weeks_before`` is an upper bound of the runner's
    lifting weeks before the plan (0 for a new runner)."""
    lifting_weeks = lifting_weeks_before
    weeks_with: dict[str, int] = {}
    for week in plan:
        sessions = [d.session for d in week.days if d.session.kind.is_lifting]
        if not sessions:
            continue
        lifting_weeks += 1
        seen: set[str] = set()
        for session in sessions:
            for item in session.exercises:
                if not is_eccentric(item.id, library):
                    continue
                assert lifting_weeks > ECCENTRIC_FREE_LIFTING_WEEKS, (
                    f"D4: {item.id} in lifting week {lifting_weeks} (week of {week.start})"
                )
                nth = weeks_with.get(item.id, 0) + 1
                seen.add(item.id)
                if lifting_weeks_before:
                    continue  # its own history is not known
                rng = reps_numbers(item)
                assert rng is not None
                seconds = in_seconds(item, library)
                if nth == 1:
                    assert item.sets <= 2 and rng[1] <= (15 if seconds else 5), (
                        f"D4: {item.id} starts at {item.sets} x {item.reps}, not 2 x 3-5"
                    )
                if nth < ECCENTRIC_CEILING_WEEK:
                    ceiling = 30 if seconds else (8 if "copenhagen" in item.id else 6)
                    assert not (item.sets >= 3 and rng[1] >= ceiling), (
                        f"D4: {item.id} at its ceiling {item.sets} x {item.reps} in its week {nth}"
                    )
        for exercise_id in seen:
            weeks_with[exercise_id] = weeks_with.get(exercise_id, 0) + 1


# --------------------------------------------------------------------------------------------- D5


def _work_seconds(item: Prescription, library: Library, reps: int) -> int:
    """One set's work by D5: 3 s a rep, 6 s slow, both sides; holds at length; 1 s a contact."""
    if is_plyometric(item, library):
        return item.contacts // max(1, item.sets) if item.contacts else reps * (2 if "each side" in item.reps else 1)
    sides = 2 if "each side" in item.reps or library.exercises[item.id].per_side else 1
    if in_seconds(item, library):
        return reps * sides
    head = item.reps.split(",")[0].removesuffix(" each side").strip()
    if head.endswith(("steps", "m")):
        return reps * sides  # a step or metre a second (D5 does not say; honest_seconds allows half to twice)
    return reps * sides * (SLOW_REP_S if is_slow(item, library) else REP_S)


def honest_seconds(session: Session, library: Library, *, after_run: bool) -> tuple[int, int]:
    """D5's arithmetic for a session, as a range: the fewest and most reps of each range, and a rest
    after every set or only between sets (the rulebook does not say which)."""
    low = high = (2 if after_run else 4) * 60
    rests = {item.id: item.rest_s for item in session.exercises}
    for item in session.exercises:
        rng = reps_numbers(item) or (0, 0)
        work_low, work_high = _work_seconds(item, library, rng[0]), _work_seconds(item, library, rng[1])
        if item.reps.split(",")[0].removesuffix(" each side").strip().endswith(("steps", "m")):
            work_low, work_high = work_low // 2, work_high * 2
        ramp = RAMP_SETS_S if item.ramp else 0
        if item.paired_with:
            host_rest = rests.get(item.paired_with, 0)
            low += item.sets * max(0, 90 + work_low - host_rest)
            high += item.sets * max(0, 90 + work_high - host_rest) + CHANGEOVER_S
            continue
        low += CHANGEOVER_S + ramp + item.sets * work_low + (item.sets - 1) * item.rest_s
        high += CHANGEOVER_S + ramp + item.sets * work_high + item.sets * item.rest_s
    return low, high


def nothing_more_to_cut(session: Session, library: Library) -> bool:
    """D5: over length, drop accessory, core, jumps, unilateral, then main sets down to 2."""
    roles = [role_of(item, library) for item in session.exercises]
    droppable = EXTRA_ROLES | {Role.CORE, Role.CARRY, Role.UNILATERAL} | JUMP_ROLES
    if any(role in droppable for role in roles):
        return False
    return all(item.sets <= 2 for item in session.exercises if role_of(item, library) in LEAD_ROLES)


def check_D5_minutes(session: Session, library: Library, *, length: int, after_run: bool) -> None:
    """D5: the minutes shown are the rule's arithmetic (within a minute), within 10 % of the runner's
    length unless nothing more can be cut; every heavy lift has ramp sets and 2 to 3 min of rest; the
    order is jumps, main, unilateral, calf, core, accessory."""
    low, high = honest_seconds(session, library, after_run=after_run)
    shown = session.minutes * 60
    assert low - 60 <= shown <= high + 60, (
        f"D5: {session.minutes} min shown, the rule's arithmetic gives {low / 60:.1f} to {high / 60:.1f}"
    )
    if session.minutes > length * TIME_SLACK:
        assert nothing_more_to_cut(session, library), (
            f"D5: {session.minutes} min for a {length}-min session with "
            f"{[(item.id, role_of(item, library)) for item in session.exercises]} still cuttable"
        )
    rank = {
        Role.PLYOMETRIC: 0,
        Role.BALLISTIC: 0,
        Role.MAIN: 1,
        Role.BILATERAL: 1,
        Role.UNILATERAL: 2,
        Role.CALF: 3,
        Role.CORE: 4,
        Role.CARRY: 4,
        Role.ACCESSORY: 5,
        Role.UPPER: 5,
    }
    order = [rank[r] for r in (role_of(item, library) for item in session.exercises) if r in rank]
    assert order == sorted(order), f"D5: order {[(item.id, role_of(item, library)) for item in session.exercises]}"
    for item in session.exercises:
        if is_heavy(item, library):
            assert item.ramp, f"D5: heavy {item.id} ({item.reps}) without ramp sets"
            assert HEAVY_REST[0] <= item.rest_s <= HEAVY_REST[1], f"D5: heavy {item.id} rests {item.rest_s} s"
        elif in_reps(item, library) and not item.paired_with:
            assert LIGHT_REST[0] <= item.rest_s <= HEAVY_REST[1], f"D5: {item.id} rests {item.rest_s} s"


# --------------------------------------------------------------------------------------------- J1-J3


def check_J1_contacts(session: Session, library: Library, level: Level, phase: Phase) -> None:
    """J1: contacts counted per session in total, every landing once, under the level's cap; stage 3
    only for `regular`; in `peak` only `regular` jumps."""
    jumps = [item for item in session.exercises if is_plyometric(item, library)]
    for item in jumps:
        rng = reps_numbers(item)
        assert item.contacts > 0, f"J1: {item.id} counts no contacts"
        if rng is not None:
            sides = 2 if "each side" in item.reps else 1  # "10 each side" is 20; "10 in total" is 10
            low, high = item.sets * rng[0] * sides, item.sets * rng[1] * sides
            assert low <= item.contacts <= high, (
                f"J1: {item.id} {item.sets} x {item.reps} is {low}-{high} landings, counted {item.contacts}"
            )
        stage = jump_stage_of(item.id, library)
        if stage >= 3:
            assert level is Level.REGULAR, f"J1: stage-3 {item.id} for a {level} lifter"
    total = sum(item.contacts for item in jumps)
    assert total <= CONTACT_CAP[level], f"J1: {total} contacts for a {level} lifter (cap {CONTACT_CAP[level]})"
    if phase is Phase.PEAK and level is not Level.REGULAR:
        assert not jumps, f"J1: jumps in peak for a {level} lifter"


def check_J2_jump_free(
    profile: Profile, plan: Sequence[WeekPlan], library: Library, *, fresh: bool, paused_until: dt.date | None = None
) -> None:
    """J2: no plyometric or loaded jump (and no power session) in the first 2 lifting weeks with the
    coach, nor in the first 2 after a taper and recovery or a pause; jumps then restart at stage 1,
    as after 14 days or more without jumps, and climb one stage after 2 lifting weeks at the one below.
    ``fresh``: the plan starts with the runner's first week."""
    since_restart: int | None = 0 if fresh else None  # lifting weeks since the last restart
    allowed = 1 if fresh else 3
    weeks_at_allowed = 0
    last_jump: dt.date | None = None
    for week in plan:
        phases = {d.phase for d in week.days}
        paused = paused_until is not None and week.start <= paused_until
        sessions = [(d.date, d.session) for d in week.days if d.session.kind.is_lifting]
        if not sessions:
            if phases & {Phase.TAPER, Phase.RECOVERY} or paused:
                since_restart, allowed, weeks_at_allowed = 0, 1, 0
            continue
        if Phase.RECOVERY in phases or paused:  # lifting again in the week the recovery or pause ends
            since_restart, allowed, weeks_at_allowed = 0, 1, 0
        jump_free = since_restart is not None and since_restart < JUMP_FREE_LIFTING_WEEKS
        stages: list[int] = []
        for date, session in sessions:
            jumps = [item.id for item in session.exercises if is_jump(item, library)]
            if jump_free:
                assert not jumps, f"J2: jumps {jumps} on {date}, lifting week {since_restart + 1} after a (re)start"
                assert session.kind is not SessionKind.POWER, f"J2: a power session on {date} in a jump-free week"
            if jumps:
                # "14 days or more without jumps", counted to the week's first day (the week is
                # planned as a whole, before its days are placed)
                if last_jump is not None and (week.start - last_jump).days - 1 >= 14:
                    allowed, weeks_at_allowed = 1, 0
                if last_jump is None and since_restart is not None:
                    allowed = 1
                stages += jump_stages(session, library)
                last_jump = date
        if stages:
            assert max(stages) <= allowed, f"J1/J2: stage {max(stages)} in the week of {week.start}, {allowed} allowed"
            if max(stages) == allowed:
                weeks_at_allowed += 1
                if weeks_at_allowed >= 2:
                    allowed, weeks_at_allowed = allowed + 1, 0
        if since_restart is not None:
            since_restart += 1


def check_J3_reduction(before: WeekPlan, week: WeekPlan, library: Library, *, deload: bool = True) -> None:
    """J3: a deload or eased week has about 40 % fewer contacts a session than the week before it (a
    back-off: fewer jump sets), and no jump moves up a stage."""

    def sessions(plan: WeekPlan) -> list[Session]:
        return [d.session for d in plan.days if d.session.kind.is_lifting]

    before_contacts = max((session_contacts(s, library) for s in sessions(before)), default=0)
    after_contacts = max((session_contacts(s, library) for s in sessions(week)), default=0)
    if not before_contacts:
        return  # the week before had no jumps (J2's jump-free weeks): nothing to cut from
    if deload:
        assert after_contacts <= math.floor(0.7 * before_contacts), (
            f"J3: {after_contacts} contacts a session in the reduced week of {week.start}, {before_contacts} before"
        )
    else:

        def jump_sets(plan: WeekPlan) -> int:
            return max(
                (sum(i.sets for i in s.exercises if is_plyometric(i, library)) for s in sessions(plan)), default=0
            )

        assert jump_sets(week) < jump_sets(before) or jump_sets(before) == 0, f"J3: the back-off week of {week.start}"
    before_stage = max((st for s in sessions(before) for st in jump_stages(s, library)), default=0)
    after_stage = max((st for s in sessions(week) for st in jump_stages(s, library)), default=0)
    assert after_stage <= max(before_stage, 1 if before_stage else 0), (
        f"J3: stage {after_stage} in the reduced week of {week.start}, {before_stage} before"
    )


# --------------------------------------------------------------------------------------------- N2/N3/N5


def sparing_variant(item: Prescription, library: Library, profile: Profile, avoid: frozenset[BodyArea]) -> str | None:
    """N2: a variant of the item's slot (same pattern and role group) the kit and level allow whose
    loads leave every avoided area out, if the library has one."""
    ex = library.exercises[item.id]
    role = role_of(item, library)
    group = LEAD_ROLES if role in LEAD_ROLES else frozenset({role})
    unilateral = role is Role.UNILATERAL
    for other in library.exercises.values():
        if other.id == item.id or other.pattern is not ex.pattern or other.gentle:
            continue
        if other.role not in group or other.pattern in (Pattern.MOBILITY, Pattern.POWER):
            continue
        if unilateral and unilateral_pattern(other.id, library) is not unilateral_pattern(item.id, library):
            continue  # a single-leg squat's variants are single-leg squats (D2 decides the pattern)
        if is_eccentric(other.id, library) or other.min_level.rank > profile.strength_level.rank:
            continue
        if kit_offers(profile.equipment, other.equipment) and not avoid.intersection(other.loads):
            return other.id
    return None


def check_N2_N3_rungs(
    session: Session,
    library: Library,
    profile: Profile,
    rungs: Mapping[BodyArea, int],
    rested: frozenset[BodyArea],
    back: frozenset[BodyArea] = frozenset(),
) -> None:
    """N2/N3: work loading a flagged area (declared, or ``back`` from pain) below rung 4 is at most
    RPE 7, holds and slow work at most RPE 5, rung 1 holds only; and it is there only when no
    sparing variant of its slot exists."""
    flagged = (frozenset(profile.injuries) | back) - rested
    avoid = flagged | rested
    for item in session.exercises:
        if is_jump(item, library):
            continue  # N5
        below = [area for area in sorted(flagged) if area in item.loads and rungs.get(area, 1) < 4]
        if not below:
            continue
        rung = min(rungs.get(area, 1) for area in below)
        hold = in_seconds(item, library) or item.type is ExerciseType.ISOMETRIC
        assert item.rpe is not None and item.rpe <= 7, f"N3: {item.id} loads {below} (rung {rung}) at RPE {item.rpe}"
        if rung <= 2:
            assert item.rpe <= 5, f"N3: {item.id} loads {below} at rung {rung} (holds, slow and light), RPE {item.rpe}"
        if rung == 1:
            assert hold, f"N3: rung 1 for {below} is holds only, not {item.id} {item.sets} x {item.reps}"
        spare = sparing_variant(item, library, profile, avoid)
        assert spare is None, f"N2: {item.id} loads {below} although {spare} spares it"


def check_N5_no_jumps(session: Session, library: Library, areas: frozenset[BodyArea]) -> None:
    """N5: no plyometric or loaded jump loads an area not yet cleared for jumps."""
    for item in session.exercises:
        if is_jump(item, library):
            assert not areas.intersection(item.loads), f"N5: {item.id} loads {sorted(areas & set(item.loads))}"


# --------------------------------------------------------------------------------------------- P9, P10


def check_P9_tune_ups(profile: Profile, plan: Sequence[WeekPlan]) -> None:
    """P9: no lifting in the 2 days before a tune-up, on it, nor its distance's recovery days after it
    (4 when the distance is unknown)."""
    for date, session in lifting_sessions(plan):
        race = p9_barred(profile, date)
        assert race is None, f"P9: {session.kind} on {date}, around the tune-up on {race}"


def check_P10_runs(profile: Profile, plan: Sequence[WeekPlan]) -> None:
    """P10: each day's run is the calendar's, the day after the goal race included."""
    for week in plan:
        for day in week.days:
            expected = calendar_run(profile, day.date)
            assert day.run is expected, f"P10: {day.date} shows a {day.run} run, the calendar says {expected}"


# --------------------------------------------------------------------------------------------- kit, mobility


def check_equipment(session: Session, library: Library, profile: Profile) -> None:
    """Equipment is a set: an exercise's equipment is in the kit (bodyweight always; a gym brings
    dumbbells; nothing else implies anything)."""
    kit = set(profile.equipment)
    for item in session.exercises:
        needed = library.exercises[item.id].equipment
        ok = needed is Equipment.NONE or needed in kit or (needed is Equipment.DUMBBELLS and Equipment.GYM in kit)
        assert ok, f"kit: {item.id} needs {needed}, the kit is {sorted(kit)}"


HIP_FLEXOR_STRETCH = ("hip_flexor_stretch", "kneeling hip", "hip flexor stretch")
DEEP_LUNGE = ("lunge", "worlds_greatest", "world's greatest")
CALF_STRETCH = ("calf_wall_stretch", "calf stretch")


def check_mobility_spares(session: Session, library: Library, avoid: frozenset[BodyArea]) -> None:
    """Item 2: no mobility item loads a rested or flagged area (by its `loads`, and the rulebook's own
    examples: no hip-flexor stretch for a hip, no deep lunge for a knee, no calf stretch for an ankle)."""
    for item in session.exercises:
        ex = library.exercises[item.id]
        if ex.pattern is not Pattern.MOBILITY and session.kind is not SessionKind.MOBILITY:
            continue
        text = f"{item.id} {item.name}".lower()
        assert not avoid.intersection(ex.loads), f"mobility: {item.id} loads {sorted(avoid & set(ex.loads))}"
        if BodyArea.HIP in avoid:
            assert not any(word in text for word in HIP_FLEXOR_STRETCH), f"mobility: {item.id} for a flagged hip"
        if BodyArea.KNEE in avoid:
            assert not any(word in text for word in DEEP_LUNGE), f"mobility: {item.id} for a flagged knee"
        if BodyArea.ANKLE in avoid:
            assert not any(word in text for word in CALF_STRETCH), f"mobility: {item.id} for a flagged ankle"


def check_rested_untouched(session: Session, rested: frozenset[BodyArea]) -> None:
    """A4: an area rested after pain is loaded by nothing, mobility included."""
    for item in session.exercises:
        assert not rested.intersection(item.loads), f"A4: {item.id} loads rested {sorted(rested & set(item.loads))}"


# --------------------------------------------------------------------------------------------- all of them


def is_reduced(week: WeekPlan) -> bool:
    """A deload or an eased week (J3)."""
    return week.deload or any(p.key in (NoteKey.DELOAD, NoteKey.FIRST_WEEK_BACK) for p in week.note.parts)


def check_rev3(
    profile: Profile,
    plan: Sequence[WeekPlan],
    library: Library,
    state: TrainingState | None = None,
    *,
    paused_until: dt.date | None = None,
    rungs: Mapping[BodyArea, int] | None = None,
) -> None:
    """Every rev. 3 checker on consecutive weeks planned from ``state`` (a new runner when None).

    ``rungs`` gives the flagged areas' N3 rungs when known (a new niggle is at rung 1)."""
    state = state or TrainingState()
    fresh = state.weeks_coached == 0
    level = Level.NEW if state.needs_clearance else profile.strength_level
    length = max(10, profile.session_minutes - state.minutes_cut)
    known_rungs = dict(rungs or {})
    check_P10_runs(profile, plan)
    check_P9_tune_ups(profile, plan)
    check_D4_eccentric(plan, library, lifting_weeks_before=state.weeks_coached)
    check_J2_jump_free(profile, plan, library, fresh=fresh, paused_until=paused_until)
    strength_in_order: list[Session] = []
    lifting_weeks = 0
    for index, week in enumerate(plan):
        rested = state.rested_areas(week.start)
        # the declared niggles and the areas back from pain (A4), less those resting
        back = {area for area, held in state.niggles.items() if held.returning}
        flagged = frozenset(profile.injuries | back) - rested
        lifting = [d for d in week.days if d.session.kind.is_lifting]
        lifting_weeks += bool(lifting)
        young = state.weeks_coached + lifting_weeks <= NIGGLE_JUMP_FREE_WEEKS
        no_jumps = frozenset(a for a in flagged if young or known_rungs.get(a, 1) < 4) | rested
        dose_phase = week.phase if state.weeks_coached + index >= 2 else Phase.BASE
        reduced = is_reduced(week)
        for day in week.days:
            session = day.session
            check_equipment(session, library, profile)
            check_rested_untouched(session, rested)
            if session.kind is SessionKind.MOBILITY:
                check_mobility_spares(session, library, flagged | rested)
            if not session.kind.is_lifting:
                continue
            strength_in_order.append(session)
            check_D1_dose_by_role(session, library, level)
            check_D2_session_cap(session, library)
            # 3 calf sets when the table gives 3 or more and the week's cuts left the session's lifts at 3
            # (N3's holds are 3 x whatever the table, so they say nothing of the session's sets)
            full = max((p.sets for p in session.exercises if not is_jump(p, library) and not p.gentle), default=0) >= 3
            three = table_gives_three(level, dose_phase) and not reduced and not state.set_cut and full
            if not flagged & {BodyArea.ANKLE, BodyArea.FOOT} and not rested & {BodyArea.ANKLE, BodyArea.FOOT}:
                check_D3_calf(session, library, three_sets=three)
            check_D5_minutes(session, library, length=length, after_run=day.run in (RunKind.EASY, RunKind.QUALITY))
            check_J1_contacts(session, library, level, day.phase)
            check_N2_N3_rungs(session, library, profile, known_rungs, rested, frozenset(back))
            check_N5_no_jumps(session, library, no_jumps)
        # J3's cut is from the full dose: the last week before that was not itself reduced
        full_before = [w for w in plan[:index] if not is_reduced(w)]
        if full_before and reduced and lifting:
            check_J3_reduction(full_before[-1], week, library)
    if not profile.injuries and not state.pain:
        check_D2_alternation(strength_in_order, library)
