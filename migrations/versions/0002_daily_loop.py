"""The daily loop: the stored plan of each date, weekly reviews, due messages with leases,
and deliveries as the record of what was sent.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:09:45.131918

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STATUS_CHECK = "status IN ('done', 'partial', 'skipped', 'swapped', 'later')"


def _checkins_as_in_0001() -> sa.Table:
    """The check-ins table as revision 0001 made it, so SQLite can rebuild it without reflecting
    (which also works in offline ``--sql`` mode)."""
    return sa.Table(
        'checkins',
        sa.MetaData(),
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
        sa.CheckConstraint('rpe IS NULL OR (rpe >= 1 AND rpe <= 10)', name='ck_checkins_rpe_range'),
        sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name='fk_checkins_runner_id_runners', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_checkins'),
        sa.UniqueConstraint('runner_id', 'date', name='uq_checkins_runner_id_date'),
    )


def upgrade() -> None:
    # a check-in's status is one of the known ones, enforced by the database too
    with op.batch_alter_table('checkins', copy_from=_checkins_as_in_0001()) as batch_op:
        batch_op.create_check_constraint(op.f('ck_checkins_status_known'), STATUS_CHECK)

    op.create_table('due_messages',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('detail', sa.String(length=32), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_due_messages_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', 'kind', name=op.f('pk_due_messages'))
    )
    with op.batch_alter_table('due_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_due_messages_due_at'), ['due_at'], unique=False)

    op.create_table('plan_days',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('session_kind', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('planned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_plan_days_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', 'date', name=op.f('pk_plan_days'))
    )
    op.create_table('reviews',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_reviews_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', 'week_start', name=op.f('pk_reviews'))
    )
    # deliveries were never written before this revision: the table is rebuilt as the record of
    # what was sent (offline SQL mode cannot batch-alter a SQLite table, and there is nothing to keep)
    op.drop_index(op.f('ix_deliveries_sent_at_due_at'), table_name='deliveries')
    op.drop_table('deliveries')
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_deliveries_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('runner_id', 'date', 'kind', name=op.f('uq_deliveries_runner_id_date_kind'))
    )

    # plain ALTER TABLE ADD COLUMN on both backends (a default makes NOT NULL safe for existing rows)
    op.add_column('training_states', sa.Column('weeks_coached', sa.Integer(), server_default='0', nullable=False))
    op.add_column('training_states', sa.Column('needs_clearance', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('training_states', sa.Column('good_weeks', sa.String(length=16), server_default='', nullable=False))
    op.add_column('training_states', sa.Column('niggles', sa.JSON(), server_default='{}', nullable=False))

    with op.batch_alter_table('runners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('shown_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    checkins = _checkins_as_in_0001()
    checkins.append_constraint(sa.CheckConstraint(STATUS_CHECK, name='ck_checkins_status_known'))
    with op.batch_alter_table('checkins', copy_from=checkins) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkins_status_known'), type_='check')

    with op.batch_alter_table('training_states', schema=None) as batch_op:
        batch_op.drop_column('niggles')
        batch_op.drop_column('good_weeks')
        batch_op.drop_column('needs_clearance')
        batch_op.drop_column('weeks_coached')

    with op.batch_alter_table('runners', schema=None) as batch_op:
        batch_op.drop_column('shown_at')
        batch_op.drop_column('shown_date')
        batch_op.drop_column('paused_from')

    op.drop_table('deliveries')
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
    op.drop_table('reviews')
    op.drop_table('plan_days')
    with op.batch_alter_table('due_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_due_messages_due_at'))

    op.drop_table('due_messages')
