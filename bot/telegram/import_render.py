"""How a calendar import reads: the two weeks understood with Confirm / Cancel, a refused file or
link in one short sentence, the stored calendar with the re-planned week, and the question a race
of the calendar asks (goal race, tune-up, or ignore)."""

from __future__ import annotations

import datetime as dt

from bot.coach.calendar_import import IcsProblem, ImportedDay
from bot.coach.model import RunKind
from bot.content.ui_imports import ImportTexts
from bot.services.calendar_imports import Preview, RaceChoice, Stored
from bot.services.feed_fetch import FetchProblem
from bot.services.feed_refresh import FeedFailing, Refreshed
from bot.services.ports import Outgoing
from bot.telegram.render import Renderer, callback, day_month, keyboard

SCOPE = "ics"
CONFIRM = "ok"
CANCEL = "no"
NO_VALUE = "-"


class ImportRender:
    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.text: ImportTexts = render.ui.imports

    def day_line(self, date: dt.date, day: ImportedDay | None) -> str:
        weekday = self.render.weekday(date, short=True)
        run = self.render.run(day.kind if day is not None else RunKind.REST)
        if day is None or not day.title:
            return self.text.fmt("day_line", weekday=weekday, day=date.day, run=run)
        return self.text.fmt("day_line_titled", weekday=weekday, day=date.day, run=run, title=day.title[:40])

    def days(self, found: Preview) -> str:
        return "\n".join(self.day_line(date, found.on(date)) for date in found.dates)

    def preview(self, found: Preview) -> Outgoing:
        """What was understood, day by day, with Confirm and Cancel."""
        t = self.text
        parts = [t.fmt("preview_header", first=day_month(found.first), last=day_month(found.last)), self.days(found)]
        if found.ignored:
            parts.append(t.fmt("ignored", count=found.ignored))
        parts.append(t.preview_footer)
        row = [(t.btn_confirm, callback(SCOPE, CONFIRM, NO_VALUE)), (t.btn_cancel, callback(SCOPE, CANCEL, NO_VALUE))]
        return Outgoing("\n\n".join(parts), keyboard([row]))

    def problem(self, problem: IcsProblem | FetchProblem) -> str:
        """One short sentence for a calendar file or feed link that could not be read."""
        if problem is FetchProblem.TOO_BIG:
            return self.text.fetch_too_big
        return str(getattr(self.text, problem.name.lower()))

    def stored(self, stored: Stored, moved: Outgoing) -> list[Outgoing]:
        """The calendar stored with what it moved (``moved``: /calendar's account of a change, with
        its Undo); the feed's daily reading, for a link; then a race's question, if one waits."""
        t = self.text
        said = t.fmt("stored", first=day_month(stored.preview.first), last=day_month(stored.preview.last))
        messages = [Outgoing(f"{said}\n\n{moved.text}", moved.buttons)]
        if stored.url is not None:
            messages.append(Outgoing(t.feed_saved))
        if stored.race is not None:
            messages.append(self.race_question(stored.race))
        return messages

    def race_question(self, race: ImportedDay) -> Outgoing:
        t = self.text
        text = t.fmt("race_found", weekday=self.render.weekday(race.date), day=day_month(race.date), title=race.title)
        value = race.date.isoformat()
        row = [(t.btn_tune_up, callback(SCOPE, RaceChoice.TUNE_UP.value, value))]
        if race.distance is not None:  # a goal race needs its distance
            row.insert(0, (t.btn_goal, callback(SCOPE, RaceChoice.GOAL.value, value)))
        row.append((t.btn_ignore, callback(SCOPE, RaceChoice.IGNORE.value, value)))
        return Outgoing(text, keyboard([row]))

    def refresh(self, found: Refreshed | FeedFailing | None) -> Outgoing | None:
        """What a feed's daily refresh tells the runner: the days that changed and the weeks as
        re-planned, or that the link has failed for days; None: nothing to say."""
        if isinstance(found, FeedFailing):
            return Outgoing(self.text.fmt("feed_failing", days=found.days))
        if found is None:
            return None
        r, changed = self.render, found.changed
        lines = [self.text.refreshed]
        for c in changed.changes:
            before, after = r.run(c.before), r.run(c.after)
            weekday, date = r.weekday(c.day, short=True), day_month(c.day)
            lines.append(r.ui.calendar.fmt("day_changed", weekday=weekday, date=date, before=before, after=after))
        weeks = (r.week(week, from_day=changed.start) for week in changed.weeks)
        return Outgoing("\n\n".join(["\n".join(lines), *weeks]))

    def race_set(self, race: ImportedDay, choice: RaceChoice) -> str:
        key = {RaceChoice.GOAL: "race_goal", RaceChoice.TUNE_UP: "race_tune_up", RaceChoice.IGNORE: "race_ignored"}
        return self.text.fmt(key[choice], title=race.title, date=day_month(race.date))
