"""What each due message says: the dispatcher's composer renders what ``bot.services.composing``
decided (prompts, nudges, "later" re-sends, weekly reviews, pain follow-ups, a niggle's morning
check) and what a calendar feed's refresh found (``bot.services.feed_refresh``, first: it lets the
transaction go while the feeds are fetched); ``None`` means there is nothing to say today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.coach.library import Library
from bot.services import composing, feed_refresh
from bot.services.accounts import RunnerBrief
from bot.services.composing import (
    Content,
    DueLike,
    MorningCheck,
    Nudge,
    PainCheck,
    Prompt,
    RaceMorning,
    RaceQuestion,
    ReadyToSend,
    Review,
    week_number,
)
from bot.services.feed_fetch import FetchProblem
from bot.services.feed_refresh import Fetch
from bot.services.ports import Outgoing, UnitOfWork
from bot.services.ready_prompts import ReadyPrompt
from bot.services.schedule import DueKind
from bot.telegram.history_render import HistoryRenderer
from bot.telegram.import_render import ImportRender
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.promises_render import welcome_prompt
from bot.telegram.race_day_render import race_morning, with_race_question

__all__ = ["DueLike", "LoopComposer", "week_number"]


class LoopComposer:
    def __init__(
        self, library: Library, render: LoopRenderer, fetch: Fetch | None = None, imports: ImportRender | None = None
    ) -> None:
        self.library = library
        self.render = render
        self.fetch = fetch  # None: no feed is ever refreshed (a composer without a network)
        self.imports = imports or ImportRender(render.render)

    async def compose(
        self, work: UnitOfWork, dues: Sequence[DueLike], now: dt.datetime
    ) -> Mapping[tuple[int, DueKind], Outgoing | None]:
        """What each due message carries is decided by the services, in the dispatcher's unit of
        work; here it is only drawn."""
        feeds = [due for due in dues if due.kind is DueKind.FEED_REFRESH]
        drawn: dict[tuple[int, DueKind], Outgoing | None] = {}
        if feeds:
            found = await feed_refresh.refreshes(work, feeds, now, self.library, self.fetch or _offline)
            drawn.update({key: self.imports.refresh(refreshed) for key, refreshed in found.items()})
        others = [due for due in dues if due.kind is not DueKind.FEED_REFRESH]
        # the runners as the dispatcher read them with its claim (``Due.brief``), unless a feed's
        # refresh above may have changed them in this transaction
        known = {} if feeds else {due.runner_id: brief for due in others if (brief := _brief(due)) is not None}
        decided = await composing.contents(
            work, others, now, self.library, ready_for=self.render.fingerprint, known=known
        )
        return drawn | {key: None if content is None else self.draw(content) for key, content in decided.items()}

    def draw(self, content: Content) -> Outgoing | None:
        """One due message's content as the runner sees it (None: a morning check with nothing left to ask)."""
        if isinstance(content, ReadyToSend):
            return content.ready.message  # decided on the facts stored with it, drawn by this drawer
        if isinstance(content, Prompt) and content.welcome is not None:
            return welcome_prompt(self.render, content.welcome, content.day)
        if isinstance(content, Prompt) and content.plain and self._current(content.ready):
            assert content.ready is not None
            return content.ready.message  # stored with the day, drawn as it would be now
        if isinstance(content, Prompt):
            prompt = self.render.prompt(content.day, self.render.text.later_again if content.again else None)
            return prompt if content.race_day is None else with_race_question(self.render, prompt, content.race_day)
        if isinstance(content, RaceMorning):
            return race_morning(self.render, content.day, content.after)
        if isinstance(content, RaceQuestion):
            return with_race_question(self.render, None, content.race_day)
        if isinstance(content, Nudge):
            return self.render.nudge(content.day)
        if isinstance(content, Review):
            reviewed = content.reviewed
            said = self.render.review(reviewed.payload, reviewed.next_week, content.week_number)
            if content.history is None or not content.history.weeks:
                return said
            return replace(said, photo=HistoryRenderer(self.render.ui.history).chart(content.history))
        if isinstance(content, PainCheck):
            return self.render.pain_check(content.area, content.date)
        assert isinstance(content, MorningCheck)
        return self.render.morning_check(content.session_day, content.checkin)

    def _current(self, ready: ReadyPrompt | None) -> bool:
        """Whether a prompt stored with its day was drawn as this composer draws it now."""
        return ready is not None and ready.fingerprint == self.render.fingerprint


def _brief(due: DueLike) -> RunnerBrief | None:
    """The runner read with the due's claim, if its caller read it (the dispatcher's ``Due``)."""
    brief = getattr(due, "brief", None)
    return brief if isinstance(brief, RunnerBrief) else None


async def _offline(_url: str) -> bytes | FetchProblem:
    return FetchProblem.UNREACHABLE
