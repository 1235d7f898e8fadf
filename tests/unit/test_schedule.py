"""The schedule policy: due times in the runner's zone, quiet hours, catch-up after downtime, pauses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.schedule import (
    DROP,
    SEND,
    Decision,
    Verdict,
    at_local,
    decide,
    due_at,
    first_due,
    is_quiet,
    next_due,
)

UTC = dt.UTC
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KATHMANDU = "Asia/Kathmandu"
SEVEN = dt.time(7, 0)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(timezone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


# --- due times ---------------------------------------------------------------------------------


def test_prompt_follows_the_wall_clock_across_the_spring_change_in_berlin() -> None:
    """The 07:00 prompt stays at 07:00 local on the night clocks go forward: 23 hours apart in UTC."""
    saturday = due_at("prompt", dt.date(2026, 3, 28), BERLIN, SEVEN)
    sunday = next_due("prompt", dt.date(2026, 3, 28), timezone=BERLIN, reminder=SEVEN, now=saturday)
    assert saturday == utc(2026, 3, 28, 6, 0)
    assert sunday == (dt.date(2026, 3, 29), utc(2026, 3, 29, 5, 0))


def test_review_follows_the_wall_clock_across_the_autumn_change_in_berlin() -> None:
    """The Sunday 19:30 review is at 19:30 local before and after clocks go back (a week of 169 hours)."""
    before = due_at("review", dt.date(2026, 10, 18), BERLIN, SEVEN)
    after = next_due("review", dt.date(2026, 10, 18), timezone=BERLIN, reminder=SEVEN, now=before)
    assert before == utc(2026, 10, 18, 17, 30)
    assert after == (dt.date(2026, 10, 25), utc(2026, 10, 25, 18, 30))


def test_new_york_nudge_keeps_its_local_time_over_both_changes() -> None:
    """The 19:00 nudge in New York is 23:00 UTC in summer time and 00:00 UTC the next day in winter."""
    assert due_at("nudge", dt.date(2026, 3, 7), NEW_YORK, SEVEN) == utc(2026, 3, 8, 0, 0)
    assert due_at("nudge", dt.date(2026, 3, 8), NEW_YORK, SEVEN) == utc(2026, 3, 8, 23, 0)
    assert due_at("nudge", dt.date(2026, 10, 31), NEW_YORK, SEVEN) == utc(2026, 10, 31, 23, 0)
    assert due_at("nudge", dt.date(2026, 11, 1), NEW_YORK, SEVEN) == utc(2026, 11, 2, 0, 0)


def test_a_wall_time_skipped_by_the_spring_change_moves_past_the_gap() -> None:
    """02:30 does not exist on the spring-forward night: it resolves to 03:30 summer time."""
    assert at_local(dt.date(2026, 3, 29), dt.time(2, 30), BERLIN) == local(BERLIN, 2026, 3, 29, 3, 30)
    assert at_local(dt.date(2026, 3, 29), dt.time(2, 30), BERLIN) == utc(2026, 3, 29, 1, 30)
    assert at_local(dt.date(2026, 3, 8), dt.time(2, 30), NEW_YORK) == utc(2026, 3, 8, 7, 30)


def test_a_wall_time_repeated_by_the_autumn_change_is_its_first_occurrence() -> None:
    """02:30 happens twice on the fall-back night: the first one (still summer time) is used."""
    assert at_local(dt.date(2026, 10, 25), dt.time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)
    assert at_local(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_kathmandu_quarter_hour_offset() -> None:
    """At UTC+5:45 a 07:00 prompt is due at 01:15 UTC and the Sunday review at 13:45 UTC."""
    assert due_at("prompt", dt.date(2026, 11, 23), KATHMANDU, SEVEN) == utc(2026, 11, 23, 1, 15)
    assert due_at("review", dt.date(2026, 11, 29), KATHMANDU, SEVEN) == utc(2026, 11, 29, 13, 45)


@given(
    timezone=st.sampled_from([BERLIN, NEW_YORK, KATHMANDU, "Australia/Lord_Howe", "America/Santiago", "UTC"]),
    start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
    minutes=st.integers(min_value=6 * 60, max_value=22 * 60),
)
def test_every_daily_prompt_lands_on_its_own_local_day_at_its_wall_time(
    timezone: str, start: dt.date, minutes: int
) -> None:
    """Walking day by day through any zone, each prompt is at the reminder time on its local date."""
    reminder = dt.time(minutes // 60, minutes % 60)
    date, due = start, due_at("prompt", start, timezone, reminder)
    for _ in range(10):
        assert due is not None
        seen = due.astimezone(ZoneInfo(timezone))
        assert seen.date() == date
        assert seen.time() == reminder
        following = next_due("prompt", date, timezone=timezone, reminder=reminder, now=due)
        assert following is not None
        assert following[0] == date + dt.timedelta(days=1)
        assert following[1] > due
        date, due = following


# --- the next occurrence ---------------------------------------------------------------------


def test_first_prompt_is_today_before_the_reminder_time_and_tomorrow_after() -> None:
    """Finishing set-up at 06:30 gets today's 07:00 prompt; at 08:00, tomorrow's."""
    early = first_due("prompt", timezone=BERLIN, reminder=SEVEN, now=local(BERLIN, 2026, 11, 23, 6, 30))
    late = first_due("prompt", timezone=BERLIN, reminder=SEVEN, now=local(BERLIN, 2026, 11, 23, 8, 0))
    assert early == (dt.date(2026, 11, 23), local(BERLIN, 2026, 11, 23, 7, 0))
    assert late == (dt.date(2026, 11, 24), local(BERLIN, 2026, 11, 24, 7, 0))


def test_first_review_is_the_coming_sunday_evening() -> None:
    """On a Wednesday the review is this Sunday at 19:30; on Sunday at 20:00 it is next Sunday."""
    wednesday = first_due("review", timezone=BERLIN, reminder=SEVEN, now=local(BERLIN, 2026, 11, 25, 12, 0))
    sunday_late = first_due("review", timezone=BERLIN, reminder=SEVEN, now=local(BERLIN, 2026, 11, 29, 20, 0))
    assert wednesday == (dt.date(2026, 11, 29), local(BERLIN, 2026, 11, 29, 19, 30))
    assert sunday_late == (dt.date(2026, 12, 6), local(BERLIN, 2026, 12, 6, 19, 30))


def test_no_nudge_for_an_evening_reminder() -> None:
    """A runner whose prompt comes at 20:00 gets no 19:00 nudge before it."""
    now = local(BERLIN, 2026, 11, 23, 8, 0)
    assert first_due("nudge", timezone=BERLIN, reminder=dt.time(20, 0), now=now) is None
    assert first_due("nudge", timezone=BERLIN, reminder=dt.time(18, 59), now=now) is not None


def test_first_due_never_goes_back_to_a_date_already_sent() -> None:
    """Moving the reminder from 07:00 to 09:00 at 08:00, after today's prompt went out, waits for tomorrow."""
    now = local(BERLIN, 2026, 11, 23, 8, 0)
    moved = first_due("prompt", timezone=BERLIN, reminder=dt.time(9, 0), now=now, not_before=dt.date(2026, 11, 24))
    assert moved == (dt.date(2026, 11, 24), local(BERLIN, 2026, 11, 24, 9, 0))


def test_a_pause_with_an_end_is_skipped_to_the_day_after() -> None:
    """Paused Monday to Wednesday, the next prompt is Thursday's and the review still Sunday's."""
    now = local(BERLIN, 2026, 11, 23, 6, 0)
    pause = {"paused_from": dt.date(2026, 11, 23), "paused_until": dt.date(2026, 11, 25)}
    assert first_due("prompt", timezone=BERLIN, reminder=SEVEN, now=now, **pause) == (
        dt.date(2026, 11, 26),
        local(BERLIN, 2026, 11, 26, 7, 0),
    )
    assert first_due("review", timezone=BERLIN, reminder=SEVEN, now=now, **pause) == (
        dt.date(2026, 11, 29),
        local(BERLIN, 2026, 11, 29, 19, 30),
    )


def test_after_a_long_downtime_the_next_prompt_is_the_one_still_useful() -> None:
    """Back after ten days at noon, the prompt row jumps to today's (due, still useful); at 20:00 to tomorrow's."""
    noon = local(BERLIN, 2026, 12, 3, 12, 0)
    evening = local(BERLIN, 2026, 12, 3, 20, 0)
    old = dt.date(2026, 11, 23)
    assert next_due("prompt", old, timezone=BERLIN, reminder=SEVEN, now=noon) == (
        dt.date(2026, 12, 3),
        local(BERLIN, 2026, 12, 3, 7, 0),
    )
    assert next_due("prompt", old, timezone=BERLIN, reminder=SEVEN, now=evening) == (
        dt.date(2026, 12, 4),
        local(BERLIN, 2026, 12, 4, 7, 0),
    )


# --- late messages and quiet hours -----------------------------------------------------------


def _decide(kind: str, date: dt.date, due: dt.datetime, now: dt.datetime, **pause: dt.date | None) -> Decision:
    return decide(kind, local_date=date, due=due, now=now, timezone=BERLIN, **pause)


MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 29)


def test_quiet_hours_run_from_22_to_6() -> None:
    """22:00 and 05:59 are quiet; 06:00 and 21:59 are not."""
    assert is_quiet(dt.time(22, 0)) and is_quiet(dt.time(5, 59)) and is_quiet(dt.time(0, 0))
    assert not is_quiet(dt.time(6, 0)) and not is_quiet(dt.time(21, 59))


def test_a_missed_prompt_goes_out_the_same_day_before_the_evening_nudge_only() -> None:
    """The 07:00 prompt is sent late at 12:00 and 18:59, dropped at 19:00 and the next morning."""
    due = local(BERLIN, 2026, 11, 23, 7, 0)
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 12, 0)) == SEND
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 18, 59)) == SEND
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 19, 0)) == DROP
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 24, 8, 0)) == DROP


def test_a_prompt_at_a_reminder_time_inside_quiet_hours_is_sent_on_time_only() -> None:
    """A runner who chose 22:00 gets the prompt at 22:00 and 22:10, not at 22:45 or 23:30."""
    due = local(BERLIN, 2026, 11, 23, 22, 0)
    assert _decide("prompt", MONDAY, due, due) == SEND
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 22, 10)) == SEND
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 22, 45)) == DROP


def test_a_late_daytime_prompt_is_not_sent_in_quiet_hours() -> None:
    """A 21:45 prompt missed until 22:05 is not sent: quiet hours have begun and it was not chosen for them."""
    due = local(BERLIN, 2026, 11, 23, 21, 45)
    assert _decide("prompt", MONDAY, due, local(BERLIN, 2026, 11, 23, 22, 5)) == DROP


def test_a_missed_nudge_goes_out_until_22_only() -> None:
    """The 19:00 nudge is sent late at 21:59 and dropped at 22:00."""
    due = local(BERLIN, 2026, 11, 23, 19, 0)
    assert _decide("nudge", MONDAY, due, local(BERLIN, 2026, 11, 23, 21, 59)) == SEND
    assert _decide("nudge", MONDAY, due, local(BERLIN, 2026, 11, 23, 22, 0)) == DROP


def test_a_missed_review_waits_out_the_night_and_goes_out_on_monday_until_22() -> None:
    """Sunday's review missed until 02:00 Monday waits for 06:00; it is sent at 21:00 and dropped at 22:00."""
    due = local(BERLIN, 2026, 11, 29, 19, 30)
    night = _decide("review", SUNDAY, due, local(BERLIN, 2026, 11, 30, 2, 0))
    assert night == Decision(Verdict.DEFER, local(BERLIN, 2026, 11, 30, 6, 0))
    late_sunday = _decide("review", SUNDAY, due, local(BERLIN, 2026, 11, 29, 23, 0))
    assert late_sunday == Decision(Verdict.DEFER, local(BERLIN, 2026, 11, 30, 6, 0))
    assert _decide("review", SUNDAY, due, local(BERLIN, 2026, 11, 30, 21, 0)) == SEND
    assert _decide("review", SUNDAY, due, local(BERLIN, 2026, 11, 30, 22, 0)) == DROP


def test_later_is_never_sent_in_quiet_hours_and_only_the_same_day() -> None:
    """A Later due at 23:00 is dropped; one due at 05:00 waits for 06:00; the next day it is dropped."""
    assert _decide("later", MONDAY, local(BERLIN, 2026, 11, 23, 23, 0), local(BERLIN, 2026, 11, 23, 23, 0)) == DROP
    early = local(BERLIN, 2026, 11, 23, 5, 0)
    assert _decide("later", MONDAY, early, early) == Decision(Verdict.DEFER, local(BERLIN, 2026, 11, 23, 6, 0))
    assert _decide("later", MONDAY, early, local(BERLIN, 2026, 11, 24, 9, 0)) == DROP


def test_a_pain_check_waits_out_the_night_and_expires_after_two_days() -> None:
    """A pain check due at 23:00 goes at 06:00; two days after its due time it is dropped."""
    due = local(BERLIN, 2026, 11, 23, 23, 0)
    assert _decide("pain_check", MONDAY, due, due) == Decision(Verdict.DEFER, local(BERLIN, 2026, 11, 24, 6, 0))
    assert _decide("pain_check", MONDAY, due, local(BERLIN, 2026, 11, 25, 12, 0)) == SEND
    assert _decide("pain_check", MONDAY, due, due + dt.timedelta(days=2)) == DROP


def test_nothing_is_sent_for_a_date_inside_a_pause() -> None:
    """Paused from Monday, with or without an end, Monday's prompt is dropped; the day before or after is not."""
    due = local(BERLIN, 2026, 11, 23, 7, 0)
    now = due + dt.timedelta(minutes=1)
    assert _decide("prompt", MONDAY, due, now, paused_from=MONDAY, paused_until=None) == DROP
    assert _decide("prompt", MONDAY, due, now, paused_from=MONDAY, paused_until=MONDAY) == DROP
    assert _decide("prompt", MONDAY, due, now, paused_from=dt.date(2026, 11, 24), paused_until=None) == SEND
    assert (
        _decide("prompt", MONDAY, due, now, paused_from=dt.date(2026, 11, 20), paused_until=dt.date(2026, 11, 22))
        == SEND
    )


def test_kathmandu_quiet_hours_are_local() -> None:
    """At UTC+5:45, 16:14 UTC is 21:59 local (a nudge still goes) and 16:15 UTC is 22:00 (dropped)."""
    due = due_at("nudge", MONDAY, KATHMANDU, SEVEN)
    assert due == utc(2026, 11, 23, 13, 15)
    assert decide("nudge", local_date=MONDAY, due=due, now=utc(2026, 11, 23, 16, 14), timezone=KATHMANDU) == SEND
    assert decide("nudge", local_date=MONDAY, due=due, now=utc(2026, 11, 23, 16, 15), timezone=KATHMANDU) == DROP


def test_naive_now_is_refused() -> None:
    """A naive datetime is a bug in the caller, never silently read as UTC."""
    with pytest.raises(ValueError):
        first_due("prompt", timezone=BERLIN, reminder=SEVEN, now=dt.datetime(2026, 11, 23, 7, 0))  # noqa: DTZ001
