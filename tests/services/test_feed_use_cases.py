"""The calendar feed's use cases on the fakes: a link only for an onboarded runner, stored as a hash,
one live link at a time, revocable; serving a feed reads and writes nothing."""

from __future__ import annotations

from fakes import FakeClock, FakeDatabase
from onboarded import ADA, onboard

from bot.coach.library import Library
from bot.services.feeds import Feeds, token_hash


async def test_a_link_is_stored_only_as_its_hash_and_one_at_a_time(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """The token is handed out once and only its SHA-256 is stored; a second link ends the first."""
    await onboard(uow, library)
    feeds = Feeds(uow, clock)
    first = await feeds.issue(ADA)
    assert first is not None and len(first) == 43
    assert first not in str(uow.tables.feeds) and token_hash(first) in uow.tables.feeds.values()
    second = await feeds.issue(ADA)
    assert second is not None and second != first
    assert await feeds.feed(first) is None
    served = await feeds.feed(second)
    assert served is not None and served.days, "the onboarded plan's sessions"


async def test_serving_a_feed_writes_nothing(uow: FakeDatabase, clock: FakeClock, library: Library) -> None:
    """A feed read (good, unknown or malformed token) leaves every table as it was."""
    await onboard(uow, library)
    feeds = Feeds(uow, clock)
    token = await feeds.issue(ADA)
    assert token is not None
    before, commits = uow.tables.copy(), uow.commits
    assert await feeds.feed(token) is not None
    assert await feeds.feed("x" * 43) is None
    assert await feeds.feed("../../etc/passwd") is None
    assert await feeds.plan(ADA) is not None
    assert uow.tables == before and uow.commits == commits


async def test_no_link_before_onboarding_and_revoking_ends_it(
    uow: FakeDatabase, clock: FakeClock, library: Library
) -> None:
    """Someone not onboarded gets no link and no calendar; a revoked link serves nothing."""
    feeds = Feeds(uow, clock)
    assert await feeds.issue(ADA) is None
    assert await feeds.plan(ADA) is None
    await onboard(uow, library)
    token = await feeds.issue(ADA)
    assert token is not None
    assert await feeds.revoke(ADA)
    assert await feeds.feed(token) is None
    assert not await feeds.revoke(ADA)
