"""The database schema as SQLAlchemy 2 typed models.

These rows never leave ``bot.db``: repositories turn them into the domain objects of
``bot.coach.model`` and back. Every ``*_at`` column is an :class:`AwareDateTime`, so an instant
read from SQLite or PostgreSQL is always timezone-aware UTC, and a naive one is refused on write.
Enum-like columns are plain strings holding the ``StrEnum`` values of the domain model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.services.accounts import CHECKIN_STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(TypeDecorator[dt.datetime]):
    """A ``DateTime(timezone=True)`` that stores UTC and always gives back aware UTC datetimes.

    SQLite has no timezone-aware type, so the instant is normalised to UTC before it is written
    and tagged as UTC when it is read. A naive datetime is a bug in the caller and is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: pass an aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], dt.datetime | None] | None:
        """On SQLite, an instant stored as SQLAlchemy stores it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC)
        is read in one step, the same value as the general way (parse, then tag as UTC, which costs
        six times as much; a dispatcher's batch reads a few instants a runner); any other text
        the general way."""
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general
        parse = dt.datetime.fromisoformat

        def process(value: Any) -> dt.datetime | None:
            if value is None:
                return None
            if type(value) is str and len(value) == 26 and value[10] == " " and value[19] == ".":
                return parse(value + "+00:00")
            return general(value)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Runner(Base):
    """A Telegram user who talked to the coach; coaching fields stay NULL until onboarding ends."""

    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(64))
    strength_level: Mapped[str | None] = mapped_column(String(16))
    # the kit as a list of items (COACHING.md: equipment is a set); [] is bodyweight only
    equipment: Mapped[list[str] | None] = mapped_column(JSON)
    session_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    sessions_per_week: Mapped[int | None] = mapped_column(SmallInteger)
    injuries: Mapped[list[str]] = mapped_column(JSON, default=list)
    hard_days_hard: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    preferred_days: Mapped[list[str]] = mapped_column(JSON, default=list)
    mobility_off_days: Mapped[list[str]] = mapped_column(JSON, default=list)
    timezone: Mapped[str | None] = mapped_column(String(64))
    reminder_time: Mapped[dt.time | None] = mapped_column(Time)  # local wall time in `timezone`
    onboarded_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    paused_until: Mapped[dt.date | None] = mapped_column(Date)  # the last paused day, if a date was given
    paused_from: Mapped[dt.date | None] = mapped_column(Date)  # set while paused (with or without an end)
    shown_date: Mapped[dt.date | None] = mapped_column(Date)  # the day last shown, which "why?" explains
    shown_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)  # ... and when it was shown
    last_heard_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)  # a tap, text or command (hourly)
    lifting_prompts_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_chart: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # chart in the review
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)

    run_days: Mapped[list[RunDay]] = relationship(
        back_populates="runner", cascade="all, delete-orphan", passive_deletes=True
    )
    overrides: Mapped[list[CalendarOverride]] = relationship(
        back_populates="runner", cascade="all, delete-orphan", passive_deletes=True
    )
    race: Mapped[RaceRow | None] = relationship(
        back_populates="runner", cascade="all, delete-orphan", passive_deletes=True
    )
    training_state: Mapped[TrainingStateRow | None] = relationship(
        back_populates="runner", cascade="all, delete-orphan", passive_deletes=True
    )


def _runner_fk() -> Any:
    return ForeignKey("runners.id", ondelete="CASCADE")


class RunDay(Base):
    """One day of the runner's weekly run template (always seven rows once onboarded)."""

    __tablename__ = "run_days"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    weekday: Mapped[str] = mapped_column(String(3), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))

    runner: Mapped[Runner] = relationship(back_populates="run_days")


class CalendarOverride(Base):
    """A one-off date whose run kind differs from the weekly template."""

    __tablename__ = "calendar_overrides"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # a tune-up race's distance when the runner gave it (P9); NULL for other runs or "not sure"
    distance: Mapped[str | None] = mapped_column(String(16))

    runner: Mapped[Runner] = relationship(back_populates="overrides")


class RaceRow(Base):
    """The runner's one goal race."""

    __tablename__ = "races"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(_runner_fk(), unique=True)
    distance: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date)

    runner: Mapped[Runner] = relationship(back_populates="race")


class OnboardingAnswer(Base):
    """One answer given so far during onboarding, kept so onboarding resumes where it stopped."""

    __tablename__ = "onboarding_answers"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    question: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class TrainingStateRow(Base):
    """Where the runner stands on the progression ladder (see ``TrainingState``)."""

    __tablename__ = "training_states"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True, autoincrement=False)
    step: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    set_cut: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    weeks_trained: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    backoff_weeks: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    fewer_sessions: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    minutes_cut: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    recovery_week: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pain: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {area: ISO date rested until}
    weeks_coached: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    needs_clearance: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    good_weeks: Mapped[str] = mapped_column(String(16), default="", server_default="")  # "1"/"0" per reviewed week
    # the pain-monitoring rule's place per niggle: {"rungs": {area: n}, "streaks": {...}, "failed": {area: date}}
    niggles: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the counters of the rulebook's third revision (jump stages, eccentric weeks, reduced weeks...)
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)

    runner: Mapped[Runner] = relationship(back_populates="training_state")


class PlanRow(Base):
    """The plan of one week as sent, so the runner sees the same week until it is re-planned."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("runner_id", "week_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(_runner_fk())
    week_start: Mapped[dt.date] = mapped_column(Date)
    phase: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class CheckinRow(Base):
    """How the session of one day went, as the runner reported it."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("runner_id", "date"),
        CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name="rpe_range"),
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in CHECKIN_STATUSES)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(_runner_fk())
    date: Mapped[dt.date] = mapped_column(Date)
    session_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    rpe: Mapped[int | None] = mapped_column(SmallInteger)
    soreness: Mapped[str | None] = mapped_column(String(16))
    pain_area: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    # a niggle area loaded by the session -> whether the pain-monitoring rule held ("ok"/"flare")
    niggles: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class PlanDayRow(Base):
    """What was prescribed for one date: the record every prompt, check-in and review reads.

    Re-planning (a moved run, a swap, the weekly review) rewrites only the dates it changes from
    today on; a date already past keeps what was prescribed on it.
    """

    __tablename__ = "plan_days"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(Date)
    phase: Mapped[str] = mapped_column(String(16))
    session_kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the DayPlan as JSON
    planned_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    # its plain prompt drawn when it was stored (bot.services.ready_prompts); None: drawn when sent
    prompt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ReviewRow(Base):
    """The weekly review of one week: what went in, the rule that applied, the state it left.

    One row per runner and week makes the review idempotent: a review sent twice is applied once.
    """

    __tablename__ = "reviews"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rule: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


DUE_KINDS = ("prompt", "nudge", "review", "later", "pain_check")


class DueMessageRow(Base):
    """The next message of one kind the coach owes a runner, with its UTC due time.

    One row per runner and kind; the dispatcher claims due rows with a short lease
    (``claimed_by``/``lease_until``) so several workers can share the sweep and a claim by a
    worker that died is taken over. ``local_date`` is the runner's day the message is for.
    """

    __tablename__ = "due_messages"
    __table_args__ = (Index(None, "due_at"),)

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    due_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    local_date: Mapped[dt.date] = mapped_column(Date)
    detail: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    failed_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)


class DeliveryRow(Base):
    """A message the coach sent a runner: the unique key makes "never twice for the same day and
    kind" a database guarantee, and ``message_id`` lets a prompt be edited in place later.

    The row is written before the send, as an attempt (``state`` 'sending', no ``message_id``),
    and confirmed after it ('sent', with the id). ``attempts`` counts the sends that may have
    reached the runner; an attempt never confirmed is sent again at most once, then marked
    'unsure' (it may have arrived, nothing more is sent): at most one duplicate per message.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("runner_id", "date", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(_runner_fk())
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(8), default="sent", server_default="sent")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")


class DispatchLagRow(Base):
    """How late a batch of prompts went out (seconds from due time to send: median and most), a row
    per batch sent, written by whichever process swept; /admin shows the latest. Rows older than a
    day are pruned as new ones come."""

    __tablename__ = "dispatch_lags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(AwareDateTime, index=True)
    sent: Mapped[int] = mapped_column(Integer)
    p50_s: Mapped[float] = mapped_column(Float)
    max_s: Mapped[float] = mapped_column(Float)


class ToldGroup(Base):
    """A group (or supergroup) already told that the coach serves private chats only: the note is
    sent once per group, whichever process sees its first update, and again never."""

    __tablename__ = "told_groups"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class InboxRow(Base):
    """An update from Telegram, stored before it is handled (``bot.services.inbox``).

    ``update_id`` is Telegram's, so a redelivered or replayed update finds its row and is not
    handled again. ``payload`` (the runner's words) is kept only until the update is handled;
    ``claimed_by``/``lease_until`` say which process is handling it and until when;
    ``user_id`` keeps one runner's updates in order and lets /delete find their rows.

    Every update writes this table twice (its claim, and its mark with the next claim), in one
    commit, so each index here is a page more in that commit (SQLite's WAL writes every page a
    commit changed): with the key a separate index and one on ``handled_at`` besides, an update's
    claim and mark cost about twice what they cost now. On SQLite ``update_id`` is ``INTEGER``, the
    table's own row id (no index of its own; still 64 bits, as Telegram's ids need); PostgreSQL keeps
    ``BIGINT``. ``ix_inbox_waiting`` holds only the updates not handled yet: the claim's "no earlier
    update of this runner waits" and the sweep's pending updates look there, and it stays a few rows
    long however much history the table keeps. The hourly prune (``handled_at`` older than two days)
    reads the table through.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index(None, "user_id"),
        Index(
            "ix_inbox_waiting",
            "user_id",
            "update_id",
            sqlite_where=text("handled_at IS NULL"),
            # and on PostgreSQL (migration 0015): not named here, where it would load PostgreSQL's
            # dialect into every process that imports the models, a SQLite coach's too
        ),
    )

    update_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    handled_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)


class CalendarFeedRow(Base):
    """The runner's live calendar link: only the SHA-256 of its token is kept, so the table alone
    reveals no link. One row per runner: a new link replaces the old one, revoking deletes it."""

    __tablename__ = "calendar_feeds"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True, autoincrement=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class CalendarSourceRow(Base):
    """A runner's calendar feed link (``bot.services.feed_sources``): read again every day. The URL
    is a secret for logging."""

    __tablename__ = "calendar_sources"

    runner_id: Mapped[int] = mapped_column(_runner_fk(), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    digest: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    failures: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class SendSlot(Base):
    """One calendar second of the bot's broadcast budget (``bot.db.budget_repo``): the sends granted
    in it so far, and how many the last grant gave. Seconds a minute old are pruned."""

    __tablename__ = "send_budget"

    second: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # Unix time
    used: Mapped[int] = mapped_column(Integer)
    granted: Mapped[int] = mapped_column(Integer)


metadata = Base.metadata
