"""What onboarding and /settings share about an open question (issue 16): a Cancel button under
every one, a Yes/No for an unsure reading, a day before it closes, and the messages that are not
an answer to it (a pain report, a red flag, a question back) told apart from those that are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.coach import answers as parse
from bot.coach.intents import Intent, Parsed
from bot.coach.model import BodyArea, Level, Weekday, kit_of
from bot.services.onboarding import RACE_DISTANCE_DRAFT, RACE_MONTH_DRAFT, Question
from bot.telegram.context import CoachContext
from bot.telegram.render import callback
from bot.telegram.safety import is_red_flag

CANCEL = "cancel"  # a question's Cancel button: ``ob|<question>|cancel``, ``set|<question>|cancel``
CONFIRM_YES = "okyes"  # under "Did you mean ...?": keep the reading
CONFIRM_NO = "okno"  # ... or ask the question again
OPEN_FOR = dt.timedelta(days=1)  # an open question closes a day after it was asked
_YES = {"yes", "y", "yep", "yeah", "yes please", "correct", "right", "that's right", "exactly", "sure", "ok"}
_NO = {"no", "n", "nope", "nah", "wrong", "not quite", "no thanks"}


def expired(asked_at: object, now: dt.datetime) -> bool:
    """Whether a question asked at ``asked_at`` (ISO text as stored; None for one stored before
    questions had a time) has closed by ``now``."""
    if not isinstance(asked_at, str):
        return False
    try:
        return now - dt.datetime.fromisoformat(asked_at) >= OPEN_FOR
    except ValueError:
        return False


def cancel_button(context: CoachContext, scope: str, question: Question) -> tuple[str, str]:
    return context.deps.ui.buttons.cancel, callback(scope, question.value, CANCEL)


def is_cancel(context: CoachContext, text: str) -> bool:
    """ "cancel", or the Cancel button's label typed (a reply keyboard sends it as text)."""
    said = " ".join(text.casefold().split()).strip(" .!")
    label = " ".join(context.deps.ui.buttons.cancel.casefold().split())
    return said in ("cancel", "stop", label, label.lstrip("✖ "))


def yes_or_no(text: str) -> bool | None:
    """A typed answer to "Did you mean ...?": True, False, or None for anything else."""
    said = " ".join(text.casefold().split()).strip(" .!")
    return True if said in _YES else False if said in _NO else None


def shown_answer(context: CoachContext, question: Question, values: dict[str, Any]) -> str:
    """What an unsure reading gave, as the runner would say it ("Mon, Wed, Fri", "17:30", "30 min")."""
    r = context.deps.render
    if question is Question.REMINDER or question is Question.REMINDER_SURE:
        return str(values.get(Question.REMINDER.value) or next(iter(values.values())))
    value = values.get(question.value)
    if question is Question.LEVEL:
        return r.level(Level(str(value)))
    if question in (Question.RUN_DAYS, Question.QUALITY_DAYS):
        return r.days(value or [])
    if question is Question.LONG_DAY:
        return r.weekday(Weekday(value)) if value else context.deps.ui.buttons.no_long_run
    if question is Question.EQUIPMENT:
        return r.equipment(kit_of(value))
    if question is Question.MINUTES:
        return f"{value} min"
    if question is Question.NIGGLES:
        return r.niggles(BodyArea(a) for a in value or [])
    return str(value)


def confirm_text(context: CoachContext, question: Question, values: dict[str, Any]) -> str:
    return context.deps.ui.reasks.fmt("did_you_mean", answer=shown_answer(context, question, values))


def confirm_rows(context: CoachContext, scope: str, question: Question) -> list[list[tuple[str, str]]]:
    b = context.deps.ui.buttons
    yes_no = [(b.confirm_yes, callback(scope, question.value, CONFIRM_YES)),
              (b.confirm_no, callback(scope, question.value, CONFIRM_NO))]  # fmt: skip
    return [yes_no, [cancel_button(context, scope, question)]]


def why(context: CoachContext, question: Question) -> str:
    """One line on why ``question`` is asked."""
    return context.deps.ui.why.get(question.value, context.deps.ui.general.help)


def race_month(answers: dict[str, Any]) -> tuple[str, str] | None:
    """(month name, distance) while the day of a race said as a month only is asked."""
    month = answers.get(RACE_MONTH_DRAFT)
    if not month:
        return None
    return f"{dt.date.fromisoformat(month):%B}", str(answers.get(RACE_DISTANCE_DRAFT, ""))


@dataclass(frozen=True)
class NotAnAnswer:
    """A message that is about something else: ``urgent`` (a red flag: a doctor first), a pain
    report (``pain``, with its ``area`` when said), or a question back (``asks``)."""

    parsed: Parsed
    urgent: bool = False
    pain: bool = False
    area: BodyArea | None = None
    asks: bool = False

    @property
    def red_flag(self) -> bool:
        """An urgent sign or a bone-stress sign: never an answer, whatever the question could read."""
        return is_red_flag(self.parsed)


# a word that says something hurts: a pain reading needs one, or a body area, before it can stand
# in for an answer (the model alone once read "Europe/Berlin" at the timezone question as pain)
_HURT = re.compile(
    r"\b(?:hurt\w*|pain\w*|ach(?:e|es|ed|ing|ey|y)|sore\w*|injur\w*|niggl\w*|throb\w*|twing\w*|tweak\w*"
    r"|strain\w*|sprain\w*|pulled|swollen|swelling|agony|killing)\b",
    re.IGNORECASE,
)


def _not_an_answer(context: CoachContext, text: str, today: dt.date) -> NotAnAnswer | None:
    """What a message is when it may not answer the open question; None when it reads as an answer.

    The red-flag layer speaks first, through the parser (``urgent``, or a bone-stress ``flag``);
    then a pain report that names an area or says it hurts; then a question back.
    """
    parsed = context.deps.intents.parse(text, today)
    if parsed.urgent:
        return NotAnAnswer(parsed, urgent=True)
    area = parsed.area or next(iter(parse.find_areas(text)), None)
    if is_red_flag(parsed):
        return NotAnAnswer(parsed, pain=True, area=area)
    if (area is not None and parsed.intent in (Intent.PAIN, Intent.SORE_OR_TIRED)) or (
        parsed.intent is Intent.PAIN and _HURT.search(text)  # "my leg hurts": pain, where is asked
    ):
        return NotAnAnswer(parsed, pain=True, area=area)
    if parse.is_question(text):
        return NotAnAnswer(parsed, asks=True)
    return None
