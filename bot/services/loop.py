"""The daily loop's names where the edges have imported them from: a re-export, nothing more.

The loop's use cases live by idea: :mod:`bot.services.checkins`, :mod:`~bot.services.pain`,
:mod:`~bot.services.pauses`, :mod:`~bot.services.review`, :mod:`~bot.services.reading`,
:mod:`~bot.services.moved_runs`, and :class:`~bot.services.problems.Problem`. New code imports
from those.
"""

from __future__ import annotations

from bot.services.checkins import (
    SORENESS,
    Soreness,
    Status,
    Swapped,
    log_rpe,
    log_soreness,
    log_status,
    niggle_areas,
    open_card,
    swap_to_mobility,
)
from bot.services.flares import log_niggle
from bot.services.moved_runs import Moved, move_run, set_tune_up_distance
from bot.services.pain import PAIN_REST_DAYS, apply_pain_rule, log_pain, pain_follow_up, report_pain
from bot.services.pauses import Standing, pause, reactivate, resume, settle_pause, settled_account, standing
from bot.services.plans import first_open_day, replan_open_days, save_profile
from bot.services.problems import Problem
from bot.services.reading import Card, Shown, card, day_at, session_day, weeks_at
from bot.services.review import Reviewed, accept_lighter, niggle_checks, weekly_review

__all__ = [
    "PAIN_REST_DAYS",
    "SORENESS",
    "Card",
    "Moved",
    "Problem",
    "Reviewed",
    "Shown",
    "Soreness",
    "Standing",
    "Status",
    "Swapped",
    "accept_lighter",
    "apply_pain_rule",
    "card",
    "day_at",
    "first_open_day",
    "log_niggle",
    "log_pain",
    "log_rpe",
    "log_soreness",
    "log_status",
    "move_run",
    "niggle_areas",
    "niggle_checks",
    "open_card",
    "pain_follow_up",
    "pause",
    "reactivate",
    "replan_open_days",
    "report_pain",
    "resume",
    "save_profile",
    "session_day",
    "set_tune_up_distance",
    "settle_pause",
    "settled_account",
    "standing",
    "swap_to_mobility",
    "weekly_review",
    "weeks_at",
]
