"""The runner profile as JSON (the `coach plan` contract): validate it in, write plans out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import ValidationError

from bot.coach.library import Messages
from bot.coach.model import Distance, Equipment, Prescription, Profile, Race, RunKind, WeekPlan
from bot.coach.wording import note_text, reason_text

RACE_HORIZON_YEARS = 2


class ProfileError(ValueError):
    """A profile that does not validate; ``problems`` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _where(loc: tuple[int | str, ...]) -> str:
    # pydantic marks a bad dictionary key with a "[key]" step; the key itself is already named
    return ".".join(str(part) for part in loc if part != "[key]") or "profile"


def latest_race_date(today: dt.date) -> dt.date:
    """The furthest race date the coach plans for: two years from ``today``, that day included."""
    try:
        return today.replace(year=today.year + RACE_HORIZON_YEARS)
    except ValueError:  # 29 February two years on is 1 March
        return today.replace(year=today.year + RACE_HORIZON_YEARS, month=3, day=1)


def _shown(value: Any) -> str:
    """A value as the runner wrote it in JSON, cut short."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_LIST_TYPES = ("list_type", "set_type", "frozen_set_type", "tuple_type", "iterable_type")
_NUMBER_TYPES = ("int_type", "int_parsing", "int_from_float", "float_type", "float_parsing")


def _message(err: Any) -> str:
    """One problem in plain words (never pydantic's own wording)."""
    kind = err["type"]
    ctx = err.get("ctx", {})
    given = _shown(err.get("input"))
    if kind == "missing":
        return "missing (this key is required)"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "enum":
        return f"{given} is not one of {ctx.get('expected', '')}"
    if kind.startswith("date"):
        return f"{given} is not a date (use YYYY-MM-DD)"
    if kind in _NUMBER_TYPES:
        return f"{given} is not a whole number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{given} is too small (at least {ctx.get('ge', ctx.get('gt'))})"
    if kind in ("less_than_equal", "less_than"):
        return f"{given} is too large (at most {ctx.get('le', ctx.get('lt'))})"
    if kind == "bool_type":
        return f"{given} is not true or false"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{given} is not an object (use {{...}})"
    if kind in _LIST_TYPES:
        return f"{given} is not a list (use [...])"
    if kind == "string_type":
        return f"{given} is not text"
    if kind == "value_error":
        return str(ctx.get("error", "is not valid"))
    return f"{given} is not valid here"


_KIT_ITEMS = ", ".join(e.value for e in Equipment if e is not Equipment.NONE)
KIT_FORMS = f'a list of {_KIT_ITEMS} (["bands", "dumbbells"]), one of them alone, or "none" / [] for bodyweight only'
RACE_FORMS = (
    f'"{RunKind.RACE.value}" (distance unknown) or '
    + ", ".join(f'"{RunKind.RACE.value}:{d.value}"' for d in Distance)
    + " for a tune-up of that distance"
)


def _problem(err: Any, data: dict[str, Any]) -> str:
    """One problem as a line: where it is, and what it should be. Equipment and overrides say
    their allowed forms (PRODUCT.md: a kit or one item; ``race:<distance>``)."""
    loc = tuple(err["loc"])
    given = _shown(err.get("input"))
    if loc and loc[0] == "equipment":
        return f"equipment: {given} is not kit: use {KIT_FORMS}"
    if loc and loc[0] == "tune_up_distances" and "tune_up_distances" not in data and len(loc) > 1:
        # the distance came from an override "race:<distance>": name the override as written
        day = str(loc[1])
        written = next((v for k, v in (data.get("overrides") or {}).items() if str(k) == day), err.get("input"))
        return f"overrides.{day}: {_shown(written)} is not a race distance: use {RACE_FORMS}"
    if loc and loc[0] == "overrides" and err["type"] == "enum":
        tune_ups = ", ".join(f'"{RunKind.RACE.value}:{d.value}"' for d in Distance)
        return f"{_where(loc)}: {_message(err)} (a tune-up may carry its distance: {tune_ups})"
    return f"{_where(loc)}: {_message(err)}"


def profile_problems(profile: Profile, *, today: dt.date, latest_from: dt.date | None = None) -> list[str]:
    """The rules a valid profile keeps beyond its fields' types, the same for `coach plan` and onboarding.

    The race is dated: not before ``today``, at most two years after ``latest_from`` (default
    ``today``); the weekly template holds runs, never a race (a race is a date, not a weekday).
    """
    problems = []
    races = [day.value for day, kind in profile.week.items() if kind is RunKind.RACE]
    if races:
        problems.append(
            f"week: {', '.join(races)} say race, but a race is a date, not a weekly run: "
            'give it as "race" (or in "overrides")'
        )
    if profile.race is not None:
        problems.extend(_race_problems(profile.race, today=today, latest_from=latest_from or today))
    return problems


def _race_problems(race: Race, *, today: dt.date, latest_from: dt.date) -> list[str]:
    if race.date < today:
        return [f"race.date: {race.date.isoformat()} is in the past"]
    latest = latest_race_date(latest_from)
    if race.date > latest:
        return [f"race.date: {race.date.isoformat()} is more than two years away (at most {latest.isoformat()})"]
    return []


def parse_profile(data: Any, *, today: dt.date, latest_from: dt.date | None = None) -> Profile:
    """Validate a profile: its fields, then ``profile_problems``. Raises ``ProfileError``."""
    if not isinstance(data, dict):
        raise ProfileError(["profile: expected a JSON object"])
    problems: list[str] = []
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problem(err, data) for err in exc.errors())
    if profile is not None:
        problems.extend(profile_problems(profile, today=today, latest_from=latest_from))
    else:
        race = _race_alone(data.get("race"))
        if race is not None:
            problems.extend(_race_problems(race, today=today, latest_from=latest_from or today))
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
        "rest_s": p.rest_s,
        "cue": p.cue,
        "type": p.type.value,
        "equipment": p.equipment.value,
        "loads": [area.value for area in p.loads],
        "ramp": p.ramp,
        "load_cue": p.load_cue,
        "contacts": p.contacts,
        "role": p.role.value if p.role is not None else None,
    }


def week_to_json(week: WeekPlan, messages: Messages) -> dict[str, Any]:
    """A planned week as `coach plan` prints it, its reasons and note in the runner's words."""
    return {
        "start": week.start.isoformat(),
        "phase": week.phase.value,
        "note": note_text(messages, week.note),
        "days": [
            {
                "date": day.date.isoformat(),
                "run": day.run.value,
                "session": {
                    "kind": day.session.kind.value,
                    "title": day.session.title,
                    "minutes": day.session.minutes,
                    "reason": reason_text(messages, day.session.reason),
                    "warmup": day.session.warmup,
                    "exercises": [_exercise(p) for p in day.session.exercises],
                },
            }
            for day in week.days
        ],
    }


def plan_to_json(weeks: list[WeekPlan], messages: Messages) -> dict[str, Any]:
    return {"weeks": [week_to_json(week, messages) for week in weeks]}
