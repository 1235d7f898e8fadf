"""The words every answer reader shares: the guard on a typed answer, :class:`AnswerError` and
:class:`Unsure`, the filler a sentence wraps an answer in, number words and typos, and telling a
question back from an answer.
"""

from __future__ import annotations

import difflib
import re

from bot.coach import lazy_re

MAX_ANSWER_CHARS = 200


class AnswerError(ValueError):
    """An answer that does not fit; ``fields`` fill the re-ask's placeholders (the dates to choose from...)."""

    def __init__(self, key: str, **fields: str) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9:.+\-/']+", text.lower())


def clean(text: str) -> str:
    """Guard every typed answer: too long or empty text gets its own re-ask."""
    text = text.strip()
    if not text:
        raise AnswerError("empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError("too_long")
    return text


# --- sentences: the same answers said the way people type them (issue 16) ------------------------
#
# Each reader finds its answer anywhere in a sentence and ignores the words people wrap it in
# ("I run ...", "remind me at ...", "about ...", "pls"). Words it cannot place make the reading
# unsure: it raises ``Unsure`` with what it read, and the runner confirms it with a tap.


class Unsure(AnswerError):
    """A reading that is probably right but not certainly: ``value`` is it, to confirm with a tap."""

    def __init__(self, value: object) -> None:
        super().__init__("did_you_mean")
        self.value = value


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# words that frame an answer without changing it, in any question
_FILLER = _wordset(
    """
    i i'm im i'd id i've ive me my mine we our us you it it's its is are am be was were been a an the
    this that these those some any of on at in to for from with by per each every and or but so ok okay
    well um uh hmm erm yeah yep sure like just only also too really usually normally generally typically
    mostly always often probably maybe perhaps ideally about around roughly approx approximately ish say
    guess think would will could can should prefer prefers preferably best works work fine good please
    pls plz thanks thank thx ta cheers have has got get do does doing go going lets let's let
    """
)
_POLITE = lazy_re.compile(r"\b(?:please|pls|plz|thanks|thank you|thx|cheers)\b")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENS = {"twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def _sentence(text: str) -> str:
    """An answer as plain lower-case words: apostrophes straight, politeness and end marks gone."""
    text = clean(text).lower().replace("’", "'").replace("‘", "'")
    text = _POLITE.sub(" ", text)
    return " ".join(text.replace("!", " ").split()).strip(" .?")


def _fix(token: str, vocabulary: list[str], cutoff: float = 0.8) -> str:
    """A misspelt word of ``vocabulary`` ("quater", "minuts") read as the word; others unchanged."""
    if len(token) < 4 or token in vocabulary or not token.isalpha():
        return token
    close = difflib.get_close_matches(token, vocabulary, n=1, cutoff=cutoff)
    return close[0] if close else token


def _numbers(text: str) -> str:
    """Words for numbers as digits: "forty five" -> "45", "forty-five" -> "45", "seven" -> "7"."""
    tokens = re.sub(r"\b([a-z]+)-([a-z]+)\b", r"\1 \2", text).split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = _fix(tokens[i], list(_NUMBER_WORDS), 0.85)  # "night" is not "eight"
        if word in _TENS and i + 1 < len(tokens):
            unit = _fix(tokens[i + 1], list(_NUMBER_WORDS), 0.85)
            if unit in _NUMBER_WORDS and 1 <= _NUMBER_WORDS[unit] <= 9:
                out.append(str(_NUMBER_WORDS[word] + _NUMBER_WORDS[unit]))
                i += 2
                continue
        out.append(str(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else tokens[i])
        i += 1
    return " ".join(out)


def _leftover(text: str, also: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` that are neither framing nor ``also``: what a reading could not place."""
    return [w for w in re.findall(r"[a-z0-9']+", text) if w not in _FILLER and w not in also]


def _settle(value: object, rest: str, also: frozenset[str] = frozenset()) -> None:
    """Raise ``Unsure`` when words were left that the reading could not place."""
    if _leftover(rest, also):
        raise Unsure(value)


# --- not an answer -------------------------------------------------------------------------------

_QUESTION = lazy_re.compile(
    r"^(?:why|how come|huh|eh|wait)\b|\bwhy (?:do|does|should|would|is|are)\b"
    r"|\bwhat(?:'s| is|s)? (?:this|that|it) for\b|\bwhat for\b|\bwhat do you (?:mean|need)"
    r"|\bwhat does (?:this|that|it) (?:mean|do|change)\b|\bdo you (?:need|have to)"
    r"|\bdoes (?:it|this|that) matter\b|\bwhat(?:'s| is) the point\b|\bhow does (?:this|that|it) (?:work|help)\b"
)


def is_question(text: str) -> bool:
    """Whether a message asks something back ("why do you need this?", "what's this for") rather
    than answering."""
    return bool(_QUESTION.search(" ".join(text.lower().replace("’", "'").split())))
