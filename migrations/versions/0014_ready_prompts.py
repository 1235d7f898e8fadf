"""Each planned day keeps its prompt ready to send (issue 22, point 2): ``plan_days.prompt``, the
day's plain prompt drawn when the day was stored, with the fingerprint of what drew it. Days stored
before have none and are drawn when sent, as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('plan_days', sa.Column('prompt', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plan_days', schema=None) as batch_op:
        batch_op.drop_column('prompt')
