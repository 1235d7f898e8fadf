"""What the daily loop shows: prompts with check-in buttons, the card a prompt becomes as the
runner answers, nudges, the weekly review, the pain follow-up.

A card is rendered from what is stored (the day's plan and its check-in), so any process can
redraw it, and a tap on an old or repeated button redraws the truth rather than guessing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from bot.coach.model import BodyArea, DayPlan, SessionKind, WeekPlan
from bot.coach.niggles import Compare, Flare, StrengthTest, test_in
from bot.services.accounts import CheckinRecord
from bot.services.later import LaterOffer
from bot.services.loop import SORENESS, Card, niggle_areas
from bot.services.ports import Button, Outgoing
from bot.services.records import ReviewPayload
from bot.telegram.fingerprint import fingerprint
from bot.telegram.render import SEP, Renderer
from bot.telegram.review_render import review_message

DATE_FORMAT = "%Y%m%d"
CHECKIN = "ci"
RPE = "rpe"
SORE = "sore"
AREA = "area"
PAIN = "pain"
LOG = "log"
NIGGLE = "ng"  # the pain-monitoring answer for a niggle area after a session
MORNING = "nm"  # a niggle area the morning after: back to usual or worse (N4)
WEEK_CHECK = "nw"  # a niggle area vs last week, in the weekly review (N4)
TEST = "nt"  # the strength test's count, at the check-in of the session that held it (N5)
HEALTH = "hl"  # clearance, red-flag answers and the level-up question
DELETE = "del"  # /delete's confirmation
SETTINGS = "set"  # /settings: set|open|<setting> opens one, set|<setting>|<value> answers it
FIX = "fix"  # /log's correction of a logged session: fix|<day>|<field>.<value>
PROMPTS = "pr"  # /settings' prompts choice: pr|ask|- asks it, pr|set|all or pr|set|lifting answers it
STATUS_ACTIONS = ("done", "partly", "skip", "swap", "later")
LATER_AT = "later."  # ci|<day>|later.HHMM: "Later" at that local time
_LATER_LABEL = {False: "btn_later_soon", True: "btn_later_evening"}
# the modules a prompt's text and buttons come from (their source is part of the fingerprint)
_DRAWING_MODULES = (
    __name__,
    "bot.telegram.render",
    "bot.coach.wording",
    "bot.coach.plural",
    "bot.content.ui_groups",
)


def data(scope: str, day: dt.date | str, value: str) -> str:
    key = day.strftime(DATE_FORMAT) if isinstance(day, dt.date) else day
    return SEP.join((scope, key, value))


def later_data(day: dt.date, at: dt.datetime | dt.time) -> str:
    return data(CHECKIN, day, f"{LATER_AT}{at:%H%M}")


def parse_wall(text: str) -> dt.time | None:
    """``0930`` as a wall time; None when it is not one."""
    if len(text) != 4 or not (text.isascii() and text.isdigit()) or int(text[:2]) > 23 or int(text[2:]) > 59:
        return None
    return dt.time(int(text[:2]), int(text[2:]))


def parse_day(text: str) -> dt.date | None:
    if len(text) != len("20260101") or not (text.isascii() and text.isdigit()):  # "²".isdigit() is True
        return None
    try:
        return dt.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=dt.UTC).date()
    except ValueError:
        return None


class LoopRenderer:
    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.ui = render.ui
        self.text = render.ui.loop

    @functools.cached_property
    def fingerprint(self) -> str:
        """What a prompt is drawn with: the texts, the plans' words, and the code that draws it. A
        prompt stored with another fingerprint (``bot.services.ready_prompts``) is drawn afresh."""
        return fingerprint((self.ui, self.render.names), _DRAWING_MODULES)

    # -- buttons ---------------------------------------------------------------------------

    def status_buttons(self, day: DayPlan) -> tuple[tuple[Button, ...], ...]:
        t = self.text
        if day.session.kind is SessionKind.MOBILITY:
            return ((Button(t.btn_mobility_done, data(CHECKIN, day.date, "done")),),)
        return (
            (
                Button(t.btn_done, data(CHECKIN, day.date, "done")),
                Button(t.btn_partly, data(CHECKIN, day.date, "partly")),
                Button(t.btn_skip, data(CHECKIN, day.date, "skip")),
            ),
            (
                Button(t.btn_swap, data(CHECKIN, day.date, "swap")),
                Button(t.btn_later, data(CHECKIN, day.date, "later")),
            ),
        )

    def _rpe_buttons(self, day: dt.date) -> tuple[tuple[Button, ...], ...]:
        return tuple(tuple(Button(str(n), data(RPE, day, str(n))) for n in range(start, start + 5)) for start in (1, 6))

    def _soreness_buttons(self, day: dt.date) -> tuple[tuple[Button, ...], ...]:
        t = self.text
        labels = {"none": t.btn_sore_none, "a_bit": t.btn_sore_bit, "very": t.btn_sore_very, "pain": t.btn_sore_pain}
        return (tuple(Button(labels[value], data(SORE, day, value)) for value in SORENESS),)

    def _area_buttons(self, day: dt.date) -> tuple[tuple[Button, ...], ...]:
        areas = [Button(area.value.capitalize(), data(AREA, day, area.value)) for area in BodyArea]
        return tuple(tuple(areas[i : i + 4]) for i in range(0, len(areas), 4))

    # -- messages --------------------------------------------------------------------------

    def prompt(self, day: DayPlan, intro: str | None = None) -> Outgoing:
        """The daily prompt: the session, its reason and the check-in buttons. It reads exactly as
        the card it becomes, so logging only adds lines under it."""
        text = self.render.day(day)
        return Outgoing(f"{intro}\n\n{text}" if intro else text, self.status_buttons(day))

    def later_offer(self, offer: LaterOffer) -> Outgoing:
        """ "Later": the times it can promise, one button each (``later.HHMM``, a local time)."""
        t = self.ui.promises
        rows = tuple(
            (Button(t.fmt(_LATER_LABEL[when.evening], time=f"{when.at:%H:%M}"), later_data(offer.date, when.at)),)
            for when in offer.times
        )
        return Outgoing(t.later_ask, rows)

    def nudge(self, day: DayPlan) -> Outgoing:
        return Outgoing(self.text.fmt("nudge", title=day.session.title), self.status_buttons(day))

    def card(self, card: Card) -> Outgoing:
        """The prompt redrawn with what was logged, asking the next question (or none)."""
        day, checkin = card.day, card.checkin
        lines = [self.render.day(day), ""]
        if checkin is None:
            return Outgoing("\n".join(lines[:-1]), self.status_buttons(day))
        lines.extend(self._logged(checkin, day))
        question, buttons = self._next_question(checkin, day, niggle_areas(card))
        if question:
            lines.append(question)
        return Outgoing("\n".join(lines), buttons)

    def logged(self, card: Card) -> Outgoing:
        """A short answer to a check-in typed in words: the day, what was logged, the next question."""
        day, checkin = card.day, card.checkin
        if checkin is None:
            return Outgoing(self.head(day), self.status_buttons(day))
        lines = self.logged_lines(card)
        question, buttons = self._next_question(checkin, day, niggle_areas(card))
        if question:
            lines.append(question)
        return Outgoing("\n".join(lines), buttons)

    def head(self, day: DayPlan) -> str:
        """The short form's first line: the day and its session."""
        return f"{self.render.weekday(day.date)} {day.date.day} {day.date:%b} · {day.session.title}"

    def logged_lines(self, card: Card) -> list[str]:
        """The short form's lines: the day, then what was logged."""
        return [self.head(card.day), *(self._logged(card.checkin, card.day) if card.checkin else ())]

    def asks(self, card: Card) -> str:
        """The scope of the question the card asks now (``ci`` for the status), "" when none."""
        buttons = self.card(card).buttons
        return buttons[0][0].data.split(SEP, 1)[0] if buttons else ""

    def redrawn(self, card: Card, shown: str) -> Outgoing:
        """The card in the form the tapped message had: the short answer to a typed check-in stays short."""
        return self.logged(card) if shown.startswith(self.head(card.day)) else self.card(card)

    def _logged(self, checkin: CheckinRecord, day: DayPlan) -> list[str]:
        t = self.text
        if checkin.status == "skipped":
            return [t.logged_skipped]
        if checkin.status == "swapped":
            return []
        if day.session.kind is SessionKind.MOBILITY:
            return [t.logged_mobility]
        lines = [t.logged_done if checkin.status == "done" else t.logged_partly]
        if checkin.rpe is not None:
            lines.append(t.fmt("logged_rpe", rpe=checkin.rpe))
        if checkin.soreness is not None and checkin.soreness != "pain":
            lines.append(t.fmt("logged_soreness", soreness=self.soreness(checkin.soreness)))
        if checkin.pain_area is not None:
            lines.append(t.fmt("logged_pain", area=checkin.pain_area.value))
        for area in BodyArea:
            if area in checkin.niggles:
                key = "logged_niggle_ok" if checkin.niggles[area] else "logged_niggle_flare"
                lines.append(t.fmt(key, area=area.value.capitalize()))
        if checkin.test is not None:
            lines.append(t.fmt("logged_test", count=checkin.test[1]))
        return lines

    def soreness(self, value: str) -> str:
        return str(getattr(self.text, f"soreness_{value}", value))

    def _next_question(
        self, checkin: CheckinRecord, day: DayPlan, niggles: Sequence[BodyArea] = ()
    ) -> tuple[str, tuple[tuple[Button, ...], ...]]:
        t = self.text
        if checkin.status not in ("done", "partial") or day.session.kind is SessionKind.MOBILITY:
            return "", ()
        if checkin.rpe is None:
            return t.ask_rpe, self._rpe_buttons(day.date)
        if checkin.soreness is None:
            return t.ask_soreness, self._soreness_buttons(day.date)
        if checkin.soreness == "pain" and checkin.pain_area is None:
            return t.ask_pain_area, self._area_buttons(day.date)
        for area in niggles:
            if area not in checkin.niggles:
                return t.fmt("ask_niggle", area=area.value), self._niggle_buttons(day.date, area)
        test = test_in(p.id for p in day.session.exercises)
        if test is not None and checkin.test is None:
            side = t.test_each_side if test.each_side else ""
            return t.fmt("ask_test", count=test.count, side=side), self._test_buttons(day.date, test)
        return t.checkin_thanks, ()

    def _test_buttons(self, day: dt.date, test: StrengthTest) -> tuple[tuple[Button, ...], ...]:
        """The test's count in three taps: all of it, most of it (from 80 %), fewer."""
        most = test.count * 4 // 5
        return (
            (
                Button(f"{test.count}+", data(TEST, day, str(test.count))),
                Button(f"{most}-{test.count - 1}", data(TEST, day, str(most))),
                Button(f"<{most}", data(TEST, day, "0")),
            ),
        )

    # -- the niggle ladder's morning and weekly checks (N4) ------------------------------------

    def flare(self, area: BodyArea, step: Flare) -> Outgoing:
        """What a flare just logged changed, said at once."""
        return Outgoing(self.text.fmt(f"flare_{step.value}", area=area.value))

    def morning_check(self, session_day: dt.date, checkin: CheckinRecord | None) -> Outgoing | None:
        """The morning after a session that loaded niggle areas: each area back to usual, or worse;
        the answers given so far above the open questions. None when nothing is left to ask."""
        if checkin is None or not checkin.niggles:
            return None
        t = self.text
        lines: list[str] = []
        rows: list[tuple[Button, ...]] = []
        for area in sorted(checkin.niggles):
            if area in checkin.mornings:
                answer = t.btn_morning_ok if checkin.mornings[area] else t.btn_morning_worse
                lines.append(t.fmt("morning_logged", area=area.value, answer=answer.lower()))
                continue
            lines.append(t.fmt("ask_morning", area=area.value))
            rows.append(
                (
                    Button(_labelled(area, t.btn_morning_ok), data(MORNING, session_day, f"{area.value}.ok")),
                    Button(_labelled(area, t.btn_morning_worse), data(MORNING, session_day, f"{area.value}.worse")),
                )
            )
        if not rows and not any(area in checkin.mornings for area in checkin.niggles):
            return None
        return Outgoing("\n".join(lines), tuple(rows))

    def compare_rows(self, sunday: dt.date, areas: Sequence[str]) -> tuple[tuple[Button, ...], ...]:
        """The weekly review's "vs last week" taps, one row per niggle area the week loaded."""
        t = self.text
        labels = {Compare.BETTER: t.btn_week_better, Compare.SAME: t.btn_week_same, Compare.WORSE: t.btn_week_worse}
        return tuple(
            tuple(
                Button(_labelled(BodyArea(area), label), data(WEEK_CHECK, sunday, f"{area}.{answer.value}"))
                for answer, label in labels.items()
            )
            for area in areas
            if area in BodyArea.__members__.values()
        )

    def _niggle_buttons(self, day: dt.date, area: BodyArea) -> tuple[tuple[Button, ...], ...]:
        t = self.text
        return (
            (
                Button(t.btn_niggle_ok, data(NIGGLE, day, f"{area.value}.ok")),
                Button(t.btn_niggle_flare, data(NIGGLE, day, f"{area.value}.flare")),
            ),
        )

    # -- health and level --------------------------------------------------------------------

    def cleared_button(self, what: BodyArea | None = None) -> tuple[tuple[Button, ...], ...]:
        """The button a runner taps once a professional has cleared them (all holds, or an area)."""
        return ((Button(self.ui.buttons.cleared, SEP.join((HEALTH, "clear", what.value if what else "all"))),),)

    def red_flag_question(self, area: BodyArea) -> Outgoing:
        """After a pain report: the red-flag signs that send the runner to a professional first."""
        t = self.text
        return Outgoing(
            t.fmt("ask_red_flag", area=area.value),
            (
                (
                    Button(t.btn_red_flag_yes, SEP.join((HEALTH, "flag", f"{area.value}.yes"))),
                    Button(t.btn_red_flag_no, SEP.join((HEALTH, "flag", f"{area.value}.no"))),
                ),
            ),
        )

    def pain_answered(self, area: BodyArea, answer: str) -> list[tuple[bool, Outgoing]]:
        """After a pain tap: the question replaced by the rule or the follow-up's answer (True: a
        redraw), then, for pain that is new or lasts, the red-flag question (False: sent under it)."""
        key = {"new": "pain_rule", "same": "pain_same", "better": "pain_better"}[answer]
        steps = [(True, Outgoing(self.text.fmt(key, area=area.value)))]
        if answer in ("new", "same"):  # are there signs of something worse?
            steps.append((False, self.red_flag_question(area)))
        return steps

    def still_lifting_buttons(self) -> tuple[tuple[Button, ...], ...]:
        t = self.text
        return (
            (
                Button(t.btn_still_lifting_yes, SEP.join((HEALTH, "lift", "yes"))),
                Button(t.btn_still_lifting_no, SEP.join((HEALTH, "lift", "no"))),
            ),
        )

    def lighter_buttons(self) -> tuple[tuple[Button, ...], ...]:
        """A3 twice in a row: one tap for one session fewer and shorter sessions."""
        t = self.text
        return (
            (
                Button(t.btn_lighter_yes, SEP.join((HEALTH, "light", "yes"))),
                Button(t.btn_lighter_no, SEP.join((HEALTH, "light", "no"))),
            ),
        )

    def level_up_buttons(self, to: str) -> tuple[tuple[Button, ...], ...]:
        """Yes (to the level ``to``, so a yes from an older review cannot move the runner up twice) or no."""
        t = self.text
        return (
            (
                Button(t.btn_level_yes, SEP.join((HEALTH, "lvl", to))),
                Button(t.btn_level_no, SEP.join((HEALTH, "lvl", "no"))),
            ),
        )

    def swapped(self, day: DayPlan, moved_to: dt.date | None) -> Outgoing:
        t = self.text
        head = t.fmt("swapped_moved", weekday=self.render.weekday(moved_to)) if moved_to else t.swapped_dropped
        return Outgoing(f"{head}\n\n{self.render.day(day)}", self.status_buttons(day))

    def pain_check(self, area: BodyArea, local_date: dt.date) -> Outgoing:
        t = self.text
        return Outgoing(
            t.fmt("pain_check", area=area.value),
            (
                (
                    Button(t.btn_pain_better, data(PAIN, local_date, f"{area.value}.better")),
                    Button(t.btn_pain_same, data(PAIN, local_date, f"{area.value}.same")),
                ),
            ),
        )

    def review(self, payload: ReviewPayload, next_week: WeekPlan, week_number: int) -> Outgoing:
        """The weekly review (``bot.telegram.review_render``)."""
        return review_message(self, payload, next_week, week_number)


def _labelled(area: BodyArea, label: str) -> str:
    """A button naming its area, for messages that ask about more than one."""
    return f"{area.value.capitalize()}: {label}"
