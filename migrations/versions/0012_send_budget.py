"""The bot's broadcast budget shared by every process (issue 21, point 3): ``send_budget``, the
sends granted in each calendar second.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 03:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'send_budget',
        sa.Column('second', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.Column('granted', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('second', name=op.f('pk_send_budget')),
    )


def downgrade() -> None:
    op.drop_table('send_budget')
