"""The coach's library: the exercises, routines, session titles and words the planner works with.

These are plain frozen types the core owns. ``bot.content`` reads and validates the YAML in
`content/` and builds a ``Library`` from it; the core never sees a file or a validation error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.coach.model import BodyArea, Equipment, ExerciseType, Level, NoteKey, Pattern, ReasonKey, Role, SessionKind
from bot.coach.plural import Text


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise: what it trains, who can do it with what, what it loads, and its easier and
    harder steps (``regression``, ``progression``) and gentle form (for a niggle), by id."""

    id: str
    name: str
    pattern: Pattern
    type: ExerciseType
    equipment: Equipment
    min_level: Level
    loads: tuple[BodyArea, ...]
    cues: tuple[str, ...]
    slot: str | None = None
    gentle: bool = False
    gentle_form: str | None = None
    high_impact: bool = False
    regression: str | None = None
    progression: str | None = None
    unit: str = "reps"  # reps, seconds or steps
    per_side: bool = False
    role: Role | None = None  # D1 and D2 (the content gives every lifting exercise one)
    eccentric: bool = False  # D4: Nordic curl, Copenhagen plank and others the library marks
    jump_stage: int = 0  # J1: 1 double-leg low-level, 2 single-leg low-level, 3 bounds, box, hurdle
    eccentric_form: str | None = None  # D4: the non-eccentric form it gives way to
    niggle_only: bool = False  # only a flagged area's variant, rung form or strength test (N2, N5, N6)
    flat_floor: bool = False  # N6: heel never below a step
    rung_forms: tuple[str, str, str] | None = None  # N3: its forms at rungs 1, 2 and 3
    strength_test: tuple[BodyArea, ...] = ()  # N5: the areas whose test this is
    test_reps: int = 0
    body_weight_only: bool = False  # no load to add (a pull-up): dosed as reps short of failure

    def __hash__(self) -> int:
        # equal exercises share their id: the planner's caches hash it, not every field, per lookup
        return hash(self.id)

    @property
    def slot_key(self) -> str:
        """What the exercise fills in a session: its slot, else its pattern (each jump is its own)."""
        if self.slot:
            return self.slot
        return self.id if self.pattern is Pattern.POWER else self.pattern.value


@dataclass(frozen=True, slots=True)
class RoutineItem:
    exercise: str
    sets: int
    reps: str


@dataclass(frozen=True, slots=True)
class MobilityRoutine:
    """A short mobility and activation routine; ``focus`` says which days it suits (general,
    before_key_run, after_key_run, recovery, taper)."""

    id: str
    title: str
    minutes: int
    focus: tuple[str, ...]
    items: tuple[RoutineItem, ...]


@dataclass(frozen=True, slots=True)
class Sessions:
    """The title of each kind of session (what a session holds is the rulebook's cap, D2, built
    in ``bot.coach.session`` from the exercises' roles)."""

    titles: Mapping[SessionKind, str]


@dataclass(frozen=True, slots=True)
class CoachingTexts:
    """What a session tells the runner beside the exercise names: warm-up, rests, loads, units."""

    pain_rule: str
    load_hint: str  # {reserve}
    paired: str  # {lift}
    warmup: str
    warmup_after_run: str
    warmup_ramp: str  # {lift}
    reps_each_side: str  # {reps}
    reps_seconds: str  # {reps}
    reps_steps: str  # {reps}
    reps_contacts: str  # {reps}
    reps_slow: str  # {reps}
    load_cue: str  # {reserve}: "a weight you could lift N more times" (D1)
    reps_tempo: str  # {reps}: 3 s up, 3 s down (N3 rung 2 and 3)
    reps_calf: str  # {reps}: slow, 2 to 3 s each way (D1 calf)
    reps_test: str  # {reps}: an N5 strength test's count
    contacts_each_side: str  # {reps} contacts a set in total, {side} each side (J1)
    eccentric_start: str  # D4: how an eccentric-heavy exercise starts (partial range, short lever)
    hold_rung: str  # N3 rung 1: a moving exercise done as a hold

    def __hash__(self) -> int:
        # equal texts share their warm-up: a dosing cache's key hashes one string, not every field
        return hash(self.warmup)


@dataclass(frozen=True, slots=True)
class Messages:
    """The words plans are told in: a text per reason and week-note key (with ``{name}``
    placeholders for the values the planner gives), the coaching texts of a session, and the
    names of runs, phases, distances and weekdays by their value."""

    reasons: Mapping[ReasonKey, Text]
    week_notes: Mapping[NoteKey, Text]
    coaching: CoachingTexts
    run_names: Mapping[str, str]
    phase_names: Mapping[str, str]
    distance_names: Mapping[str, str]
    weekday_names: Mapping[str, str]


@dataclass(frozen=True, eq=False)
class Library:
    """A valid library (``bot.content`` checks every cross-reference before building one).

    Compared and hashed by identity, so planners can cache per library.
    """

    exercises: Mapping[str, Exercise]
    routines: tuple[MobilityRoutine, ...]
    sessions: Sessions
    messages: Messages
    by_pattern: Mapping[Pattern, tuple[Exercise, ...]] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]
