"""Deliveries are recorded as they happen: an attempt before the send, its confirmation after.

``deliveries.state`` is 'sending' (the attempt is stored, Telegram's answer not yet), 'sent'
(confirmed, with the message id) or 'unsure' (never confirmed after its one re-send: it may have
arrived, nothing more is sent); ``deliveries.attempts`` counts the sends that may have reached
the runner. Rows stored before this revision were all confirmed: 'sent', one attempt.
``due_messages.failed_at`` is the instant of the sweep whose send failed (that sweep does not
retry the row; the next one does), so ``lease_until`` can be set on the database's clock alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("state", sa.String(length=8), server_default="sent", nullable=False))
    op.add_column("deliveries", sa.Column("attempts", sa.SmallInteger(), server_default="1", nullable=False))
    op.add_column("due_messages", sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # an attempt never confirmed has no message id; the older code reads every row as sent
    with op.batch_alter_table("due_messages", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("state")
