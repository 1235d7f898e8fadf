"""The parse's fast paths give the answers of the long way (issue 22's fourth stop).

The scorer's estimate (its answer taken only when no score within its error bound could change
it), the one search for a table's patterns, the one search for any red flag before each sign's,
the words a rule cannot match without, and the weekdays' word filter: each must give the very
same answer as what it stands for, on every phrasing of the corpus and the held-out sets, their
clauses, and random text.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach import details, intent_scorer, lazy_re, redflags
from bot.coach.details import AREAS
from bot.coach.intent_rules import _NOT_PAUSE, _RESUME, _TOPICS, AWAY_NEXT_WEEK, CLAUSE_MARGIN, split_clauses
from bot.coach.intent_scorer import APOSTROPHES, IntentModel, Scorer, normalise
from bot.content.heldout import heldout_files, load_heldout
from bot.content.loader import default_intent_parser, load_intent_corpus

TEXTS = [example.text for example in load_intent_corpus().examples] + [
    phrasing.text for path in heldout_files() for phrasing in load_heldout(path).phrasings
]
LOWERED = [APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).lower()) for text in TEXTS]
CLAUSES = [clause for lowered in LOWERED for clause in split_clauses(lowered)]
FEATURES = sorted({normalise(text) for text in TEXTS + CLAUSES} | {"", "ok ok ok ok", "x" * 300, "a b a b a"})
MARGINS = (CLAUSE_MARGIN, 0.0, -0.5, -1.0, 1.0)


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return default_intent_parser().model


def _exact(scorer: Scorer, features: str, margin: float | None = None) -> object:
    scores = scorer.scores(features)
    best = max(range(len(scores)), key=scores.__getitem__)
    if margin is None:
        return scorer._classes[best]
    return scorer._classes[best] if scores[best] >= margin else None


def test_the_estimate_is_within_a_small_part_of_its_error_bound(model: IntentModel) -> None:
    scorer = Scorer(model)
    for features in FEATURES:
        estimate, error = scorer._estimate(features)
        exact = scorer.scores(features)
        assert max(abs(a - b) for a, b in zip(estimate, exact, strict=True)) <= error / 1000, features


def test_predict_and_confident_give_the_exact_scores_answers(model: IntentModel) -> None:
    scorer = Scorer(model)
    for features in FEATURES:
        assert scorer.predict(features) is _exact(scorer, features), features
        for margin in MARGINS:
            assert scorer.confident(features, margin) is _exact(scorer, features, margin), (features, margin)


def test_too_close_to_tell_reads_the_exact_scores(model: IntentModel, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an error bound too wide for any estimate to tell, every answer comes from the exact scores."""
    monkeypatch.setattr(intent_scorer, "_ROUNDING", 1e6)
    scorer = Scorer(model)
    for features in FEATURES[::7]:
        assert scorer.predict(features) is _exact(scorer, features), features
        assert scorer.confident(features, CLAUSE_MARGIN) is _exact(scorer, features, CLAUSE_MARGIN), features


def test_a_word_forgotten_and_read_again_estimates_the_same(
    model: IntentModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = Scorer(model)
    expected = [warm._estimate(features) for features in FEATURES[::5]]
    monkeypatch.setattr(intent_scorer, "WORDS_KEPT", 2)
    forgetful = Scorer(model)
    assert [forgetful._estimate(features) for features in FEATURES[::5]] == expected
    assert len(forgetful._word_columns) <= 2


def _first_of_each(table: details.Table, lowered: str) -> object:
    """The member whose pattern's own first match starts first (the first in the table on a tie)."""
    best: tuple[int, object] | None = None
    for member, pattern in table:
        match = pattern.search(lowered)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), member)
    return best


def words(*vocabulary: str) -> st.SearchStrategy[str]:
    """Texts of whole words from ``vocabulary`` (an alphabet of characters would hardly ever spell
    the words a fast path looks for, and test only the path where nothing is found)."""
    return st.lists(st.sampled_from(vocabulary), max_size=12).map(" ".join)


TABLES = [AREAS, details._RUNS, _TOPICS]


@pytest.mark.parametrize("table", TABLES, ids=["areas", "runs", "topics"])
def test_one_search_of_a_table_is_the_earliest_of_each_patterns(table: details.Table) -> None:
    assert {pattern.flags for _, pattern in table} == {re.UNICODE}  # one search keeps the default flags
    for text in [*LOWERED, *CLAUSES, "back to running, knee fine", "my back", "back", "calf and shin", ""]:
        assert details.first_at(table, text) == _first_of_each(table, text), text


@given(words("back", "my", "the", "knee", "calf,", "hip", "shin", "lower", "backs", "lower-back", "b", "ack"))
def test_the_areas_read_with_or_without_back_in_the_text(text: str) -> None:
    assert details.first_area(text) == _first_of_each(AREAS, text)


def test_the_areas_read_on_the_whole_corpus() -> None:
    for text in [*LOWERED, *CLAUSES]:
        assert details.first_area(text) == _first_of_each(AREAS, text), text


def _flags(texts: list[str]) -> list[redflags.RedFlag | None]:
    return [redflags.find(text) for text in texts]


def test_a_red_flag_is_found_the_same_with_or_without_the_one_search(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*TEXTS, *CLAUSES]
    quick = _flags(texts)
    monkeypatch.setattr(redflags, "_ANY_SIGN", lazy_re.compile(""))  # matches everywhere: each sign searched
    assert _flags(texts) == quick
    assert any(flag is not None for flag in quick)


@given(
    words("chest", "pain", "dizzy", "heart", "racing", "180", "bpm", "easy", "run,", "not", "breathless", "limp", "no")
)
def test_a_red_flag_in_random_words_is_found_the_same(text: str) -> None:
    quick = redflags.find(text)
    everywhere = lazy_re.compile("")
    saved = redflags._ANY_SIGN
    redflags._ANY_SIGN = everywhere
    try:
        assert redflags.find(text) == quick
    finally:
        redflags._ANY_SIGN = saved


@given(
    words(
        "pause", "paused", "unpause", "dont", "take", "me", "off", "no", "more", "next", "week", "travel", "away", "un-"
    )
)
def test_the_rules_need_their_word(text: str) -> None:
    if "paus" not in text:
        assert _RESUME.search(text) is None and _NOT_PAUSE.search(text) is None
    if "next" not in text:
        assert AWAY_NEXT_WEEK.search(text) is None


def test_the_rules_need_their_word_in_every_phrasing_of_the_corpus_and_held_out_sets() -> None:
    """The words the rules are skipped without: no phrasing the parser was built or measured on
    (clauses included) matches a rule without its word, whatever other words it uses."""
    for text in [*LOWERED, *CLAUSES]:
        if "paus" not in text:
            assert _RESUME.search(text) is None and _NOT_PAUSE.search(text) is None, text
        if "next" not in text:
            assert AWAY_NEXT_WEEK.search(text) is None, text


def _canonical_word_by_word(lowered: str) -> str:
    return redflags._WORD.sub(lambda m: redflags.correct(m.group(0)), lowered)


@given(words("chset", "pian", "dizy", "palpatations", "paint", "the", "fence", "ok", "chest", "pain", "dizzy"))
def test_a_text_with_no_typo_of_a_sign_word_is_its_own_canonical_form(text: str) -> None:
    assert redflags.corrected(text) == _canonical_word_by_word(text)


def test_the_canonical_form_of_the_corpus() -> None:
    for lowered in LOWERED:
        assert redflags.corrected(lowered) == _canonical_word_by_word(lowered), lowered
