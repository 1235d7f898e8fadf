"""The inbox writes fewer pages an update: on SQLite ``update_id`` becomes the table's row id
(``INTEGER PRIMARY KEY``, no separate key index; PostgreSQL keeps ``BIGINT``), the index on
``handled_at`` goes, and ``ix_inbox_waiting`` (the updates not handled yet, by runner and id) serves
the claim's ordering check and the sweep for pending updates. Rows are kept as they are.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 01:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text('handled_at IS NULL')


def _inbox(key: sa.types.TypeEngine[int]) -> sa.Table:
    """The inbox as 0007 made it, with ``key`` as the type of ``update_id``: what the batch copies
    (given, not read off the database, so ``alembic upgrade --sql`` can write it out too)."""
    return sa.Table(
        'inbox',
        sa.MetaData(),
        sa.Column('update_id', key, autoincrement=False, nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('update_id', name='pk_inbox'),
        sa.Index('ix_inbox_user_id', 'user_id'),
    )


def upgrade() -> None:
    op.drop_index(op.f('ix_inbox_handled_at'), table_name='inbox')
    if op.get_bind().dialect.name == 'sqlite':
        # a column's type cannot change in place on SQLite: the table is copied into a new one
        with op.batch_alter_table('inbox', recreate='always', copy_from=_inbox(sa.BigInteger())) as batch_op:
            batch_op.alter_column('update_id', existing_type=sa.BigInteger(), type_=sa.Integer())
    op.create_index(
        'ix_inbox_waiting',
        'inbox',
        ['user_id', 'update_id'],
        unique=False,
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )


def downgrade() -> None:
    op.drop_index('ix_inbox_waiting', table_name='inbox')
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('inbox', recreate='always', copy_from=_inbox(sa.Integer())) as batch_op:
            batch_op.alter_column('update_id', existing_type=sa.Integer(), type_=sa.BigInteger())
    op.create_index(op.f('ix_inbox_handled_at'), 'inbox', ['handled_at'], unique=False)
