"""The texts of promises the coach makes and keeps (`content/ui.yaml`, group ``promises``):
"Later" and the times it offers, and the welcome back on the day a pause ends."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class PromisesTexts(_Group):
    """ "Later": when to send the day's session again; and coming back after a pause."""

    later_ask: str
    btn_later_soon: str
    btn_later_evening: str
    later_set: str
    later_passed: str
    back_short: str
    back_step: str
    back_set: str
    back_restart: str
    welcome_back: str
