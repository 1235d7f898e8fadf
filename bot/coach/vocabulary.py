"""The coaching vocabulary: weekdays, kinds of run and session, levels, kit, body areas, race
distances, phases, movement patterns, exercise types and roles, a week's reduction, and the keys
of a day's reasons and a week's note. Plain enums (and the kit, a set of them); the profile, the
training state and the plan built from them are in :mod:`bot.coach.model`, which re-exports these.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        return WEEKDAYS[day.weekday()]


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


class RunKind(StrEnum):
    REST = "rest"
    EASY = "easy"
    QUALITY = "quality"
    LONG = "long"
    RACE = "race"


class SessionKind(StrEnum):
    STRENGTH = "strength"
    POWER = "power"
    MOBILITY = "mobility"
    REST = "rest"

    @property
    def is_lifting(self) -> bool:
        return self in LIFTING_KINDS


# the property is a Python call per use: the planner's loops test membership here instead
LIFTING_KINDS = frozenset({SessionKind.STRENGTH, SessionKind.POWER})


class Level(StrEnum):
    NEW = "new"
    SOME = "some"
    REGULAR = "regular"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.NEW: 0, Level.SOME: 1, Level.REGULAR: 2}


class Equipment(StrEnum):
    """One item of the runner's kit (COACHING.md, "Vocabulary": equipment is a set). ``rank`` only
    orders exercises by how much kit they use; owning one item implies nothing about another,
    except that a gym brings dumbbells. ``NONE`` is what bodyweight work needs and never a member
    of a kit."""

    NONE = "none"
    BANDS = "bands"
    DUMBBELLS = "dumbbells"
    GYM = "gym"

    @property
    def rank(self) -> int:
        return _EQUIPMENT_RANK[self]


_EQUIPMENT_RANK = {Equipment.NONE: 0, Equipment.BANDS: 1, Equipment.DUMBBELLS: 2, Equipment.GYM: 3}

Kit = frozenset[Equipment]
BODYWEIGHT: Kit = frozenset()


def kit_of(value: object) -> Kit:
    """A kit from a profile's value: a list of items, one item's name (older profiles), or
    ``"none"``/``[]`` for bodyweight only. ``NONE`` is dropped: bodyweight is always in a kit."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, Equipment):
        value = [value]
    if not isinstance(value, list | tuple | set | frozenset):
        raise ValueError("equipment: a list of items (bands, dumbbells, gym) or one of them")
    return frozenset(Equipment(item) for item in value) - {Equipment.NONE}


def kit_offers(kit: Kit, needed: Equipment) -> bool:
    """Whether a kit has what an exercise needs: bodyweight always; a gym brings dumbbells."""
    if needed is Equipment.NONE or needed in kit:
        return True
    return needed is Equipment.DUMBBELLS and Equipment.GYM in kit


def kit_values(kit: Kit) -> list[str]:
    """The kit as stored and printed: its items' values, in rank order."""
    return [item.value for item in sorted(kit, key=lambda item: item.rank)]


class BodyArea(StrEnum):
    KNEE = "knee"
    HIP = "hip"
    ANKLE = "ankle"  # includes Achilles and calf
    SHIN = "shin"
    FOOT = "foot"
    BACK = "back"
    HAMSTRING = "hamstring"
    SHOULDER = "shoulder"


class Distance(StrEnum):
    K5 = "5k"
    K10 = "10k"
    HALF = "half"
    MARATHON = "marathon"
    ULTRA = "ultra"

    @property
    def taper_days(self) -> int:
        return _TAPER_DAYS[self]

    @property
    def recovery_days(self) -> int:
        """Days of mobility only after a race of this distance (COACHING.md "Phases", convention)."""
        return _RECOVERY_DAYS[self]


# read for every day the planner phases (a table: the property is on the planner's hot path)
_TAPER_DAYS = {Distance.K5: 7, Distance.K10: 7, Distance.HALF: 10, Distance.MARATHON: 10, Distance.ULTRA: 10}
_RECOVERY_DAYS = {Distance.K5: 3, Distance.K10: 3, Distance.HALF: 7, Distance.MARATHON: 10, Distance.ULTRA: 14}


class Phase(StrEnum):
    BASE = "base"
    BUILD = "build"
    PEAK = "peak"
    TAPER = "taper"
    RECOVERY = "recovery"

    @property
    def allows_lifting(self) -> bool:
        return self in LIFTING_PHASES


LIFTING_PHASES = frozenset({Phase.BASE, Phase.BUILD, Phase.PEAK})  # as LIFTING_KINDS


class Pattern(StrEnum):
    SQUAT = "squat"
    HINGE = "hinge"
    SINGLE_LEG = "single_leg"
    CALF_ANKLE = "calf_ankle"
    CORE = "core"
    HIP = "hip"  # hip abductor and hip flexor strength, an extra of longer sessions
    UPPER = "upper"
    POWER = "power"
    MOBILITY = "mobility"


class ExerciseType(StrEnum):
    """How an exercise is dosed (COACHING.md, "Dose"): only ``strength`` takes the load table."""

    STRENGTH = "strength"  # loadable: dumbbell, kettlebell, barbell, machine
    BODYWEIGHT = "bodyweight"  # bodyweight or band work, 8 to 15 reps
    ISOMETRIC = "isometric"  # holds, in seconds
    CORE = "core"  # seconds or 8 to 12 controlled reps
    CARRY = "carry"  # steps
    PLYOMETRIC = "plyometric"  # foot contacts
    MOBILITY = "mobility"

    @property
    def loadable(self) -> bool:
        return self is ExerciseType.STRENGTH


class Role(StrEnum):
    """How an exercise is dosed within a session (COACHING.md D1) and which place of the session
    cap it takes (D2)."""

    MAIN = "main"  # bilateral barbell, trap-bar or machine lift: takes the dose table
    BILATERAL = "bilateral"  # other bilateral squat or hinge (goblet squat, dumbbell RDL): 6 to 12
    UNILATERAL = "unilateral"  # 6 to 10 each side (new 8 to 12), RPE at most 8
    CALF = "calf"  # calf or soleus raise: 6 to 15 slow, 2 to 3 reps in reserve
    BALLISTIC = "ballistic"  # swings 8 to 15 fast; loaded jumps 3 to 5; no RPE
    UPPER = "upper"  # rows, presses 8 to 12 at RPE 7; pull-ups as bodyweight reps
    CORE = "core"  # 8 to 12 reps or 20 to 45 s
    ISOMETRIC = "isometric"  # 3 to 5 x 30 to 45 s
    CARRY = "carry"  # steps or metres
    ACCESSORY = "accessory"  # hip, tibialis or upper-body extra: 10 to 20
    PLYOMETRIC = "plyometric"  # jumps, in contacts (J1)
    MOBILITY = "mobility"


class Reduction(StrEnum):
    """How a reduced week cuts the work (J3): a back-off one jump set fewer, a deload or an eased
    week about 40 % fewer contacts (and working sets, through the dose)."""

    NONE = "none"
    BACK_OFF = "back_off"
    DELOAD = "deload"  # a deload (A5) or an eased week


class ReasonKey(StrEnum):
    """Why a day holds its session (rule P8); `content/messages.yaml` words each one."""

    LIFT_EASY_DAY = "lift_easy_day"
    LIFT_REST_DAY = "lift_rest_day"
    LIFT_QUALITY_DAY = "lift_quality_day"
    LIFT_PREFERRED_DAY = "lift_preferred_day"
    POWER_DAY = "power_day"
    REST_RACE_DAY = "rest_race_day"
    REST_PAUSED = "rest_paused"
    REST_SWITCHED_OFF = "rest_switched_off"
    MOBILITY_LONG_TODAY = "mobility_long_today"
    MOBILITY_QUALITY_TODAY = "mobility_quality_today"
    MOBILITY_BEFORE_KEY_RUN = "mobility_before_key_run"
    MOBILITY_AFTER_LIFT = "mobility_after_lift"
    # the day after a lift that was logged as skipped or swapped: worded when shown (bot.coach.logged_reasons)
    MOBILITY_AFTER_SKIP = "mobility_after_skip"
    MOBILITY_AFTER_SWAP = "mobility_after_swap"
    MOBILITY_TAPER = "mobility_taper"
    MOBILITY_RECOVERY = "mobility_recovery"
    MOBILITY_WEEK_FULL = "mobility_week_full"
    MOBILITY_NO_SAFE_LIFTS = "mobility_no_safe_lifts"
    MOBILITY_MOVED_TODAY = "mobility_moved_today"
    MOBILITY_NO_FIT = "mobility_no_fit"
    MOBILITY_LIGHT_DAY = "mobility_light_day"
    MOBILITY_BEFORE_JOINING = "mobility_before_joining"
    LIFT_MOVED_HERE = "lift_moved_here"
    MOBILITY_NEAR_RACE = "mobility_near_race"
    MOBILITY_TOO_CLOSE_TO_START = "mobility_too_close_to_start"
    # P9 with distances: the 2 days before a tune-up, and its recovery days after it
    MOBILITY_BEFORE_TUNE_UP = "mobility_before_tune_up"
    MOBILITY_AFTER_TUNE_UP = "mobility_after_tune_up"
    # P10: the day after the goal race keeps its calendar run; the reason advises rest
    MOBILITY_DAY_AFTER_RACE = "mobility_day_after_race"


class NoteKey(StrEnum):
    """What a week's note says: its phase, then what is different about the week."""

    BASE = "base"
    BASE_NO_RACE = "base_no_race"
    BUILD = "build"
    BUILD_LIGHT = "build_light"
    PEAK = "peak"
    TAPER = "taper"
    RECOVERY = "recovery"
    FEWER_FIT = "fewer_fit"
    NONE_FIT = "none_fit"
    DELOAD = "deload"
    PAUSED = "paused"
    ADD_LOAD = "add_load"
    NIGGLES = "niggles"
    FIRST_WEEK_BACK = "first_week_back"
    TUNE_UP = "tune_up"
    GENTLE = "gentle"
    SLOW_PROGRESS = "slow_progress"
    NEW_BLOCK = "new_block"
    TOO_CLOSE_TO_START = "too_close_to_start"
    # progression's notes (rev. 3): M1's progress only when shown, eased weeks after a tune-up
    BASE_PROGRESS = "base_progress"
    BASE_NO_RACE_PROGRESS = "base_no_race_progress"
    BUILD_HEAVY = "build_heavy"
    PEAK_START = "peak_start"
    EASED_TUNE_UP = "eased_tune_up"
    EASED_TUNE_UP_NO_JUMPS = "eased_tune_up_no_jumps"
    EASED_RACE_NO_JUMPS = "eased_race_no_jumps"
    STEP_LOWER = "step_lower"
    # "Return after a gap": the week the runner came back from a break, by the break's length
    BACK_STEP = "back_step"
    BACK_SET = "back_set"
    BACK_RESTART = "back_restart"
    RESTING = "resting"  # M4: an area removed after pain (A4) or a red flag rests, and the note says so
    # P5: fewer sessions than the phase asks for, by their true cause (FEWER_FIT and NONE_FIT: the
    # runner's usual week itself has no more room)
    FEWER_JOINED = "fewer_joined"
    FEWER_TAPER = "fewer_taper"
    FEWER_RECOVERY = "fewer_recovery"
    FEWER_RACE = "fewer_race"
    FEWER_AFTER_RACE = "fewer_after_race"
    FEWER_KEY_RUNS = "fewer_key_runs"
    FEWER_AFTER_LAST_WEEK = "fewer_after_last_week"
    FEWER_NEXT_WEEK = "fewer_next_week"
    # P4: a preferred lifting day this week that a MUST rule rules out, and why
    PREFERRED_OUT_RUN = "preferred_out_run"
    PREFERRED_OUT_BEFORE_KEY = "preferred_out_before_key"
    PREFERRED_OUT_NEAR_RACE = "preferred_out_near_race"
    PREFERRED_OUT_NEXT_TO_LIFT = "preferred_out_next_to_lift"
    PREFERRED_OUT_RACE_PHASE = "preferred_out_race_phase"
