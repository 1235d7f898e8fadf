"""How late the prompts go out (issue 21, point 2): ``dispatch_lags``, a row per batch a
dispatcher sent (median and most seconds from due time to send), read by /admin whichever
process swept; pruned to the last day as new rows come.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:50:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'dispatch_lags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('p50_s', sa.Float(), nullable=False),
        sa.Column('max_s', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_lags')),
    )
    op.create_index(op.f('ix_dispatch_lags_at'), 'dispatch_lags', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_dispatch_lags_at'), table_name='dispatch_lags')
    op.drop_table('dispatch_lags')
