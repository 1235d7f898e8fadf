"""The intent model and its scorer: the text as the model sees it, the features it counts, the
fitted weights as plain data (:class:`IntentModel`, shipped in `content/intent_model.bin.gz`) and
the arithmetic that scores a message with them without scikit-learn.

Training (:func:`train`) imports scikit-learn (TF-IDF over character n-grams and words, then a
linear SVM); scoring is plain Python over flat arrays of floats (no numpy: its import alone
costs the process 11 MiB and a tenth of a second, for sums over a few dozen features).
"""

from __future__ import annotations

import math
import operator
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.coach import lazy_re
from bot.coach.intent_types import Intent, IntentExample

if TYPE_CHECKING:  # scikit-learn (with scipy) takes a second to import: only training pays for it
    from sklearn.pipeline import Pipeline

# ---- reading the text the way the model sees it ----

APOSTROPHES = lazy_re.compile(r"['’‘`´]")
_SPACES = lazy_re.compile(r"\s+")
_DIGITS = lazy_re.compile(r"\d")
_FULL_WEEKDAY = lazy_re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")


def normalise(text: str) -> str:
    """Lower case, no apostrophes, one space; every digit a 0 and every weekday one word.

    "Didn't do it" and "didnt do it" read alike, and so do "moved to Friday" and "moved to
    sunday" or "8/10" and "6/10": the model learns the shape, the rules read the values.
    """
    return normalise_lowered(APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).lower()))


def normalise_lowered(lowered: str) -> str:
    """:func:`normalise` of a text already NFKC-normalised, lower-cased and without apostrophes, in that
    order (the intent parser's ``lowered``): the rest of the same steps, without doing those again."""
    text = _DIGITS.sub("0", lowered)
    text = _FULL_WEEKDAY.sub("weekday", text)
    return _SPACES.sub(" ", text).strip()


def has_content(text: str) -> bool:
    """Whether there is anything to read: a letter, digit, symbol or emoji, not just spaces and controls."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


# ---- the model ----


_WORD_TOKENS = r"(?u)\b\w+\b|[^\w\s]"  # words of any length, and each "?" or emoji on its own


def _pipeline() -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
            (
                "words",
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=_WORD_TOKENS),
            ),
        ]
    )
    return Pipeline([("features", features), ("classify", LinearSVC(C=1.0))])


CHAR_GRAMS = (2, 5)  # character n-grams inside word boundaries ("char_wb")
WORD_GRAMS = (1, 2)  # words and word pairs
_WORD_RE = lazy_re.compile(_WORD_TOKENS)


def char_grams(text: str, low: int = CHAR_GRAMS[0], high: int = CHAR_GRAMS[1]) -> list[str]:
    """The character n-grams of each word padded with a space (scikit-learn's "char_wb" analyzer)."""
    grams: list[str] = []
    for word in text.lower().split():
        _word_grams_into(grams, word, low, high)
    return grams


def _word_grams_into(grams: list[str], word: str, low: int = CHAR_GRAMS[0], high: int = CHAR_GRAMS[1]) -> None:
    """One word's share of :func:`char_grams` (``word`` as split there), added to ``grams``."""
    padded = f" {word} "
    size = len(padded)
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < size:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a short word counts once
            break


def word_grams(text: str, low: int = WORD_GRAMS[0], high: int = WORD_GRAMS[1]) -> list[str]:
    """The words (and "?" or emoji) of the text and their runs of up to ``high`` (scikit-learn's "word")."""
    tokens = _WORD_RE.findall(text.lower())
    grams = list(tokens) if low == 1 else []
    for n in range(max(2, low), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


ANALYZERS: dict[str, Callable[[str], list[str]]] = {"chars": char_grams, "words": word_grams}


@dataclass(frozen=True, slots=True)
class _Block:
    """One fitted TF-IDF vectorizer, reduced to what scoring a message needs."""

    analyze: Callable[[str], list[str]]
    columns: dict[str, int]
    idf: array[float]
    offset: int
    by_word: bool  # the "chars" analyzer: a word's n-grams depend on that word alone


WORDS_KEPT = 4096  # words whose character n-gram columns a scorer keeps (about a megabyte at most)


@dataclass(frozen=True, slots=True)
class IntentModel:
    """The fitted model as plain data: per feature block its vocabulary (a term per column, in
    order) and idf weights, then the linear SVM's weights (a row of one weight per intent for each
    feature, flat), intercepts and intents. Shipped in `content/intent_model.bin.gz`
    (``bot.content.intent_model`` writes it), so the process starts without training and without
    importing scikit-learn. Floats are kept in arrays, 8 bytes each, not as 240,000 objects."""

    blocks: tuple[tuple[str, tuple[str, ...], array[float]], ...]  # (analyzer name, terms, idf)
    coef: array[float]  # row-major: feature f's weight for intent i at f * len(intents) + i
    intercept: tuple[float, ...]
    intents: tuple[Intent, ...]

    def rows(self) -> list[array[float]]:
        """The weights feature by feature (a row per feature, a column per intent)."""
        width = len(self.intents)
        return [self.coef[at : at + width] for at in range(0, len(self.coef), width)]

    @classmethod
    def from_pipeline(cls, model: Pipeline) -> IntentModel:
        union = model.named_steps["features"]
        svm = model.named_steps["classify"]
        blocks = []
        for name, vectorizer in union.transformer_list:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            blocks.append((str(name), tuple(terms), array("d", (float(x) for x in vectorizer.idf_))))
        return cls(
            blocks=tuple(blocks),
            coef=array("d", (float(x) for x in svm.coef_.T.ravel())),
            intercept=tuple(float(x) for x in svm.intercept_),
            intents=tuple(Intent(str(label)) for label in svm.classes_),
        )


class Scorer:
    """The fitted pipeline's arithmetic (TF-IDF, sublinear tf, l2 per block, linear SVM) without its overhead.

    scikit-learn validates its input on every call, which costs about a millisecond a message;
    the same sums over the few features a short message has cost a few tens of microseconds. The
    test suite checks that both pick the same intent for every phrasing of the corpus.

    The character n-grams of a word depend on the word alone, so the model's columns for them are
    kept per word (up to ``WORDS_KEPT`` words, a pure function of the word and the fitted model):
    runners' messages are different, their words mostly are not ("my", "knee", "today"), and a
    word met before costs a dictionary lookup instead of cutting and looking up its twenty-odd
    n-grams. The columns come out in the same order and number as cut from the whole text, so
    the sums, term for term, are the same.
    """

    def __init__(self, model: IntentModel) -> None:
        blocks: list[_Block] = []
        offset = 0
        for name, terms, idf in model.blocks:
            columns = {term: n for n, term in enumerate(terms)}
            blocks.append(_Block(ANALYZERS[name], columns, idf, offset, ANALYZERS[name] is char_grams))
            offset += len(terms)
        self._blocks = tuple(blocks)
        self._coef = model.coef
        self._intercept = model.intercept
        self._classes = model.intents
        self._width = len(model.intents)
        self._word_columns: dict[str, list[int]] = {}

    def predict(self, features: str) -> Intent:
        scores = self.scores(features)
        return self._classes[max(range(self._width), key=scores.__getitem__)]  # the first best, as argmax

    def confident(self, features: str, margin: float) -> Intent | None:
        """The intent when its classifier says yes by at least ``margin``, else None."""
        scores = self.scores(features)
        best = max(range(self._width), key=scores.__getitem__)
        return self._classes[best] if scores[best] >= margin else None

    def _columns_by_word(self, block: _Block, features: str) -> list[int]:
        """The block's columns of the n-grams of ``features``, word by word, in order (unknown n-grams left out)."""
        kept = self._word_columns
        found: list[int] = []
        for word in features.lower().split():
            columns = kept.get(word)
            if columns is None:
                grams: list[str] = []
                _word_grams_into(grams, word)
                columns = [column for column in map(block.columns.get, grams) if column is not None]
                if len(kept) >= WORDS_KEPT:
                    kept.clear()
                kept[word] = columns
            found += columns
        return found

    def scores(self, features: str) -> list[float]:
        """Each intent's score: the message's tf-idf weights (l2-normalised per block) times the SVM's
        weights, plus its intercept, as scikit-learn sums them (features first, then the intercept)."""
        width, coef = self._width, self._coef
        shares: list[float] = []
        rows: list[array[float]] = []
        for block in self._blocks:
            idf, offset = block.idf, block.offset
            if block.by_word:
                counts = Counter(self._columns_by_word(block, features))
            else:
                found = map(block.columns.get, block.analyze(features))
                counts = Counter(column for column in found if column is not None)
            if not counts:
                continue
            weights = []
            for column, n in counts.items():  # sublinear tf: 1 + log(n), exactly 1 for a feature seen once
                weights.append(idf[column] if n == 1 else (1.0 + math.log(n)) * idf[column])
                at = (column + offset) * width
                rows.append(coef[at : at + width])
            norm = math.sqrt(math.fsum(map(operator.mul, weights, weights)))
            shares.extend(w / norm for w in weights)
        if not rows:
            return list(self._intercept)
        return [
            sum(map(operator.mul, shares, weights)) + intercept
            for weights, intercept in zip(zip(*rows, strict=True), self._intercept, strict=True)
        ]


def train(examples: Sequence[IntentExample]) -> Pipeline:
    """Fit the scikit-learn pipeline on these phrasings (imports scikit-learn: about a second)."""
    if len({example.intent for example in examples}) < 2:
        raise ValueError("an intent model needs examples of at least two intents")
    model = _pipeline()
    model.fit([normalise(example.text) for example in examples], [example.intent.value for example in examples])
    return model
