"""One lifting session: which exercises, dosed by role, at its honest length (COACHING.md "Dose").

A session is built slot by slot in the order it is done (D2, D5): jumps when due, one main lift
(squat and hinge take turns), one unilateral of the other pattern, a calf raise (D3), core and one
accessory; a `power` session holds two jumps or swings, the main lift and the calf raise. Each slot
picks the variant the runner's kit and level allow (variants stay for a block, then rotate); an
exercise that loads a flagged area gives way to a variant that spares it (N2), else takes the area's
rung (N3, N6); a rested area is never loaded. Only the main lift takes the dose table (D1). The
minutes are the rulebook's sum (D5); when they run over the runner's length by more than 10 %,
exercises leave in a fixed order, then main sets, never rests or ramp sets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.coach.dose import Dose
from bot.coach.library import CoachingTexts, Exercise, Library
from bot.coach.model import (
    BodyArea,
    Equipment,
    ExerciseType,
    Kit,
    Level,
    Pattern,
    Prescription,
    Reduction,
    Role,
    SessionKind,
    kit_offers,
)

# D5: the warm-up, the changeover, ramp sets and rests, in seconds
WARMUP_GENERAL_S = 120  # none straight after a run
WARMUP_DRILLS_S = 120  # hip and ankle drills
WARMUP_S = WARMUP_GENERAL_S + WARMUP_DRILLS_S
WARMUP_AFTER_RUN_S = WARMUP_DRILLS_S
CHANGEOVER_S = 30
RAMP_SETS = 2
RAMP_SET_S = 60
PAIRED_S = 90  # a calf or core set in a heavy lift's rest adds max(0, 90 + its work - that rest)
HEAVIEST_REST_S = 150  # 2 to 3 min between heavy sets (5 reps or fewer)
HEAVY_REST_S = 120
LOADED_REST_S = 90  # 60 to 90 s otherwise
LIGHT_REST_S = 60
SECONDS_PER_REP = 3
SLOW_SECONDS_PER_REP = 6
SWING_SECONDS_PER_REP = 2
TIME_SLACK = 1.10  # over the runner's length by more than 10 %: drop exercises
HEAVY_REPS = 6  # loaded at 6 reps or fewer: a heavy lift (ramp sets, long rests)
MIN_REPS = 6  # D1: no lift but the main one below 6 reps
MAX_OTHER_SETS = 3  # D1: the table's sets, at most 3 outside the main lift
MIN_MAIN_SETS = 2  # D5: main sets never cut below 2 for time

DEADLIFT_SLOT = "deadlift"  # the heavy deadlifts, every other hinge-led session (variety)
SOLEUS_SLOT = "soleus"  # bent-knee calf raises, every other session (D3)
SINGLE_LEG_HINGE = "single_leg_hinge"
HIP_ABDUCTOR_SLOT = "hip_abductor"  # N6: a knee niggle's accessory

# J1: contact caps by level; stage doses (sets, contacts a set in total)
CONTACT_CAPS = {Level.NEW: 40, Level.SOME: 60, Level.REGULAR: 80}
DELOAD_CONTACTS = 0.6  # J3: a deload or eased week about 40 % fewer contacts
JUMPS_PER_SESSION = 2
LEGS = frozenset({BodyArea.KNEE, BodyArea.HIP, BodyArea.ANKLE, BodyArea.SHIN, BodyArea.FOOT, BodyArea.HAMSTRING})
CALF_TEST_AREAS = frozenset({BodyArea.ANKLE, BodyArea.FOOT, BodyArea.SHIN})  # N5: the test replaces the calf raise
NORMAL_RUNG = 4
N6_AREAS = frozenset({BodyArea.KNEE, BodyArea.ANKLE})
GENTLE_RPE = 5  # N3 rungs 1 and 2
RUNG3_RPE = 7

# D4: an eccentric-heavy exercise's (sets, low, high) by its lifting week; seconds for holds
ECCENTRIC_REPS = ((2, 3, 5), (2, 4, 6), (2, 5, 7), (3, 5, 7), (3, 5, 7), (3, 6, 8))
ECCENTRIC_SECONDS = ((2, 10, 15), (2, 15, 20), (2, 20, 25), (3, 20, 25), (3, 20, 25), (3, 25, 30))

ORDER = ("jumps", "main", "unilateral", "calf", "core", "accessory")  # D5's order
DROP_ORDER = ("accessory", "core", "jumps", "unilateral")  # D5: what leaves first when time is short


def heavy(p: Prescription) -> bool:
    """A heavy lift (D5): ramp sets before it, 2 to 3 minutes between its sets."""
    return p.ramp


@dataclass(frozen=True, slots=True)
class Options:
    """Everything about the runner and the week that decides a session's content."""

    kind: SessionKind
    equipment: Kit
    level: Level
    avoid: frozenset[BodyArea] = frozenset()  # rested: never loaded
    rungs: tuple[tuple[BodyArea, int], ...] = ()  # flagged areas and their N3 rung (4: normal)
    no_jump_areas: frozenset[BodyArea] = frozenset()
    jump_stage: int = 0
    reduction: Reduction = Reduction.NONE
    eccentric_week: int = 0
    strength_test: BodyArea | None = None
    main_pattern: Pattern = Pattern.SQUAT  # squat and hinge take turns (D2)
    heavy_deadlift: bool = True  # a hinge-led gym session: a heavy deadlift, else an RDL or hip thrust
    rotation: int = 0  # the block: variants stay for a block, then rotate
    session_index: int = 0  # the session's count: calf straight/bent knee, core and accessory turn
    variation: int = 0  # links climbed up each progression chain
    minutes: int = 45
    after_run: bool = False
    peak: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """What fills a slot: the exercise, its N3 rung (4 normal), and whether it is an N5 test or a
    variant chosen to spare a flagged area."""

    slot: str
    exercise: Exercise
    rung: int = NORMAL_RUNG
    test: bool = False
    spared: bool = False
    stuck: bool = False  # past its chain's top for the kit: bodyweight work goes on with a 3 s lowering


def _usable(ex: Exercise, equipment: Kit, level: Level) -> bool:
    return kit_offers(equipment, ex.equipment) and ex.min_level.rank <= level.rank


def _hinge_like(ex: Exercise) -> bool:
    return ex.pattern is Pattern.HINGE or ex.slot == SINGLE_LEG_HINGE


def _in_slot(ex: Exercise, slot: str) -> bool:
    role = ex.role
    if slot in ("main_squat", "main_hinge"):
        pattern = Pattern.SQUAT if slot == "main_squat" else Pattern.HINGE
        return role in (Role.MAIN, Role.BILATERAL) and ex.pattern is pattern
    if slot in ("uni_squat", "uni_hinge"):
        return role is Role.UNILATERAL and _hinge_like(ex) == (slot == "uni_hinge")
    if slot == "calf":
        return role is Role.CALF
    if slot == "core":
        return role in (Role.CORE, Role.CARRY)
    if slot == "accessory":
        return role in (Role.ACCESSORY, Role.UPPER)
    return False


@lru_cache(maxsize=4096)
def _pool(library: Library, slot: str, equipment: Kit, level: Level) -> tuple[Exercise, ...]:
    """Every usable exercise of a slot, best suited first: `main` before other bilateral lifts, then
    most of the runner's kit, then the highest level; strength tests and gentle holds left out."""
    usable = [
        ex
        for ex in library.exercises.values()
        if _in_slot(ex, slot)
        and _usable(ex, equipment, level)
        and not ex.strength_test
        and (not ex.gentle or slot in ("accessory", "core"))
    ]
    return tuple(
        sorted(usable, key=lambda ex: (ex.role is not Role.MAIN, -ex.equipment.rank, -ex.min_level.rank, ex.id))
    )


@lru_cache(maxsize=4096)
def _tier(library: Library, slot: str, equipment: Kit, level: Level, spread: bool) -> tuple[Exercise, ...]:
    """The default choices a slot rotates through: not niggle-only; for the lifts, those using most of
    the kit, without the easier step of another one for a lifter past `new`."""
    ranked = [ex for ex in _pool(library, slot, equipment, level) if not ex.niggle_only]
    if not ranked:
        return ()
    if not spread:
        first = ranked[0]
        same_role = slot.startswith("main")  # a `main` lift before any other bilateral one
        ranked = [
            ex
            for ex in ranked
            if ex.equipment.rank == first.equipment.rank and (not same_role or ex.role is first.role)
        ]
    if level is Level.NEW or slot == "calf":  # D3: single-leg or loaded raises rotate
        return tuple(ranked)
    ids = {ex.id for ex in ranked}
    easier = {ex.id for ex in ranked if ex.progression in ids and ex.min_level.rank < level.rank}
    return tuple(ex for ex in ranked if ex.id not in easier) or tuple(ranked)


class Picker:
    """Chooses a session's exercises for one set of options."""

    def __init__(self, library: Library, opts: Options):
        self.library = library
        self.opts = opts
        self.flagged = dict(opts.rungs)
        self.low = frozenset(area for area, rung in opts.rungs if rung < NORMAL_RUNG)
        self.hard = opts.avoid | self.low
        self.used: set[str] = set()
        self.stuck: set[str] = set()
        self.climbed = False

    def allowed(self, ex: Exercise) -> bool:
        """Usable this week: an eccentric-heavy exercise not before its first week (D4); with an ankle
        flagged, calf work only from a flat floor (N6)."""
        if ex.eccentric and not self.opts.eccentric_week:
            return False
        if BodyArea.ANKLE in self.flagged and ex.role is Role.CALF and not ex.flat_floor:
            return False
        return ex.id not in self.used

    def spares(self, ex: Exercise) -> bool:
        return not self.hard.intersection(ex.loads)

    def _swap_eccentric(self, ex: Exercise) -> Exercise:
        if ex.eccentric and not self.opts.eccentric_week and ex.eccentric_form:
            return self.library.exercises[ex.eccentric_form]
        return ex

    def _climb(self, ex: Exercise, slot: str) -> Exercise:
        opts = self.opts
        pool = _pool(self.library, slot, opts.equipment, opts.level)
        for _ in range(opts.variation):
            nxt = self.library.exercises.get(ex.progression or "")
            if nxt is None or nxt not in pool or nxt.niggle_only or not self.allowed(nxt) or not self.spares(nxt):
                self.stuck.add(ex.id)
                break
            ex = nxt
            self.climbed = True
        return ex

    def default(self, slot: str, turn: int, spread: bool, keep: tuple[str | None, ...]) -> Exercise | None:
        opts = self.opts
        every = list(_tier(self.library, slot, opts.equipment, opts.level, spread))
        if slot == "calf" and opts.level is Level.NEW:
            # D3: a new lifter starts at single-leg bodyweight raises
            every = [
                ex
                for ex in _pool(self.library, slot, opts.equipment, opts.level)
                if ex.per_side and ex.equipment is Equipment.NONE and not ex.niggle_only
            ] or every
        elif slot == "calf":
            # D3: straight and bent knee alternate, each with the most of the kit that offers one
            every = [ex for ex in _pool(self.library, slot, opts.equipment, opts.level) if not ex.niggle_only]
            every = [ex for ex in every if self.allowed(ex)] or every
        tier = [ex for ex in every if not keep or ex.slot in keep] or every
        if slot == "calf" and tier:
            top = max(ex.equipment.rank for ex in tier)
            tier = [ex for ex in tier if ex.equipment.rank == top]
        tier = [self._swap_eccentric(ex) for ex in tier]
        tier = [ex for ex in tier if self.allowed(ex)]
        if not tier:
            return None
        return self._climb(tier[turn % len(tier)], slot)

    def fill(
        self, slot: str, name: str, turn: int, *, spread: bool = False, keep: tuple[str | None, ...] = ()
    ) -> Choice | None:
        """A slot's exercise: the default if it spares every flagged area, else a variant of the slot
        that does (N2), else the default at the area's rung (N3)."""
        opts = self.opts
        ex = self.default(slot, turn, spread, keep)
        pool = [e for e in _pool(self.library, slot, opts.equipment, opts.level) if self.allowed(e)]
        if ex is not None and self.spares(ex):
            return self._take(Choice(name, ex))
        # a usual variant first, then one kept for flagged areas (leg extension, flat-floor raises)
        spare = next((e for e in sorted(pool, key=lambda e: e.niggle_only) if self.spares(e)), None)
        if spare is not None:
            return self._take(Choice(name, spare, spared=True))
        # the slot takes the area's rung: the default's rung form, else another variant's
        bases = [ex] if ex is not None else []
        bases += [e for e in pool if not e.niggle_only and e is not ex]
        for base in bases:
            if opts.avoid.intersection(base.loads) or not self.low.intersection(base.loads):
                continue
            rung = min(self.flagged[area] for area in base.loads if area in self.low)
            form = self._rung_form(base, rung)
            if form is not None:
                return self._take(Choice(name, form, rung=rung))
        return None

    def _rung_form(self, base: Exercise, rung: int) -> Exercise | None:
        # N6: a knee or ankle takes its own forms (within 45 degrees; flat floor); other areas the
        # exercise's gentle form (else the shallow hold), then the exercise itself slow
        n6 = bool(N6_AREAS & self.low.intersection(base.loads))
        forms = base.rung_forms or (None, None, None)
        if n6 and base.rung_forms is not None:
            ids: list[str | None] = [forms[rung - 1]]
        elif rung == 1:
            ids = [base.gentle_form, forms[0]]
        else:
            ids = [base.id]
        for form_id in ids:
            form = self.library.exercises.get(form_id or "")
            if form is None or self.opts.avoid.intersection(form.loads) or form.id in self.used:
                continue
            if not kit_offers(self.opts.equipment, form.equipment):
                continue
            if rung == 1 and form.type is not ExerciseType.ISOMETRIC and not form.gentle:
                continue  # rung 1 is holds (or a gentle core form)
            return form
        return None

    def _take(self, choice: Choice) -> Choice:
        self.used.add(choice.exercise.id)
        if choice.exercise.id in self.stuck and choice.rung == NORMAL_RUNG:
            return replace(choice, stuck=True)
        return choice

    def test(self) -> Choice | None:
        """N5: the flagged area's strength test, when this week holds it."""
        area = self.opts.strength_test
        if area is None:
            return None
        ex = next((e for e in self.library.exercises.values() if area in e.strength_test), None)
        if ex is None or self.opts.avoid.intersection(ex.loads):
            return None
        slot = "calf" if area in CALF_TEST_AREAS else "unilateral"
        return self._take(Choice(slot, ex, test=True))

    def jumps(self, count: int) -> list[Choice]:
        """J1: up to ``count`` jumps of the week's stage (lower stages fill in), none that loads an
        area not cleared for jumps (N5), none at all while a leg area rests."""
        opts = self.opts
        if not opts.jump_stage or opts.avoid & LEGS:
            return []
        if opts.peak and opts.level is not Level.REGULAR:
            return []
        blocked = opts.no_jump_areas | self.hard
        candidates = [
            ex
            for ex in self.library.by_pattern.get(Pattern.POWER, ())
            if ex.type is ExerciseType.PLYOMETRIC
            and 0 < ex.jump_stage <= opts.jump_stage
            and _usable(ex, opts.equipment, opts.level)
            and not blocked.intersection(ex.loads)
            and not ex.niggle_only
        ]
        chosen: list[Choice] = []
        for stage in range(opts.jump_stage, 0, -1):
            at = sorted((ex for ex in candidates if ex.jump_stage == stage), key=lambda ex: ex.id)
            if not at:
                continue
            shift = opts.rotation % len(at)
            for ex in at[shift:] + at[:shift]:
                if len(chosen) < count:
                    chosen.append(self._take(Choice("jumps", ex)))
        return chosen

    def ballistic(self) -> Choice | None:
        """A swing for a power session without enough jumps."""
        opts = self.opts
        for ex in self.library.exercises.values():
            if (
                ex.role is Role.BALLISTIC
                and ex.type is not ExerciseType.PLYOMETRIC
                and _usable(ex, opts.equipment, opts.level)
                and self.spares(ex)
                and self.allowed(ex)
            ):
                return self._take(Choice("jumps", ex))
        return None


def choose(library: Library, opts: Options) -> tuple[list[Choice], SessionKind, bool]:
    """The session's exercises in D5's order, the kind it ends up as (a power session without jumps is
    a strength session, J2), and whether any exercise climbed its progression chain."""
    picker = Picker(library, opts)
    n = opts.session_index
    main_slot = "main_squat" if opts.main_pattern is Pattern.SQUAT else "main_hinge"
    other = "uni_hinge" if opts.main_pattern is Pattern.SQUAT else "uni_squat"
    kind = opts.kind
    choices: list[Choice] = []
    if kind is SessionKind.POWER:
        # two plyometric or ballistic exercises: a swing beside a jump when the kit has one
        swing = picker.ballistic() if opts.jump_stage else None
        jumps = picker.jumps(JUMPS_PER_SESSION - (swing is not None))
        jumps += [swing] if swing is not None else []
        if not any(c.exercise.type is ExerciseType.PLYOMETRIC for c in jumps):
            kind = SessionKind.STRENGTH
            picker = Picker(library, opts)
        else:
            choices += jumps
    if kind is SessionKind.STRENGTH:
        choices += picker.jumps(JUMPS_PER_SESSION)
    test = picker.test()
    keep_main: tuple[str | None, ...] = ()
    if opts.main_pattern is Pattern.HINGE:
        keep_main = (DEADLIFT_SLOT,) if opts.heavy_deadlift else (None,)
    main = picker.fill(main_slot, "main", opts.rotation, keep=keep_main)
    choices += [main] if main is not None else []
    if kind is SessionKind.STRENGTH:
        if test is not None and test.slot == "unilateral":
            choices.append(test)
        else:
            uni = picker.fill(other, "unilateral", opts.rotation)
            uni = uni or picker.fill("uni_squat" if other == "uni_hinge" else "uni_hinge", "unilateral", opts.rotation)
            choices += [uni] if uni is not None else []
    if test is not None and test.slot == "calf":
        choices.append(test)
    else:
        keep_calf: tuple[str | None, ...] = (SOLEUS_SLOT,) if n % 2 else (None,)
        calf = picker.fill("calf", "calf", opts.rotation, keep=keep_calf)
        choices += [calf] if calf is not None else []
    if kind is SessionKind.STRENGTH:
        core = picker.fill("core", "core", opts.rotation + n)
        choices += [core] if core is not None else []
        knee = BodyArea.KNEE in picker.flagged
        keep_acc: tuple[str | None, ...] = (HIP_ABDUCTOR_SLOT,) if knee else ()
        accessory = picker.fill("accessory", "accessory", opts.rotation + n, spread=True, keep=keep_acc)
        choices += [accessory] if accessory is not None else []
    choices.sort(key=lambda c: ORDER.index(c.slot))
    return choices, kind, picker.climbed


# ---------------------------------------------------------------- dosing (D1, D3, D4, J1, N3)


def _units(texts: CoachingTexts, ex: Exercise, reps: str, key: str = "") -> str:
    text: str = getattr(texts, key).format(reps=reps) if key else reps
    return texts.reps_each_side.format(reps=text) if ex.per_side else text


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def _other_sets(dose: Dose) -> int:
    return max(1, min(MAX_OTHER_SETS, dose.sets))


def _jump_dose(ex: Exercise, opts: Options) -> tuple[int, int, str]:
    """J1: (sets, contacts a set in total, the reps text's number) by the exercise's stage; J3's cut."""
    if ex.role is Role.BALLISTIC:
        sets, per, reps = 3, 5, "3-5"
    elif ex.jump_stage >= 3:
        sets, per, reps = (2, 5, "5") if opts.peak else (3, 8, "5-8")
    elif ex.jump_stage == 2:
        sets, per, reps = (3 if opts.level is Level.REGULAR else 2), 10, "10"
    else:
        sets, per, reps = 2, 10, "10"
    if opts.reduction is Reduction.BACK_OFF:
        sets = max(1, sets - 1)
    elif opts.reduction is Reduction.DELOAD:
        sets = max(1, round(sets * DELOAD_CONTACTS))  # the same jumps, fewer sets: volume, not intensity
    return sets, per, reps


def _eccentric(ex: Exercise, week: int) -> tuple[int, int, int]:
    table = ECCENTRIC_SECONDS if ex.unit == "seconds" else ECCENTRIC_REPS
    return table[min(week, len(table)) - 1]


def _load_cue(texts: CoachingTexts, rpe: int | None) -> str:
    return texts.load_cue.format(reserve=10 - rpe) if rpe is not None else ""


def dose_choice(choice: Choice, dose: Dose, opts: Options, texts: CoachingTexts) -> Prescription:
    """One exercise dosed by its role (D1), its rung (N3), its week (D4) or its stage (J1)."""
    dosing = Options(
        kind=SessionKind.STRENGTH,
        equipment=frozenset(),
        level=opts.level,
        reduction=opts.reduction,
        eccentric_week=opts.eccentric_week,
        peak=opts.peak,
    )
    return _dose_choice(choice, dose, dosing, texts)


@lru_cache(maxsize=65536)
def _dose_choice(choice: Choice, dose: Dose, opts: Options, texts: CoachingTexts) -> Prescription:
    ex = choice.exercise
    sides = 2 if ex.per_side else 1
    loaded = ex.type is ExerciseType.STRENGTH
    cue = ex.cues[0]
    rpe: int | None = None
    load_cue = ""
    ramp = False
    contacts = 0
    gentle = False
    rest = LIGHT_REST_S
    sets = _other_sets(dose)
    role = ex.role
    if choice.test:
        sets, reps = 1, _units(texts, ex, str(ex.test_reps), "reps_test")
        work = SECONDS_PER_REP * ex.test_reps * sides
        cue, gentle = f"{cue} {texts.pain_rule}", True
    elif choice.rung == 1:  # N3: holds only, a moving exercise held where it is hardest without pain
        sets, rpe, gentle = 3, GENTLE_RPE, True
        reps, work = _units(texts, ex, "30-45", "reps_seconds"), 45 * sides
        hold = "" if ex.type is ExerciseType.ISOMETRIC else f" {texts.hold_rung}"
        cue = f"{cue}{hold} {texts.pain_rule}"
    elif choice.rung == 2 and ex.unit == "seconds":  # a hold stays a hold: light, at most RPE 5
        sets, rpe, gentle = max(2, sets), GENTLE_RPE, True
        reps, work = _units(texts, ex, "20-30", "reps_seconds"), 30 * sides
        cue = f"{cue} {texts.pain_rule}"
    elif choice.rung == 2:  # slow and light
        sets, rpe, gentle = max(2, sets), GENTLE_RPE, True
        reps, work = _units(texts, ex, "8-12", "reps_tempo"), SLOW_SECONDS_PER_REP * 12 * sides
        cue = f"{cue} {texts.pain_rule}"
    elif ex.type is ExerciseType.PLYOMETRIC:
        sets, per, number = _jump_dose(ex, opts)
        contacts = sets * per
        if ex.per_side and ex.role is not Role.BALLISTIC:
            reps = texts.contacts_each_side.format(reps=number, side=_range(*_halves(number)))
        else:
            reps = _units(texts, ex, number, "reps_contacts")
        work = per * sides if ex.role is Role.BALLISTIC else per
        rest = LOADED_REST_S
    elif ex.eccentric:
        sets, low, high = _eccentric(ex, opts.eccentric_week)
        key = "reps_seconds" if ex.unit == "seconds" else "reps_slow"  # the lowering is the work: 3 s down
        reps = _units(texts, ex, _range(low, high), key)
        work = (high if ex.unit == "seconds" else SLOW_SECONDS_PER_REP * high) * sides
        rpe = min(dose.rpe, 7)
        if opts.eccentric_week <= 2:
            cue = f"{cue} {texts.eccentric_start}"
    elif role is Role.MAIN:
        sets, rpe = dose.sets, dose.rpe
        reps = _units(texts, ex, dose.reps)
        work = SECONDS_PER_REP * dose.reps_high * sides
        ramp = loaded and choice.rung == NORMAL_RUNG
        rest = HEAVIEST_REST_S if dose.reps_high <= 5 else HEAVY_REST_S
    elif role in (Role.BILATERAL, Role.UNILATERAL):
        rpe = min(dose.rpe, 8)
        if loaded:
            top = 12 if role is Role.BILATERAL else 10
            low = 8 if role is Role.UNILATERAL and opts.level is Level.NEW else max(MIN_REPS, dose.reps_low)
            high = 12 if role is Role.UNILATERAL and opts.level is Level.NEW else min(top, max(dose.reps_high, low + 2))
            rest = LOADED_REST_S
        else:
            low, high = max(8, dose.reps_low), min(15, max(dose.reps_high, 12))
        slow = choice.stuck and not loaded
        reps = _units(texts, ex, _range(low, high), "reps_slow" if slow else "")
        work = (SLOW_SECONDS_PER_REP if slow else SECONDS_PER_REP) * high * sides
    elif role is Role.CALF:
        # 2 to 3 in reserve (a new lifter stays at the table's gentler effort)
        sets, rpe = min(MAX_OTHER_SETS, max(2, dose.sets)), min(dose.rpe, 8)
        if loaded:
            low = max(MIN_REPS, dose.reps_low)
            high = min(15, max(dose.reps_high, low + 4))
        else:  # D3: a new lifter starts at 10 to 15 single-leg raises
            low, high = (10, 15) if opts.level is Level.NEW else (8, 12)
        reps = _units(texts, ex, _range(low, high), "reps_calf")
        work = SLOW_SECONDS_PER_REP * high * sides
    elif role is Role.BALLISTIC:
        reps, work, rest = _units(texts, ex, "8-15"), SWING_SECONDS_PER_REP * 15 * sides, LOADED_REST_S
    elif role is Role.UPPER:
        rpe = min(7, dose.rpe)
        low, high = (6, 10) if ex.id == "pull_up" else (8, 12)
        reps, work = _units(texts, ex, _range(low, high)), SECONDS_PER_REP * high * sides
        rest = LOADED_REST_S if loaded else LIGHT_REST_S
        loaded = loaded and ex.id != "pull_up"
    elif ex.unit == "seconds":
        low = {Level.NEW: 20, Level.SOME: 30, Level.REGULAR: 35}[opts.level]
        high = 30 if ex.type is not ExerciseType.CORE else low + 10
        if ex.type is ExerciseType.ISOMETRIC and role is not Role.CORE:
            low, high = 30, 45
        reps, work = _units(texts, ex, _range(low, high), "reps_seconds"), high * sides
        rpe = min(dose.rpe, 7)
    elif ex.unit == "steps":
        low, high = (20, 30) if role is Role.CARRY else (15, 20)
        reps, work = _units(texts, ex, _range(low, high), "reps_steps"), high * sides
        rpe = min(dose.rpe, 7)
    elif role is Role.CORE:
        rpe = min(dose.rpe, 7)
        reps, work = _units(texts, ex, "8-12"), SECONDS_PER_REP * 12 * sides
    else:  # accessory: 10 to 20, band and bodyweight 8 to 15
        reps, work = _units(texts, ex, "12-15"), SECONDS_PER_REP * 15 * sides
        rpe = min(dose.rpe, 7)
    if choice.rung == 3 and ex.unit == "seconds":
        rpe, gentle, ramp = min(rpe or RUNG3_RPE, RUNG3_RPE), True, False
        cue = f"{cue} {texts.pain_rule}"
    elif choice.rung == 3:
        # slow, loaded or single-leg: the role's reps, at most RPE 7 (N3)
        rpe = min(rpe or RUNG3_RPE, RUNG3_RPE)
        head = reps.split(" ")[0].rstrip(",")
        reps = _units(texts, ex, head, "reps_tempo")
        work = SLOW_SECONDS_PER_REP * int(head.rsplit("-", 1)[-1]) * sides
        ramp, gentle = False, True
        rest = max(LIGHT_REST_S, min(rest, LOADED_REST_S))
        cue = f"{cue} {texts.pain_rule}"
    if loaded and choice.rung >= 3 and rpe is not None:
        load_cue = _load_cue(texts, rpe)
    return Prescription(
        id=ex.id,
        name=ex.name,
        sets=sets,
        reps=reps,
        rpe=rpe,
        cue=cue,
        loads=tuple(ex.loads),
        type=ex.type,
        equipment=ex.equipment,
        rest_s=rest,
        work_s=work,
        gentle=gentle,
        ramp=ramp,
        load_cue=load_cue,
        contacts=contacts,
        role=ex.role,
    )


def _halves(number: str) -> tuple[int, int]:
    low, _, high = number.partition("-")
    return int(low) // 2, int(high or low) // 2


def _cap_contacts(items: list[Prescription], level: Level) -> list[Prescription]:
    """J1: a session's contacts stay within the level's cap (sets come off the biggest jump)."""
    cap = CONTACT_CAPS[level]
    while sum(p.contacts for p in items) > cap:
        big = max((p for p in items if p.contacts and p.sets > 1), key=lambda p: p.contacts, default=None)
        if big is None:
            break
        per = big.contacts // big.sets
        items = [replace(p, sets=p.sets - 1, contacts=p.contacts - per) if p is big else p for p in items]
    return items


# ---------------------------------------------------------------- minutes (D5)


def _paired(items: list[Prescription], slots: list[str]) -> list[Prescription]:
    """A calf raise (else core) done in the main lift's rests, when the main lift is heavy and has as
    many sets."""
    anchor = next((p for p, s in zip(items, slots, strict=True) if s == "main" and p.ramp), None)
    if anchor is None:
        return [replace(p, paired_with="") if p.paired_with else p for p in items]
    out, taken = [], False
    for p, slot in zip(items, slots, strict=True):
        pair = not taken and slot in ("calf", "core") and p.sets <= anchor.sets and not p.gentle
        taken = taken or pair
        partner = anchor.id if pair else ""
        out.append(p if p.paired_with == partner else replace(p, paired_with=partner))
    return out


def session_seconds(items: tuple[Prescription, ...] | list[Prescription], *, after_run: bool) -> int:
    """D5: warm-up, then per exercise a 30 s changeover, 2 ramp sets of a minute for a heavy lift, and
    sets x (work + rest); a set done in a heavy lift's rest adds max(0, 90 s + its work - that rest)."""
    total = WARMUP_DRILLS_S + (0 if after_run else WARMUP_GENERAL_S)
    rests = {p.id: p.rest_s for p in items}
    for p in items:
        if p.paired_with:
            total += p.sets * max(0, PAIRED_S + p.work_s - rests.get(p.paired_with, 0))
            continue
        total += CHANGEOVER_S + (RAMP_SETS * RAMP_SET_S if p.ramp else 0) + p.sets * (p.work_s + p.rest_s)
    return total


def minutes_of(items: tuple[Prescription, ...] | list[Prescription], *, after_run: bool) -> int:
    return math.ceil(session_seconds(items, after_run=after_run) / 60)


def _dose_all(choices: list[Choice], dose: Dose, opts: Options, texts: CoachingTexts) -> list[Prescription]:
    items = _cap_contacts([dose_choice(c, dose, opts, texts) for c in choices], opts.level)
    return _paired(items, [c.slot for c in choices])


def _fits(items: list[Prescription], opts: Options) -> bool:
    # the minutes the runner reads (rounded up) are what must stay within 10 % of their length
    return minutes_of(items, after_run=opts.after_run) <= opts.minutes * TIME_SLACK


@lru_cache(maxsize=65536)
def build_session(
    library: Library, opts: Options, dose: Dose, full: Dose | None = None
) -> tuple[tuple[Prescription, ...], int, bool, SessionKind]:
    """The exercises, their true minutes, whether any exercise climbed its chain, and the session's kind.

    Which exercises stay is decided at the ``full`` dose (no deload, no back-off), so a lighter week
    has fewer sets of the same exercises, never more exercises. Over the runner's minutes by more than
    10 %: the accessory, core, jumps and the unilateral leave in that order, then main sets come down to
    2; rests and ramp sets stay, and the minutes say what remains.
    """
    full = full or dose
    texts = library.messages.coaching
    choices, kind, climbed = choose(library, opts)
    if full.max_exercises is not None:
        lifts = [c for c in choices if c.slot != "jumps"]
        while len(lifts) > full.max_exercises:
            gone = next((s for s in DROP_ORDER if any(c.slot == s for c in lifts)), None)
            if gone is None:
                break
            choices = [c for c in choices if c.slot != gone]
            lifts = [c for c in lifts if c.slot != gone]
    usual = replace(opts, reduction=Reduction.NONE)  # a reduced week keeps the usual week's exercises
    for slot in DROP_ORDER:
        if _fits(_dose_all(choices, full, usual, texts), opts):
            break
        choices = [c for c in choices if c.slot != slot]
    items = _dose_all(choices, dose, opts, texts)
    for slot in DROP_ORDER:  # a reduced week's rungs sit a step lower, and holds can take longer
        if _fits(items, opts):
            break
        if any(c.slot == slot for c in choices):
            choices = [c for c in choices if c.slot != slot]
            items = _dose_all(choices, dose, opts, texts)
    slots = [c.slot for c in choices]
    while not _fits(items, opts):
        main = next((p for p, s in zip(items, slots, strict=True) if s == "main" and p.sets > MIN_MAIN_SETS), None)
        if main is None:
            break
        items = _paired([replace(p, sets=p.sets - 1) if p is main else p for p in items], slots)
    names = {p.id: p.name for p in items}
    items = [
        replace(p, cue=f"{p.cue} {texts.paired.format(lift=names[p.paired_with])}") if p.paired_with else p
        for p in items
    ]
    return tuple(items), minutes_of(items, after_run=opts.after_run), climbed, kind


def warmup_text(library: Library, items: tuple[Prescription, ...], *, after_run: bool) -> str:
    """D5: the warm-up (its general part skipped straight after a run), then the ramp sets of every
    heavy lift."""
    texts = library.messages.coaching
    parts = [texts.warmup_after_run if after_run else texts.warmup]
    parts += [texts.warmup_ramp.format(lift=p.name) for p in items if p.ramp]
    return " ".join(parts)
