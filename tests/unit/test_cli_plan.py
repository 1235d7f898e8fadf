"""`coach plan --profile FILE [--start YYYY-MM-DD] [--weeks N]` (PRODUCT.md): JSON out, one line per problem."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from bot.coach.library import Library
from bot.coach.model import BodyArea, Phase, Role, RunKind, SessionKind

REPO = Path(__file__).resolve().parents[2]
# the CLI judges "a race in the past" by its clock: a fixed one, so no run depends on the day it runs
CLOCK = FakeClock(dt.datetime(2026, 11, 19, 12, 0, tzinfo=dt.UTC))  # a Thursday
TODAY = CLOCK.now().date()
START = TODAY + dt.timedelta(days=(7 - TODAY.weekday()) % 7 or 7)  # a Monday ahead


def valid_profile() -> dict[str, Any]:
    return {
        "strength_level": "some",
        "week": {
            "mon": "easy",
            "tue": "quality",
            "wed": "rest",
            "thu": "quality",
            "fri": "rest",
            "sat": "long",
            "sun": "easy",
        },
        "race": {"distance": "half", "date": (START + dt.timedelta(days=120)).isoformat()},
        "equipment": "dumbbells",
        "session_minutes": 30,
        "sessions_per_week": 2,
        "injuries": ["knee"],
        "overrides": {(START + dt.timedelta(days=2)).isoformat(): "race"},
    }


def write(tmp_path: Path, data: Any, name: str = "profile.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(["plan", *args], clock=CLOCK)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


# ---------------------------------------------------------------------------------------------
# the output


def check_schema(plan: Any, library: Library, start: dt.date, weeks: int) -> None:
    """The documented output: weeks / start / phase / note / days / date / run / session / exercises."""
    assert isinstance(plan, dict) and set(plan) == {"weeks"}
    assert len(plan["weeks"]) == weeks
    day_number = 0
    for n, week in enumerate(plan["weeks"]):
        assert set(week) == {"start", "phase", "note", "days"}
        assert week["start"] == (start + dt.timedelta(days=7 * n)).isoformat()
        assert Phase(week["phase"]) and isinstance(week["note"], str) and week["note"]
        assert len(week["days"]) == 7
        for day in week["days"]:
            assert set(day) == {"date", "run", "session"}
            assert day["date"] == (start + dt.timedelta(days=day_number)).isoformat()
            day_number += 1
            RunKind(day["run"])
            session = day["session"]
            assert set(session) == {"kind", "title", "minutes", "reason", "warmup", "exercises"}
            assert isinstance(session["warmup"], str)
            if SessionKind(session["kind"]).is_lifting:
                assert session["warmup"]
            kind = SessionKind(session["kind"])
            assert isinstance(session["title"], str) and session["title"]
            assert isinstance(session["minutes"], int) and session["minutes"] >= 0
            assert isinstance(session["reason"], str) and session["reason"]
            assert isinstance(session["exercises"], list)
            if kind is SessionKind.REST:
                assert session["exercises"] == []
            for item in session["exercises"]:
                assert set(item) == {
                    *("id", "name", "sets", "reps", "rpe", "rest_s", "cue", "type", "equipment", "loads"),
                    *("ramp", "load_cue", "contacts", "role"),  # D5/J1/D1: what the chat shows of a lift
                }
                assert isinstance(item["ramp"], bool) and isinstance(item["load_cue"], str)
                assert isinstance(item["contacts"], int) and item["contacts"] >= 0
                assert item["role"] is None or Role(item["role"])
                exercise = library.exercises[item["id"]]
                assert item["type"] == exercise.type.value and item["equipment"] == exercise.equipment.value
                assert isinstance(item["rest_s"], int) and item["rest_s"] >= 0
                assert item["name"] == exercise.name
                assert isinstance(item["sets"], int) and item["sets"] >= 1
                assert isinstance(item["reps"], str) and item["reps"]
                assert item["rpe"] is None or (isinstance(item["rpe"], int) and 1 <= item["rpe"] <= 10)
                assert item["cue"].startswith(exercise.cues[0])
                assert item["loads"] == [area.value for area in exercise.loads]
                assert all(BodyArea(area) for area in item["loads"])


def test_a_valid_profile_prints_the_documented_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], library: Library
) -> None:
    """A valid profile prints one week of plan as JSON in the documented shape, and nothing on stderr."""
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, valid_profile())), "--start", START.isoformat())
    assert (code, err) == (0, [])
    plan = json.loads(out)
    check_schema(plan, library, START, weeks=1)
    days = plan["weeks"][0]["days"]
    assert days[2]["run"] == "race" and days[2]["session"]["kind"] == "rest"  # the override is honoured
    flagged = [item for day in days for item in day["session"]["exercises"] if "knee" in item["loads"]]
    pain_rule = library.messages.coaching.pain_rule
    assert all(pain_rule in item["cue"] and item["rpe"] <= 5 for item in flagged), "the knee is loaded gently only"


def test_three_weeks_are_three_consecutive_weeks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], library: Library
) -> None:
    """`--weeks 3` prints 21 consecutive days in three weeks starting 7 days apart."""
    path = write(tmp_path, valid_profile())
    code, out, err = run_plan(capsys, "--profile", str(path), "--start", START.isoformat(), "--weeks", "3")
    assert (code, err) == (0, [])
    check_schema(json.loads(out), library, START, weeks=3)


def test_without_start_the_plan_begins_on_a_monday_ahead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], library: Library
) -> None:
    """Without `--start` the plan begins on the coming Monday."""
    code, out, _ = run_plan(capsys, "--profile", str(write(tmp_path, valid_profile())))
    assert code == 0
    start = dt.date.fromisoformat(json.loads(out)["weeks"][0]["start"])
    assert start.weekday() == 0 and TODAY <= start < TODAY + dt.timedelta(days=7)
    check_schema(json.loads(out), library, start, weeks=1)


def test_the_minimal_profile_is_enough(tmp_path: Path, capsys: pytest.CaptureFixture[str], library: Library) -> None:
    """Race, sessions a week, injuries and overrides are optional."""
    required = ("strength_level", "week", "equipment", "session_minutes")
    profile = {k: v for k, v in valid_profile().items() if k in required}
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, profile)), "--start", START.isoformat())
    assert (code, err) == (0, [])
    check_schema(json.loads(out), library, START, weeks=1)


# ---------------------------------------------------------------------------------------------
# a profile that does not validate: exit 2, one stderr line per problem


def _with(**changes: Any) -> dict[str, Any]:
    profile = valid_profile()
    for key, value in changes.items():
        profile[key] = value
    return profile


def _week(**runs: str) -> dict[str, str]:
    return {**valid_profile()["week"], **runs}


def _renamed(week: dict[str, str], old: str, new: str) -> dict[str, str]:
    return {(new if key == old else key): run for key, run in week.items()}


YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()

BROKEN = {
    "unknown key": (_with(favourite_colour="blue"), ["favourite_colour"]),
    "bad weekday key": (_with(week=_week(funday="easy")), ["funday"]),
    "misspelt weekday": (_with(week=_renamed(_week(), "mon", "monday")), ["monday"]),
    "race in the past": (_with(race={"distance": "10k", "date": YESTERDAY}), ["race"]),
    "race date not a date": (_with(race={"distance": "10k", "date": "2027-02-30"}), ["race"]),
    "override date not a date": (_with(overrides={"next tuesday": "easy"}), ["next tuesday"]),
    "equipment that does not exist": (_with(equipment="kettlebell"), ["equipment"]),
    "bad run kind": (_with(week=_week(mon="jog")), ["mon"]),
    "bad distance": (_with(race={"distance": "parkrun", "date": "2099-01-01"}), ["distance"]),
    "missing key": ({k: v for k, v in valid_profile().items() if k != "equipment"}, ["equipment"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_profile_exits_2_with_one_line_naming_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """Each kind of mistake gives exit status 2, nothing on stdout and exactly one stderr line that names it."""
    profile, names = BROKEN[case]
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, profile)), "--start", START.isoformat())
    assert code == 2 and out == ""
    assert len(err) == 1, err
    assert all(name in err[0] for name in names), err


def test_several_problems_at_once_give_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A profile with five mistakes, the past race among them, gets five stderr lines, one naming each."""
    profile = _with(
        favourite_colour="blue",
        equipment="kettlebell",
        week=_week(mon="jog"),
        race={"distance": "10k", "date": YESTERDAY},
        overrides={"someday": "race"},
    )
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, profile)), "--start", START.isoformat())
    assert code == 2 and out == ""
    assert len(err) == 5, err
    for name in ("favourite_colour", "equipment", "jog", YESTERDAY, "someday"):
        assert sum(name in line for line in err) == 1, (name, err)


@pytest.mark.parametrize(
    ("case", "content"),
    [
        ("not JSON", b'{"strength_level": "new",'),
        ("empty file", b""),
        ("a JSON list", b"[1, 2]"),
        ("not UTF-8", b'\xff\xfe{"strength_level": "new"}'),
    ],
)
def test_a_file_that_is_not_a_json_profile_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, content: bytes
) -> None:
    """A profile file that is not a JSON object gives exit status 2 and one line, never a traceback."""
    path = tmp_path / "profile.json"
    path.write_bytes(content)
    code, out, err = run_plan(capsys, "--profile", str(path))
    assert (code, out) == (2, "")
    assert len(err) == 1 and "Traceback" not in err[0], err


@pytest.mark.parametrize("where", ["missing", "directory"])
def test_an_unreadable_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A profile path that does not exist, or is a folder, gives exit status 2 and one line naming it."""
    path = tmp_path / "nope.json" if where == "missing" else tmp_path
    code, out, err = run_plan(capsys, "--profile", str(path))
    assert (code, out) == (2, "")
    assert len(err) == 1 and str(path) in err[0], err


# ---------------------------------------------------------------------------------------------
# equipment is a set; a tune-up override may carry its distance (issue 15)


@pytest.mark.parametrize("equipment", ["dumbbells", ["bands", "dumbbells"], "none", [], ["gym"]])
def test_equipment_is_one_item_or_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str], equipment: Any) -> None:
    """Both forms plan: a single item (older profiles), a list of items, "none" or [] for bodyweight;
    no exercise needs kit outside the set (a gym brings dumbbells)."""
    code, out, err = run_plan(
        capsys, "--profile", str(write(tmp_path, _with(equipment=equipment))), "--start", START.isoformat()
    )
    assert code == 0, err
    owned = {"none"} | ({equipment} if isinstance(equipment, str) else set(equipment))
    if "gym" in owned:
        owned.add("dumbbells")
    for week in json.loads(out)["weeks"]:
        for day in week["days"]:
            for item in day["session"]["exercises"] if day["session"] else ():
                assert item["equipment"] in owned, (equipment, item)


@pytest.mark.parametrize("equipment", ["barbell", ["bands", "kettlebell"], 3, "bands and gym"])
def test_unknown_equipment_gets_one_line_saying_the_allowed_forms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], equipment: Any
) -> None:
    """An unknown item is refused with exit status 2 and one line naming equipment and the forms it takes."""
    code, out, err = run_plan(
        capsys, "--profile", str(write(tmp_path, _with(equipment=equipment))), "--start", START.isoformat()
    )
    assert code == 2 and out == ""
    assert len(err) == 1, err
    assert err[0].startswith("equipment:")
    assert all(item in err[0] for item in ("bands", "dumbbells", "gym", "none", "[]")), err


def test_P9_a_race_override_may_carry_its_distance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An override "race:half" plans like a race day (no lifting on it)."""
    day = (START + dt.timedelta(days=5)).isoformat()
    profile = _with(overrides={day: "race:half"})
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, profile)), "--start", START.isoformat())
    assert code == 0, err
    days = {d["date"]: d for week in json.loads(out)["weeks"] for d in week["days"]}
    assert days[day]["run"] == "race"


@pytest.mark.parametrize("override", ["race:parkrun", "race:", "tempo"])
def test_a_bad_override_says_the_race_distance_forms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], override: str
) -> None:
    """A bad override gets one line naming its date and the allowed race:<distance> forms."""
    day = (START + dt.timedelta(days=5)).isoformat()
    profile = _with(overrides={day: override})
    code, out, err = run_plan(capsys, "--profile", str(write(tmp_path, profile)), "--start", START.isoformat())
    assert code == 2 and out == ""
    assert len(err) == 1, err
    assert f"overrides.{day}" in err[0] and "race:half" in err[0] and "race:ultra" in err[0], err
