"""The weekly review can carry /history's chart (issue 20, point 13): ``runners.review_chart``, a
/settings choice, off unless the runner turns it on.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:15:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('runners', sa.Column('review_chart', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('runners', schema=None) as batch_op:
        batch_op.drop_column('review_chart')
