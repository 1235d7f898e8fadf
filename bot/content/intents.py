"""The intent corpus (`content/intents.yaml`): how runners phrase things, validated into examples.

Each problem names the file, the entry (number and text) and the field, like the rest of the
content library, so whoever adds a phrasing knows exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.coach.intents import MAX_TEXT, Intent, IntentExample, Topic
from bot.coach.model import BodyArea, RunKind, Weekday

# which details each intent may carry; any other detail on an entry is a mistake in the corpus
DETAILS: dict[Intent, frozenset[str]] = {
    Intent.DONE: frozenset({"rpe"}),
    Intent.PARTLY: frozenset({"rpe"}),
    Intent.PAIN: frozenset({"area"}),
    Intent.SORE_OR_TIRED: frozenset({"area"}),
    Intent.ILL: frozenset({"urgent"}),
    Intent.MOVED_RUN: frozenset({"run", "day"}),
    Intent.PAUSE: frozenset({"until"}),
    Intent.TODAY: frozenset({"day"}),  # "what's on saturday": that day's session
    Intent.WHY: frozenset({"day"}),  # "why no lifting thursday?"
    Intent.HELP: frozenset({"topic"}),  # "how do i pause?": help about pausing
}
# details that go with what else a message says ("did it, 7, but my knee hurts": pain, also done at 7)
SECONDARY: dict[Intent, frozenset[str]] = {Intent.DONE: frozenset({"rpe"}), Intent.PARTLY: frozenset({"rpe"})}


class Phrasing(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    intent: Intent
    rpe: Annotated[int, Field(ge=1, le=10)] | None = None
    area: BodyArea | None = None
    run: RunKind | None = None
    day: Weekday | None = None
    until: dt.date | None = None
    urgent: bool = False  # given only as `urgent: true`, on an illness with a red flag
    also: tuple[Intent, ...] | None = None  # what else the message says, in the order it is handled
    topic: Topic | None = None

    @model_validator(mode="after")
    def _details_fit_the_intent(self) -> Self:
        allowed = set(DETAILS.get(self.intent, frozenset()))
        for other in self.also or ():
            allowed |= DETAILS.get(other, frozenset()) & {"area", "day"} | SECONDARY.get(other, frozenset())
        for name in ("rpe", "area", "run", "day", "until", "urgent", "topic"):
            if getattr(self, name) not in (None, False) and name not in allowed:
                raise ValueError(f"'{name}' is not a detail of '{self.intent.value}'")
        return self

    def example(self) -> IntentExample:
        return IntentExample(
            self.text,
            self.intent,
            self.rpe,
            self.area,
            self.run,
            self.day,
            self.until,
            self.urgent,
            also=self.also,
            topic=self.topic,
        )


@dataclass(frozen=True, slots=True)
class IntentCorpus:
    """The phrasings, and the day their relative dates ("sunday", "for 2 weeks") are read from."""

    today: dt.date
    examples: tuple[IntentExample, ...]


def _where(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    return f"field '{where}': {error['msg']}" if where else str(error["msg"])


def parse_intent_corpus(raw: Any, name: str = "intents.yaml") -> tuple[IntentCorpus | None, list[str]]:
    """Validate the YAML of the corpus; the corpus (None if broken) and one line per problem."""
    problems: list[str] = []
    if not isinstance(raw, dict) or set(raw) != {"today", "phrasings"}:
        return None, [f"{name}: expected the keys 'today' and 'phrasings'"]
    today = raw["today"]
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        problems.append(f"{name}: field 'today': not a date (use YYYY-MM-DD)")
    entries = raw["phrasings"]
    if not isinstance(entries, list) or not entries:
        return None, [*problems, f"{name}: field 'phrasings': expected a list of phrasings"]
    examples: list[IntentExample] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(entries, start=1):
        text = item.get("text") if isinstance(item, dict) else None
        label = f"entry #{index} ({text!r})" if isinstance(text, str) else f"entry #{index}"
        try:
            phrasing = Phrasing.model_validate(item)
        except ValidationError as exc:
            problems.extend(f"{name}: {label}, {_where(err)}" for err in exc.errors())
            continue
        key = " ".join(phrasing.text.casefold().replace("'", "").replace("’", "").split())
        if key in seen:
            problems.append(f"{name}: {label}, field 'text': reads the same as entry #{seen[key]}")
        seen.setdefault(key, index)
        examples.append(phrasing.example())
    if problems:
        return None, problems
    assert isinstance(today, dt.date)
    return IntentCorpus(today=today, examples=tuple(examples)), []


def read_intent_corpus(path: Path) -> tuple[IntentCorpus | None, list[str]]:
    """Read and validate `intents.yaml` at ``path``."""
    import yaml

    from bot.content.yamlfile import load_yaml

    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{path.name}: file is missing"]
    except yaml.YAMLError as exc:
        return None, [f"{path.name}: not valid YAML ({exc})"]
    return parse_intent_corpus(raw, path.name)
