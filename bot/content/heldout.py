"""The held-out phrasings (`tests/data/intents_heldout*.yaml`) and how the parser reads them.

They were written apart from the training corpus and from the parser, by hands that saw neither,
the way runners type in a chat: typos, slang, emoji, dictation run-ons, numbers in words,
negations, two things in one message. Nothing trains on them; they only measure. Each phrasing
has its intent and the details a reader should find (effort, area, run, day, end date, urgent),
and may name a second thing the message also says (``also``).

Scored as the issue asks: intents right, details right (effort, area, day, end date: each labelled
detail counts once), urgent signs found (recall) and false alarms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from bot.coach.intents import MAX_TEXT, Intent, IntentParser, Parsed
from bot.coach.model import BodyArea, RunKind, Weekday

HELDOUT_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
HELDOUT_FILE = HELDOUT_DIR / "intents_heldout.yaml"


def heldout_files() -> list[Path]:
    """Every held-out part: `intents_heldout.yaml`, `intents_heldout_2.yaml`, ..."""
    return sorted(HELDOUT_DIR.glob("intents_heldout*.yaml"))


DETAILS = ("rpe", "area", "day", "until")  # the details the issue scores; `run` is reported beside them


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class HeldOutPhrasing(BaseModel):
    """One held-out message and what it must be read as."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    intent: Intent
    also: Annotated[tuple[Intent, ...], BeforeValidator(_as_tuple)] = ()
    rpe: Annotated[int, Field(ge=1, le=10)] | None = None
    area: BodyArea | None = None
    run: RunKind | None = None
    day: Weekday | None = None
    until: dt.date | None = None
    urgent: bool = False


class HeldOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    today: dt.date
    phrasings: tuple[HeldOutPhrasing, ...]


def load_heldout(path: Path = HELDOUT_FILE) -> HeldOut:
    from bot.content.yamlfile import load_yaml

    return HeldOut.model_validate(load_yaml(path.read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class Miss:
    phrasing: HeldOutPhrasing
    parsed: Parsed
    wrong: tuple[str, ...]  # "intent", or the details read wrong


@dataclass(frozen=True, slots=True)
class HeldOutScore:
    total: int
    intents_right: int
    details: int  # labelled details (effort, area, day, end date)
    details_right: int
    runs: int
    runs_right: int
    urgent: int  # phrasings labelled urgent
    urgent_found: int
    false_alarms: int  # read as urgent, labelled not
    also: int  # phrasings that say a second thing
    also_read: int  # ... whose second thing the parser also found
    misses: tuple[Miss, ...]

    @property
    def intent_accuracy(self) -> float:
        return self.intents_right / self.total

    @property
    def detail_accuracy(self) -> float:
        return self.details_right / self.details if self.details else 1.0

    @property
    def urgent_recall(self) -> float:
        return self.urgent_found / self.urgent if self.urgent else 1.0


def _also_read(parsed: Parsed) -> tuple[Intent, ...]:
    """The second things the parser found, when its reading carries them."""
    found = getattr(parsed, "also", ())
    return tuple(found)


def score_heldout(parser: IntentParser, heldout: HeldOut) -> HeldOutScore:
    """Read every held-out phrasing and count what came out right."""
    intents = details = details_right = runs = runs_right = urgent = found = alarms = also = also_read = 0
    misses: list[Miss] = []
    for phrasing in heldout.phrasings:
        parsed = parser.parse(phrasing.text, heldout.today)
        wrong: list[str] = []
        if parsed.intent is phrasing.intent:
            intents += 1
        else:
            wrong.append("intent")
        for name in DETAILS:
            expected = getattr(phrasing, name)
            if expected is None:
                continue
            details += 1
            if getattr(parsed, name) == expected:
                details_right += 1
            else:
                wrong.append(name)
        if phrasing.run is not None:
            runs += 1
            if parsed.run is phrasing.run:
                runs_right += 1
            else:
                wrong.append("run")
        if phrasing.urgent:
            urgent += 1
            found += parsed.urgent
            if not parsed.urgent:
                wrong.append("urgent")
        elif parsed.urgent:
            alarms += 1
            wrong.append("false alarm")
        if phrasing.also:
            also += 1
            if set(phrasing.also) <= set(_also_read(parsed)) | {parsed.intent}:
                also_read += 1
        if wrong:
            misses.append(Miss(phrasing, parsed, tuple(wrong)))
    return HeldOutScore(
        total=len(heldout.phrasings),
        intents_right=intents,
        details=details,
        details_right=details_right,
        runs=runs,
        runs_right=runs_right,
        urgent=urgent,
        urgent_found=found,
        false_alarms=alarms,
        also=also,
        also_read=also_read,
        misses=tuple(misses),
    )


def describe(score: HeldOutScore, misses: Sequence[Miss] | None = None) -> list[str]:
    """The figures, then one line per miss."""
    lines = [
        f"held out ({score.total} phrasings written apart): intent {score.intents_right}/{score.total} "
        f"= {score.intent_accuracy:.1%}; details {score.details_right}/{score.details} = {score.detail_accuracy:.1%} "
        f"(runs {score.runs_right}/{score.runs}); urgent {score.urgent_found}/{score.urgent} = "
        f"{score.urgent_recall:.1%}, false alarms {score.false_alarms}; "
        f"second things read {score.also_read}/{score.also}"
    ]
    for miss in score.misses if misses is None else misses:
        read = {k: getattr(miss.parsed, k) for k in ("rpe", "area", "run", "day", "until", "urgent")}
        shown = {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in read.items() if v}
        lines.append(
            f"  {miss.phrasing.text!r}: {miss.phrasing.intent.value} read as {miss.parsed.intent.value} "
            f"{shown or ''} [{', '.join(miss.wrong)}]"
        )
    return lines
