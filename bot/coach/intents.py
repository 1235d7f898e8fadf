"""What a runner's free text means: an intent ("done", "pain", "moved_run", ...) and its details.

The intent comes from a small learned model (:mod:`bot.coach.intent_scorer`), fitted from the
phrasings in `content/intents.yaml` (TF-IDF over character n-grams and words, then a linear SVM)
and shipped as weights, so typos, missing apostrophes, emoji and phrasings no keyword list names
are still read; rules the model must not overrule sit on top (:mod:`bot.coach.intent_rules`). The
details are small rules too: an effort number for a check-in, the body area for pain, the run and
weekday for a moved run, the end date of a pause (:mod:`bot.coach.details`,
:mod:`bot.coach.day_readers`), whether an illness is the urgent kind (chest pain, fainting or
dizziness, palpitations: a doctor before any training). The types it reads into are in
:mod:`bot.coach.intent_types` and re-exported here.

Pure: no I/O, no clock; ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cached_property

from bot.coach import lazy_re, redflags, text_form
from bot.coach.day_readers import moved_to, pause_until, read_day
from bot.coach.details import read_area, read_rpe, read_run
from bot.coach.intent_rules import CLAUSE_MARGIN, clause_intents, read_topic, settle, split_clauses
from bot.coach.intent_scorer import (
    ANALYZERS,
    CHAR_GRAMS,
    WORD_GRAMS,
    IntentModel,
    Scorer,
    char_grams,
    has_content,
    normalise,
    normalise_lowered,
    train,
    word_grams,
)
from bot.coach.intent_types import CHECKINS, MAX_TEXT, PRIORITY, Intent, IntentExample, Parsed, Topic
from bot.coach.model import WEEKDAYS, Weekday

__all__ = [
    "ANALYZERS",
    "CHAR_GRAMS",
    "CHECKINS",
    "CLAUSE_MARGIN",
    "MAX_TEXT",
    "PRIORITY",
    "WORD_GRAMS",
    "Intent",
    "IntentExample",
    "IntentModel",
    "IntentParser",
    "Parsed",
    "Topic",
    "char_grams",
    "normalise",
    "read_topic",
    "split_clauses",
    "train",
    "word_grams",
]

_APOSTROPHE_S = lazy_re.compile(r"['’]s\b")


class IntentParser:
    """Reads free text into a :class:`Parsed`: from the shipped model (:meth:`from_model`, no
    training; :meth:`on_first_use`, read when the first message is), or trained on phrasings
    (:meth:`from_examples`, for tests and the bench)."""

    def __init__(self, model: IntentModel) -> None:
        self._load: Callable[[], IntentModel] = lambda: model

    @classmethod
    def from_model(cls, model: IntentModel) -> IntentParser:
        return cls(model)

    @classmethod
    def on_first_use(cls, load: Callable[[], IntentModel]) -> IntentParser:
        """A parser whose model ``load`` gives when it first reads a message, not before: the bot answers
        `/start` without reading the model's weights (about 2 % of its start)."""
        parser = cls.__new__(cls)
        parser._load = load
        return parser

    @cached_property
    def model(self) -> IntentModel:
        return self._load()

    @cached_property
    def _scorer(self) -> Scorer:
        return Scorer(self.model)

    @classmethod
    def from_examples(cls, examples: Sequence[IntentExample]) -> IntentParser:
        """Train the intent model on these phrasings (about a tenth of a second, after the import)."""
        return cls(IntentModel.from_pipeline(train(examples)))

    def intent_of(self, text: str) -> Intent:
        """The intent alone, without reading any detail."""
        if len(text) > MAX_TEXT or not has_content(text):
            return Intent.UNKNOWN
        features = normalise(text)
        if not features:
            return Intent.UNKNOWN
        return self._scorer.predict(features)

    def parse(self, text: str, today: dt.date, *, day_first: bool | None = None) -> Parsed:
        """What ``text`` means, with relative dates read from ``today``.

        ``day_first`` is the runner's way of writing dates (:func:`bot.coach.dates.day_first_for`):
        it reads a pause's "till 12/5" as 12 May or 5 December; None leaves an ambiguous date unread.
        """
        if len(text) > MAX_TEXT or not has_content(text):
            return Parsed(text, Intent.UNKNOWN)
        lowered = text_form.lowered(text)
        flag = redflags.find_lowered(lowered)  # redflags.find(text), ``lowered`` its first steps
        if flag is not None and flag.urgent:
            # a red flag is never left to the model: whatever else the message says ("heart skipping
            # beats" is not a skipped session, "chest pain" not a niggle), a doctor comes first
            return Parsed(text, Intent.ILL, urgent=True, flag=flag.sign)
        clauses = split_clauses(lowered)
        intents = self._intents(text, lowered, clauses, flag)
        if not intents:
            return Parsed(text, Intent.UNKNOWN)
        intent, also = intents[0], intents[1:]
        if intent is Intent.HELP:
            return Parsed(text, intent, topic=read_topic(lowered))
        said = set(intents)
        rpe = None
        if said & {Intent.DONE, Intent.PARTLY}:
            rpe = read_rpe(lowered)
            if rpe is None:  # "did it all, 7, but now my knee's throbbing": the effort in a clause of its own
                rpe = next((found for clause in clauses if (found := read_rpe(clause)) is not None), None)
        area = None
        if said & {Intent.PAIN, Intent.SORE_OR_TIRED}:  # "my back's been hurting": the area before its 's
            area = read_area(lowered) or read_area(_APOSTROPHE_S.sub(" ", text.lower()))
        flagged = None if flag is None else flag.sign
        if intent is Intent.MOVED_RUN:
            day = moved_to(lowered, today)
            return Parsed(text, intent, rpe=rpe, area=area, run=read_run(lowered), day=day, also=also, flag=flagged)
        if intent is Intent.PAUSE:
            return Parsed(text, intent, until=pause_until(lowered, today, day_first=day_first), also=also)
        day = read_day(lowered, today) if said & {Intent.TODAY, Intent.TOMORROW, Intent.WHY} else None
        if day is not None and Intent.WHY in said:
            day = None if day is Weekday.of(today) else day  # "why no lifting today?" is about today
        elif day is not None:
            ahead = (WEEKDAYS.index(day) - today.weekday()) % 7
            asked = Intent.TOMORROW if ahead == 1 else Intent.TODAY
            intents = tuple(asked if i in (Intent.TODAY, Intent.TOMORROW) else i for i in intents)
            intents = tuple(dict.fromkeys(intents))
            intent, also = intents[0], intents[1:]
            day = day if ahead > 1 else None
        return Parsed(text, intent, rpe=rpe, area=area, day=day, also=also, flag=flagged)

    def _intents(
        self, text: str, lowered: str, clauses: Sequence[str], flag: redflags.RedFlag | None
    ) -> tuple[Intent, ...]:
        """Everything the message says, most important first: the whole message's intent, each
        clause's when the model is sure of it, and the rules the model must not overrule."""
        features = normalise_lowered(lowered)  # normalise(text): ``lowered`` is its first steps, done
        whole = self._scorer.predict(features) if features else Intent.UNKNOWN  # intent_of(text), text checked
        found: list[Intent] = [whole] if whole is not Intent.UNKNOWN else []
        found += clause_intents(clauses, lambda clause: self._scorer.confident(normalise(clause), CLAUSE_MARGIN))
        return settle(found, whole, lowered, flag)
