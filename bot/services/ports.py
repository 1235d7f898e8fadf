"""The ports: what the services need from the world, declared beside them as ``Protocol``s.

- :class:`Sender`: how services hand a message to the runner without knowing about Telegram. The
  dispatcher and the handlers send through it; the bot plugs in ``bot.telegram.sender.BotSender``,
  tests and benchmarks ``bot.services.recording.RecordingSender``. Messages are plain values
  (:class:`Outgoing` with rows of :class:`Button`): sent, edited in place, compared or printed.
- :class:`UnitOfWork`: one transaction with the repositories over it (:class:`Runners`, :class:`Answers`,
  :class:`Plans`, :class:`Checkins`, :class:`Reviews`, :class:`DueMessages`, :class:`Deliveries`, the
  inbox, the plan's feed links, the imported ``CalendarSources``), made fresh per use case by a
  :data:`UnitOfWorkFactory`. ``bot.db.uow`` implements it on SQLAlchemy, ``tests/fakes.py`` in
  memory (one contract suite runs against both). Services take ``now`` as a value.

Each repository protocol holds exactly the methods the services (and the dispatcher's composer, inside
its unit of work) call. Every method keyed by ``telegram_id`` raises :class:`~bot.services.records.UnknownRunner`
when writing for a runner nobody created; nothing commits but :meth:`UnitOfWork.commit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, Unpack

from bot.coach.model import BodyArea, DayPlan, Profile, SessionKind, TrainingState, WeekPlan
from bot.services.accounts import CheckinRecord, CheckinStatus, RunnerAccount, RunnerBrief
from bot.services.delivery_ports import Deliveries
from bot.services.feed_rows import FeedRows
from bot.services.feed_sources import CalendarSources
from bot.services.inbox_rows import InboxRows
from bot.services.records import (
    UNSET,
    Advance,
    DueRecord,
    ReviewPayload,
    ScheduleSettings,
    SettingsChange,
    Unavailable,
    Unset,
)
from bot.services.schedule import DueKind

if TYPE_CHECKING:
    from bot.services.ready_prompts import ReadyPrompt, StoredDay  # they draw on Outgoing, declared here


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button: what it says, and the callback data it carries back (at most 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to a runner: its text and its inline keyboard, row by row."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    photo: tuple[str, bytes, str] | None = None  # a picture sent after the text: its name, PNG and caption


class RecipientGone(Exception):
    """The message cannot reach the runner any more: they blocked the bot, or the chat is gone."""

    def __init__(self, chat_id: int, reason: str = "") -> None:
        super().__init__(f"chat {chat_id} cannot be reached{': ' + reason if reason else ''}")
        self.chat_id = chat_id
        self.reason = reason


# The due time of the message the dispatcher is sending now (set in the send task, around the
# send): a sender that paces may serve the earliest due first. Unset (None) for everything else.
SENDING_DUE: ContextVar[dt.datetime | None] = ContextVar("sending_due", default=None)


class Sender(Protocol):
    async def send(self, chat_id: int, message: Outgoing) -> int:
        """Send ``message`` to the chat; the id of the sent message. Raises RecipientGone, and
        SendUnsure (or ``TimeoutError``) when the message may have gone out all the same."""
        ...

    async def edit(self, chat_id: int, message_id: int, message: Outgoing) -> None:
        """Replace the text and buttons of a message sent earlier. Raises RecipientGone."""
        ...


# --- the unit of work and its repositories --------------------------------------------------------


class Contention(Unavailable):
    """Another writer got in first and this transaction was rolled back (SQLite's "database is
    locked" after a read): running the work again, as the writer from the start, succeeds."""


class Runners(Protocol):
    """Runners, their calendar (weekly template, one-off dates, goal race) and training state."""

    async def get(self, telegram_id: int) -> RunnerAccount | None:
        """The runner with this Telegram id, or None if they never talked to the coach."""
        ...

    async def brief(self, telegram_id: int) -> RunnerBrief | None:
        """The runner's identity and settings (no calendar, no state)."""
        ...

    async def briefs(self, runner_ids: Sequence[int]) -> dict[int, RunnerBrief]:
        """Many runners' identity and settings by internal id (the dispatcher's batches)."""
        ...

    async def by_ids(self, runner_ids: Sequence[int]) -> dict[int, RunnerAccount]:
        """Many runners by internal id (the dispatcher's batches)."""
        ...

    async def heard(self, telegram_id: int, at: dt.datetime, every: dt.timedelta) -> None: ...  # last heard, if stale
    async def set_preferences(self, telegram_id: int, **values: bool) -> None:
        """The runner's yes/no choices: ``lifting_prompts_only``, ``review_chart``."""

    async def ensure(
        self, telegram_id: int, chat_id: int, first_name: str, *, now: dt.datetime | None = None
    ) -> RunnerAccount:
        """The runner with this Telegram id, created if new; chat id and first name kept current."""
        ...

    async def save_profile(
        self, telegram_id: int, profile: Profile, *, timezone: str, reminder_time: dt.time, now: dt.datetime
    ) -> RunnerAccount:
        """Store a complete profile in place of the old; the first call marks onboarding finished at ``now``."""
        ...

    async def set_settings(self, telegram_id: int, **changes: Unpack[SettingsChange]) -> RunnerAccount:
        """Change the given delivery settings and leave the others as they are; the account as stored."""
        ...

    async def write_settings(
        self,
        telegram_id: int,
        *,
        timezone: str | Unset | None = UNSET,
        reminder_time: dt.time | Unset | None = UNSET,
        active: bool | Unset = UNSET,
        paused_until: dt.date | Unset | None = UNSET,
        paused_from: dt.date | Unset | None = UNSET,
        now: dt.datetime | None = None,
    ) -> None:
        """As :meth:`set_settings`, reading nothing back (the caller holds the account it read)."""
        ...

    async def save_state(self, telegram_id: int, state: TrainingState) -> None:
        """Store the runner's place on the progression ladder."""
        ...

    async def set_shown(self, telegram_id: int, day: dt.date | None, at: dt.datetime, *, last: bool = False) -> None:
        """Remember the day just shown to the runner (None: today), so "why?" explains it from any
        process; ``last``: the transaction's last statement (SQLite commits it in the same trip)."""
        ...

    async def census(self, today: dt.date) -> tuple[int, int, int, int]:
        """Runners who talked to the bot, onboarded, active (onboarded, not blocked, not paused on
        ``today``) and paused, for the operator's /stats."""
        ...

    async def delete(self, telegram_id: int) -> bool:
        """Erase the runner and every row keyed by them (calendar, state, plans, check-ins, reviews,
        due messages, deliveries); False if there was no such runner."""
        ...


class Answers(Protocol):
    """Onboarding answers given so far (keyed by Telegram id: they exist before the runner does)."""

    async def get_all(self, telegram_id: int) -> dict[str, Any]: ...

    async def put(self, telegram_id: int, question: str, value: Any, now: dt.datetime) -> None:
        """Record (or replace) the answer to one question; ``value`` must be JSON-serialisable."""
        ...

    async def put_all(self, telegram_id: int, values: Mapping[str, Any], now: dt.datetime) -> None:
        """As :meth:`put` for each question in ``values``, in one statement."""
        ...

    async def discard(self, telegram_id: int, questions: Iterable[str]) -> None:
        """Forget the answers to some questions."""
        ...

    async def clear(self, telegram_id: int) -> None: ...


class Plans(Protocol):
    """What was prescribed: the stored plan of each date, the record the daily loop reads."""

    async def save_week(
        self, telegram_id: int, week: WeekPlan, now: dt.datetime, *, from_date: dt.date | None = None
    ) -> None:
        """Store a week; with ``from_date``, only its days from that date on (earlier ones keep theirs)."""
        ...

    async def week(self, telegram_id: int, week_start: dt.date) -> WeekPlan | None:
        """The stored week starting ``week_start``, or None unless all seven days are stored."""
        ...

    async def weeks_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], WeekPlan]:
        """Stored weeks for many (runner id, week start) pairs; incomplete ones left out."""
        ...

    async def weeks_logged(
        self, runner_id: int, starts: Sequence[dt.date]
    ) -> tuple[dict[dt.date, WeekPlan], dict[dt.date, str]]:
        """One runner's stored weeks starting ``starts`` (incomplete ones left out), and the status
        logged on each of their dates and on the day before the first (what reasons may speak of)."""
        ...

    async def days_for(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], DayPlan]:
        """The stored days of many (runner id, date) pairs; missing ones absent."""
        ...

    async def days_and_prompts(
        self, keys: Sequence[tuple[int, dt.date]]
    ) -> tuple[dict[tuple[int, dt.date], DayPlan], dict[tuple[int, dt.date], ReadyPrompt]]:
        """``days_for`` and the prompts stored ready with those days (``bot.services.ready_prompts``)."""
        ...

    async def stored_days(self, keys: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], StoredDay]:
        """The stored days with their ready prompts and facts, each day decoded only when asked for."""
        ...

    async def day(self, telegram_id: int, date: dt.date) -> DayPlan | None: ...

    async def day_logged(
        self, telegram_id: int, date: dt.date
    ) -> tuple[DayPlan, CheckinRecord | None, str | None] | None: ...


class Checkins(Protocol):
    """One check-in per runner and date; logging the same date again updates it."""

    async def set_status(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        session_kind: SessionKind | str,
        status: CheckinStatus,
        note: str | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord:
        """Record the status of ``date``'s session, keeping any effort and soreness already given."""
        ...

    async def set_details(
        self,
        telegram_id: int,
        date: dt.date,
        *,
        rpe: int | Unset | None = UNSET,
        soreness: str | Unset | None = UNSET,
        pain_area: BodyArea | Unset | None = UNSET,
        niggle: tuple[BodyArea, bool] | None = None,
        morning: tuple[BodyArea, bool] | None = None,
        test: tuple[str, int] | None = None,
        now: dt.datetime,
        runner_id: int | None = None,
    ) -> CheckinRecord | None:
        """Add effort, soreness, a painful area, one niggle area's answer after the session or the
        next morning, or the strength test's count (added to those already given) to an existing
        check-in; None when there is none."""
        ...

    async def for_runners(
        self, runner_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[tuple[int, dt.date], CheckinRecord]:
        """Check-ins of many runners (by internal id) dated ``start`` to ``end``."""
        ...

    async def get(self, telegram_id: int, date: dt.date) -> CheckinRecord | None: ...

    async def between(self, telegram_id: int, start: dt.date, end: dt.date) -> list[CheckinRecord]:
        """Check-ins dated ``start`` to ``end``, both included, oldest first."""
        ...


class Reviews(Protocol):
    """One weekly review per runner and week: written once."""

    async def get(self, telegram_id: int, week_start: dt.date) -> ReviewPayload | None: ...

    async def add(
        self, telegram_id: int, week_start: dt.date, rule: str, payload: ReviewPayload, now: dt.datetime
    ) -> bool:
        """Store the review of a week; False (and nothing written) if that week was reviewed already."""
        ...

    async def recent(self, telegram_id: int, before: dt.date, count: int) -> list[ReviewPayload]:
        """The payloads of the ``count`` reviews of weeks starting before ``before``, newest first."""
        ...


class DueMessages(Protocol):
    """The next message of each kind every runner is owed, and the dispatcher's claims on them."""

    async def begin_write(self, *, with_next: bool = False) -> None:
        """Start this transaction as a writer (call it first; SQLite takes its write lock now, or
        with ``with_next`` at the transaction's next statement, which the caller runs at once)."""
        ...

    async def settings(self, telegram_id: int) -> ScheduleSettings | None: ...

    async def settings_of(self, runner_ids: Iterable[int]) -> dict[int, ScheduleSettings]: ...

    async def of_runner(self, runner_id: int) -> dict[DueKind, DueRecord]:
        """The runner's due rows by kind."""
        ...

    async def with_sent(self, runner_id: int) -> tuple[dict[DueKind, DueRecord], dict[DueKind, dt.date]]:
        """The runner's due rows by kind, and the latest local date each kind was delivered to them
        (:meth:`of_runner` and ``Deliveries.last_dates`` in one read)."""
        ...

    async def put(
        self, runner_id: int, kind: DueKind, due_at: dt.datetime, local_date: dt.date, detail: str | None = None
    ) -> None:
        """Set the next message of a kind; a claim a dispatcher holds on the row is kept."""
        ...

    async def remove(
        self, runner_id: int, kinds: Iterable[DueKind] | None = None, local_date: dt.date | None = None
    ) -> None:
        """Delete the runner's rows of these kinds (all of them when ``kinds`` is None); with
        ``local_date``, only a row for that date."""
        ...

    async def any_due(self, now: dt.datetime) -> bool:
        """Whether a row is due at ``now`` and free to claim (its lease over by the database's clock)."""
        ...

    async def earliest_after(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest due time later than ``after``."""
        ...

    async def claim(self, now: dt.datetime, token: str, lease: dt.timedelta, limit: int) -> list[DueRecord]:
        """Claim up to ``limit`` rows due at ``now`` (and not failed at ``now``) whose lease is free
        or over, earliest first, for ``lease`` from now: leases run on the database's clock."""
        ...

    async def extend(self, token: str, lease: dt.timedelta) -> None:
        """Keep a claim alive for ``lease`` from now (the database's clock)."""
        ...

    async def advance(self, token: str, moves: Sequence[Advance]) -> None:
        """Move claimed rows on (or delete them), only where the claim and the row are unchanged."""
        ...

    async def postpone(self, token: str, rows: Sequence[tuple[int, DueKind, dt.datetime]]) -> None:
        """Give claimed rows a later due time and free them."""
        ...

    async def release(self, token: str, keys: Sequence[tuple[int, DueKind]], failed_at: dt.datetime) -> None:
        """Free claimed rows unchanged, marked failed at ``failed_at`` (a sweep at that instant skips them)."""
        ...

    async def release_all(self, token: str, runner_ids: Iterable[int]) -> None:
        """Clear every claim still held under ``token`` on these runners' rows."""
        ...

    async def stop_runners(self, runner_ids: Iterable[int], now: dt.datetime) -> None:
        """The runners blocked the bot: mark them inactive and delete all their due rows."""
        ...


class Groups(Protocol):
    """The groups told that the coach serves private chats only."""

    async def mark_told(self, chat_id: int) -> bool:
        """Remember the group as told; True only for the first call for it, in any process (one note)."""
        ...


class UnitOfWork(Protocol):
    """One transaction; its repositories exist only inside ``async with``. Leaving the block without
    :meth:`commit` (or through an exception) discards everything written in it."""

    @property
    def runners(self) -> Runners: ...
    @property
    def answers(self) -> Answers: ...
    @property
    def plans(self) -> Plans: ...
    @property
    def checkins(self) -> Checkins: ...
    @property
    def reviews(self) -> Reviews: ...
    @property
    def due(self) -> DueMessages: ...
    @property
    def deliveries(self) -> Deliveries: ...
    @property
    def groups(self) -> Groups: ...
    @property
    def inbox(self) -> InboxRows: ...
    @property
    def feeds(self) -> FeedRows: ...
    @property
    def sources(self) -> CalendarSources: ...  # the runners' calendar feeds

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Makes a fresh :class:`UnitOfWork` per use case."""
