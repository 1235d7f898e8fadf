"""python-telegram-bot persistence goes: the one fact it held moves to ``told_groups``.

The bot kept nothing in ``user_data``, ``bot_data`` or conversation states; ``chat_data`` held one
flag, whether a group had been told that the coach serves private chats only. That flag becomes a
row of ``told_groups`` (copied over, so no group is told twice across the upgrade), and the four
``ptb_*`` tables are dropped. The downgrade recreates them and writes each told group back as
``{"told_private_only": true}``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOLD = 'told_private_only'  # the key python-telegram-bot's chat_data held the flag under


def _postgresql() -> bool:
    return op.get_context().dialect.name == 'postgresql'


def upgrade() -> None:
    op.create_table('told_groups',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_told_groups'))
    )
    # one statement, so `alembic upgrade --sql` renders it too
    flag = f"(data ->> '{TOLD}') = 'true'" if _postgresql() else f"json_extract(data, '$.{TOLD}') = 1"
    op.execute(f'INSERT INTO told_groups (chat_id) SELECT chat_id FROM ptb_chat_data WHERE {flag}')
    op.drop_table('ptb_user_data')
    op.drop_table('ptb_conversations')
    op.drop_table('ptb_chat_data')
    op.drop_table('ptb_bot_data')


def downgrade() -> None:
    op.create_table('ptb_bot_data',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ptb_bot_data'))
    )
    op.create_table('ptb_chat_data',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', name=op.f('pk_ptb_chat_data'))
    )
    op.create_table('ptb_conversations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'key', name=op.f('pk_ptb_conversations'))
    )
    op.create_table('ptb_user_data',
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_ptb_user_data'))
    )
    told = f'\'{{"{TOLD}": true}}\''
    data = f'CAST({told} AS JSON)' if _postgresql() else told
    op.execute(f'INSERT INTO ptb_chat_data (chat_id, data) SELECT chat_id, {data} FROM told_groups')
    op.drop_table('told_groups')
