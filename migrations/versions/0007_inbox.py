"""The inbox: every update from Telegram is stored, keyed by its update_id, before it is handled.

A webhook update is answered 200 only once its row is committed, and polling confirms an offset
only once its updates are stored or handled, so an update acknowledged to Telegram survives a
crash; a redelivered or replayed update finds its row and is not handled twice. The payload is
cleared once handled; handled rows are pruned after two days (``bot.services.inbox``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbox',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_inbox'))
    )
    op.create_index(op.f('ix_inbox_handled_at'), 'inbox', ['handled_at'], unique=False)
    op.create_index(op.f('ix_inbox_user_id'), 'inbox', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_inbox_user_id'), table_name='inbox')
    op.drop_index(op.f('ix_inbox_handled_at'), table_name='inbox')
    op.drop_table('inbox')
