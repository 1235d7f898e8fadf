"""How a session reads in the chat (COACHING.md D5, issue 15 item 5): the daily prompt, /today and
/tomorrow show the whole session (the warm-up with its ramp-up sets, each exercise's sets x reps,
each heavy lift's rest and load cue, a jump's contacts) in a layout that fits a phone.

The sessions here are built by hand from `Prescription` and `Session` values, one of every kind
(new/some/regular, bodyweight/dumbbells/gym, jumps, a niggle's gentle form, calf and core paired
into a heavy lift's rests, mobility), so the tests do not depend on the planner's choices.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from bot.coach.library import Library
from bot.coach.model import (
    BodyArea,
    DayPlan,
    Equipment,
    ExerciseType,
    Phase,
    Prescription,
    Reason,
    Role,
    RunKind,
    Session,
    SessionKind,
    WeekNote,
    WeekPlan,
)
from bot.coach.planner import plan_weeks
from bot.coach.profile_io import parse_profile, week_to_json
from bot.content.ui import load_ui
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import LINE_WIDTH, Renderer

PHONE = 40  # characters a phone shows on one line, in the chat's font, give or take
TELEGRAM_LIMIT = 4096  # the most characters one Telegram message may hold

WARMUP = "5 min: 2 min of easy jogging, then 2 min of leg swings, ankle rocks and hip circles."
WARMUP_RAMP = f"{WARMUP} Then two lighter sets of your first heavy lift, at about half and three quarters of its load."
WARMUP_AFTER_RUN = "3 min straight after your run: leg swings, ankle rocks and hip circles."
PAIN_RULE = "Gentle form for your niggle: keep the pain at most 3 out of 10 and gone by next morning."
REASON = Reason(None, text="No run today and no key run tomorrow, so it's a good day to lift.")
KNEE_HIP = (BodyArea.KNEE, BodyArea.HIP)
CALF = (BodyArea.ANKLE, BodyArea.FOOT)


def rx(
    id: str, name: str, sets: int, reps: str, *, rpe: int | None = 7, rest_s: int = 60, **more: object
) -> Prescription:
    """A prescription as the session builder makes one, its cue the exercise's technique line."""
    fields: dict[str, object] = {
        "cue": f"Technique for the {name.lower()}: move with control.",
        "loads": KNEE_HIP,
        "type": ExerciseType.STRENGTH,
        "equipment": Equipment.NONE,
        **more,
    }
    return Prescription(id=id, name=name, sets=sets, reps=reps, rpe=rpe, rest_s=rest_s, **fields)  # type: ignore[arg-type]


def paired(p: Prescription, lift: str) -> Prescription:
    return replace(p, paired_with=lift, cue=f"{p.cue} Do these sets in the rests of the {lift}.")


NEW_BODYWEIGHT = Session(
    SessionKind.STRENGTH,
    "Strength for runners",
    17,
    REASON,
    (
        rx("bw_squat", "Bodyweight squat", 2, "10-12", rpe=6, type=ExerciseType.BODYWEIGHT, role=Role.BILATERAL),
        rx("glute_bridge", "Glute bridge", 2, "10-12", rpe=6, type=ExerciseType.BODYWEIGHT, role=Role.BILATERAL),
        rx("calf_raise", "Calf raise", 2, "10-12", rpe=6, type=ExerciseType.BODYWEIGHT, loads=CALF, role=Role.CALF),
        rx("plank", "Plank", 2, "20-30 s", rpe=6, type=ExerciseType.CORE, loads=(), role=Role.CORE),
    ),
    WARMUP_AFTER_RUN,
)

SOME_DUMBBELLS = Session(
    SessionKind.STRENGTH,
    "Strength for runners",
    33,
    REASON,
    (
        rx(
            "goblet_squat",
            "Goblet squat",
            3,
            "6-8",
            rest_s=120,
            ramp=True,
            load_cue="a weight you could lift 3 more times",
            equipment=Equipment.DUMBBELLS,
            role=Role.BILATERAL,
        ),
        rx(
            "db_bulgarian",
            "Dumbbell Bulgarian split squat",
            3,
            "6-8 each side",
            rest_s=120,
            load_cue="a weight you could lift 3 more times",
            equipment=Equipment.DUMBBELLS,
            role=Role.UNILATERAL,
        ),
        paired(
            rx("db_calf", "Dumbbell single-leg calf raise", 3, "8-12 each side", loads=CALF, role=Role.CALF),
            "Goblet squat",
        ),
        paired(rx("dead_bug", "Dumbbell dead bug", 3, "8-12 each side", loads=(), role=Role.CORE), "Goblet squat"),
    ),
    WARMUP_RAMP,
)

REGULAR_GYM = Session(
    SessionKind.STRENGTH,
    "Strength for runners",
    45,
    REASON,
    (
        rx(
            "pogo",
            "Pogo hops",
            2,
            "10 contacts",
            rpe=None,
            rest_s=90,
            contacts=20,
            type=ExerciseType.PLYOMETRIC,
            loads=CALF,
            role=Role.PLYOMETRIC,
        ),
        rx(
            "back_squat",
            "Back squat",
            3,
            "4-6",
            rpe=8,
            rest_s=150,
            ramp=True,
            load_cue="a weight you could lift 2 more times",
            equipment=Equipment.GYM,
            role=Role.MAIN,
        ),
        rx(
            "trap_bar",
            "Trap-bar deadlift",
            3,
            "4-6",
            rpe=8,
            rest_s=180,
            ramp=True,
            load_cue="a weight you could lift 2 more times",
            equipment=Equipment.GYM,
            role=Role.MAIN,
        ),
        rx(
            "db_sl_rdl",
            "Dumbbell single-leg Romanian deadlift",
            3,
            "6-8 each side",
            rest_s=120,
            load_cue="a weight you could lift 3 more times",
            equipment=Equipment.DUMBBELLS,
            role=Role.UNILATERAL,
        ),
        paired(
            rx("seated_calf", "Seated calf raise", 3, "8-12", loads=CALF, equipment=Equipment.GYM, role=Role.CALF),
            "Back squat",
        ),
        paired(rx("pallof", "Pallof press", 3, "10 each side", loads=(), role=Role.CORE), "Back squat"),
        rx("side_leg", "Side-lying leg raise", 2, "12-15 each side", loads=(BodyArea.HIP,), role=Role.ACCESSORY),
    ),
    WARMUP_RAMP,
)

NIGGLE_GENTLE = Session(
    SessionKind.STRENGTH,
    "Strength for runners",
    25,
    REASON,
    (
        rx(
            "goblet_squat",
            "Goblet squat",
            3,
            "8-10",
            rest_s=120,
            ramp=True,
            load_cue="a weight you could lift 4 more times",
            equipment=Equipment.DUMBBELLS,
            role=Role.BILATERAL,
        ),
        replace(
            rx("calf_hold", "Isometric calf hold", 3, "30-45 s", rpe=5, type=ExerciseType.ISOMETRIC, loads=CALF),
            gentle=True,
            cue=f"Rise halfway up and hold still. {PAIN_RULE}",
            role=Role.ISOMETRIC,
        ),
        rx("side_plank", "Side plank", 2, "20-30 s each side", type=ExerciseType.CORE, loads=(), role=Role.CORE),
    ),
    WARMUP_RAMP,
)

POWER_REGULAR = Session(
    SessionKind.POWER,
    "Power for runners",
    30,
    REASON,
    (
        rx(
            "box_jump",
            "Box jump",
            3,
            "5 contacts",
            rpe=None,
            rest_s=120,
            contacts=15,
            type=ExerciseType.PLYOMETRIC,
            role=Role.PLYOMETRIC,
        ),
        rx(
            "lateral_hop",
            "Lateral hops",
            2,
            "10 contacts each side",
            rpe=None,
            rest_s=90,
            contacts=40,
            type=ExerciseType.PLYOMETRIC,
            loads=CALF,
            role=Role.PLYOMETRIC,
        ),
        rx("kb_swing", "Kettlebell swing", 3, "10", rest_s=90, equipment=Equipment.DUMBBELLS, role=Role.BALLISTIC),
    ),
    WARMUP,
)

MOBILITY = Session(
    SessionKind.MOBILITY,
    "Mobility",
    15,
    REASON,
    (
        rx("hip_flexor", "Half-kneeling hip flexor stretch", 2, "30 s each side", rpe=None, type=ExerciseType.MOBILITY),
        rx("ankle_rock", "Ankle rocks", 2, "10 each side", rpe=None, type=ExerciseType.MOBILITY, loads=CALF),
    ),
)

SESSIONS = {
    "new_bodyweight": NEW_BODYWEIGHT,
    "some_dumbbells_paired": SOME_DUMBBELLS,
    "regular_gym_jumps": REGULAR_GYM,
    "niggle_gentle_form": NIGGLE_GENTLE,
    "power_regular": POWER_REGULAR,
    "mobility": MOBILITY,
}
CASES = pytest.mark.parametrize("name", sorted(SESSIONS))
MONDAY = dt.date(2026, 12, 7)
START = dt.date(2026, 11, 23)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def renderer(library: Library) -> Renderer:
    return Renderer(load_ui(), library)


def prompt(renderer: Renderer, session: Session) -> str:
    """The day as the daily prompt, /today and /tomorrow show it."""
    return renderer.day(DayPlan(MONDAY, RunKind.REST, Phase.BASE, session))


def block(text: str, p: Prescription) -> str:
    """The lines the message gives one exercise: from its bullet to the next bullet or the reason."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"• {p.name}:"))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith(("• ", "Why:"))),
        len(lines),
    )
    return "\n".join(lines[start:end])


def structured(renderer: Renderer, session: Session) -> list[str]:
    """The lines whose breaks the layout makes itself: the day's and session's headers and each
    exercise's name and numbers; not the prose (warm-up, cues, the reason) the phone wraps."""
    text = prompt(renderer, session)
    lines = text.splitlines()[:2]
    for p in session.exercises:
        own = renderer.exercise(p)[:-1]  # its last line is the cue
        assert "\n".join(own) in text
        lines.extend(own)
    return lines


def phone(text: str) -> list[str]:
    """The message as a 40-character-wide phone shows it."""
    return [wrapped for line in text.splitlines() for wrapped in (textwrap.wrap(line, PHONE) or [""])]


@CASES
def test_D5_the_prompt_shows_every_exercise_its_sets_and_reps_and_the_warm_up(renderer: Renderer, name: str) -> None:
    """Every exercise's name and sets x reps (at its effort, if it has one) and the warm-up are in the message."""
    session = SESSIONS[name]
    text = prompt(renderer, session)
    if session.warmup:
        assert f"Warm-up: {session.warmup}" in text
    assert "Warm-up" in text or session.kind is SessionKind.MOBILITY
    for p in session.exercises:
        here = block(text, p)
        assert f"{p.sets} × {p.reps}" in here, here
        if p.rpe is not None:
            assert f"{p.sets} × {p.reps} at effort {p.rpe}/10" in here
        assert p.cue in here, "the technique cue of every exercise stays"


@CASES
def test_D5_each_heavy_lift_shows_its_rest_ramp_sets_and_load_cue(renderer: Renderer, name: str) -> None:
    """A heavy lift (ramp-up sets, the main role or a 2-minute rest) shows its rest; one with
    ramp-up sets says so under its name, and a load cue is shown wherever one is given."""
    session = SESSIONS[name]
    text = prompt(renderer, session)
    for p in session.exercises:
        here = block(text, p)
        is_heavy = p.ramp or p.role is Role.MAIN or p.rest_s >= 120
        assert ("rest " in here) is (is_heavy and not p.paired_with), here
        assert ("2 lighter sets first" in here) is p.ramp, here
        if p.load_cue:
            assert f"Load: {p.load_cue}." in here
        else:
            assert "Load:" not in here
        if p.contacts:
            assert f"{p.contacts} contacts in all" in here


def test_D5_rests_read_as_a_runner_times_them(renderer: Renderer) -> None:
    """2 to 3 minutes reads "rest 2-3 min", whole minutes "rest 2 min" / "rest 3 min", shorter ones in seconds."""
    text = prompt(renderer, REGULAR_GYM)
    assert "rest 2-3 min" in block(text, REGULAR_GYM.exercises[1])  # 150 s
    assert "rest 3 min" in block(text, REGULAR_GYM.exercises[2])  # 180 s
    assert "rest 2 min" in block(text, REGULAR_GYM.exercises[3])  # 120 s
    ramped = replace(REGULAR_GYM.exercises[1], rest_s=90)
    assert "rest 90 s" in "\n".join(renderer.exercise(ramped))


def test_D5_paired_calf_and_core_say_where_they_are_done(renderer: Renderer) -> None:
    """Calf and core sets done in a heavy lift's rests keep that note, and show no rest of their own."""
    text = prompt(renderer, SOME_DUMBBELLS)
    for p in SOME_DUMBBELLS.exercises[2:]:
        here = block(text, p)
        assert "Do these sets in the rests of the Goblet squat." in here
        assert "rest " not in here.replace("rests", "")


def test_D5_a_niggles_gentle_form_keeps_its_pain_rule(renderer: Renderer) -> None:
    """The gentle form's pain rule stays with the exercise it belongs to."""
    text = prompt(renderer, NIGGLE_GENTLE)
    assert PAIN_RULE in block(text, NIGGLE_GENTLE.exercises[1])
    assert PAIN_RULE not in block(text, NIGGLE_GENTLE.exercises[0])


def test_D5_a_load_cue_already_in_the_cue_is_not_said_twice(renderer: Renderer) -> None:
    """A load cue the exercise's cue already carries is not repeated on a line of its own."""
    p = replace(
        SOME_DUMBBELLS.exercises[0],
        cue="Hold the weight at your chest. Pick a weight you could lift 3 more times with good form.",
    )
    shown = "\n".join(renderer.exercise(p))
    assert shown.lower().count("a weight you could lift 3 more times") == 1


def test_D5_a_load_cue_given_as_a_sentence_reads_as_one(renderer: Renderer) -> None:
    """A load cue written as a whole sentence is shown as it is, not behind "Load:"."""
    p = replace(SOME_DUMBBELLS.exercises[0], load_cue="Pick a weight you could lift 3 more times")
    shown = "\n".join(renderer.exercise(p))
    assert "Pick a weight you could lift 3 more times." in shown and "Load:" not in shown


def test_D5_a_heavy_set_paired_into_anothers_rests_shows_no_rest_of_its_own(renderer: Renderer) -> None:
    """A heavy calf set done in the squat's rests says where it is done, not a rest of its own."""
    calf = paired(rx("calf_machine", "Standing calf raise machine", 3, "5", rest_s=150), "Back squat")
    shown = "\n".join(renderer.exercise(calf))
    assert "in the rests of the Back squat" in shown and "rest 2-3 min" not in shown


@CASES
def test_D5_the_session_fits_a_phone_and_loses_nothing_when_wrapped(renderer: Renderer, name: str) -> None:
    """The lines the layout breaks itself stay within 40 characters; wrapped at 40 columns the
    message keeps every word, stays far below Telegram's limit and within a phone screen or two."""
    session = SESSIONS[name]
    text = prompt(renderer, session)
    assert LINE_WIDTH <= PHONE
    too_long = [line for line in structured(renderer, session) if len(line) > PHONE]
    assert not too_long, too_long
    wrapped = phone(text)
    assert " ".join(wrapped).split() == text.split(), "wrapping at a phone's width drops nothing"
    assert len(text) < TELEGRAM_LIMIT // 2
    assert len(wrapped) <= 12 + 6 * len(session.exercises), "\n".join(wrapped)


def test_D5_the_daily_prompt_shows_the_whole_session(renderer: Renderer) -> None:
    """The daily prompt (which the check-in card redraws) shows every exercise with its rest and ramp sets."""
    day = DayPlan(MONDAY, RunKind.REST, Phase.BASE, REGULAR_GYM)
    out = LoopRenderer(renderer).prompt(day)
    assert out.text == renderer.day(day)
    for p in REGULAR_GYM.exercises:
        assert f"• {p.name}:" in out.text
    assert out.text.count("2 lighter sets first") == 2
    assert "rest 2-3 min" in out.text and "20 contacts in all" in out.text


def test_D5_a_rest_day_reads_as_before(renderer: Renderer) -> None:
    """A day without a session is one line and its reason: no warm-up, no exercises."""
    text = renderer.session(Session(SessionKind.REST, "Rest", 0, REASON))
    assert text.splitlines() == ["Nothing to do today.", f"Why: {REASON.text}"]


def test_D5_coach_plan_json_carries_what_the_chat_shows(library: Library) -> None:
    """Each exercise of `coach plan` carries its rest, ramp sets, load cue, contacts and role;
    the session its warm-up (PRODUCT.md's schema stays a subset of what is printed)."""
    days = tuple(
        DayPlan(MONDAY + dt.timedelta(days=n), RunKind.REST, Phase.BASE, session)
        for n, session in enumerate((REGULAR_GYM, NEW_BODYWEIGHT))
    )
    week = WeekPlan(MONDAY, Phase.BASE, WeekNote(text="A steady week."), days)
    out = week_to_json(week, library.messages)
    gym = out["days"][0]["session"]
    assert gym["warmup"] == WARMUP_RAMP
    squat = gym["exercises"][1]
    assert squat["id"] == "back_squat"
    assert {k: squat[k] for k in ("rest_s", "ramp", "load_cue", "contacts", "role")} == {
        "rest_s": 150,
        "ramp": True,
        "load_cue": "a weight you could lift 2 more times",
        "contacts": 0,
        "role": "main",
    }
    pogo = gym["exercises"][0]
    assert (pogo["contacts"], pogo["role"], pogo["ramp"], pogo["load_cue"]) == (20, "plyometric", False, "")
    schema = {"id", "name", "sets", "reps", "rpe", "rest_s", "cue", "type", "equipment", "loads"}
    assert all(schema <= set(item) for day in out["days"] for item in day["session"]["exercises"])
    unset = replace(NEW_BODYWEIGHT.exercises[0], role=None)
    bare_day = replace(days[1], session=replace(NEW_BODYWEIGHT, exercises=(unset,)))
    bare = WeekPlan(MONDAY, Phase.BASE, WeekNote(text="A steady week."), (bare_day,))
    assert week_to_json(bare, library.messages)["days"][0]["session"]["exercises"][0]["role"] is None


def test_D5_long_reps_still_fit_a_phone(renderer: Renderer) -> None:
    """Reps with a tempo and a side ("10-12 each side, 3 s down") split from the effort rather than overrun."""
    p = rx("split_squat", "Split squat", 3, "10-12 each side, 3 s down", type=ExerciseType.BODYWEIGHT)
    own = renderer.exercise(p)[:-1]
    assert all(len(line) <= PHONE for line in own), own
    assert "3 × 10-12 each side, 3 s down" in "\n".join(own) and "at effort 7/10" in "\n".join(own)


@pytest.mark.parametrize("example", ["beginner", "club-half", "achilles-marathon", "marathon-race-week"])
def test_D5_every_planned_session_of_the_examples_fits_a_phone(
    renderer: Renderer, library: Library, example: str
) -> None:
    """Every session the planner makes for the example runners, in every kit, keeps its name and
    number lines within 40 characters and its message far below Telegram's limit."""
    data = json.loads((EXAMPLES / f"{example}.json").read_text())
    for kit in (["none"], ["dumbbells"], ["gym"]):
        profile = parse_profile({**data, "equipment": kit}, today=START)
        for week in plan_weeks(profile, START, 8, library):
            for day in week.days:
                if not day.session.exercises:
                    continue
                too_long = [line for line in structured(renderer, day.session) if len(line) > PHONE]
                assert not too_long, (example, kit, day.date, too_long)
                assert len(renderer.day(day)) < TELEGRAM_LIMIT // 2
