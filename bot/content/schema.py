"""The shape of the content library (`content/*.yaml`), as pydantic models.

The loader (``bot.content.loader``) validates each file against these models, checks
every cross-reference between entries, then builds the core's ``bot.coach.library`` types from them:
the planner only ever sees a valid ``Library``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bot.coach.model import BodyArea, Equipment, ExerciseType, Level, Pattern, Role, SessionKind
from bot.coach.plural import Plural, Text


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Exercise(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: Annotated[str, Field(min_length=2, max_length=60)]
    pattern: Pattern
    type: ExerciseType
    slot: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] | None = None
    gentle: bool = False
    gentle_form: str | None = None
    high_impact: bool = False
    equipment: Equipment
    min_level: Level
    loads: tuple[BodyArea, ...]
    cues: Annotated[tuple[str, ...], Field(min_length=2, max_length=3)]
    regression: str | None = None
    progression: str | None = None
    unit: Annotated[str, Field(pattern=r"^(reps|seconds|steps)$")] = "reps"
    per_side: bool = False
    # D1/D2: how it is dosed and which place of the session cap it takes (every lifting exercise has one)
    role: Role | None = None
    # D4: eccentric-heavy (Nordic curl, Copenhagen plank), with the non-eccentric form it gives way to
    eccentric: bool = False
    eccentric_form: str | None = None
    # J1: 1 double-leg low-level, 2 single-leg low-level, 3 bounds, box, hurdle (every plyometric has one)
    jump_stage: Annotated[int, Field(ge=0, le=3)] = 0
    # N2/N5/N6: only ever a flagged area's variant, rung form or strength test, never a default choice
    niggle_only: bool = False
    # N6: done on a flat floor, never with the heel below a step (an ankle niggle takes only these)
    flat_floor: bool = False
    # N3: what the exercise becomes at rungs 1, 2 and 3 of an area it loads (else: its gentle form,
    # then itself slow and light, then itself slow)
    rung_forms: Annotated[tuple[str, str, str], Field()] | None = None
    # N5: the areas whose strength test this is, and the count it asks for
    strength_test: tuple[BodyArea, ...] = ()
    test_reps: Annotated[int, Field(ge=0, le=50)] = 0
    # moved at body weight with no load to add (a pull-up): dosed as reps short of failure
    body_weight_only: bool = False

    @property
    def slot_key(self) -> str:
        """What the exercise fills in a session: its slot, else its pattern (each jump is its own)."""
        if self.slot:
            return self.slot
        return self.id if self.pattern is Pattern.POWER else self.pattern.value


class RoutineItem(_Strict):
    exercise: str
    sets: Annotated[int, Field(ge=1, le=4)] = 1
    reps: Annotated[str, Field(min_length=1, max_length=20)]


class MobilityRoutine(_Strict):
    """A short mobility and activation routine; ``focus`` says which days it suits."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Annotated[str, Field(min_length=2, max_length=60)]
    minutes: Annotated[int, Field(ge=5, le=15)]
    focus: tuple[Annotated[str, Field(pattern=r"^(general|before_key_run|after_key_run|recovery|taper)$")], ...]
    items: Annotated[tuple[RoutineItem, ...], Field(min_length=3)]


class Sessions(_Strict):
    titles: dict[SessionKind, str]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a message text uses; raises ValueError for stray or positional braces."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    if "" in names or any(name.isdigit() for name in names):
        raise ValueError("positional {} placeholders cannot be filled; name them")
    return names


class Texts(_Strict):
    """A group of message texts; each field documents the placeholders it may use."""

    @classmethod
    def allowed_placeholders(cls) -> dict[str, frozenset[str]]:
        return {}

    def check_placeholders(self) -> Iterable[str]:
        allowed = self.allowed_placeholders()
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Plural) and value.by not in allowed.get(name, frozenset()):
                yield f"field '{name}': its forms are chosen by an unknown placeholder '{value.by}'"
            for text in value.forms() if isinstance(value, Plural) else (value,):
                if not isinstance(text, str):
                    continue
                try:
                    used = placeholders(text)
                except ValueError as exc:  # a stray "{" or "}"
                    yield f"field '{name}': broken placeholder braces ({exc})"
                    continue
                extra = used - allowed.get(name, frozenset())
                if extra:
                    yield f"field '{name}': unknown placeholder(s) {', '.join(sorted(extra))}"


_DAY = frozenset(
    {
        "run",
        "phase",
        "distance",
        "days_to_race",
        "target",
        "placed",
        "next_run",
        "weekday",
        "recovery_days",
        "tune_up_days",
    }
)


class Reasons(Texts):
    """One-sentence reasons for a day's session (rule P8); each cites the calendar."""

    lift_easy_day: str
    lift_rest_day: str
    lift_quality_day: str
    lift_preferred_day: str
    power_day: str
    rest_race_day: str
    rest_paused: str
    rest_switched_off: str
    mobility_long_today: str
    mobility_quality_today: str
    mobility_before_key_run: str
    mobility_after_lift: str
    mobility_after_skip: str
    mobility_after_swap: str
    mobility_taper: Text
    mobility_recovery: str
    mobility_week_full: str
    mobility_no_safe_lifts: str
    mobility_moved_today: str
    mobility_no_fit: str
    mobility_light_day: str
    mobility_before_joining: str
    lift_moved_here: str
    mobility_near_race: str
    mobility_too_close_to_start: Text
    mobility_before_tune_up: str
    mobility_after_tune_up: str
    mobility_day_after_race: str

    @classmethod
    def allowed_placeholders(cls) -> dict[str, frozenset[str]]:
        return {name: _DAY for name in cls.model_fields}


_WEEK = frozenset(
    {"phase", "distance", "weeks_to_race", "target", "placed", "race_date", "recovery_days", "weekday", "cut", "gentle"}
    | {"peak_cut"}
    | {"race_kind", "race_day", "resting", "run", "next_run", "tune_up_days"}
)


class WeekNotes(Texts):
    """The note at the top of a week's plan."""

    base: str
    base_no_race: str
    build: str
    build_light: str
    peak: str
    taper: str
    recovery: str
    fewer_fit: str
    none_fit: str
    deload: str
    paused: str
    add_load: str
    niggles: str
    first_week_back: str
    tune_up: str
    gentle: str
    slow_progress: str
    new_block: str
    too_close_to_start: str
    # progression's notes (rev. 3)
    base_progress: str
    base_no_race_progress: str
    build_heavy: str
    peak_start: str
    eased_tune_up: str
    eased_tune_up_no_jumps: str
    eased_race_no_jumps: str
    step_lower: str
    back_step: str
    back_set: str
    back_restart: str
    resting: str
    fewer_joined: str
    fewer_taper: str
    fewer_recovery: str
    fewer_race: Text
    fewer_after_race: Text
    fewer_key_runs: str
    fewer_after_last_week: str
    fewer_next_week: str
    preferred_out_run: str
    preferred_out_before_key: str
    preferred_out_near_race: str
    preferred_out_next_to_lift: str
    preferred_out_race_phase: str

    @classmethod
    def allowed_placeholders(cls) -> dict[str, frozenset[str]]:
        return {name: _WEEK for name in cls.model_fields}


_COACHING = {
    "load_hint": frozenset({"reserve"}),
    "load_cue": frozenset({"reserve"}),
    "reps_tempo": frozenset({"reps"}),
    "reps_calf": frozenset({"reps"}),
    "reps_test": frozenset({"reps"}),
    "contacts_each_side": frozenset({"reps", "side"}),
    "paired": frozenset({"lift"}),
    "warmup_ramp": frozenset({"lift"}),
    "reps_each_side": frozenset({"reps"}),
    "reps_seconds": frozenset({"reps"}),
    "reps_steps": frozenset({"reps"}),
    "reps_contacts": frozenset({"reps"}),
    "reps_slow": frozenset({"reps"}),
}


class CoachingTexts(Texts):
    """What a session tells the runner beside the exercise names: warm-up, rests, loads, units."""

    pain_rule: str
    load_hint: str
    paired: str
    warmup: str
    warmup_after_run: str
    warmup_ramp: str
    reps_each_side: str
    reps_seconds: str
    reps_steps: str
    reps_contacts: str
    reps_slow: str
    load_cue: str
    reps_tempo: str
    reps_calf: str
    reps_test: str
    contacts_each_side: str
    eccentric_start: str
    hold_rung: str

    @classmethod
    def allowed_placeholders(cls) -> dict[str, frozenset[str]]:
        return {name: _COACHING.get(name, frozenset()) for name in cls.model_fields}


class Messages(_Strict):
    reasons: Reasons
    week_notes: WeekNotes
    coaching: CoachingTexts
    run_names: dict[str, str]
    phase_names: dict[str, str]
    distance_names: dict[str, str]
    weekday_names: dict[str, str]
