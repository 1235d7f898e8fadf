"""What a runner's free text means: an intent ("done", "pain", "moved_run", ...) and its details.

The intent comes from a small learned model, trained at start from the phrasings in
`content/intents.yaml` (scikit-learn: TF-IDF over character n-grams and words, then a linear
SVM), so typos, missing apostrophes, emoji and phrasings no keyword list names are still read.
The details are small rules on top: an effort number for a check-in, the body area for pain,
the run and weekday for a moved run, the end date of a pause, whether an illness is the urgent
kind (chest pain, fainting or dizziness, palpitations: a doctor before any training). Dates are read with the bot's one
date reader (:mod:`bot.coach.dates`), and only for the intents that carry one.

Pure: no I/O, no clock; ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from bot.coach.details import moved_to, pause_until, read_area, read_rpe, read_run
from bot.coach.model import BodyArea, RunKind, Weekday

if TYPE_CHECKING:  # scikit-learn (with scipy) takes a second to import: only training pays for it
    from sklearn.pipeline import Pipeline

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


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a message means: its intent and the details it gave (None when not given)."""

    text: str
    intent: Intent
    rpe: int | None = None
    area: BodyArea | None = None
    run: RunKind | None = None
    day: Weekday | None = None
    until: dt.date | None = None
    urgent: bool = False  # an illness with a red flag: chest pain, fainting or dizziness, palpitations


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

    @property
    def expected(self) -> Parsed:
        return Parsed(self.text, self.intent, self.rpe, self.area, self.run, self.day, self.until, self.urgent)


# ---- reading the text the way the model sees it ----

_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")
_FULL_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")


def normalise(text: str) -> str:
    """Lower case, no apostrophes, one space; every digit a 0 and every weekday one word.

    "Didn't do it" and "didnt do it" read alike, and so do "moved to Friday" and "moved to
    sunday" or "8/10" and "6/10": the model learns the shape, the rules read the values.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    text = _DIGITS.sub("0", text)
    text = _FULL_WEEKDAY.sub("weekday", text)
    return _SPACES.sub(" ", text).strip()


def _has_content(text: str) -> bool:
    """Whether there is anything to read: a letter, digit, symbol or emoji, not just spaces and controls."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


# ---- details: small rules read from the raw (lower-cased) text ----

# the red flags of illness: no training at all until a doctor has seen them (COACHING.md, "Red flags")
_URGENT = re.compile(
    r"\bchest\s*(?:(?:feels?|felt|is|was|went|getting|got|gets)\s+)?(?:pains?|hurts?|hurting|hurt|tight\w*|pressure|ach\w*)"
    r"|\b(?:pains?|tightness|pressure|ache|aching|hurts?|hurting)\s+(?:in|across|on|around)\s+(?:my\s+|the\s+)?chest\b"
    r"|\btight\s+chest\b"
    r"|\bfaint(?:ed|ing|y)?\b|\bpass(?:ed|ing)?\s+out\b|\bblack(?:ed|ing)?\s+out\b|\bcollaps\w*"
    r"|\bdizz(?:y|iness)\b|\blight\s*-?\s*headed\w*|\bwoozy\b"
    r"|\bpalpitat\w*|\bpalps\b|\barrhythmi\w*|\ba-?fib\b"
    r"|\b(?:racing|pounding|irregular|fluttering|skipping|thumping|hammering)\s+(?:heart|pulse)"
    r"|\b(?:heart|pulse|hr)\s*(?:rate|beat)?\s*(?:(?:is|was|went|keeps|kept|been|started|starts|felt|feels)\s+)?"
    r"(?:racing|raced|pounding|pounded|flutter\w*|skipp\w*|skips|jump\w*|irregular|weird\w*|funny|strange\w*"
    r"|crazy|going crazy|all over the place|thumping|hammering|erratic)"
)
# "no chest pain", "didnt faint", "not dizzy": a red flag said not to be there (one word may sit between)
_NEGATED = re.compile(
    r"\b(?:no|not|without|never|nor|dont|didnt|doesnt|isnt|wasnt|havent|hasnt)(?:\W+(?!but\b)\w+)?\W*$"
)


def read_urgent(lowered: str) -> bool:
    """Whether an illness message names a red flag (chest pain, fainting or dizziness, palpitations)
    that is not denied ("no chest pain, just a cold" is not urgent)."""
    return any(not _NEGATED.search(lowered[: match.start()]) for match in _URGENT.finditer(lowered))


# ---- the parser ----


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
_WORD_RE = re.compile(_WORD_TOKENS)


def char_grams(text: str, low: int = CHAR_GRAMS[0], high: int = CHAR_GRAMS[1]) -> list[str]:
    """The character n-grams of each word padded with a space (scikit-learn's "char_wb" analyzer)."""
    grams: list[str] = []
    for word in text.lower().split():
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
    return grams


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
    idf: npt.NDArray[np.float64]
    offset: int


@dataclass(frozen=True, slots=True)
class IntentModel:
    """The fitted model as plain data: per feature block its vocabulary (a term per column, in
    order) and idf weights, then the linear SVM's weights (features x intents), intercepts and
    intents. Shipped in `content/intent_model.json.gz` (``bot.content.intent_model`` writes it), so
    the process starts without training and without importing scikit-learn."""

    blocks: tuple[tuple[str, tuple[str, ...], tuple[float, ...]], ...]  # (analyzer name, terms, idf)
    coef: tuple[tuple[float, ...], ...]  # a row per feature, a column per intent
    intercept: tuple[float, ...]
    intents: tuple[Intent, ...]

    @classmethod
    def from_pipeline(cls, model: Pipeline) -> IntentModel:
        union = model.named_steps["features"]
        svm = model.named_steps["classify"]
        blocks = []
        for name, vectorizer in union.transformer_list:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            blocks.append((str(name), tuple(terms), tuple(float(x) for x in vectorizer.idf_)))
        return cls(
            blocks=tuple(blocks),
            coef=tuple(tuple(float(x) for x in row) for row in svm.coef_.T),
            intercept=tuple(float(x) for x in svm.intercept_),
            intents=tuple(Intent(str(label)) for label in svm.classes_),
        )


class _Scorer:
    """The fitted pipeline's arithmetic (TF-IDF, sublinear tf, l2 per block, linear SVM) without its overhead.

    scikit-learn validates its input on every call, which costs about a millisecond a message;
    the same sums over the few features a short message has cost a few microseconds. The test
    suite checks that both pick the same intent for every phrasing of the corpus.
    """

    def __init__(self, model: IntentModel) -> None:
        blocks: list[_Block] = []
        offset = 0
        for name, terms, idf in model.blocks:
            columns = {term: n for n, term in enumerate(terms)}
            blocks.append(_Block(ANALYZERS[name], columns, np.asarray(idf, dtype=np.float64), offset))
            offset += len(terms)
        self._blocks = tuple(blocks)
        self._coef: npt.NDArray[np.float64] = np.ascontiguousarray(np.asarray(model.coef, dtype=np.float64))
        self._intercept: npt.NDArray[np.float64] = np.asarray(model.intercept, dtype=np.float64)
        self._classes = model.intents

    def predict(self, features: str) -> Intent:
        scores = self._intercept.copy()
        for block in self._blocks:
            counts = Counter(gram for gram in block.analyze(features) if gram in block.columns)
            if not counts:
                continue
            local = np.fromiter((block.columns[gram] for gram in counts), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            weights = tf * block.idf[local]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ self._coef[local + block.offset]
        return self._classes[int(np.argmax(scores))]


def train(examples: Sequence[IntentExample]) -> Pipeline:
    """Fit the scikit-learn pipeline on these phrasings (imports scikit-learn: about a second)."""
    if len({example.intent for example in examples}) < 2:
        raise ValueError("an intent model needs examples of at least two intents")
    model = _pipeline()
    model.fit([normalise(example.text) for example in examples], [example.intent.value for example in examples])
    return model


class IntentParser:
    """Reads free text into a :class:`Parsed`: from the shipped model (:meth:`from_model`, no
    training), or trained on phrasings (:meth:`from_examples`, for tests and the bench)."""

    def __init__(self, model: IntentModel) -> None:
        self.model = model
        self._scorer = _Scorer(model)

    @classmethod
    def from_model(cls, model: IntentModel) -> IntentParser:
        return cls(model)

    @classmethod
    def from_examples(cls, examples: Sequence[IntentExample]) -> IntentParser:
        """Train the intent model on these phrasings (about a tenth of a second, after the import)."""
        return cls(IntentModel.from_pipeline(train(examples)))

    def intent_of(self, text: str) -> Intent:
        """The intent alone, without reading any detail."""
        if len(text) > MAX_TEXT or not _has_content(text):
            return Intent.UNKNOWN
        features = normalise(text)
        if not features:
            return Intent.UNKNOWN
        return self._scorer.predict(features)

    def parse(self, text: str, today: dt.date) -> Parsed:
        """What ``text`` means, with relative dates read from ``today``."""
        intent = self.intent_of(text)
        if len(text) > MAX_TEXT:
            return Parsed(text, Intent.UNKNOWN)
        lowered = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).lower())
        if read_urgent(lowered):
            # a red flag is never left to the model alone: whatever else the message says ("heart
            # skipping beats" is not a skipped session, "chest pain" not a niggle), it comes first
            return Parsed(text, Intent.ILL, urgent=True)
        if intent is Intent.UNKNOWN:
            return Parsed(text, intent)
        if intent in (Intent.DONE, Intent.PARTLY):
            return Parsed(text, intent, rpe=read_rpe(lowered))
        if intent in (Intent.PAIN, Intent.SORE_OR_TIRED):
            return Parsed(text, intent, area=read_area(lowered))
        if intent is Intent.MOVED_RUN:
            return Parsed(text, intent, run=read_run(lowered), day=moved_to(lowered, today))
        if intent is Intent.PAUSE:
            return Parsed(text, intent, until=pause_until(lowered, today))
        return Parsed(text, intent)


# ---- measuring the parser on phrasings it was not trained on ----

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
        if parsed == example.expected:
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
