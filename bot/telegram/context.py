"""Typed dependencies for handlers: ``context.deps`` instead of string look-ups in ``bot_data``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.coach.intents import IntentParser
from bot.coach.library import Library
from bot.config import Settings
from bot.content.ui import Ui
from bot.services.chat import Chat
from bot.services.usecases import Coach
from bot.telegram.compose import LoopComposer
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer
from bot.telegram.signing import Signer


@dataclass(frozen=True)
class Deps:
    settings: Settings
    clock: Clock
    coach: Coach  # every use case, with its unit of work, the library and the clock bound once
    library: Library
    ui: Ui
    render: Renderer
    loop_render: LoopRenderer
    sender: Chat  # the one way out: sends, edits, replies with a keyboard, answers taps
    composer: LoopComposer
    intents: IntentParser
    signer: Signer  # signs every button's data for its chat, and checks the taps that come back
    # runners this process has seen onboarded, with when it saw it: the gate in front of every
    # update skips its query for them. Only /delete turns the fact false again, so an entry lives a
    # few minutes: another process's /delete is seen within that time
    known_onboarded: dict[int, dt.datetime] = field(default_factory=dict)


class BotData:
    """The application-wide data PTB hands every callback; it holds the dependencies only."""

    deps: Deps


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def deps(self) -> Deps:
        return self.bot_data.deps


CoachApplication = Application[ExtBot[None], CoachContext, dict[Any, Any], dict[Any, Any], BotData, Any]
