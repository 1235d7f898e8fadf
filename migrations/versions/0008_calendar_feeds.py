"""Calendar feeds: one private subscription link per runner, stored as the SHA-256 of its token.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('runner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_calendar_feeds_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('calendar_feeds')
