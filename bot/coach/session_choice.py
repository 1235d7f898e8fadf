"""Which exercises a lifting session holds (COACHING.md "Dose", D2, D3, N2, N3, N5, N6): a slot per
role in the order the session is done, each filled with the variant the runner's kit and level
allow (variants stay for a block, then rotate); an exercise that loads a flagged area gives way to
a variant that spares it, else takes the area's rung; a rested area is never loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bot.coach.library import Exercise, Library
from bot.coach.model import (
    BodyArea,
    ExerciseType,
    Kit,
    Level,
    Pattern,
    Reduction,
    Role,
    SessionKind,
    kit_offers,
)
from bot.coach.slot_pools import allowed_always, candidates, pool_ids, ready, slot_pool, usable

DEADLIFT_SLOT = "deadlift"  # the heavy deadlifts, every other hinge-led session (variety)
SOLEUS_SLOT = "soleus"  # bent-knee calf raises, every other session (D3)
HIP_ABDUCTOR_SLOT = "hip_abductor"  # N6: a knee niggle's accessory

JUMPS_PER_SESSION = 2
LEGS = frozenset({BodyArea.KNEE, BodyArea.HIP, BodyArea.ANKLE, BodyArea.SHIN, BodyArea.FOOT, BodyArea.HAMSTRING})
CALF_TEST_AREAS = frozenset({BodyArea.ANKLE, BodyArea.FOOT, BodyArea.SHIN})  # N5: the test replaces the calf raise
NORMAL_RUNG = 4
N6_AREAS = frozenset({BodyArea.KNEE, BodyArea.ANKLE})

ORDER = ("jumps", "main", "unilateral", "calf", "core", "accessory")  # D5's order


@dataclass(slots=True, unsafe_hash=True)
class Options:
    """Everything about the runner and the week that decides a session's content.

    Hashed by its fields (the key of the choosing cache) but not frozen: a lifting session builds
    two, and a frozen dataclass sets each of its 18 fields through a call to ``object.__setattr__``
    (1.790 M -> 1.719 M instructions a planned week, issue 22). Nothing changes one once built."""

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


class Choice(NamedTuple):
    """What fills a slot: the exercise, its N3 rung (4 normal), and whether it is an N5 test or a
    variant chosen to spare a flagged area.

    A named tuple: the dosing and fitting caches hash and compare a session's choices on every
    lookup, which a tuple does in C and a dataclass in Python."""

    slot: str
    exercise: Exercise
    rung: int = NORMAL_RUNG
    test: bool = False
    spared: bool = False
    stuck: bool = False  # past its chain's top for the kit: bodyweight work goes on with a 3 s lowering


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
        self.eccentric = bool(opts.eccentric_week)
        self.ankle = BodyArea.ANKLE in self.flagged

    def allowed(self, ex: Exercise) -> bool:
        """Usable this week: an eccentric-heavy exercise not before its first week (D4); with an ankle
        flagged, calf work only from a flat floor (N6)."""
        return allowed_always(ex, self.eccentric, self.ankle) and ex.id not in self.used

    def spares(self, ex: Exercise) -> bool:
        return not self.hard.intersection(ex.loads)

    def _climb(self, ex: Exercise, slot: str) -> Exercise:
        opts = self.opts
        if not opts.variation:
            return ex
        pool = pool_ids(self.library, slot, opts.equipment, opts.level)
        for _ in range(opts.variation):
            nxt = self.library.exercises.get(ex.progression or "")
            if nxt is None or nxt.id not in pool or nxt.niggle_only or not self.allowed(nxt) or not self.spares(nxt):
                self.stuck.add(ex.id)
                break
            ex = nxt
            self.climbed = True
        return ex

    def default(self, slot: str, turn: int, spread: bool, keep: tuple[str | None, ...]) -> Exercise | None:
        opts = self.opts
        tier, seen = ready(self.library, slot, opts.equipment, opts.level, spread, keep, self.eccentric, self.ankle)
        if not self.used.isdisjoint(seen):
            tier = candidates(
                self.library, slot, opts.equipment, opts.level, spread, keep, self.eccentric, self.allowed
            )
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
        if ex is not None and self.spares(ex):
            return self._take(Choice(name, ex))
        pool = [e for e in slot_pool(self.library, slot, opts.equipment, opts.level) if self.allowed(e)]
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
            return choice._replace(stuck=True)
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
            and usable(ex, opts.equipment, opts.level)
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
        """A swing for a power session without enough jumps; like a jump, never one that loads an
        area not cleared for jumps (N5)."""
        opts = self.opts
        blocked = opts.no_jump_areas | self.hard
        for ex in self.library.exercises.values():
            if (
                ex.role is Role.BALLISTIC
                and ex.type is not ExerciseType.PLYOMETRIC
                and not blocked.intersection(ex.loads)
                and usable(ex, opts.equipment, opts.level)
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
