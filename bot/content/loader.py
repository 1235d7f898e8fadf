"""Load `content/*.yaml` once, validate it, and build the core's ``Library`` from it.

The YAML is validated against the pydantic models of ``bot.content.schema``; only a library
that passed every check becomes the plain frozen types of ``bot.coach.library``. Every problem
is reported as ``file: entry 'id', field 'name': what is wrong`` so whoever edits the YAML knows
exactly where to look; start-up stops on the first broken library.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.coach import library as core
from bot.coach.intents import IntentParser
from bot.coach.library import Library
from bot.coach.model import (
    Distance,
    ExerciseType,
    NoteKey,
    Pattern,
    Phase,
    ReasonKey,
    Role,
    RunKind,
    SessionKind,
    Weekday,
)
from bot.content import snapshot
from bot.content.intents import IntentCorpus, read_intent_corpus
from bot.resources import CONTENT_DIR

if TYPE_CHECKING:  # imported when the YAML is read: a start with a snapshot of the library never does
    from bot.content.schema import Exercise, Messages, MobilityRoutine, Sessions, Texts

LIBRARY_FILES = ("exercises.yaml", "mobility.yaml", "sessions.yaml", "messages.yaml")

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """The content library is broken; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("content library is invalid:\n" + "\n".join(self.problems))


def _read_yaml(path: Path, problems: list[str]) -> Any:
    import yaml

    from bot.content.yamlfile import load_yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML ({exc})")
    return None


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"])
    return f"field '{where}': {error['msg']}" if where else str(error["msg"])


def _entries(path: Path, raw: Any, model: type[M], problems: list[str]) -> list[M]:
    """Validate a YAML list of entries; each problem names the entry by its id when it has one."""
    if not isinstance(raw, list):
        problems.append(f"{path.name}: expected a list of entries")
        return []
    entries: list[M] = []
    for index, item in enumerate(raw):
        label = f"entry '{item['id']}'" if isinstance(item, dict) and "id" in item else f"entry #{index + 1}"
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            problems.extend(f"{path.name}: {label}, {_describe(err)}" for err in exc.errors())
    return entries


def _single(path: Path, raw: Any, model: type[M], problems: list[str]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(f"{path.name}: {_describe(err)}" for err in exc.errors())
        return None


def _check_roles(ex: Exercise, exercises: Mapping[str, Exercise]) -> Iterator[str]:
    """D1, D4, J1, N3, N5: every lifting exercise has a role, every plyometric its stage, every
    eccentric-heavy one a form to swap to, every rung form and test what the planner needs."""
    where = f"exercises.yaml: entry '{ex.id}'"
    lifting = ex.pattern is not Pattern.MOBILITY and ex.type is not ExerciseType.MOBILITY
    if lifting and ex.role is None:
        roles = ", ".join(role.value for role in Role if role is not Role.MOBILITY)
        yield f"{where}, field 'role': every lifting exercise needs a role (one of {roles})"
    if ex.type is ExerciseType.PLYOMETRIC and not ex.jump_stage:
        yield f"{where}, field 'jump_stage': a plyometric exercise needs its J1 stage (1, 2 or 3)"
    if ex.jump_stage and ex.type is not ExerciseType.PLYOMETRIC:
        yield f"{where}, field 'jump_stage': only plyometric exercises have a jump stage"
    if ex.eccentric:
        form = exercises.get(ex.eccentric_form or "")
        if form is None:
            yield f"{where}, field 'eccentric_form': an eccentric-heavy exercise needs an existing form to swap to"
        elif form.eccentric:
            yield f"{where}, field 'eccentric_form': '{form.id}' is eccentric-heavy too"
    elif ex.eccentric_form is not None:
        yield f"{where}, field 'eccentric_form': only eccentric-heavy exercises have one"
    for index, form_id in enumerate(ex.rung_forms or ()):
        form = exercises.get(form_id)
        if form is None:
            yield f"{where}, field 'rung_forms.{index}': no exercise '{form_id}'"
        elif form.pattern is not ex.pattern:
            yield f"{where}, field 'rung_forms.{index}': '{form_id}' is not a {ex.pattern.value} exercise"
    if bool(ex.strength_test) != bool(ex.test_reps):
        yield f"{where}, field 'test_reps': a strength test needs both its areas and its count"
    if ex.strength_test and not ex.niggle_only:
        yield f"{where}, field 'niggle_only': a strength test is only ever prescribed as one"


def _check_exercises(exercises: Mapping[str, Exercise]) -> Iterator[str]:
    for ex in exercises.values():
        yield from _check_roles(ex, exercises)
        if ex.gentle_form is not None:
            gentle = exercises.get(ex.gentle_form)
            if gentle is None:
                yield f"exercises.yaml: entry '{ex.id}', field 'gentle_form': no exercise '{ex.gentle_form}'"
            elif not gentle.gentle or gentle.pattern != ex.pattern:
                yield (
                    f"exercises.yaml: entry '{ex.id}', field 'gentle_form': '{ex.gentle_form}' is not a gentle "
                    f"{ex.pattern.value} exercise"
                )
        if ex.gentle and ex.type not in (ExerciseType.ISOMETRIC, ExerciseType.BODYWEIGHT, ExerciseType.CORE):
            yield f"exercises.yaml: entry '{ex.id}', field 'gentle': a gentle form is isometric or slow bodyweight work"
        for link in ("regression", "progression"):
            target_id = getattr(ex, link)
            if target_id is None:
                continue
            target = exercises.get(target_id)
            if target is None:
                yield f"exercises.yaml: entry '{ex.id}', field '{link}': no exercise '{target_id}'"
            elif target_id == ex.id:
                yield f"exercises.yaml: entry '{ex.id}', field '{link}': points at itself"
            elif target.pattern != ex.pattern:
                yield (
                    f"exercises.yaml: entry '{ex.id}', field '{link}': '{target_id}' is a "
                    f"{target.pattern.value} exercise, not {ex.pattern.value}"
                )
    # following progressions or regressions must never loop back (the planner walks both chains)
    for link in ("progression", "regression"):
        for ex in exercises.values():
            seen = {ex.id}
            nxt = getattr(ex, link)
            while nxt is not None and nxt in exercises:
                if nxt in seen:
                    yield f"exercises.yaml: entry '{ex.id}', field '{link}': the chain loops back to '{nxt}'"
                    break
                seen.add(nxt)
                nxt = getattr(exercises[nxt], link)


def _check_routines(routines: Sequence[MobilityRoutine], exercises: Mapping[str, Exercise]) -> Iterator[str]:
    for routine in routines:
        for index, item in enumerate(routine.items):
            if item.exercise not in exercises:
                yield (
                    f"mobility.yaml: entry '{routine.id}', field 'items.{index}.exercise': "
                    f"no exercise '{item.exercise}'"
                )


def _check_sessions(sessions: Sessions) -> Iterator[str]:
    for kind in SessionKind:
        if kind not in sessions.titles:
            yield f"sessions.yaml: field 'titles': no title for {kind.value}"


def _check_names(messages: Messages) -> Iterator[str]:
    """Every run kind, phase, distance and weekday has a readable name."""
    wanted = {
        "run_names": RunKind,
        "phase_names": Phase,
        "distance_names": Distance,
        "weekday_names": Weekday,
    }
    for field_name, enum in wanted.items():
        names = getattr(messages, field_name)
        missing = [member.value for member in enum if member.value not in names]
        if missing:
            yield f"messages.yaml: field '{field_name}': no name for {', '.join(missing)}"


def _check_texts(path: Path, group: str, texts: Texts) -> Iterator[str]:
    for problem in texts.check_placeholders():
        yield f"{path.name}: {group}, {problem}"


def load_library(directory: Path = CONTENT_DIR) -> Library:
    """Read and validate the whole library; raise ``ContentError`` listing every problem."""
    from bot.content.schema import Exercise, Messages, MobilityRoutine, Sessions

    problems: list[str] = []
    ex_path, mob_path = directory / "exercises.yaml", directory / "mobility.yaml"
    ses_path, msg_path = directory / "sessions.yaml", directory / "messages.yaml"

    exercise_list = _entries(ex_path, _read_yaml(ex_path, problems), Exercise, problems)
    exercises: dict[str, Exercise] = {}
    for ex in exercise_list:
        if ex.id in exercises:
            problems.append(f"exercises.yaml: entry '{ex.id}', field 'id': used twice")
        exercises[ex.id] = ex
    routines = _entries(mob_path, _read_yaml(mob_path, problems), MobilityRoutine, problems)
    routine_ids = [routine.id for routine in routines]
    problems.extend(
        f"mobility.yaml: entry '{rid}', field 'id': used twice"
        for rid in sorted(set(routine_ids))
        if routine_ids.count(rid) > 1
    )
    sessions = _single(ses_path, _read_yaml(ses_path, problems), Sessions, problems)
    messages = _single(msg_path, _read_yaml(msg_path, problems), Messages, problems)

    problems.extend(_check_exercises(exercises))
    problems.extend(_check_routines(routines, exercises))
    if sessions is not None:
        problems.extend(_check_sessions(sessions))
    if messages is not None:
        problems.extend(_check_names(messages))
        problems.extend(_check_texts(msg_path, "reasons", messages.reasons))
        problems.extend(_check_texts(msg_path, "week_notes", messages.week_notes))
        problems.extend(_check_texts(msg_path, "coaching", messages.coaching))
    if problems or sessions is None or messages is None:
        raise ContentError(problems)

    return _build(exercise_list, routines, sessions, messages)


def _exercise(ex: Exercise) -> core.Exercise:
    return core.Exercise(**{name: getattr(ex, name) for name in type(ex).model_fields})


def _routine(routine: MobilityRoutine) -> core.MobilityRoutine:
    return core.MobilityRoutine(
        id=routine.id,
        title=routine.title,
        minutes=routine.minutes,
        focus=routine.focus,
        items=tuple(core.RoutineItem(exercise=i.exercise, sets=i.sets, reps=i.reps) for i in routine.items),
    )


def _build(
    exercise_list: Sequence[Exercise], routines: Sequence[MobilityRoutine], sessions: Sessions, messages: Messages
) -> Library:
    """The core's library from validated content (every cross-reference already checked)."""
    exercises = {ex.id: _exercise(ex) for ex in exercise_list}
    by_pattern = {pattern: tuple(ex for ex in exercises.values() if ex.pattern == pattern) for pattern in Pattern}
    return Library(
        exercises=exercises,
        routines=tuple(_routine(r) for r in routines),
        sessions=core.Sessions(titles=dict(sessions.titles)),
        messages=core.Messages(
            reasons={ReasonKey(k): getattr(messages.reasons, k) for k in type(messages.reasons).model_fields},
            week_notes={NoteKey(k): getattr(messages.week_notes, k) for k in type(messages.week_notes).model_fields},
            coaching=core.CoachingTexts(**messages.coaching.model_dump()),
            run_names=dict(messages.run_names),
            phase_names=dict(messages.phase_names),
            distance_names=dict(messages.distance_names),
            weekday_names=dict(messages.weekday_names),
        ),
        by_pattern=by_pattern,
    )


@cache
def default_library() -> Library:
    """The library shipped in `content/`, loaded once per process (from its snapshot: bot.content.snapshot)."""
    return snapshot.kept("library", [CONTENT_DIR / name for name in LIBRARY_FILES], lambda: load_library(CONTENT_DIR))


def load_intent_corpus(directory: Path = CONTENT_DIR) -> IntentCorpus:
    """The validated phrasings of `intents.yaml`; raise ``ContentError`` listing every problem."""
    corpus, problems = read_intent_corpus(directory / "intents.yaml")
    if corpus is None:
        raise ContentError(problems)
    return corpus


def shipped_intent_parser() -> IntentParser:
    """``default_intent_parser``'s model, read when the parser first reads a message (the bot answers
    `/start` without it); the file is looked for at once, so a package without it stops the start."""
    from bot.content.intent_model import MODEL_FILE

    if not (CONTENT_DIR / MODEL_FILE).is_file():
        raise ContentError([f"{MODEL_FILE}: file is missing"])
    return IntentParser.on_first_use(lambda: default_intent_parser().model)


@cache
def default_intent_parser() -> IntentParser:
    """The free-text parser from the shipped model (`content/intent_model.bin.gz`, trained from the
    corpus by ``python -m bot.content.intent_model``), built once per process without training."""
    from bot.content.intent_model import MODEL_FILE, load_model

    try:
        return IntentParser.from_model(load_model(CONTENT_DIR / MODEL_FILE))
    except ValueError as error:
        raise ContentError([str(error)]) from error
