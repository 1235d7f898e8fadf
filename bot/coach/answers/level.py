"""Strength experience: new, some or regular, said in a word or a sentence."""

from __future__ import annotations

import re

from bot.coach import lazy_re
from bot.coach.answers.words import AnswerError, Unsure, _sentence, clean
from bot.coach.model import Level

_LEVELS = {
    Level.NEW: ("new", "never", "no", "none", "beginner", "not really", "1"),
    Level.SOME: ("some", "sometimes", "now and then", "occasionally", "a bit", "a little", "2"),
    Level.REGULAR: ("regular", "regularly", "weekly", "yes", "often", "always", "experienced", "3"),
}


def parse_level(text: str) -> Level:
    text = clean(text).lower().strip(" .!")
    for level, names in _LEVELS.items():
        if text in names:
            return level
    raise AnswerError("bad_level")


# --- strength experience -------------------------------------------------------------------------

_LEVEL_NEW = lazy_re.compile(
    r"\b(?:never|not really|not at all|none|nothing|zero|no(?:pe)?|beginner|newbie|novice|new to (?:it|this|lifting)|"
    r"brand new|don'?t(?: really)?(?: lift| do)|haven'?t|have not|not yet|not lifting|no experience|first time)\b"
)
_LEVEL_SOME = lazy_re.compile(
    r"\b(?:some(?:times)?|occasionally|on and off|off and on|now and then|a bit|a little|bits|rarely|irregular(?:ly)?|"
    r"once a month|twice a month|monthly|once in a while|here and there|when i can|not (?:very )?(?:much|often|"
    r"regularly|consistently)|just started|recently started|started recently|a few (?:weeks|months)|"
    r"couple of (?:weeks|months)|casual(?:ly)?|in winter|in the off ?season|bits and pieces|not much)\b"
)
_LEVEL_REGULAR = lazy_re.compile(
    r"\b(?:regular(?:ly)?|weekly|every week|(?:once|twice|\d+ ?(?:x|times)|two times|three times) (?:a|per|each) week|"
    r"\d+ ?x ?(?:a |per )?(?:wk|week)|often|always|experienced|consistently|for years|years|a lot|loads|yes|yep|"
    r"yeah|gym rat|powerlift(?:ing|er)?|olympic lifting|bodybuilding|crossfit(?:ter)?|lift(?:ing)? (?:a lot|heavy))\b"
)
_LEVEL_PAST = lazy_re.compile(
    r"\b(?:did|used to|years ago|in the past|back in|before|was|stopped|quit|gave up|no longer|not any more|"
    r"not anymore|anymore)\b"
)
_LEVEL_ANSWERS = {**{name: level for level, names in _LEVELS.items() for name in names}}


def read_level(text: str) -> Level:
    """Strength experience in a sentence: "never lifted" (new), "I lift twice a week" (regular),
    "did crossfit for years" (unsure: some, as it is not now)."""
    if text.strip().endswith("?"):
        raise AnswerError("bad_level")  # "what should I lift today?" asks, it does not answer
    said = _sentence(text)
    if said in _LEVEL_ANSWERS:
        return _LEVEL_ANSWERS[said]
    past = bool(_LEVEL_PAST.search(said)) and "still" not in said
    if past and re.search(r"\b(?:lift|lifted|lifting|gym|weights|crossfit|strength)\b", said) and "never" not in said:
        raise Unsure(Level.SOME)  # it was once; now is what the plan needs
    if _LEVEL_SOME.search(said):
        return Level.SOME
    if _LEVEL_NEW.search(said) and not _LEVEL_REGULAR.search(said.replace("years", "")):
        if past and not re.search(r"\bnever\b", said):
            raise Unsure(Level.SOME)  # "used to, not any more": some, to confirm
        return Level.NEW
    if _LEVEL_REGULAR.search(said) or re.search(r"\b(?:i lift|lifting|gym|weights|strength)\b", said):
        if past:
            raise Unsure(Level.SOME)  # it was regular once; now is what the plan needs
        if not _LEVEL_REGULAR.search(said):
            raise Unsure(Level.SOME)  # "I lift", how often not said
        return Level.REGULAR
    raise AnswerError("bad_level")
