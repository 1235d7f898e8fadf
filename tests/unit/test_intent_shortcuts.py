"""The intent parser's shortcuts read exactly as the long way does (issue 22's speed work).

The scorer keeps each word's character n-gram columns, the parser normalises the whole message
once, and the first body area of a clause is found with one search: each must give the very same
answer as what it replaced, on every phrasing of the corpus and the held-out sets.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach import intent_scorer
from bot.coach.details import AREAS
from bot.coach.intent_rules import _first_area_at, split_clauses
from bot.coach.intent_scorer import APOSTROPHES, IntentModel, Scorer, char_grams, normalise, normalise_lowered
from bot.content.heldout import heldout_files, load_heldout
from bot.content.loader import default_intent_parser, load_intent_corpus

TEXTS = [example.text for example in load_intent_corpus().examples] + [
    phrasing.text for path in heldout_files() for phrasing in load_heldout(path).phrasings
]
FEATURES = [normalise(text) for text in TEXTS] + ["", "ok ok ok ok", "x" * 300, "a b a b a"]


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return default_intent_parser().model


def _columns_cut_whole(scorer: Scorer, features: str) -> Counter[int]:
    """The chars block's columns as cut from the whole text (what the scorer did before keeping words)."""
    block = next(block for block in scorer._blocks if block.by_word)
    return Counter(column for column in map(block.columns.get, char_grams(features)) if column is not None)


def test_a_words_kept_columns_are_the_ones_cut_from_the_whole_text(model: IntentModel) -> None:
    scorer = Scorer(model)
    block = next(block for block in scorer._blocks if block.by_word)
    for features in FEATURES:
        kept = Counter(scorer._columns_by_word(block, features))
        assert list(kept.items()) == list(_columns_cut_whole(scorer, features).items()), features


def test_scores_are_the_same_floats_with_words_kept_or_not(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold scorer, a warm one, and one that keeps two words (so it forgets them all the time) agree bit for bit."""
    cold = [Scorer(model).scores(features) for features in FEATURES]
    warm_scorer = Scorer(model)
    for features in FEATURES:
        warm_scorer.scores(features)
    warm = [warm_scorer.scores(features) for features in FEATURES]
    monkeypatch.setattr(intent_scorer, "WORDS_KEPT", 2)
    forgetful = Scorer(model)
    small = [forgetful.scores(features) for features in FEATURES]
    assert len(forgetful._word_columns) <= 2
    as_bits = [[score.hex() for score in scores] for scores in cold]
    assert [[score.hex() for score in scores] for scores in warm] == as_bits
    assert [[score.hex() for score in scores] for scores in small] == as_bits


@given(st.text(max_size=60))
def test_normalising_the_lowered_text_is_normalising_the_text(text: str) -> None:
    lowered = APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).lower())
    assert normalise_lowered(lowered) == normalise(text)


def test_the_first_area_of_a_clause_is_the_earliest_of_each_areas_first() -> None:
    clauses = [clause for text in TEXTS for clause in split_clauses(text.lower())]
    clauses += ["back to running, knee fine", "my back", "back", "calf and shin", ""]
    for clause in clauses:
        starts = [m.start() for _, pattern in AREAS if (m := pattern.search(clause)) is not None]
        assert _first_area_at(clause) == min(starts, default=-1), clause
