"""Texts of /log's corrections and the prompts setting (``content/ui.yaml``, group ``rhythm``)."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class RhythmTexts(_Group):
    log_logged: str  # a logged session's button in /log, with what was logged
    fix_ask: str
    fix_changed: str
    status_done: str
    status_partial: str
    status_skipped: str
    status_swapped: str
    field_status: str
    field_rpe: str
    field_soreness: str
    btn_fix_done: str
    btn_fix_partly: str
    btn_fix_skip: str
    none: str
    btn_prompts: str
    ask_prompts: str
    prompts_all: str
    prompts_lifting: str
    btn_prompts_all: str
    btn_prompts_lifting: str
    btn_cancel: str
    changed_prompts: str
