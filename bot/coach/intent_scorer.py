"""The intent model and its scorer: the text as the model sees it, the features it counts, the
fitted weights as plain data (:class:`IntentModel`, shipped in `content/intent_model.bin.gz`) and
the arithmetic that scores a message with them without scikit-learn.

Training (:func:`train`) imports scikit-learn (TF-IDF over character n-grams and words, then a
linear SVM); scoring is plain Python over flat arrays of floats (no numpy: its import alone
costs the process 11 MiB and a tenth of a second, for sums over a few dozen features). Picking the
intent estimates the scores with every intent's sum packed in one integer (:meth:`Scorer._estimate`)
and falls back to the exact floats when the estimate cannot tell.
"""

from __future__ import annotations

import math
import operator
import struct
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from bot.coach import lazy_re
from bot.coach.intent_types import Intent, IntentExample
from bot.coach.text_form import APOSTROPHES as APOSTROPHES  # as the intent tests know it
from bot.coach.text_form import lowered

if TYPE_CHECKING:  # scikit-learn (with scipy) takes a second to import: only training pays for it
    from sklearn.pipeline import Pipeline

# ---- reading the text the way the model sees it ----

_SPACES = lazy_re.compile(r"\s+")
_DIGITS = lazy_re.compile(r"\d")
_FULL_WEEKDAY = lazy_re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")


def normalise(text: str) -> str:
    """Lower case, no apostrophes, one space; every digit a 0 and every weekday one word.

    "Didn't do it" and "didnt do it" read alike, and so do "moved to Friday" and "moved to
    sunday" or "8/10" and "6/10": the model learns the shape, the rules read the values.
    """
    return normalise_lowered(lowered(text))


def normalise_lowered(lowered: str) -> str:
    """:func:`normalise` of a text in its lowered form (``bot.coach.text_form``: the intent parser's
    ``lowered``): the rest of the same steps, without doing those again."""
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
    columns: dict[str, int]  # a term's column among all the blocks' (the scorer's idf and weights rows)
    by_word: bool  # the "chars" analyzer: a word's n-grams depend on that word alone


# a word's character n-gram columns, their packed idf-weighted weights summed (Scorer._packed), the bound
# on that sum's size, and the sum of their idf squared (the word's share of the block's norm, squared)
_Word = tuple[list[int], int, float, float]
_FIRST, _SECOND, _THIRD, _FOURTH = map(itemgetter, range(4))
_MORE_THAN_ONCE = (1).__lt__
_LANE = 64  # bits an intent's sum has in a packed integer
_HALF = 1 << (_LANE - 1)
_LANE_LIMIT = float(1 << (_LANE - 2))  # a lane's sum stays below this in size, sign and rounding included
_SCALE_BITS = 40  # fractional bits of a packed weight
_SCALE = float(1 << _SCALE_BITS)
# how far a score summed in another order may be from the scorer's own floats, as a share of the size of
# the terms summed (plus one): a message's few thousand roundings at most make it a million times smaller
_ROUNDING = 1e-9


def _clear_winner(scores: list[float], best: int, error: float) -> bool:
    """Whether ``best`` stays the one top score when every score may be ``error`` off."""
    return len(scores) < 2 or sorted(scores)[-2] < scores[best] - 2 * error  # the next best, clear of it


WORDS_KEPT = 4096  # words whose character n-gram columns (and their packed sums) a scorer keeps (2 MB at most)


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

    :meth:`predict` and :meth:`confident` do not need every score to the last bit, only which is
    highest and whether it clears a margin: they read them from :meth:`_estimate`, which sums a
    word's n-grams for all intents at once, and fall back to :meth:`scores` when a score is too
    close to another or to the margin for the estimate to tell. Their answers are :meth:`scores`'s.
    """

    def __init__(self, model: IntentModel) -> None:
        blocks: list[_Block] = []
        self._idf: array[float] = array("d")
        for name, terms, idf in model.blocks:
            columns = dict(zip(terms, range(len(self._idf), len(self._idf) + len(terms)), strict=True))
            blocks.append(_Block(ANALYZERS[name], columns, ANALYZERS[name] is char_grams))
            self._idf.extend(idf)
        self._blocks = tuple(blocks)
        self._coef = model.coef
        self._intercept = model.intercept
        self._intercept_bound = max(map(abs, model.intercept), default=0.0)
        self._classes = model.intents
        self._width = len(model.intents)
        self._word_columns: dict[str, _Word] = {}
        self._column_packs: dict[int, tuple[int, float]] = {}
        self._bias = sum(_HALF << (_LANE * n) for n in range(self._width))  # each lane's sum made positive
        self._bytes = self._width * _LANE // 8
        self._unpack = struct.Struct(f"<{self._width}q").unpack
        self._pack = struct.Struct(f"<{self._width}q").pack

    def predict(self, features: str) -> Intent:
        estimate, error = self._estimate(features)
        best = estimate.index(max(estimate))
        if _clear_winner(estimate, best, error):
            return self._classes[best]
        scores = self.scores(features)
        return self._classes[max(range(self._width), key=scores.__getitem__)]  # the first best, as argmax

    def confident(self, features: str, margin: float) -> Intent | None:
        """The intent when its classifier says yes by at least ``margin``, else None."""
        estimate, error = self._estimate(features)
        best = estimate.index(max(estimate))
        if _clear_winner(estimate, best, error) and abs(estimate[best] - margin) > error:
            return self._classes[best] if estimate[best] >= margin else None
        scores = self.scores(features)
        best = max(range(self._width), key=scores.__getitem__)
        return self._classes[best] if scores[best] >= margin else None

    def _packed(self, column: int) -> tuple[int, float]:
        """A column's weights times its idf, each as an integer of ``_SCALE_BITS`` fractional bits, packed
        one intent to each 64 bits of one integer (so a sum of columns is one addition, not one per
        intent); and that idf times the column's largest weight, for the bound on the sum's size.
        Kept per column (a pure function of the column and the fitted model)."""
        found = self._column_packs.get(column)
        if found is None:
            width = self._width
            factor = self._idf[column]
            row = self._coef[column * width : column * width + width]
            bound = factor * max(map(abs, row))
            if bound * _SCALE >= _LANE_LIMIT:  # too big to pack (no fitted model comes near): never estimated
                found = (0, math.inf)
            else:
                lanes = self._pack(*map(round, map(operator.mul, row, repeat(factor * _SCALE))))
                bias = self._bias  # each lane as the signed 64-bit integer it is: its top bit flipped, bias off
                found = ((int.from_bytes(lanes, "little") ^ bias) - bias, bound)
            self._column_packs[column] = found
        return found

    def _word(self, block: _Block, word: str) -> _Word:
        """What a word brings to the character block (:data:`_Word`), kept for the next message."""
        kept = self._word_columns
        found = kept.get(word)
        if found is None:
            grams: list[str] = []
            _word_grams_into(grams, word)
            columns = [column for column in map(block.columns.get, grams) if column is not None]
            packs = list(map(self._packed, columns))
            idf = self._idf
            found = (
                columns,
                sum(packed for packed, _ in packs),
                sum(bound for _, bound in packs),
                math.fsum(idf[column] * idf[column] for column in columns),
            )
            if len(kept) >= WORDS_KEPT:
                kept.clear()
            kept[word] = found
        return found

    def _estimate(self, features: str) -> tuple[list[float], float]:
        """Every intent's score summed another way, and a bound on how far it may be from
        :meth:`scores`'s floats (``inf`` when it is not worth estimating).

        :meth:`scores` multiplies each of a message's hundred-odd features by its weight for every
        intent, one float at a time. Here each feature's idf-weighted row is a packed integer
        (:meth:`_packed`), a word's character n-grams one sum of them (kept per word, as its columns
        are), so a block's sums for all intents are a few integer additions, unpacked once and
        divided by the block's l2 norm; an n-gram met more than once (weighing 1 + log(n), not n) is
        put right afterwards. The result differs from :meth:`scores`'s by rounding alone (each
        weight to 2^-40, then floats), far below ``error``; :meth:`predict` and :meth:`confident`
        take its answer only when no set of scores within ``error`` of it could change that answer,
        and score exactly otherwise.
        """
        width, coef, idf = self._width, self._coef, self._idf
        totals = list(self._intercept)
        size = self._intercept_bound
        error = 0.0
        for block in self._blocks:
            squares = None
            if block.by_word:
                kept = self._word_columns
                words = [kept.get(word) or self._word(block, word) for word in features.lower().split()]
                columns = list(chain.from_iterable(map(_FIRST, words)))
                packed = sum(map(_SECOND, words))
                bound = sum(map(_THIRD, words))
                squares = sum(map(_FOURTH, words))
            else:
                columns = [column for column in map(block.columns.get, block.analyze(features)) if column is not None]
                packs = self._column_packs
                found = [packs.get(column) or self._packed(column) for column in columns]
                packed = sum(map(_FIRST, found))
                bound = sum(map(_SECOND, found))
            if not columns:
                continue
            if bound * _SCALE + len(columns) >= _LANE_LIMIT:
                return totals, math.inf  # a sum that might not fit its 64 bits (no message comes near)
            if squares is None:  # each n-gram's idf squared, as often as it is met
                weights = list(map(idf.__getitem__, columns))
                squares = math.fsum(map(operator.mul, weights, weights))
            corrections: list[tuple[int, float]] = []
            if len(set(columns)) != len(columns):  # an n-gram met n times weighs 1 + log(n), not n
                counts = Counter(columns)
                for column, n in compress(counts.items(), map(_MORE_THAN_ONCE, counts.values())):
                    weight = (1.0 + math.log(n)) * idf[column]
                    squares -= n * idf[column] * idf[column] - weight * weight
                    corrections.append((column, n * idf[column] - weight))
            norm = math.sqrt(squares)
            bias = self._bias  # each lane's top bit: added, every lane is positive (no borrow between
            # lanes); flipped back, each lane reads as the signed 64-bit integer it sums to
            lanes = self._unpack(((packed + bias) ^ bias).to_bytes(self._bytes, "little"))
            totals = list(map(operator.add, totals, map(operator.mul, lanes, repeat(1.0 / (_SCALE * norm)))))
            for column, extra in corrections:
                row = coef[column * width : column * width + width]
                totals = list(map(operator.sub, totals, map(operator.mul, row, repeat(extra / norm))))
            size += bound / norm
            error += len(columns) / (_SCALE * norm)
        return totals, error + _ROUNDING * (1.0 + size)

    def _columns_by_word(self, block: _Block, features: str) -> list[int]:
        """The block's columns of the n-grams of ``features``, word by word, in order (unknown n-grams left out)."""
        found: list[int] = []
        for word in features.lower().split():
            found += self._word(block, word)[0]
        return found

    def scores(self, features: str) -> list[float]:
        """Each intent's score: the message's tf-idf weights (l2-normalised per block) times the SVM's
        weights, plus its intercept, as scikit-learn sums them (features first, then the intercept)."""
        width, coef = self._width, self._coef
        shares: list[float] = []
        rows: list[array[float]] = []
        idf = self._idf
        for block in self._blocks:
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
                at = column * width
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
