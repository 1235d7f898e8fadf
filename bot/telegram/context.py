"""Typed dependencies for handlers: ``context.deps`` instead of string look-ups in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.coach.intents import IntentParser
from bot.coach.library import Library
from bot.config import Settings
from bot.content.ui import Ui
from bot.db.uow import UnitOfWorkFactory
from bot.services.ports import Sender
from bot.telegram.compose import LoopComposer
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    library: Library
    ui: Ui
    render: Renderer
    loop_render: LoopRenderer
    sender: Sender
    composer: LoopComposer
    intents: IntentParser
    # runners this process has seen onboarded: onboarding never reopens for them, so the gate in
    # front of every update can skip its query (a cache of a fact that only ever turns true)
    known_onboarded: set[int] = field(default_factory=set)


class BotData:
    """The application-wide data PTB hands every callback; it holds the dependencies only."""

    deps: Deps


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def deps(self) -> Deps:
        return self.bot_data.deps


CoachApplication = Application[ExtBot[None], CoachContext, dict[Any, Any], dict[Any, Any], BotData, Any]
