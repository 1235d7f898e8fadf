"""What a runner's free text can mean: the intents, help's topics, the order two things said in one
message are handled in, what a message was read as (:class:`Parsed`) and a corpus phrasing with
what it must be read as (:class:`IntentExample`). The reading itself is :mod:`bot.coach.intents`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.coach.model import BodyArea, RunKind, Weekday
from bot.coach.redflags import Sign

MAX_TEXT = 1000  # longer messages are not read at all: they are `unknown`


class Intent(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEK = "week"
    WHY = "why"
    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"
    SORE_OR_TIRED = "sore_or_tired"
    PAIN = "pain"
    ILL = "ill"
    MOVED_RUN = "moved_run"
    PAUSE = "pause"
    RESUME = "resume"
    HELP = "help"
    GREETING = "greeting"
    UNKNOWN = "unknown"


class Topic(StrEnum):
    """What a "how do I ...?" question is about, so help can answer that and not everything."""

    PAUSE = "pause"
    PAIN = "pain"
    MOVE = "move"
    LOG = "log"
    SETTINGS = "settings"


# the order two things said in one message are handled in: safety first (a red flag, pain,
# illness), then the check-in, then what changes the plan, then the question, then politeness
PRIORITY: tuple[Intent, ...] = (
    Intent.PAIN,
    Intent.ILL,
    Intent.DONE,
    Intent.PARTLY,
    Intent.SKIPPED,
    Intent.SORE_OR_TIRED,
    Intent.MOVED_RUN,
    Intent.PAUSE,
    Intent.RESUME,
    Intent.TODAY,
    Intent.TOMORROW,
    Intent.WEEK,
    Intent.WHY,
    Intent.HELP,
    Intent.GREETING,
    Intent.UNKNOWN,
)
RANK = {intent: rank for rank, intent in enumerate(PRIORITY)}
CHECKINS = frozenset({Intent.DONE, Intent.PARTLY, Intent.SKIPPED})


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a message means: its intent and the details it gave (None when not given).

    ``intent`` is the most important thing the message says (by :data:`PRIORITY`); ``also`` what
    else it says, in the order to handle it ("done, what's tomorrow?" is ``done`` also ``tomorrow``).
    ``flag`` is the red flag it names (:mod:`bot.coach.redflags`): a cardiac kind makes it an urgent
    illness whatever else it says; a bone-stress sign makes it pain (with the check-in, if any, in
    ``also``). ``day`` is the weekday a question is about ("what's on thursday": today's intent
    with ``day`` Thursday) or a run moved to; ``topic`` what a help question asks about.
    """

    text: str
    intent: Intent
    rpe: int | None = None
    area: BodyArea | None = None
    run: RunKind | None = None
    day: Weekday | None = None
    until: dt.date | None = None
    urgent: bool = False  # an illness with a red flag: chest pain, fainting or dizziness, palpitations
    flag: Sign | None = None
    also: tuple[Intent, ...] = ()
    topic: Topic | None = None

    @property
    def intents(self) -> tuple[Intent, ...]:
        """The intent, then the others, in the order to handle them."""
        return (self.intent, *self.also)


@dataclass(frozen=True, slots=True)
class IntentExample:
    """One phrasing of the corpus with what it must be read as."""

    text: str
    intent: Intent
    rpe: int | None = None
    area: BodyArea | None = None
    run: RunKind | None = None
    day: Weekday | None = None
    until: dt.date | None = None
    urgent: bool = False
    also: tuple[Intent, ...] | None = None  # checked only when given
    topic: Topic | None = None

    @property
    def expected(self) -> Parsed:
        return Parsed(
            self.text,
            self.intent,
            self.rpe,
            self.area,
            self.run,
            self.day,
            self.until,
            self.urgent,
            also=self.also or (),
            topic=self.topic,
        )

    def reads(self, parsed: Parsed) -> bool:
        """Whether ``parsed`` is this phrasing's meaning: intent and details (and ``also`` when given)."""
        mine = (self.text, self.intent, self.rpe, self.area, self.run, self.day, self.until, self.urgent, self.topic)
        theirs = (
            parsed.text,
            parsed.intent,
            parsed.rpe,
            parsed.area,
            parsed.run,
            parsed.day,
            parsed.until,
            parsed.urgent,
            parsed.topic,
        )
        return mine == theirs and (self.also is None or self.also == parsed.also)
