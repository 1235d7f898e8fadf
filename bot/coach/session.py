"""One lifting session: which exercises, dosed by type, fitted honestly to the runner's minutes.

COACHING.md, "Dose": only loadable exercises take the dose table; bodyweight and band work,
holds, core, carries and jumps are dosed in their own units. A session is a warm-up, then
jumps, the heavy lift, single-leg, calf/ankle and core; calf and core are done in the heavy
lift's rests. The minutes shown are the warm-up plus sets x (work + rest), paired work counted
once, and the exercise count is whatever fits within 10 % of the runner's session length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.coach.dose import Dose
from bot.coach.library import CoachingTexts, Exercise, Library
from bot.coach.model import BodyArea, ExerciseType, Kit, Level, Pattern, Prescription, SessionKind, kit_offers
from bot.coach.selection import pick, template_for

WARMUP_S = 300  # 2 min general, 2 min hip and ankle drills, ramp-up sets
WARMUP_AFTER_RUN_S = 180  # the general part is skipped straight after a run
TIME_SLACK = 1.10  # the stated minutes stay within 10 % of the runner's session length
HEAVIEST_REST_S = 150  # 2 to 3 min between heavy sets (5 reps or fewer)
HEAVY_REST_S = 120  # loaded sets of 6 to 8 reps
LOADED_REST_S = 90  # 60 to 90 s otherwise
LIGHT_REST_S = 60
PAIR_CHANGE_S = 15  # walking from the rack to the calf-raise step
KEEP_REST_S = 30  # of a heavy lift's rest, kept as rest when pairing
SECONDS_PER_REP = 3
SLOW_SECONDS_PER_REP = 5
GENTLE_RPE = 5
DEADLIFT_SLOT = "deadlift"
STEP_BACK_RPE = 6  # a niggle one rung above its gentle form
MAIN = (Pattern.SQUAT, Pattern.HINGE, Pattern.SINGLE_LEG)
ANCHORED = (Pattern.CALF_ANKLE, Pattern.CORE)  # in every session; paired into the heavy lift's rests
PAIRABLE = frozenset(ANCHORED)
# the order of the exercises in a session
ORDER = (
    Pattern.POWER,
    Pattern.SQUAT,
    Pattern.HINGE,
    Pattern.SINGLE_LEG,
    Pattern.CALF_ANKLE,
    Pattern.CORE,
    Pattern.HIP,
    Pattern.UPPER,
    Pattern.MOBILITY,
)


def heavy(p: Prescription) -> bool:
    """A heavy set: loadable work of 8 reps or fewer (2 to 3 minutes of rest)."""
    return p.rest_s >= HEAVY_REST_S


def set_seconds(p: Prescription) -> int:
    return p.sets * (p.work_s + p.rest_s)


def session_seconds(items: tuple[Prescription, ...], *, after_run: bool) -> int:
    """Warm-up plus sets x (work + rest); paired work adds what overflows the heavy lift's rests."""
    total = WARMUP_AFTER_RUN_S if after_run else WARMUP_S
    budget = 0
    for p in items:
        if p.paired_with:
            need = p.sets * (p.work_s + PAIR_CHANGE_S)
            total += max(0, need - budget)
            budget = max(0, budget - need)
            continue
        total += set_seconds(p)
        if heavy(p) and not budget:
            budget = p.sets * (p.rest_s - KEEP_REST_S)
    return total


def minutes_of(items: tuple[Prescription, ...], *, after_run: bool) -> int:
    return math.ceil(session_seconds(items, after_run=after_run) / 60)


@dataclass(frozen=True, slots=True)
class Options:
    """Everything about the runner and the week that decides a session's content."""

    kind: SessionKind
    equipment: Kit
    level: Level
    avoid: frozenset[BodyArea]  # never loaded (pain, red flags)
    niggles: frozenset[BodyArea]  # loaded only in a gentle form
    easier: frozenset[BodyArea]  # niggles a rung up: the easier step of the usual exercise, RPE 6 at most
    variation: int  # links climbed up each progression chain
    rotation: int  # the block and the session of the week
    session_index: int  # which of the week's sessions: the heavy lift rotates
    minutes: int
    after_run: bool
    jumps: bool  # low-level jumps (new/some from their third week) or the table's jumps
    high_impact: bool  # bounds and box jumps allowed (regular, after two weeks of low jumps)
    covered: frozenset[Pattern]  # main patterns the week's earlier sessions already hold
    heavy_deadlift: bool  # a heavy deadlift may fill the hinge (every other session)
    more_reps: bool  # the ladder's "more reps" rung
    slow: bool  # the unloadable way up the ladder: a 3-second lowering


def _units(texts: CoachingTexts, ex: Exercise, reps: str, key: str) -> str:
    text: str = getattr(texts, key).format(reps=reps) if key else reps
    return texts.reps_each_side.format(reps=text) if ex.per_side else text


def dose_exercise(
    ex: Exercise, dose: Dose, level: Level, opts: Options, texts: CoachingTexts, *, stuck: bool = False
) -> Prescription:
    """One exercise dosed in its type's terms (COACHING.md, "Dose").

    ``stuck`` says the runner is past the top of this exercise's ladder for their kit and
    level: with nothing to add, bodyweight work goes on with a slow 3-second lowering.
    """
    sides = 2 if ex.per_side else 1
    kind = ex.type
    cue = ex.cues[0]
    rpe: int | None = dose.rpe
    if kind is ExerciseType.STRENGTH:
        sets, reps = dose.sets, _units(texts, ex, dose.reps, "")
        rest = HEAVIEST_REST_S if dose.reps_high <= 5 else HEAVY_REST_S if dose.reps_high <= 8 else LOADED_REST_S
        work = SECONDS_PER_REP * dose.reps_high * sides
        cue = f"{cue} {texts.load_hint.format(reserve=10 - dose.rpe)}"
    elif kind is ExerciseType.BODYWEIGHT:
        low, high = (10, 12) if level is Level.NEW else (8, 12)
        if opts.more_reps:
            low, high = low + 2, 15
        sets = dose.sets
        rest = LIGHT_REST_S
        if ex.unit == "steps":
            reps, work = _units(texts, ex, f"{low}-{high}", "reps_steps"), high * sides
        else:
            slow = opts.slow or stuck
            reps = _units(texts, ex, f"{low}-{high}", "reps_slow" if slow else "")
            work = (SLOW_SECONDS_PER_REP if slow else SECONDS_PER_REP) * high * sides
    elif kind is ExerciseType.ISOMETRIC:
        sets = dose.sets
        hold = "30" if ex.per_side else "30-45"  # COACHING.md: 3 to 5 x 30 to 45 s
        reps, work, rest = _units(texts, ex, hold, "reps_seconds"), int(hold[-2:]) * sides, LIGHT_REST_S
        rpe = min(dose.rpe, 7)
    elif kind is ExerciseType.CORE:
        sets, rest = min(3, dose.sets), LIGHT_REST_S
        rpe = min(dose.rpe, 7)
        if ex.unit == "seconds":
            low = 20 + 10 * level.rank
            reps, work = _units(texts, ex, f"{low}-{low + 10}", "reps_seconds"), (low + 10) * sides
        else:
            reps, work = _units(texts, ex, "8-12", ""), SECONDS_PER_REP * 12 * sides
    elif kind is ExerciseType.CARRY:
        sets, rest = min(3, dose.sets), LIGHT_REST_S
        rpe = min(dose.rpe, 7)
        reps, work = _units(texts, ex, "20-30", "reps_steps"), 25 * sides
    else:  # plyometric: foot contacts
        rpe = None
        if dose.jump_sets:
            sets, reps, rest = dose.jump_sets, dose.jump_reps, LOADED_REST_S
        elif opts.kind is SessionKind.POWER:
            sets, reps, rest = dose.power_jump_sets, dose.power_jump_reps, LOADED_REST_S
        else:
            sets, reps, rest = (2, "10-15", LIGHT_REST_S) if level is Level.NEW else (3, "15-20", LIGHT_REST_S)
        high = int(reps.rsplit("-", 1)[-1])
        reps, work = _units(texts, ex, reps, "reps_contacts"), high // 2 * sides + 5
    stepping_back = not ex.gentle and bool(opts.easier.intersection(ex.loads))
    if ex.gentle:
        rpe = min(rpe or GENTLE_RPE, GENTLE_RPE)
        cue = f"{cue} {texts.pain_rule}"
    elif stepping_back:
        rpe = min(rpe or STEP_BACK_RPE, STEP_BACK_RPE)
        cue = f"{cue} {texts.pain_rule}"
    return Prescription(
        id=ex.id,
        name=ex.name,
        sets=sets,
        reps=reps,
        rpe=rpe,
        cue=cue,
        loads=tuple(ex.loads),
        type=kind,
        equipment=ex.equipment,
        rest_s=rest,
        work_s=work,
        gentle=ex.gentle or stepping_back,
    )


def _paired(library: Library, items: tuple[Prescription, ...]) -> tuple[Prescription, ...]:
    """Calf/ankle and core done in the first heavy lift's rests, while they fit there."""
    anchor = next((p for p in items if heavy(p) and library.exercises[p.id].pattern in MAIN), None)
    if anchor is None:
        return items
    budget = anchor.sets * (anchor.rest_s - KEEP_REST_S)
    out = []
    for p in items:
        need = p.sets * (p.work_s + PAIR_CHANGE_S)
        if library.exercises[p.id].pattern in PAIRABLE and need <= budget:
            budget -= need
            p = replace(p, paired_with=anchor.id)
        out.append(p)
    return tuple(out)


def _candidates(library: Library, opts: Options) -> list[Pattern]:
    """Patterns in the order they are added: jumps, the session's heavy lift, calf and core, the rest."""
    template = list(template_for(library, opts.kind).patterns)
    if opts.kind is SessionKind.STRENGTH:
        shift = opts.session_index % len(MAIN)
        # a pattern the week has not had yet leads: over the week every main pattern comes round
        mains = sorted(MAIN[shift:] + MAIN[:shift], key=lambda p: p in opts.covered)
        extras = [p for p in template if p not in MAIN and p not in ANCHORED]
        extras += [p for p in template if p in MAIN][len(MAIN) :]  # a second single-leg move
        order = [mains[0], *ANCHORED, *mains[1:], *extras]
        return ([Pattern.POWER] if opts.jumps else []) + order
    jumps = [p for p in template if p is Pattern.POWER]
    lifts = [p for p in template if p in MAIN]
    if opts.session_index % 2:
        lifts.reverse()
    rest = [p for p in template if p not in MAIN and p is not Pattern.POWER]
    return [*jumps, *lifts[:1], *ANCHORED, *lifts[1:], *[p for p in rest if p not in ANCHORED]]


def _mandatory(opts: Options) -> int:
    """How many of the first candidates every session keeps: jumps, one heavy lift, calf and core."""
    if opts.kind is SessionKind.POWER:
        return 2 + 1 + len(ANCHORED)
    return (1 if opts.jumps else 0) + 1 + len(ANCHORED)


@lru_cache(maxsize=65536)
def build_session(
    library: Library, opts: Options, dose: Dose, full: Dose | None = None
) -> tuple[tuple[Prescription, ...], int, bool]:
    """The exercises, the honest minutes, and whether any exercise climbed its progression chain.

    Exercises are chosen slot by slot; the first few (jumps, the heavy lift, calf and core)
    always stay, fewer sets if time demands, and the rest are added while the session stays
    within 10 % of the runner's minutes. The exercises are chosen at the ``full`` dose (no
    deload, no back-off), so a lighter week has fewer sets of the same exercises, not more
    exercises.
    """
    full = full or dose
    texts = library.messages.coaching
    limit = opts.minutes * 60 * TIME_SLACK
    spares = list(library.sessions.spare_patterns)
    # a heavy deadlift every other session, a Romanian deadlift or hip thrust in between
    used_slots: set[str] = set() if opts.heavy_deadlift else {DEADLIFT_SLOT}
    chosen: list[Exercise] = []
    climbed = False
    mandatory = _mandatory(opts)
    for n, pattern in enumerate(_candidates(library, opts)):
        ex = _pick(library, opts, pattern, used_slots, opts.variation)
        if ex is None and pattern is not Pattern.POWER and n < mandatory:
            while ex is None and spares:
                ex = _pick(library, opts, spares.pop(0), used_slots, opts.variation)
        if ex is None:
            continue
        trial = [*chosen, ex]
        if n >= mandatory:
            too_many = full.max_exercises is not None and len(trial) > full.max_exercises
            too_long = minutes_of(_dosed(library, trial, full, opts), after_run=opts.after_run) * 60 > limit
            if too_many or too_long:
                continue
        if opts.variation and ex != _pick(library, opts, ex.pattern, used_slots, 0):
            climbed = True
        chosen.append(ex)
        used_slots.add(ex.slot_key)
    items = _dosed(library, chosen, dose, opts)
    # time wins: the kept exercises lose sets (never below one) until the session fits
    while minutes_of(items, after_run=opts.after_run) * 60 > limit and any(p.sets > 1 for p in items):
        longest = max((p for p in items if p.sets > 1 and not p.paired_with), key=set_seconds, default=None)
        if longest is None:
            longest = max((p for p in items if p.sets > 1), key=set_seconds)
        fewer = tuple(replace(p, sets=p.sets - 1) if p is longest else replace(p, paired_with="") for p in items)
        items = _paired(library, fewer)
    minutes = minutes_of(items, after_run=opts.after_run)
    names = {p.id: p.name for p in items}
    items = tuple(
        replace(p, cue=f"{p.cue} {texts.paired.format(lift=names[p.paired_with])}") if p.paired_with else p
        for p in items
    )
    return items, minutes, climbed


def _pick(library: Library, opts: Options, pattern: Pattern, used: set[str], variation: int) -> Exercise | None:
    return pick(
        library,
        pattern,
        opts.equipment,
        opts.level,
        opts.avoid,
        variation,
        opts.rotation,
        frozenset(used),
        opts.niggles,
        opts.high_impact,
        opts.easier,
    )


def _dosed(library: Library, chosen: list[Exercise], dose: Dose, opts: Options) -> tuple[Prescription, ...]:
    texts = library.messages.coaching
    ordered = sorted(chosen, key=lambda ex: ORDER.index(ex.pattern))
    return _paired(
        library,
        tuple(dose_exercise(ex, dose, opts.level, opts, texts, stuck=_stuck(library, ex, opts)) for ex in ordered),
    )


def _stuck(library: Library, ex: Exercise, opts: Options) -> bool:
    """Past the first harder variation with no harder exercise the runner's kit and level allow."""
    if not opts.variation:
        return False
    nxt = library.exercises.get(ex.progression) if ex.progression else None
    return nxt is None or not (kit_offers(opts.equipment, nxt.equipment) and nxt.min_level.rank <= opts.level.rank)


def warmup_text(library: Library, items: tuple[Prescription, ...], *, after_run: bool) -> str:
    """The 5-minute warm-up (3 straight after a run), with ramp-up sets of the first loaded main lift."""
    texts = library.messages.coaching
    base = texts.warmup_after_run if after_run else texts.warmup
    first_heavy = next(
        (p for p in items if p.type is ExerciseType.STRENGTH and library.exercises[p.id].pattern in MAIN), None
    )
    if first_heavy is None:
        return base
    return f"{base} {texts.warmup_ramp.format(lift=first_heavy.name)}"
