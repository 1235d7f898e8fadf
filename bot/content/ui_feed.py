"""The texts of the live calendar feed (`content/ui.yaml`, group ``feed``): the buttons, the link
and its revocation in the chat, and the names a calendar app shows."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class FeedTexts(_Group):
    btn_add: str
    btn_revoke: str
    link: str
    document: str
    revoked: str
    nothing_to_revoke: str
    calendar_name: str
    event_title: str
    file_name: str
