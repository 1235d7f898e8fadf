"""Initial schema: runners and their calendar, onboarding answers, plans, check-ins,
deliveries, and python-telegram-bot persistence.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 21:05:27.290066

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('onboarding_answers',
    sa.Column('telegram_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('question', sa.String(length=32), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('telegram_id', 'question', name=op.f('pk_onboarding_answers'))
    )
    op.create_table('ptb_bot_data',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptb_bot_data'))
    )
    op.create_table('ptb_chat_data',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_ptb_chat_data'))
    )
    op.create_table('ptb_conversations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'key', name=op.f('pk_ptb_conversations'))
    )
    op.create_table('ptb_user_data',
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_ptb_user_data'))
    )
    op.create_table('runners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('first_name', sa.String(length=64), nullable=False),
    sa.Column('strength_level', sa.String(length=16), nullable=True),
    sa.Column('equipment', sa.String(length=16), nullable=True),
    sa.Column('session_minutes', sa.SmallInteger(), nullable=True),
    sa.Column('sessions_per_week', sa.SmallInteger(), nullable=True),
    sa.Column('injuries', sa.JSON(), nullable=False),
    sa.Column('hard_days_hard', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('preferred_days', sa.JSON(), nullable=False),
    sa.Column('mobility_off_days', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('reminder_time', sa.Time(), nullable=True),
    sa.Column('onboarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('paused_until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runners')),
    sa.UniqueConstraint('telegram_id', name=op.f('uq_runners_telegram_id'))
    )
    op.create_table('calendar_overrides',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_calendar_overrides_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', 'date', name=op.f('pk_calendar_overrides'))
    )
    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('session_kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rpe', sa.SmallInteger(), nullable=True),
    sa.Column('soreness', sa.String(length=16), nullable=True),
    sa.Column('pain_area', sa.String(length=16), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rpe IS NULL OR (rpe >= 1 AND rpe <= 10)', name=op.f('ck_checkins_rpe_range')),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_checkins_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('runner_id', 'date', name=op.f('uq_checkins_runner_id_date'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_deliveries_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('runner_id', 'date', 'kind', name=op.f('uq_deliveries_runner_id_date_kind'))
    )
    op.create_index(op.f('ix_deliveries_sent_at_due_at'), 'deliveries', ['sent_at', 'due_at'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_plans_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('runner_id', 'week_start', name=op.f('uq_plans_runner_id_week_start'))
    )
    op.create_table('races',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('distance', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_races_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_races')),
    sa.UniqueConstraint('runner_id', name=op.f('uq_races_runner_id'))
    )
    op.create_table('run_days',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_run_days_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', 'weekday', name=op.f('pk_run_days'))
    )
    op.create_table('training_states',
    sa.Column('runner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('step', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('set_cut', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('weeks_trained', sa.Integer(), server_default='0', nullable=False),
    sa.Column('backoff_weeks', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('fewer_sessions', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('minutes_cut', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('recovery_week', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('pain', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_training_states_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', name=op.f('pk_training_states'))
    )


def downgrade() -> None:
    op.drop_table('training_states')
    op.drop_table('run_days')
    op.drop_table('races')
    op.drop_table('plans')
    op.drop_index(op.f('ix_deliveries_sent_at_due_at'), table_name='deliveries')
    op.drop_table('deliveries')
    op.drop_table('checkins')
    op.drop_table('calendar_overrides')
    op.drop_table('runners')
    op.drop_table('ptb_user_data')
    op.drop_table('ptb_conversations')
    op.drop_table('ptb_chat_data')
    op.drop_table('ptb_bot_data')
    op.drop_table('onboarding_answers')
