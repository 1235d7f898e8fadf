"""A calendar feed's daily refresh on the fakes: the two weeks roll on without a word, a day read
before that changes is re-planned and told, a read that fails keeps the last calendar."""

from __future__ import annotations

import datetime as dt

from fakes import FakeClock, FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.coach.model import RunKind
from bot.services import calendar_imports, feed_refresh
from bot.services.feed_fetch import FetchProblem
from bot.services.feed_refresh import FeedFailing, Refreshed

LINK = "https://plans.example.com/feed.ics"


def weekly(days: str = "TU,TH", long_day: str = "SA") -> bytes:
    """A plan that repeats every week: easy runs on ``days``, the long run on ``long_day``."""
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nX-WR-TIMEZONE:Europe/Berlin\n"
        "BEGIN:VEVENT\nUID:e@t\nDTSTAMP:20260101T000000Z\nDTSTART;VALUE=DATE:20260105\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={days}\nSUMMARY:Easy 40'\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:l@t\nDTSTAMP:20260101T000000Z\nDTSTART;VALUE=DATE:20260105\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={long_day}\nSUMMARY:Long Run\nEND:VEVENT\nEND:VCALENDAR\n"
    ).encode()


async def imported(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    await onboard(uow, library)
    async with uow() as work:
        assert not isinstance(
            await calendar_imports.preview(work, ADA, weekly(), clock.now(), library, url=LINK), FetchProblem
        )
        await calendar_imports.confirm(work, ADA, clock.now(), library)
        await work.commit()


async def refreshed(
    uow: FakeDatabase, clock: FakeClock, library: Library, body: bytes | FetchProblem
) -> Refreshed | FeedFailing | None:
    async with uow() as work:
        source = await work.sources.get(ADA)
        assert source is not None
        found = await feed_refresh.refresh(work, ADA, (source, body), clock.now(), library)
        await work.commit()
    return found


async def overrides(uow: FakeDatabase) -> dict[dt.date, RunKind]:
    async with uow() as work:
        account = await work.runners.get(ADA)
    assert account is not None and account.profile is not None
    return dict(account.profile.overrides)


async def test_the_two_weeks_roll_on_quietly(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    """A day later the same feed adds the new fourteenth day and says nothing."""
    await imported(uow, clock, library)
    first = await overrides(uow)
    clock.advance(dt.timedelta(days=1))
    assert await refreshed(uow, clock, library, weekly()) is None
    after = await overrides(uow)
    new = max(after)
    assert new == max(first) + dt.timedelta(days=1) and {k: v for k, v in after.items() if k != new} == first


async def test_a_day_read_before_that_changes_is_told(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    """The long run moving from Saturday to Sunday is a change to tell, with the days that moved."""
    await imported(uow, clock, library)
    found = await refreshed(uow, clock, library, weekly(long_day="SU"))
    assert isinstance(found, Refreshed)
    changed = {(c.day.weekday(), c.before, c.after) for c in found.changed.changes}
    assert (5, RunKind.LONG, RunKind.REST) in changed and (6, RunKind.REST, RunKind.LONG) in changed


async def test_failed_reads_keep_the_calendar_and_tell_once(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """Unreachable, then a calendar with no runs: failures in a row; the third is told, the fourth not."""
    await imported(uow, clock, library)
    before = await overrides(uow)
    assert await refreshed(uow, clock, library, FetchProblem.UNREACHABLE) is None
    assert await refreshed(uow, clock, library, b"BEGIN:VCALENDAR\nEND:VCALENDAR\n") is None
    assert await refreshed(uow, clock, library, FetchProblem.TIMEOUT) == FeedFailing(3)
    assert await refreshed(uow, clock, library, FetchProblem.TIMEOUT) is None
    assert await overrides(uow) == before
    assert await refreshed(uow, clock, library, weekly()) is None, "read well again: the count starts over"
    async with uow() as work:
        source = await work.sources.get(ADA)
    assert source is not None and source.failures == 0
