"""A runner's message as every free-text reader first reads it: NFKC-normalised, lower-cased, its
apostrophes dropped ("Didn’t" and "didnt" alike). The red flags, the intent parser and the model's
features all start from this one form (the parser computes it once and hands it on)."""

from __future__ import annotations

import unicodedata

from bot.coach import lazy_re

APOSTROPHES = lazy_re.compile(r"['’‘`´]")


def lowered(text: str) -> str:
    """``text`` NFKC-normalised, lower-cased and without apostrophes, in that order."""
    return APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).lower())
