"""Red flags come first in every conversation state: the one hook onboarding and /settings call too.

``answer_red_flag`` is called with what the parser read (``deps.intents.parse``) before a typed
answer is taken as an answer. An urgent sign (chest pain, fainting, palpitations, breathlessness out
of proportion) gets the doctor-first advice, and a Pause button when there is a plan to pause; a
bone-stress sign of an onboarded runner takes the pain route for that area with the red-flag advice
straight away (nothing loads it until a professional clears it).
"""

from __future__ import annotations

import structlog
from telegram import Message

from bot.coach.intents import Intent, Parsed
from bot.coach.redflags import Sign
from bot.services.loop import Problem
from bot.services.ports import Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.replies import say

log = structlog.get_logger(__name__)


async def answer_red_flag(message: Message, context: CoachContext, user_id: int, parsed: Parsed) -> bool:
    """Answer a red flag in ``parsed``; True when it did (the caller then stops), False when there is none.

    Urgent (``parsed.urgent``): the urgent illness advice, in any state; for a runner not set up yet
    the advice alone. Bone-stress (``parsed.flag is Sign.BONE``): for an onboarded runner with the
    area named, the pain rule and the red-flag hold on that area with the /cleared button; for anyone
    else False, so onboarding's own niggle questions (N1) take it.
    """
    from bot.telegram import text_handlers  # the loop's replies; imported here to keep the import graph one-way

    deps = context.deps
    if parsed.urgent:
        brief = await deps.coach.brief(user_id)
        if brief is None or not brief.onboarded:
            log.info("health.urgent", onboarded=False)
            await say(context, message.chat_id, deps.ui.loop.ill_urgent)
            return True
        await text_handlers.ill(message, context, user_id, urgent=True)
        return True
    if parsed.flag is not Sign.BONE or parsed.area is None:
        return False
    brief = await deps.coach.brief(user_id)
    if brief is None or not brief.onboarded or isinstance(await deps.coach.bone_pain(user_id, parsed.area), Problem):
        return False
    log.info("health.bone_stress", area=parsed.area.value)
    text = deps.ui.loop.fmt("red_flag", area=parsed.area.value)
    await deps.sender.send(message.chat.id, Outgoing(text, deps.loop_render.cleared_button(parsed.area)))
    return True


def is_red_flag(parsed: Parsed) -> bool:
    """Whether ``parsed`` names any red flag (urgent, or bone-stress)."""
    return parsed.urgent or (parsed.flag is Sign.BONE and parsed.intent is Intent.PAIN)
