"""Measuring the intent parser on phrasings it was not trained on: the corpus cut into held-out
parts (:func:`held_out_parts`), a parser's score on a set of phrasings (:func:`score`), and both
together (:func:`held_out_score`). For the tests and the bench; scikit-learn is imported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.coach.intent_types import IntentExample, Parsed
from bot.coach.intents import IntentParser

HOLD_OUT_SEED = 2026  # pinned, so the held-out figure in the README is reproducible
HOLD_OUT_FOLDS = 5  # each part holds out a fifth of the corpus


def held_out_parts(
    examples: Sequence[IntentExample], parts: int = HOLD_OUT_FOLDS, seed: int = HOLD_OUT_SEED
) -> list[tuple[list[IntentExample], list[IntentExample]]]:
    """The corpus cut into ``parts`` (train, held out) pairs; each phrasing is held out exactly once.

    Stratified (each intent is spread evenly over the parts) and seeded, so every run cuts the same.
    """
    from sklearn.model_selection import StratifiedKFold

    labels = [example.intent.value for example in examples]
    cutter = StratifiedKFold(n_splits=parts, shuffle=True, random_state=seed)
    return [
        ([examples[i] for i in train], [examples[i] for i in held])
        for train, held in cutter.split([[0]] * len(examples), labels)
    ]


@dataclass(frozen=True, slots=True)
class Score:
    """How a parser read a set of phrasings."""

    total: int
    intent_right: int
    exact: int  # intent and every detail right
    misses: tuple[tuple[IntentExample, Parsed], ...]

    @property
    def intent_accuracy(self) -> float:
        return self.intent_right / self.total

    @property
    def exact_accuracy(self) -> float:
        return self.exact / self.total


def score(parser: IntentParser, examples: Sequence[IntentExample], today: dt.date) -> Score:
    """Parse every example and count what came out right."""
    intent_right = exact = 0
    misses: list[tuple[IntentExample, Parsed]] = []
    for example in examples:
        parsed = parser.parse(example.text, today)
        intent_right += parsed.intent is example.intent
        if example.reads(parsed):
            exact += 1
        else:
            misses.append((example, parsed))
    return Score(len(examples), intent_right, exact, tuple(misses))


def held_out_score(
    examples: Sequence[IntentExample], today: dt.date, parts: int = HOLD_OUT_FOLDS, seed: int = HOLD_OUT_SEED
) -> tuple[Score, list[Score]]:
    """How well the parser reads phrasings it was not trained on: all parts together, and each part.

    For each part a parser is trained on the rest of the corpus and scores the part it never saw.
    """
    each = [
        score(IntentParser.from_examples(train), held, today) for train, held in held_out_parts(examples, parts, seed)
    ]
    total = Score(
        sum(part.total for part in each),
        sum(part.intent_right for part in each),
        sum(part.exact for part in each),
        tuple(miss for part in each for miss in part.misses),
    )
    return total, each
