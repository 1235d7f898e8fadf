"""What a runner's free text asks for: a small, explicit phrase matcher (no guessing beyond it)."""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEK = "week"
    WHY = "why"
    HELP = "help"
    UNKNOWN = "unknown"


_PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (Intent.WHY, re.compile(r"^\s*(why|how come|what for)\b")),
    (Intent.TOMORROW, re.compile(r"\btomorrow\b")),
    # "the plan for today" asks for today: naming the day beats the general "plan"
    (Intent.TODAY, re.compile(r"\b(today|todays|tonight)\b")),
    (Intent.WEEK, re.compile(r"\b(week|weekly|plan)\b")),
    (Intent.TODAY, re.compile(r"\b(lift|workout|session|train|training|anything)\b")),
    (Intent.HELP, re.compile(r"^\s*(help|what can you do|commands|menu)\b")),
)


def read_intent(text: str) -> Intent:
    """The first intent whose phrases appear in the text, checked most specific first."""
    lowered = text.lower().replace("'", "")
    for intent, pattern in _PATTERNS:
        if pattern.search(lowered):
            return intent
    return Intent.UNKNOWN
