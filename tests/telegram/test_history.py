"""/history and /stats: the runner's last weeks in words, and a chart of sessions planned and done
and the mean effort, drawn from their stored check-ins and sent as a photo; /admin keeps the
operators' whole-bot figures."""

from __future__ import annotations

import datetime as dt
import struct

from chatdriver import UI, Runner
from test_checkins import BERLIN, deliver, onboarded, stored_days

from bot.clock import FakeClock
from bot.console.transport import ChatMessage
from bot.services import loop
from bot.telegram.chart import draw
from bot.telegram.context import CoachApplication

WEEKS = (dt.date(2026, 11, 23), dt.date(2026, 11, 30))  # the two full weeks after onboarding
# per week, the lifts in order: (status, effort)
LOGGED = ((("done", 6), ("skipped", None)), (("partial", 5), ("done", 9)))


async def log_weeks(app: CoachApplication, runner: Runner, clock: FakeClock) -> list[dict[str, object]]:
    """Log the lifts of both weeks as LOGGED says (reviewing the first week on its Sunday); what
    each week then holds: sessions planned, done, partly, skipped and the mean effort."""
    deps = app.bot_data.deps
    expected: list[dict[str, object]] = []
    for monday, answers in zip(WEEKS, LOGGED, strict=True):
        clock.set(dt.datetime.combine(monday, dt.time(8, 0), tzinfo=BERLIN))
        await runner.say("/week")  # the week is planned (and stored) when first shown
        days = await stored_days(runner, monday)
        lifts = [d for d in days if d.session.kind.is_lifting]
        logged = list(zip(lifts, answers, strict=True))
        for day, (status, rpe) in logged:
            clock.set(dt.datetime.combine(day.date, dt.time(18, 0), tzinfo=BERLIN))
            async with deps.coach.uow() as work:
                await loop.log_status(work, runner.user_id, day.date, status, clock.now(), deps.library)  # type: ignore[arg-type]
                if rpe is not None:
                    await loop.log_rpe(work, runner.user_id, day.date, rpe, clock.now(), deps.library)
                await work.commit()
        efforts = [rpe for _, (_, rpe) in logged if rpe is not None]
        expected.append(
            {
                "planned": len(lifts),
                "done": sum(1 for _, (s, _) in logged if s == "done"),
                "partly": sum(1 for _, (s, _) in logged if s == "partial"),
                "skipped": sum(1 for _, (s, _) in logged if s == "skipped"),
                "effort": round(sum(efforts) / len(efforts), 1),
            }
        )
        if monday == WEEKS[0]:
            sunday = monday + dt.timedelta(days=6)
            clock.set(dt.datetime.combine(sunday, dt.time(19, 30), tzinfo=BERLIN))
            await deliver(app, runner, "review", sunday)
    return expected


def _photo(runner: Runner) -> ChatMessage:
    (photo,) = [m for m in runner.api.messages(runner.user_id) if m.kind == "photo"][-1:]
    return photo


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_history_shows_each_week_in_words_and_a_chart_of_what_was_logged(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/history: a line per week with what was planned and logged, the effort and the review's
    rule, then a phone-sized PNG whose bars and effort line are the stored check-ins."""
    await onboarded(runner)
    expected = await log_weeks(app, runner, clock)
    clock.set(dt.datetime(2026, 12, 6, 20, 0, tzinfo=BERLIN))  # the second week's Sunday evening

    text, caption = await runner.say("/history")

    lines = text.splitlines()
    assert lines[0] == UI.history.fmt("title", start="16 Nov")  # the week the runner joined
    for week, want in zip(lines[2:4], expected, strict=True):
        assert f"{want['planned']} planned · {want['done']} done · {want['partly']} partly" in week
        assert f"{want['skipped']} skipped" in week and f"effort {want['effort']:g}/10" in week
    async with app.bot_data.deps.coach.uow() as work:
        reviewed = await work.reviews.get(runner.user_id, WEEKS[0])
    assert reviewed is not None
    assert lines[2].startswith("23 Nov:") and lines[2].endswith(getattr(UI.history, f"rule_{reviewed.rules[0]}"))
    assert lines[3].startswith("30 Nov:") and lines[3].endswith(UI.history.this_week)
    assert caption == UI.history.chart_caption

    photo = _photo(runner)
    png = runner.api.photos[(runner.user_id, photo.message_id)].content
    assert photo.data["caption"] == UI.history.chart_caption
    width, height = _png_size(png)
    assert (900, 600) <= (width, height) <= (1200, 900) and width > height
    history = await app.bot_data.deps.data.history(runner.user_id)
    assert history is not None
    chart = draw(history, UI.history)
    assert chart.png == png  # the chart sent is the one read back below
    planned, done, partly = (container for container in chart.figure.axes[0].containers)
    assert [bar.get_height() for bar in planned][1:] == [w["planned"] for w in expected]
    assert [bar.get_height() for bar in done][1:] == [w["done"] for w in expected]
    assert [bar.get_height() for bar in partly][1:] == [w["partly"] for w in expected]
    (effort,) = chart.figure.axes[1].get_lines()
    assert list(effort.get_ydata())[1:] == [w["effort"] for w in expected]


async def test_stats_sums_the_weeks_up_with_the_same_chart(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """/stats is the runner's own: the weeks in one sum and the average effort, then the chart."""
    await onboarded(runner)
    expected = await log_weeks(app, runner, clock)
    clock.set(dt.datetime(2026, 12, 6, 20, 0, tzinfo=BERLIN))

    text, _caption = await runner.say("/stats")

    done = sum(int(str(w["done"])) for w in expected)
    planned = sum(int(str(w["planned"])) for w in expected)
    summary = UI.history.fmt("summary", start="16 Nov", done=done, planned=planned, partly=1, skipped=1, swapped=0)
    assert summary in text
    assert f"Average effort: {(6 + 7) / 2:g}/10" in text  # the weeks' means: 6, and (5 + 9) / 2
    assert runner.api.last_photo(runner.user_id) is not None


async def test_history_before_onboarding_points_to_start(runner: Runner) -> None:
    """Someone not set up yet is sent to /start, with no chart."""
    assert await runner.say("/history") == [UI.general.not_onboarded]
    assert [m for m in runner.api.messages(runner.user_id) if m.kind == "photo"] == []


async def test_another_runners_history_is_not_shown(
    app: CoachApplication, runner: Runner, other: Runner, clock: FakeClock
) -> None:
    """A runner's /history counts only their own check-ins."""
    await onboarded(runner)
    await onboarded(other)
    await log_weeks(app, runner, clock)
    clock.set(dt.datetime(2026, 12, 6, 20, 0, tzinfo=BERLIN))
    text, _caption = await other.say("/history")
    assert " 0 done " in text.splitlines()[2] + " " and "effort" not in text.splitlines()[2].replace("no effort", "")
