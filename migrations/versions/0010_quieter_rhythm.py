"""A quieter rhythm for a runner who stopped answering (issue 20, point 10).

``runners.last_heard_at`` is when the runner last tapped, typed or sent a command (written at most
once an hour); the dispatcher reads the silence from it: after two silent weeks the session
prompts only, after four one weekly message. Runners already stored count as heard when their row
last changed. ``runners.lifting_prompts_only`` is the setting that keeps only the lifting days'
prompts (no mobility-day prompts).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 00:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('runners', sa.Column('last_heard_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('runners', sa.Column('lifting_prompts_only', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute('UPDATE runners SET last_heard_at = updated_at')


def downgrade() -> None:
    with op.batch_alter_table('runners', schema=None) as batch_op:
        batch_op.drop_column('lifting_prompts_only')
        batch_op.drop_column('last_heard_at')
