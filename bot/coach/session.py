"""One lifting session: which exercises (``session_choice``), dosed by role (``session_dose``), at its
honest length (COACHING.md "Dose").

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
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from bot.coach.dose import Dose
from bot.coach.library import CoachingTexts, Library
from bot.coach.model import ExerciseType, Level, Pattern, Prescription, Reduction, SessionKind
from bot.coach.session_choice import Choice, Options, choose
from bot.coach.session_dose import cap_contacts, dose_choice

# D5: the warm-up, the changeover, ramp sets and rests, in seconds
WARMUP_GENERAL_S = 120  # none straight after a run
WARMUP_DRILLS_S = 120  # hip and ankle drills
WARMUP_S = WARMUP_GENERAL_S + WARMUP_DRILLS_S
WARMUP_AFTER_RUN_S = WARMUP_DRILLS_S
CHANGEOVER_S = 30
RAMP_SETS = 2
RAMP_SET_S = 60
PAIRED_S = 90  # a calf or core set in a heavy lift's rest adds max(0, 90 + its work - that rest)
TIME_SLACK = 1.10  # over the runner's length by more than 10 %: drop exercises
HEAVY_REPS = 6  # loaded at 6 reps or fewer: a heavy lift (ramp sets, long rests)
MIN_MAIN_SETS = 2  # D5: main sets never cut below 2 for time

DROP_ORDER = ("accessory", "core", "jumps", "unilateral")  # D5: what leaves first when time is short


def heavy(p: Prescription) -> bool:
    """A heavy lift (D5): ramp sets before it, 2 to 3 minutes between its sets."""
    return p.ramp


def _with(
    p: Prescription, *, sets: int | None = None, cue: str | None = None, paired_with: str | None = None
) -> Prescription:
    """``p`` with the fields fitting a session changes; every field named, as ``dataclasses.replace``
    costs several constructions (test_session_with checks that no field is left out)."""
    return Prescription(
        id=p.id,
        name=p.name,
        sets=p.sets if sets is None else sets,
        reps=p.reps,
        rpe=p.rpe,
        cue=p.cue if cue is None else cue,
        loads=p.loads,
        type=p.type,
        equipment=p.equipment,
        rest_s=p.rest_s,
        work_s=p.work_s,
        paired_with=p.paired_with if paired_with is None else paired_with,
        gentle=p.gentle,
        ramp=p.ramp,
        load_cue=p.load_cue,
        contacts=p.contacts,
        role=p.role,
    )


# ---------------------------------------------------------------- minutes (D5)


def _paired(items: list[Prescription], slots: list[str]) -> list[Prescription]:
    """A calf raise (else core) done in the main lift's rests, when the main lift is heavy and has as
    many sets."""
    anchor = next((p for p, s in zip(items, slots, strict=True) if s == "main" and p.ramp), None)
    if anchor is None:
        return [_with(p, paired_with="") if p.paired_with else p for p in items]
    out, taken = [], False
    for p, slot in zip(items, slots, strict=True):
        pair = not taken and slot in ("calf", "core") and p.sets <= anchor.sets and not p.gentle
        taken = taken or pair
        partner = anchor.id if pair else ""
        out.append(p if p.paired_with == partner else _with(p, paired_with=partner))
    return out


def session_seconds(items: Sequence[Prescription], *, after_run: bool) -> int:
    """D5: warm-up, then per exercise a 30 s changeover, 2 ramp sets of a minute for a heavy lift, and
    sets x (work + rest); a set done in a heavy lift's rest adds max(0, 90 s + its work - that rest)."""
    return _warmup_seconds(after_run) + _work_seconds(items)


def _warmup_seconds(after_run: bool) -> int:
    return WARMUP_DRILLS_S + (0 if after_run else WARMUP_GENERAL_S)


def _work_seconds(items: Sequence[Prescription]) -> int:
    """``session_seconds`` past the warm-up."""
    total = 0
    rests: dict[str, int] | None = None  # read only when a set is paired
    for p in items:
        if p.paired_with:
            if rests is None:
                rests = {p.id: p.rest_s for p in items}
            total += p.sets * max(0, PAIRED_S + p.work_s - rests.get(p.paired_with, 0))
            continue
        total += CHANGEOVER_S + (RAMP_SETS * RAMP_SET_S if p.ramp else 0) + p.sets * (p.work_s + p.rest_s)
    return total


def minutes_of(items: Sequence[Prescription], *, after_run: bool) -> int:
    return math.ceil(session_seconds(items, after_run=after_run) / 60)


class Dosing(NamedTuple):
    """What dosing and timing read of a session's options (the key of the fitted sessions' cache)."""

    level: Level
    reduction: Reduction
    eccentric_week: int
    peak: bool
    minutes: int
    after_run: bool
    jump_cap: int = 0  # J3: a deload or eased week's contacts a session at most (0: none)


def _dose_all(
    choices: Sequence[Choice], dose: Dose, how: Dosing, texts: CoachingTexts, reduction: Reduction | None = None
) -> tuple[tuple[Prescription, ...], int]:
    """Each choice dosed (at ``reduction``, by default the session's), the jump contacts capped (J3's
    cap only at the session's own reduction), a set paired into the main lift's rests; and their
    seconds past the warm-up."""
    if reduction is None:
        cut, cap = how.reduction, how.jump_cap
    else:
        cut, cap = reduction, 0
    return _dosed(tuple(choices), dose, how.level, cut, how.eccentric_week, how.peak, texts, cap)


@lru_cache(maxsize=16384)
def _dosed(
    choices: tuple[Choice, ...],
    dose: Dose,
    level: Level,
    reduction: Reduction,
    eccentric_week: int,
    peak: bool,
    texts: CoachingTexts,
    jump_cap: int = 0,
) -> tuple[tuple[Prescription, ...], int]:
    """``_dose_all`` on what dosing reads: sessions fitted to other lengths, or after a run or not,
    dose the same choices alike."""
    items = [dose_choice(c, dose, level, reduction, eccentric_week, peak, texts) for c in choices]
    items = _paired(cap_contacts(items, level, jump_cap), [c.slot for c in choices])
    return tuple(items), _work_seconds(items)


@lru_cache(maxsize=16384)
def _choose(library: Library, opts: Options) -> tuple[tuple[Choice, ...], SessionKind, bool]:
    choices, kind, climbed = choose(library, opts)
    return tuple(choices), kind, climbed


def _choice_of(library: Library, opts: Options) -> tuple[tuple[Choice, ...], SessionKind, bool]:
    """``choose`` for ``opts``, made once for all options that differ only in what choosing does not
    read: the runner's minutes, a run before and the week's reduction (dosing and timing read them),
    the heavy deadlift's turn in a squat-led session, and the jump limits in a week without jumps."""
    jumps = opts.jump_stage > 0
    squat = opts.main_pattern is Pattern.SQUAT
    if (
        opts.minutes
        or opts.after_run
        or opts.reduction is not Reduction.NONE
        or (squat and not opts.heavy_deadlift)
        or (not jumps and (opts.peak or opts.no_jump_areas))
    ):
        # every field named (``dataclasses.replace`` costs as much again on each cold session;
        # test_session_choice_options checks that no field is left out)
        opts = Options(
            kind=opts.kind,
            equipment=opts.equipment,
            level=opts.level,
            avoid=opts.avoid,
            rungs=opts.rungs,
            no_jump_areas=opts.no_jump_areas if jumps else frozenset(),
            jump_stage=opts.jump_stage,
            reduction=Reduction.NONE,
            eccentric_week=opts.eccentric_week,
            strength_test=opts.strength_test,
            main_pattern=opts.main_pattern,
            heavy_deadlift=opts.heavy_deadlift or squat,
            rotation=opts.rotation,
            session_index=opts.session_index,
            variation=opts.variation,
            minutes=0,
            after_run=False,
            peak=opts.peak and jumps,
        )
    return _choose(library, opts)


def _fits(minutes: int, how: Dosing) -> bool:
    # the minutes the runner reads (rounded up) are what must stay within 10 % of their length
    return minutes <= how.minutes * TIME_SLACK


def build_session(
    library: Library, opts: Options, dose: Dose, full: Dose | None = None, jump_cap: int = 0
) -> tuple[tuple[Prescription, ...], int, bool, SessionKind]:
    """The exercises, their true minutes, whether any exercise climbed its chain, and the session's kind.

    Which exercises stay is decided at the ``full`` dose (no deload, no back-off), so a lighter week
    has fewer sets of the same exercises, never more exercises; ``jump_cap`` (J3, in a deload or
    eased week) bounds its contacts: sets come off its jumps, then jumps leave but one. Over the
    runner's minutes by more than 10 %: the accessory, core, jumps and the unilateral leave in that
    order, then main sets come down to 2; rests and ramp sets stay, and the minutes say what remains.
    """
    choices, kind, climbed = _choice_of(library, opts)
    how = Dosing(opts.level, opts.reduction, opts.eccentric_week, opts.peak, opts.minutes, opts.after_run, jump_cap)
    items, minutes = _fitted(library.messages.coaching, choices, dose, full or dose, how)
    return items, minutes, climbed, kind


@lru_cache(maxsize=65536)
def _fitted(
    texts: CoachingTexts, chosen: tuple[Choice, ...], dose: Dose, full: Dose, how: Dosing
) -> tuple[tuple[Prescription, ...], int]:
    """``build_session``'s exercises dosed and fitted to the runner's minutes, and those minutes; many
    options (other turns of the rotation) choose the same exercises, so this is cached on the choices."""
    choices: Sequence[Choice] = chosen
    if full.max_exercises is not None:
        lifts = [c for c in choices if c.slot != "jumps"]
        while len(lifts) > full.max_exercises:
            gone = next((s for s in DROP_ORDER if any(c.slot == s for c in lifts)), None)
            if gone is None:
                break
            choices = [c for c in choices if c.slot != gone]
            lifts = [c for c in lifts if c.slot != gone]
    # each list's minutes are counted once (they decide whether it fits) and kept for the answer
    warmup = _warmup_seconds(how.after_run)
    usual: Sequence[Prescription] | None = None  # the choices at the full dose, dosed again only when they change
    usual_minutes = 0
    for slot in DROP_ORDER:  # a reduced week keeps the usual week's exercises
        if usual is None:
            usual, work = _dose_all(choices, full, how, texts, Reduction.NONE)
            usual_minutes = math.ceil((warmup + work) / 60)
        if _fits(usual_minutes, how):
            break
        kept = [c for c in choices if c.slot != slot]
        if len(kept) < len(choices):
            choices, usual = kept, None
    items: Sequence[Prescription]
    if usual is not None and how.reduction is Reduction.NONE and full == dose:
        items, minutes = usual, usual_minutes
    else:
        items, work = _dose_all(choices, dose, how, texts)
        minutes = math.ceil((warmup + work) / 60)
    while how.jump_cap and sum(p.contacts for p in items) > how.jump_cap:
        # J3: one set each is still over the reduced week's cap: the last jump leaves, never the only one
        jumps = [c for c in choices if c.exercise.type is ExerciseType.PLYOMETRIC]
        if len(jumps) < 2:
            break
        choices = [c for c in choices if c is not jumps[-1]]
        items, work = _dose_all(choices, dose, how, texts)
        minutes = math.ceil((warmup + work) / 60)
    for slot in DROP_ORDER:  # a reduced week's rungs sit a step lower, and holds can take longer
        if _fits(minutes, how):
            break
        if any(c.slot == slot for c in choices):
            choices = [c for c in choices if c.slot != slot]
            items, work = _dose_all(choices, dose, how, texts)
            minutes = math.ceil((warmup + work) / 60)
    slots = [c.slot for c in choices]
    while not _fits(minutes, how):
        main = next((p for p, s in zip(items, slots, strict=True) if s == "main" and p.sets > MIN_MAIN_SETS), None)
        if main is None:
            break
        items = _paired([_with(p, sets=p.sets - 1) if p is main else p for p in items], slots)
        minutes = minutes_of(items, after_run=how.after_run)
    names = {p.id: p.name for p in items}
    items = [
        _with(p, cue=f"{p.cue} {texts.paired.format(lift=names[p.paired_with])}") if p.paired_with else p for p in items
    ]
    return tuple(items), minutes  # the cues name the pairs; the minutes stay


def warmup_text(library: Library, items: tuple[Prescription, ...], *, after_run: bool) -> str:
    """D5: the warm-up (its general part skipped straight after a run), then the ramp sets of every
    heavy lift."""
    return _warmup(library.messages.coaching, tuple(p.name for p in items if p.ramp), after_run)


@lru_cache(maxsize=4096)
def _warmup(texts: CoachingTexts, ramped: tuple[str, ...], after_run: bool) -> str:
    parts = [texts.warmup_after_run if after_run else texts.warmup]
    parts += [texts.warmup_ramp.format(lift=name) for name in ramped]
    return " ".join(parts)
