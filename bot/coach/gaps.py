"""How long a break was, and which "Return after a gap" it calls for (COACHING.md): the dose
(``bot.coach.adaptation.back_from_pause``), the week's note and what the runner is told on their
return all read the rule from here."""

from __future__ import annotations

from enum import StrEnum

GAP_SHORT_DAYS = 7  # a break shorter than a week changes nothing (a /pause resumed at once included)
GAP_STEP_DAYS = 14  # a gap this long also takes a set off (COACHING.md, "Return after a gap")
GAP_RESTART_DAYS = 28  # this long restarts at the base week-1 dose for two weeks


class ReturnRule(StrEnum):
    """Which "Return after a gap" a break's length calls for (the keys of its notes and texts)."""

    SHORT = "short"  # under a week: nothing changes
    STEP = "step"  # one step lower
    SET = "set"  # one step lower and one set fewer
    RESTART = "restart"  # the base week-1 dose for two lifting weeks


def return_rule(gap_days: int | None) -> ReturnRule:
    """The rule for a break of ``gap_days`` (None: its length is unknown, at least one step lower)."""
    if gap_days is None or GAP_SHORT_DAYS <= gap_days < GAP_STEP_DAYS:
        return ReturnRule.STEP
    if gap_days < GAP_SHORT_DAYS:
        return ReturnRule.SHORT
    return ReturnRule.SET if gap_days < GAP_RESTART_DAYS else ReturnRule.RESTART
