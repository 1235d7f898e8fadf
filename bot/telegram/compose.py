"""What each due message says: the dispatcher's composer renders what ``bot.services.composing``
decided (prompts, nudges, "later" re-sends, weekly reviews, pain follow-ups, a niggle's morning
check); ``None`` means there is nothing to say today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.coach.library import Library
from bot.services import composing
from bot.services.composing import Content, DueLike, MorningCheck, Nudge, PainCheck, Prompt, Review, week_number
from bot.services.ports import Outgoing, UnitOfWork
from bot.services.schedule import DueKind
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.promises_render import welcome_prompt

__all__ = ["DueLike", "LoopComposer", "week_number"]


class LoopComposer:
    def __init__(self, library: Library, render: LoopRenderer) -> None:
        self.library = library
        self.render = render

    async def compose(
        self, work: UnitOfWork, dues: Sequence[DueLike], now: dt.datetime
    ) -> Mapping[tuple[int, DueKind], Outgoing | None]:
        """What each due message carries is decided by the services, in the dispatcher's unit of
        work; here it is only drawn."""
        decided = await composing.contents(work, dues, now, self.library)
        return {key: None if content is None else self.draw(content) for key, content in decided.items()}

    def draw(self, content: Content) -> Outgoing | None:
        """One due message's content as the runner sees it (None: a morning check with nothing left to ask)."""
        if isinstance(content, Prompt) and content.welcome is not None:
            return welcome_prompt(self.render, content.welcome, content.day)
        if isinstance(content, Prompt):
            return self.render.prompt(content.day, self.render.text.later_again if content.again else None)
        if isinstance(content, Nudge):
            return self.render.nudge(content.day)
        if isinstance(content, Review):
            reviewed = content.reviewed
            return self.render.review(reviewed.payload, reviewed.next_week, content.week_number)
        if isinstance(content, PainCheck):
            return self.render.pain_check(content.area, content.date)
        assert isinstance(content, MorningCheck)
        return self.render.morning_check(content.session_day, content.checkin)
