"""The weekly review as the runner reads it: the week in numbers, the rule that applied and why, a
tip that fits their week, next week, and the questions it asks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.coach.model import BodyArea, ExerciseType, WeekPlan
from bot.coach.wording import day_words
from bot.content.tips import TipWeek
from bot.services.ports import Outgoing
from bot.services.records import ReviewPayload

if TYPE_CHECKING:
    from bot.telegram.loop_render import LoopRenderer


def review_message(loop: LoopRenderer, payload: ReviewPayload, next_week: WeekPlan, week_number: int) -> Outgoing:
    """The weekly review: the week in numbers, the rule that applied and why, a tip, next week."""
    t = loop.text
    start = payload.week_start
    end = start + dt.timedelta(days=6)
    lines = [t.fmt("review_title", start=day_words(start, weekday=False), end=day_words(end, weekday=False))]
    if payload.planned:
        partly = t.fmt("review_partly", partial=payload.partial) if payload.partial else ""
        lines.append(t.fmt("review_done", done=payload.done, planned=payload.planned, partly=partly))
        mean = payload.mean_rpe
        lines.append(t.fmt("review_effort", rpe=f"{mean:.1f}") if mean is not None else t.review_no_effort)
    else:
        lines.append(t.review_no_lifting)
    if payload.very_sore:
        lines.append(t.fmt("review_soreness", count=payload.very_sore))
    if payload.pain:
        lines.append(t.fmt("review_pain", areas=", ".join(payload.pain)))
    key = payload.key
    if key != "no_lifting":
        lines.append(str(getattr(t, f"review_{key}")))
    if payload.eased_next:
        lines.append(t.review_eased)
    if "A4" in payload.rules and key != "A4":
        lines.append(t.review_A4)
    if payload.deload_next:
        lines.append(t.review_A5)
    for area in payload.niggles_down:
        lines.append(t.fmt("review_niggle_down", area=area))
    jumps = any(p.type is ExerciseType.PLYOMETRIC for d in next_week.days for p in d.session.exercises)
    fit = TipWeek(
        areas=frozenset(payload.areas),
        jumps=jumps,
        lifts_done=payload.lifts_done,
        weeks_coached=payload.weeks_coached,
    )
    lines.append(t.tip(week_number, fit))
    body = "\n".join(lines)
    text = f"{body}\n\n{t.review_next}\n{loop.render.week(next_week)}"
    asked = [a for a in payload.niggles_ask if a in BodyArea.__members__.values()]
    if asked:  # N4's weekly check, one tap per area the week loaded
        questions = "\n".join(t.fmt("ask_compare", area=a) for a in asked)
        text = f"{text}\n\n{questions}"
    compare = loop.compare_rows(start + dt.timedelta(days=6), asked)
    if payload.ask_still_lifting:
        return Outgoing(f"{text}\n\n{t.still_lifting}", loop.still_lifting_buttons() + compare)
    if payload.offer_lighter:
        return Outgoing(f"{text}\n\n{t.offer_lighter}", loop.lighter_buttons() + compare)
    if payload.ask_level_up and payload.level in ("new", "some"):
        ask = t.ask_level_up_some if payload.level == "new" else t.ask_level_up_regular
        to = "some" if payload.level == "new" else "regular"
        return Outgoing(f"{text}\n\n{ask}", loop.level_up_buttons(to) + compare)
    return Outgoing(text, compare)
