"""Check-ins record the pain-monitoring answer for each niggle area a session loaded.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 01:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # adding a nullable column needs no table rebuild on SQLite
    op.add_column('checkins', sa.Column('niggles', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('checkins') as batch:
        batch.drop_column('niggles')
