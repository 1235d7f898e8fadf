"""What /log shows: this week's sessions (open ones first, logged ones marked), the correction card
of a logged session, and the /settings question of which days get a prompt."""

from __future__ import annotations

from bot.coach.model import SessionKind
from bot.services.log_book import Corrected, LogMenu
from bot.services.loop import Card
from bot.services.ports import Button, Outgoing
from bot.telegram.context import CoachContext
from bot.telegram.loop_render import FIX, LOG, PROMPTS, data
from bot.telegram.render import SEP

Rows = tuple[tuple[Button, ...], ...]


def log_menu(context: CoachContext, menu: LogMenu) -> Outgoing:
    deps = context.deps
    t, weekday = deps.ui.rhythm, deps.render.weekday
    if not menu.open and not menu.logged:
        return Outgoing(deps.ui.loop.log_nothing)
    rows = [
        (Button(f"{weekday(d.date, short=True)} {d.date.day} · {d.session.title}", data(LOG, d.date, "pick")),)
        for d in menu.open
    ]
    for d, checkin in menu.logged:
        label = t.fmt(
            "log_logged",
            day=f"{weekday(d.date, short=True)} {d.date.day}",
            title=d.session.title,
            status=status_word(context, checkin.status),
        )
        rows.append((Button(label, data(LOG, d.date, "pick")),))
    return Outgoing(deps.ui.loop.log_pick, tuple(rows))


def status_word(context: CoachContext, status: str) -> str:
    return str(getattr(context.deps.ui.rhythm, f"status_{status}", status))


def correction(context: CoachContext, card: Card, changed: str | None = None) -> Outgoing:
    """A logged session with what was logged and a button for each value it may be corrected to."""
    loop, t = context.deps.loop_render, context.deps.ui.rhythm
    lines = ([changed] if changed else []) + [*loop.logged_lines(card), t.fix_ask]
    return Outgoing("\n".join(lines), _fix_rows(context, card))


def _fix_rows(context: CoachContext, card: Card) -> Rows:
    t, lt, day = context.deps.ui.rhythm, context.deps.ui.loop, card.day.date
    if card.day.session.kind is SessionKind.MOBILITY:
        return (
            (
                Button(t.btn_fix_done, data(FIX, day, "status.done")),
                Button(t.btn_fix_skip, data(FIX, day, "status.skipped")),
            ),
        )
    statuses = ((t.btn_fix_done, "done"), (t.btn_fix_partly, "partial"), (t.btn_fix_skip, "skipped"))
    rows: list[tuple[Button, ...]] = [tuple(Button(label, data(FIX, day, f"status.{v}")) for label, v in statuses)]
    if card.checkin is not None and card.checkin.status in ("done", "partial"):
        rows += [tuple(Button(str(n), data(FIX, day, f"rpe.{n}")) for n in range(start, start + 5)) for start in (1, 6)]
        sore = ((lt.btn_sore_none, "none"), (lt.btn_sore_bit, "a_bit"), (lt.btn_sore_very, "very"))
        rows.append(tuple(Button(label, data(FIX, day, f"soreness.{v}")) for label, v in sore))
    return tuple(rows)


def corrected(context: CoachContext, result: Corrected) -> str:
    """ "Corrected: effort 7 → 5." """
    t = context.deps.ui.rhythm
    return t.fmt(
        "fix_changed",
        field=getattr(t, f"field_{result.field}"),
        before=_value(context, result.field, result.before),
        after=_value(context, result.field, result.after),
    )


def _value(context: CoachContext, field: str, value: str | int | None) -> str:
    if value is None:
        return context.deps.ui.rhythm.none
    if field == "status":
        return status_word(context, str(value))
    if field == "soreness":
        return context.deps.loop_render.soreness(str(value)).lower()
    return f"{value}/10"


def prompts_question(context: CoachContext, lifting_only: bool) -> Outgoing:
    t = context.deps.ui.rhythm
    current = t.prompts_lifting if lifting_only else t.prompts_all
    return Outgoing(
        t.fmt("ask_prompts", current=current),
        (
            (Button(t.btn_prompts_all, SEP.join((PROMPTS, "set", "all"))),),
            (Button(t.btn_prompts_lifting, SEP.join((PROMPTS, "set", "lifting"))),),
            (Button(t.btn_cancel, SEP.join((PROMPTS, "set", "cancel"))),),
        ),
    )


def prompts_changed(context: CoachContext, lifting_only: bool) -> str:
    t = context.deps.ui.rhythm
    return t.fmt("changed_prompts", current=t.prompts_lifting if lifting_only else t.prompts_all)


def prompts_button(context: CoachContext) -> Button:
    """The /settings menu's button that asks which days get a prompt."""
    return Button(context.deps.ui.rhythm.btn_prompts, SEP.join((PROMPTS, "ask", "-")))
