"""Calendar sources: a runner's training-calendar feed link, read again every day.

One row a runner (``bot.services.feed_sources``): the URL (a secret for logging), the fingerprint
of the run days last read from it, when it was last read well, and the failed reads in a row.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 00:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_sources',
    sa.Column('runner_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['runner_id'], ['runners.id'], name=op.f('fk_calendar_sources_runner_id_runners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', name=op.f('pk_calendar_sources'))
    )


def downgrade() -> None:
    op.drop_table('calendar_sources')
