"""The week's note, the last step of planning it: its phase, then what is different about this
week, every claim true of the plan (M1, M2); why it holds fewer sessions than its phase asks for
(P5, the true cause) and which preferred days a MUST rule bars, and why (P4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

from bot.coach.model import WEEKDAYS, NoteKey, NotePart, Phase, Profile, WeekNote
from bot.coach.phases import tune_up_recovery_days
from bot.coach.placement import KEY_RUNS, NO_LIFT_DAYS, room
from bot.coach.vocabulary import LIFTING_PHASES
from bot.coach.week_context import WeekContext
from bot.coach.week_days import WEEK_DAYS, Cites, DayContext, weekday_of
from bot.coach.week_facts import WeekFacts
from bot.coach.week_frame import WeekFrame
from bot.coach.week_sessions import Lifts


def week_note(
    cites: Cites,
    profile: Profile,
    frame: WeekFrame,
    context: WeekContext,
    lifts: Lifts,
    facts: WeekFacts,
    *,
    pinned: bool,
) -> WeekNote:
    """The note of the week ``frame`` planned with ``lifts`` (``pinned``: a re-plan)."""
    start, week_phase, target, placed = frame.start, frame.phase, frame.target, lifts.placed
    extra = note_fields(facts)  # every part of the note cites the same values
    told = NO_PLACEMENT_NOTE
    if not frame.too_close:  # the too-close note says why the week has no lifting
        told = _placement_note(
            cites,
            profile,
            frame.days,
            context,
            week_phase,
            target,
            placed,
            lifts.lifting,
            extra,
            pinned=pinned,
        )
    note = _main_note(cites, profile, week_phase, start, target, placed, facts, extra, told)
    if frame.days[0].phase is Phase.RECOVERY and week_phase is not Phase.RECOVERY:
        # the week opens with the last days of the race's recovery: say so before the base note
        recovery = cites.note(NoteKey.RECOVERY, Phase.RECOVERY, start, target, placed, extra)
        note = WeekNote((recovery, *note.parts))
    return note


def note_fields(facts: WeekFacts) -> dict[str, str]:
    """The placeholders a week note may use beyond the day's: every note gets all of them."""
    eased = facts.eased
    return {
        "cut": str(facts.cut),
        "peak_cut": str(facts.peak_cut),
        "weekday": facts.tune_up,
        "gentle": ", ".join(facts.gentle),
        # the race an eased week follows: its date, and its distance (or "race" when not known)
        "race_day": eased.date.isoformat() if eased else "",
        "race_kind": eased.distance.value if eased and eased.distance else "race",
        "resting": ", ".join(facts.resting),
        "tune_up_days": str(facts.tune_up_days),
    }


class PlacementNote(NamedTuple):
    """What placement tells the week's note: why it holds fewer sessions than its phase asks for
    (P5, its true cause), and which preferred lifting days a MUST rule rules out, and why (P4)."""

    fewer: NotePart | None = None
    preferred_out: tuple[NotePart, ...] = ()


NO_PLACEMENT_NOTE = PlacementNote()

# P5's causes, most telling first: the counterfactual that lifts one of them decides
_CAUSES = (
    NoteKey.FEWER_JOINED,
    NoteKey.FEWER_TAPER,
    NoteKey.FEWER_RECOVERY,
    NoteKey.FEWER_RACE,
    NoteKey.FEWER_KEY_RUNS,
)


def usual_room(profile: Profile, target: int) -> int:
    """P5: the lifting sessions the runner's usual calendar (the weekly template, week after week)
    has room for, up to ``target``: P1 and P2 from the template, P3 also from Sunday to Monday."""
    runs = [profile.week[day] for day in WEEKDAYS]
    fits = [runs[i] not in NO_LIFT_DAYS and runs[(i + 1) % WEEK_DAYS] not in KEY_RUNS for i in range(WEEK_DAYS)]
    return room(fits, target, repeating=True)


def _placement_note(
    cites: Cites,
    profile: Profile,
    week: tuple[DayContext, ...],
    context: WeekContext,
    phase: Phase,
    target: int,
    placed: int,
    lifting: tuple[int, ...],
    extra: Mapping[str, str],
    *,
    pinned: bool = False,
) -> PlacementNote:
    """P4 and P5 in the week's note, every claim true of this week's calendar."""
    if not target:
        return NO_PLACEMENT_NOTE
    start = week[0].date

    def part(key: NoteKey, **values: str) -> NotePart:
        return cites.note(key, phase, start, target, placed, {**extra, **values})

    fewer = None
    if placed < target and not any(d.paused for d in week):
        cause = _fewer_cause(profile, week, context, target, placed, pinned)
        race = next((d.tune_up for d in week if d.tune_up is not None), None)
        if cause is NoteKey.FEWER_RACE and race is not None and race < start:
            cause = NoteKey.FEWER_AFTER_RACE  # the race was last week: its recovery days reach into this one
        if cause is not None:
            days = str(tune_up_recovery_days(profile, race)) if race is not None else ""
            fewer = part(cause, weekday=weekday_of(race) if race is not None else "", tune_up_days=days)
    out = []
    for i, day in enumerate(week):
        if not day.preferred or i in lifting or day.paused or day.date in context.quiet:
            continue
        next_to_lift = (i - 1) in lifting or (i + 1) in lifting or (i == 0 and context.lifted_before)
        if day.phase not in LIFTING_PHASES:
            key = NoteKey.PREFERRED_OUT_RACE_PHASE
        elif day.run in NO_LIFT_DAYS:
            key = NoteKey.PREFERRED_OUT_RUN
        elif day.next_run in KEY_RUNS:
            key = NoteKey.PREFERRED_OUT_BEFORE_KEY
        elif day.near_race:
            key = NoteKey.PREFERRED_OUT_NEAR_RACE
        elif next_to_lift:
            key = NoteKey.PREFERRED_OUT_NEXT_TO_LIFT
        else:
            continue  # no MUST rule bars it: the week's lifting simply sits on other days
        out.append(part(key, weekday=weekday_of(day.date), run=day.run.value, next_run=day.next_run.value))
    return PlacementNote(fewer, tuple(out))


def _fewer_cause(
    profile: Profile, week: tuple[DayContext, ...], context: WeekContext, target: int, placed: int, pinned: bool
) -> NoteKey | None:
    """P5: why the week holds ``placed`` of ``target`` sessions. "Only N fit" (FEWER_FIT, NONE_FIT)
    only when the runner's usual calendar has no more room; else the cause of this week that,
    lifted, leaves room for more: joined mid-week, the taper, the recovery, a tune-up race, or
    this week's runs being other than the usual ones."""
    first = week[0].date.weekday()
    template = [profile.week[WEEKDAYS[(first + i) % 7]] for i in range(len(week))]
    template_next = [profile.week[WEEKDAYS[(first + i + 1) % 7]] for i in range(len(week))]
    flags = {
        NoteKey.FEWER_JOINED: [d.date in context.quiet for d in week],
        NoteKey.FEWER_TAPER: [d.phase is Phase.TAPER for d in week],
        NoteKey.FEWER_RECOVERY: [d.phase is Phase.RECOVERY for d in week],
        NoteKey.FEWER_RACE: [d.near_race for d in week],
        NoteKey.FEWER_KEY_RUNS: [d.run in NO_LIFT_DAYS or d.next_run in KEY_RUNS for d in week],
    }
    usual_runs = [t not in NO_LIFT_DAYS and n not in KEY_RUNS for t, n in zip(template, template_next, strict=True)]
    # per day, how many causes bar it, and how many of all but the runs (fits asks up to 7 times)
    barring = [sum(flags[key][i] for key in _CAUSES) for i in range(len(week))]
    barring_but_runs = [sum(flags[key][i] for key in _CAUSES[:-1]) for i in range(len(week))]

    def fits(skip: NoteKey | None) -> list[bool]:
        if skip is NoteKey.FEWER_KEY_RUNS:  # the usual runs instead of this week's
            return [not barring_but_runs[i] and usual_runs[i] for i in range(len(week))]
        if skip is None:
            return [not barring[i] for i in range(len(week))]
        skipped = flags[skip]
        return [barring[i] - skipped[i] == 0 for i in range(len(week))]

    now = room(fits(None), target, lifted_before=context.lifted_before)
    if now > placed:
        # the calendar had room for more: a re-plan that dropped a lift says so on that day, and a
        # fresh plan took fewer only so that next week keeps room for all of its sessions
        return None if pinned else NoteKey.FEWER_NEXT_WEEK
    if placed >= usual_room(profile, target):
        return NoteKey.NONE_FIT if placed == 0 else NoteKey.FEWER_FIT
    for key in _CAUSES:
        if room(fits(key), target, lifted_before=context.lifted_before) > now:
            return key
    if context.lifted_before and room(fits(None), target) > now:
        return NoteKey.FEWER_AFTER_LAST_WEEK
    for key in _CAUSES[:-1]:
        if any(flags[key]):
            return key
    if any(d.run is not t or d.next_run is not n for d, t, n in zip(week, template, template_next, strict=True)):
        return NoteKey.FEWER_KEY_RUNS
    return NoteKey.NONE_FIT if placed == 0 else NoteKey.FEWER_FIT  # not reached: the usual week has no more room


def _main_note(
    cites: Cites,
    profile: Profile,
    phase: Phase,
    start: dt.date,
    target: int,
    placed: int,
    facts: WeekFacts,
    extra: Mapping[str, str],
    placement: PlacementNote = NO_PLACEMENT_NOTE,
) -> WeekNote:
    """The week's note: its phase, then what is different about this week; every claim true of the plan."""
    # M1: progress ("a little more each week") only when this week shows a step up; "heavier" only
    # in the week the heavy sets get heavier; peak's cut only when counted from real sets (M2)
    if phase is Phase.BASE and (profile.race is None or profile.race.date < start):
        key = NoteKey.BASE_NO_RACE_PROGRESS if facts.stepped else NoteKey.BASE_NO_RACE
    elif phase is Phase.BASE:
        key = NoteKey.BASE_PROGRESS if facts.stepped else NoteKey.BASE
    elif phase is Phase.BUILD and not facts.heavy:
        key = NoteKey.BUILD_LIGHT
    elif phase is Phase.BUILD:
        key = NoteKey.BUILD if facts.heavier else NoteKey.BUILD_HEAVY
    elif phase is Phase.PEAK and not facts.peak_cut:
        key = NoteKey.PEAK_START
    else:
        key = NoteKey(phase.value)

    def note(name: NoteKey) -> NotePart:
        return cites.note(name, phase, start, target, placed, extra)

    # a new lifter this close to the race: the week is about that, not the peak's cut in sets
    parts = [note(NoteKey.TOO_CLOSE_TO_START if facts.too_close else key)]
    if facts.tune_up:
        parts.append(note(NoteKey.TUNE_UP))
    if facts.paused:
        parts.append(note(NoteKey.PAUSED))
    elif target and placed < target and facts.no_safe_lifts:
        parts.append(note(NoteKey.NIGGLES))
    elif placement.fewer is not None:
        parts.append(placement.fewer)  # P5: as many as fit, and the true cause
    parts.extend(placement.preferred_out)  # P4: a preferred day a MUST rule bars, and why
    if facts.new_block and placed:
        parts.append(note(NoteKey.NEW_BLOCK))
    if facts.gentle and placed:
        parts.append(note(NoteKey.GENTLE))
    if facts.resting:
        parts.append(note(NoteKey.RESTING))
    if facts.back and placed:
        parts.append(note(NoteKey(f"back_{facts.back}")))
    eased = facts.eased
    if eased is not None and eased.goal and placed:
        parts.append(note(NoteKey.FIRST_WEEK_BACK))
    elif eased is not None and placed:
        known = eased.distance is not None
        if eased.jump_free:
            parts.append(note(NoteKey.EASED_TUNE_UP_NO_JUMPS if known else NoteKey.EASED_RACE_NO_JUMPS))
        else:
            parts.append(note(NoteKey.EASED_TUNE_UP))
    elif facts.deload and placed and facts.cut:
        parts.append(note(NoteKey.DELOAD))
    elif facts.step_lower and placed:
        parts.append(note(NoteKey.STEP_LOWER))
    elif facts.stepped and facts.add_load and placed and facts.loaded:
        parts.append(note(NoteKey.ADD_LOAD))
    elif facts.stepped and facts.add_load and placed and facts.slow:
        parts.append(note(NoteKey.SLOW_PROGRESS))
    return WeekNote(tuple(parts))
