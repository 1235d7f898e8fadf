"""Each exercise of a lifting session dosed (COACHING.md "Dose"): by its role (D1, only the main lift
takes the dose table), its eccentric week (D4), its rung (N3) or its jump stage (J1), with the
session's jump contacts kept within the level's cap."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

from bot.coach.dose import Dose
from bot.coach.library import CoachingTexts, Exercise
from bot.coach.model import (
    ExerciseType,
    Level,
    Prescription,
    Reduction,
    Role,
)
from bot.coach.session_choice import NORMAL_RUNG, Choice

# D1, D4: rests and the seconds a rep takes
HEAVIEST_REST_S = 150  # 2 to 3 min between heavy sets (5 reps or fewer)
HEAVY_REST_S = 120
LOADED_REST_S = 90  # 60 to 90 s otherwise
LIGHT_REST_S = 60
SECONDS_PER_REP = 3
SLOW_SECONDS_PER_REP = 6
SWING_SECONDS_PER_REP = 2
MIN_REPS = 6  # D1: no lift but the main one below 6 reps
MAX_OTHER_SETS = 3  # D1: the table's sets, at most 3 outside the main lift

# J1: contact caps by level; stage doses (sets, contacts a set in total)
CONTACT_CAPS = {Level.NEW: 40, Level.SOME: 60, Level.REGULAR: 80}
DELOAD_CONTACTS = 0.6  # J3: a deload or eased week about 40 % fewer contacts
# J3: "about 40 % fewer" than the full week before, at least 30 % fewer (a session's contacts at most
# 70 % of the biggest session's of the last full week: see ``reduced_contacts_cap``)
REDUCED_CONTACTS_AT_MOST = 0.7

# N3: the effort at the lower rungs
GENTLE_RPE = 5  # N3 rungs 1 and 2
RUNG3_RPE = 7

# D4: an eccentric-heavy exercise's (sets, low, high) by its lifting week; seconds for holds
ECCENTRIC_REPS = ((2, 3, 5), (2, 4, 6), (2, 5, 7), (3, 5, 7), (3, 5, 7), (3, 6, 8))
ECCENTRIC_SECONDS = ((2, 10, 15), (2, 15, 20), (2, 20, 25), (3, 20, 25), (3, 20, 25), (3, 25, 30))


def _units(texts: CoachingTexts, ex: Exercise, reps: str, key: str = "") -> str:
    text: str = getattr(texts, key).format(reps=reps) if key else reps
    return texts.reps_each_side.format(reps=text) if ex.per_side else text


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def _other_sets(dose: Dose) -> int:
    return max(1, min(MAX_OTHER_SETS, dose.sets))


def _jump_dose(ex: Exercise, level: Level, reduction: Reduction, *, peak: bool) -> tuple[int, int, str]:
    """J1: (sets, contacts a set in total, the reps text's number) by the exercise's stage; J3's cut."""
    if ex.role is Role.BALLISTIC:
        sets, per, reps = 3, 5, "3-5"
    elif ex.jump_stage >= 3:
        sets, per, reps = (2, 5, "5") if peak else (3, 8, "5-8")
    elif ex.jump_stage == 2:
        sets, per, reps = (3 if level is Level.REGULAR else 2), 10, "10"
    else:
        sets, per, reps = 2, 10, "10"
    if reduction is Reduction.BACK_OFF:
        sets = max(1, sets - 1)
    elif reduction is Reduction.DELOAD:
        sets = max(1, round(sets * DELOAD_CONTACTS))  # the same jumps, fewer sets: volume, not intensity
    return sets, per, reps


def _eccentric(ex: Exercise, week: int) -> tuple[int, int, int]:
    table = ECCENTRIC_SECONDS if ex.unit == "seconds" else ECCENTRIC_REPS
    return table[min(week, len(table)) - 1]


def _load_cue(texts: CoachingTexts, rpe: int | None) -> str:
    return texts.load_cue.format(reserve=10 - rpe) if rpe is not None else ""


@lru_cache(maxsize=65536)
def dose_choice(
    choice: Choice,
    dose: Dose,
    level: Level,
    reduction: Reduction,
    eccentric_week: int,
    peak: bool,
    texts: CoachingTexts,
) -> Prescription:
    """One exercise dosed by its role (D1), its rung (N3), its week (D4) or its stage (J1); only the
    session's level, reduction, eccentric week and peak matter, so few combinations recur."""
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
        sets, per, number = _jump_dose(ex, level, reduction, peak=peak)
        contacts = sets * per
        if ex.per_side and ex.role is not Role.BALLISTIC:
            reps = texts.contacts_each_side.format(reps=number, side=_range(*_halves(number)))
        else:
            reps = _units(texts, ex, number, "reps_contacts")
        work = per * sides if ex.role is Role.BALLISTIC else per
        rest = LOADED_REST_S
    elif ex.eccentric:
        sets, low, high = _eccentric(ex, eccentric_week)
        key = "reps_seconds" if ex.unit == "seconds" else "reps_slow"  # the lowering is the work: 3 s down
        reps = _units(texts, ex, _range(low, high), key)
        work = (high if ex.unit == "seconds" else SLOW_SECONDS_PER_REP * high) * sides
        rpe = min(dose.rpe, 7)
        if eccentric_week <= 2:
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
            low = 8 if role is Role.UNILATERAL and level is Level.NEW else max(MIN_REPS, dose.reps_low)
            high = 12 if role is Role.UNILATERAL and level is Level.NEW else min(top, max(dose.reps_high, low + 2))
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
            low, high = (10, 15) if level is Level.NEW else (8, 12)
        reps = _units(texts, ex, _range(low, high), "reps_calf")
        work = SLOW_SECONDS_PER_REP * high * sides
    elif role is Role.BALLISTIC:
        reps, work, rest = _units(texts, ex, "8-15"), SWING_SECONDS_PER_REP * 15 * sides, LOADED_REST_S
    elif role is Role.UPPER:
        rpe = min(7, dose.rpe)
        low, high = (6, 10) if ex.body_weight_only else (8, 12)
        reps, work = _units(texts, ex, _range(low, high)), SECONDS_PER_REP * high * sides
        rest = LOADED_REST_S if loaded else LIGHT_REST_S
        loaded = loaded and not ex.body_weight_only
    elif ex.unit == "seconds":
        low = {Level.NEW: 20, Level.SOME: 30, Level.REGULAR: 35}[level]
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


def cap_contacts(items: list[Prescription], level: Level, reduced_cap: int = 0) -> list[Prescription]:
    """J1: a session's contacts stay within the level's cap, and J3's cap of a deload or eased week
    when it has one (sets come off the biggest jump, never below one)."""
    cap = CONTACT_CAPS[level]
    if reduced_cap:
        cap = min(cap, reduced_cap)
    while sum(p.contacts for p in items) > cap:
        big = max((p for p in items if p.contacts and p.sets > 1), key=lambda p: p.contacts, default=None)
        if big is None:
            break
        per = big.contacts // big.sets
        items = [replace(p, sets=p.sets - 1, contacts=p.contacts - per) if p is big else p for p in items]
    return items


def reduced_contacts_cap(contacts_before: int | None) -> int:
    """J3: the most contacts a session of a deload or eased week may hold, given the most a session of
    the last full week held (0: no cap, when that week had no jumps or is not known). A reduced week
    cuts from what the runner did, not only from its own full form: a session that had no room for
    jumps the week before (a longer warm-up) must not bring two jumps back in the reduced week."""
    if not contacts_before:
        return 0
    return max(1, math.floor(REDUCED_CONTACTS_AT_MOST * contacts_before))
