"""The texts of importing a runner's training calendar (an ``.ics`` file or feed link) and of its
daily refresh: a group of ``content/ui.yaml`` (``imports``)."""

from __future__ import annotations

from bot.content.ui_groups import _Group


class ImportTexts(_Group):
    """What the runner reads when a calendar is read, confirmed, refused or refreshed."""

    preview_header: str
    day_line: str
    day_line_titled: str
    ignored: str
    preview_footer: str
    btn_confirm: str
    btn_cancel: str
    cancelled: str
    stored: str
    race_found: str
    btn_goal: str
    btn_tune_up: str
    btn_ignore: str
    race_goal: str
    race_tune_up: str
    race_ignored: str
    feed_saved: str
    # why a calendar file could not be read (IcsProblem)
    empty: str
    not_ics: str
    binary: str
    too_big: str
    no_runs: str
    # why a feed link could not be fetched (FetchProblem)
    bad_url: str
    refused_address: str
    unreachable: str
    timeout: str
    fetch_too_big: str
    http_error: str
    # the daily refresh of a feed
    refreshed: str
    feed_failing: str


PLACEHOLDERS: dict[tuple[str, str], frozenset[str]] = {
    ("imports", "preview_header"): frozenset({"first", "last"}),
    ("imports", "day_line"): frozenset({"weekday", "day", "run"}),
    ("imports", "day_line_titled"): frozenset({"weekday", "day", "run", "title"}),
    ("imports", "ignored"): frozenset({"count"}),
    ("imports", "stored"): frozenset({"first", "last"}),
    ("imports", "race_found"): frozenset({"weekday", "day", "title"}),
    ("imports", "race_goal"): frozenset({"title", "date"}),
    ("imports", "race_tune_up"): frozenset({"title", "date"}),
    ("imports", "race_ignored"): frozenset({"title"}),
    ("imports", "feed_failing"): frozenset({"days"}),
}
