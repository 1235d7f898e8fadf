"""Rows into the services' types: a runner's profile, state and account, a check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot.coach.model import (
    BodyArea,
    Distance,
    Level,
    NiggleState,
    Profile,
    Race,
    RunKind,
    SessionKind,
    TrainingState,
    Weekday,
    kit_of,
)
from bot.coach.niggles import from_old_rung
from bot.db.models import (
    CheckinRow,
    Runner,
    TrainingStateRow,
)
from bot.services.accounts import CHECKIN_STATUSES, CheckinRecord, RunnerAccount


def profile_of(row: Runner) -> Profile | None:
    return profile_from(row, row.run_days, row.overrides, row.race)


def profile_from(row: Any, run_days: Sequence[Any], overrides: Sequence[Any], race_row: Any | None) -> Profile | None:
    """The profile from the runner's columns (an ORM row or a Core one, by attribute), their run
    days, one-off dates and goal race (anything with ``weekday``/``kind``, ``date``/``kind``/``distance``
    and ``distance``/``date``)."""
    if (
        row.onboarded_at is None
        or row.strength_level is None
        or row.equipment is None
        or row.session_minutes is None
        or not run_days
    ):
        return None
    race = None
    if race_row is not None:
        race = Race(distance=Distance(race_row.distance), date=race_row.date)
    return Profile(
        strength_level=Level(row.strength_level),
        week={Weekday(day.weekday): RunKind(day.kind) for day in run_days},
        race=race,
        equipment=kit_of(list(row.equipment)),
        session_minutes=row.session_minutes,
        sessions_per_week=row.sessions_per_week,
        injuries=frozenset(BodyArea(area) for area in row.injuries),
        overrides={override.date: RunKind(override.kind) for override in overrides},
        tune_up_distances={o.date: Distance(o.distance) for o in overrides if o.distance is not None},
        hard_days_hard=row.hard_days_hard,
        preferred_days=frozenset(Weekday(day) for day in row.preferred_days),
        mobility_off_days=frozenset(Weekday(day) for day in row.mobility_off_days),
    )


def state_of(row: TrainingStateRow | Any | None) -> TrainingState:
    """The state from its row (an ORM row or a Core one, by attribute); a fresh one without."""
    if row is None:
        return TrainingState()
    return TrainingState(
        step=row.step,
        set_cut=row.set_cut,
        weeks_trained=row.weeks_trained,
        backoff_weeks=row.backoff_weeks,
        fewer_sessions=row.fewer_sessions,
        minutes_cut=row.minutes_cut,
        recovery_week=row.recovery_week,
        pain={BodyArea(area): dt.date.fromisoformat(until) for area, until in row.pain.items()},
        weeks_coached=row.weeks_coached,
        needs_clearance=row.needs_clearance,
        good_weeks=row.good_weeks,
        **progress_of(row.progress),
        niggles=niggles_of(row.niggles or {}),
    )


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def progress_of(progress: dict[str, Any] | None) -> dict[str, Any]:
    """The progression counters of ``training_states.progress`` as ``TrainingState`` fields; a row
    from before they were stored (NULL) reads as a fresh start of them."""
    if progress is None:
        return {"lifting_weeks": 0, "restart_weeks": 0}
    return {
        "lifting_weeks": progress.get("lifting_weeks"),
        "restart_weeks": progress.get("restart_weeks"),
        "jump_stage": int(progress.get("jump_stage", 0)),
        "stage_weeks": int(progress.get("stage_weeks", 0)),
        "last_jumps": _date(progress.get("last_jumps")),
        "last_lift": _date(progress.get("last_lift")),
        "eccentric_weeks": int(progress.get("eccentric_weeks", 0)),
        "eccentric_out": bool(progress.get("eccentric_out", False)),
        "reduced_in_row": int(progress.get("reduced_in_row", 0)),
        "step_pending": bool(progress.get("step_pending", False)),
        "stepped": bool(progress.get("stepped", False)),
        "step_lower": bool(progress.get("step_lower", False)),
        "back_on": _date(progress.get("back_on")),
        "back_gap": int(progress.get("back_gap", 0)),
    }


def progress_values(state: TrainingState) -> dict[str, Any]:
    """The progression counters of a state as ``training_states.progress`` stores them."""
    return {
        "lifting_weeks": state.lifting_weeks,
        "restart_weeks": state.restart_weeks,
        "jump_stage": state.jump_stage,
        "stage_weeks": state.stage_weeks,
        "last_jumps": state.last_jumps.isoformat() if state.last_jumps else None,
        "last_lift": state.last_lift.isoformat() if state.last_lift else None,
        "eccentric_weeks": state.eccentric_weeks,
        "eccentric_out": state.eccentric_out,
        "reduced_in_row": state.reduced_in_row,
        "step_pending": state.step_pending,
        "stepped": state.stepped,
        "step_lower": state.step_lower,
        "back_on": state.back_on.isoformat() if state.back_on else None,
        "back_gap": state.back_gap,
    }


def niggles_of(stored: Mapping[str, Any]) -> dict[BodyArea, NiggleState]:
    """The niggle ladder as stored in ``training_states.niggles``: ``{"ladder": {area: {...}}}``;
    a state stored before rev. 3 (``rungs`` 0 gentle, 1 easier, 2 usual; ``failed`` one date)
    reads as rungs 1, 3 and 4 with its last failure kept."""
    if "ladder" in stored:
        return {
            BodyArea(area): NiggleState(
                rung=int(n.get("rung", 1)),
                since=int(n.get("since", 0)),
                at_top=int(n.get("at_top", 0)),
                tested=bool(n.get("tested", False)),
                failed=tuple(dt.date.fromisoformat(d) for d in n.get("failed", ())),
                pending=dt.date.fromisoformat(n["pending"]) if n.get("pending") else None,
                returning=bool(n.get("returning", False)),
                asked=dt.date.fromisoformat(n["asked"]) if n.get("asked") else None,
            )
            for area, n in stored["ladder"].items()
        }
    old_failed = {BodyArea(a): dt.date.fromisoformat(d) for a, d in stored.get("failed", {}).items()}
    areas = {BodyArea(a) for a in stored.get("rungs", {})} | set(old_failed)
    return {
        area: NiggleState(
            rung=from_old_rung(int(stored.get("rungs", {}).get(area.value, 0))),
            failed=(old_failed[area],) if area in old_failed else (),
        )
        for area in areas
    }


def niggles_json(ladder: Mapping[BodyArea, NiggleState]) -> dict[str, Any]:
    """``training_states.niggles`` for the ladder (see :func:`niggles_of`)."""
    return {
        "ladder": {
            BodyArea(area).value: {
                "rung": n.rung,
                "since": n.since,
                "at_top": n.at_top,
                "tested": n.tested,
                "failed": [d.isoformat() for d in n.failed],
                "pending": n.pending.isoformat() if n.pending else None,
                "returning": n.returning,
                "asked": n.asked.isoformat() if n.asked else None,
            }
            for area, n in sorted(ladder.items())
        }
    }


def account_of(row: Runner) -> RunnerAccount:
    return account_from(row, profile_of(row), row.training_state)


def account_from(row: Any, profile: Profile | None, state_row: Any | None) -> RunnerAccount:
    """The account from the runner's columns (an ORM row or a Core one), profile and state row."""
    return RunnerAccount(
        id=row.id,
        telegram_id=row.telegram_id,
        chat_id=row.chat_id,
        first_name=row.first_name,
        timezone=row.timezone,
        reminder_time=row.reminder_time,
        active=row.active,
        paused_until=row.paused_until,
        paused_from=row.paused_from,
        profile=profile,
        onboarded_at=row.onboarded_at,
        state=state_of(state_row),
    )


NIGGLE_OK = "ok"
NIGGLE_FLARE = "flare"
NIGGLE_WORSE = "worse"
MORNING = "morning:"  # "morning:<area>": the next morning's answer (ok / worse)
TEST = "test:"  # "test:<exercise id>": the strength test's count


def checkin_of(row: CheckinRow | Any) -> CheckinRecord:
    """A check-in from its row (an ORM row or a Core one, by attribute)."""
    status = row.status
    if status not in CHECKIN_STATUSES:  # pragma: no cover - only written through upsert
        raise ValueError(f"unknown check-in status {status!r} in the database")
    return CheckinRecord(
        date=row.date,
        session_kind=SessionKind(row.session_kind),
        status=status,
        rpe=row.rpe,
        soreness=row.soreness,
        pain_area=BodyArea(row.pain_area) if row.pain_area is not None else None,
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
        niggles={BodyArea(key): said == NIGGLE_OK for key, said in (row.niggles or {}).items() if ":" not in key},
        mornings={
            BodyArea(key.removeprefix(MORNING)): said == NIGGLE_OK
            for key, said in (row.niggles or {}).items()
            if key.startswith(MORNING)
        },
        test=next(
            ((key.removeprefix(TEST), int(said)) for key, said in (row.niggles or {}).items() if key.startswith(TEST)),
            None,
        ),
    )
