"""The runner profile as JSON (the `coach plan` contract): validate it in, write plans out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from bot.coach.model import Prescription, Profile, Race, WeekPlan


class ProfileError(ValueError):
    """A profile that does not validate; ``problems`` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _where(loc: tuple[int | str, ...]) -> str:
    # pydantic marks a bad dictionary key with a "[key]" step; the key itself is already named
    return ".".join(str(part) for part in loc if part != "[key]") or "profile"


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err['input']!r} is not one of {expected}"
    if kind.startswith("date"):
        return f"{err['input']!r} is not a date (use YYYY-MM-DD)"
    return str(err["msg"])


def parse_profile(data: Any, *, today: dt.date) -> Profile:
    """Validate a profile; a race before ``today`` is rejected. Raises ``ProfileError``."""
    if not isinstance(data, dict):
        raise ProfileError(["profile: expected a JSON object"])
    problems: list[str] = []
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems.extend(f"{_where(err['loc'])}: {_message(err)}" for err in exc.errors())
    race = profile.race if profile is not None else _race_alone(data.get("race"))
    if race is not None and race.date < today:
        problems.append(f"race.date: {race.date.isoformat()} is in the past")
    if problems or profile is None:
        raise ProfileError(problems)
    return profile


def _race_alone(raw: Any) -> Race | None:
    """The race of a profile that failed elsewhere, so its date can be checked in the same run."""
    try:
        return Race.model_validate(raw) if raw is not None else None
    except ValidationError:
        return None


def _exercise(p: Prescription) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "sets": p.sets,
        "reps": p.reps,
        "rpe": p.rpe,
        "cue": p.cue,
        "loads": [area.value for area in p.loads],
    }


def week_to_json(week: WeekPlan) -> dict[str, Any]:
    return {
        "start": week.start.isoformat(),
        "phase": week.phase.value,
        "note": week.note,
        "days": [
            {
                "date": day.date.isoformat(),
                "run": day.run.value,
                "session": {
                    "kind": day.session.kind.value,
                    "title": day.session.title,
                    "minutes": day.session.minutes,
                    "reason": day.session.reason,
                    "exercises": [_exercise(p) for p in day.session.exercises],
                },
            }
            for day in week.days
        ],
    }


def plan_to_json(weeks: list[WeekPlan]) -> dict[str, Any]:
    return {"weeks": [week_to_json(week) for week in weeks]}
