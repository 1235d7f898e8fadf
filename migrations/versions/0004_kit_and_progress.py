"""Equipment is a set, a tune-up race may carry its distance, and the training state keeps the
counters of the rulebook's third revision.

- ``runners.equipment`` becomes a JSON list of items: a stored single value becomes a list of that
  one item, and ``none`` the empty list (bodyweight is always in the set).
- ``calendar_overrides.distance``: the distance of a tune-up race (P9), NULL when not known.
- ``training_states.progress``: a JSON object of counters (jump stage, eccentric weeks, reduced weeks).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 06:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    op.add_column('calendar_overrides', sa.Column('distance', sa.String(length=16), nullable=True))
    op.add_column('training_states', sa.Column('progress', sa.JSON(), nullable=True))
    op.add_column('runners', sa.Column('equipment_kit', sa.JSON(), nullable=True))
    # one statement, so `alembic upgrade --sql` renders it too: 'none' is the empty kit
    array = 'json_build_array' if op.get_context().dialect.name == 'postgresql' else 'json_array'
    empty = "CAST('[]' AS JSON)" if op.get_context().dialect.name == 'postgresql' else "'[]'"
    op.execute(
        f"UPDATE runners SET equipment_kit = CASE WHEN equipment = 'none' THEN {empty} "
        f"ELSE {array}(equipment) END WHERE equipment IS NOT NULL"
    )
    # plain ALTER TABLE (SQLite 3.35 and later have both): no table copy, and it renders with --sql
    op.execute('ALTER TABLE runners DROP COLUMN equipment')
    op.execute('ALTER TABLE runners RENAME COLUMN equipment_kit TO equipment')


def downgrade() -> None:
    op.add_column('runners', sa.Column('equipment_single', sa.String(length=16), nullable=True))
    # the largest item of the kit was the old single value
    has = "CAST(equipment AS TEXT) LIKE '%\"{}\"%'"
    op.execute(
        "UPDATE runners SET equipment_single = CASE "
        f"WHEN {has.format('gym')} THEN 'gym' WHEN {has.format('dumbbells')} THEN 'dumbbells' "
        f"WHEN {has.format('bands')} THEN 'bands' ELSE 'none' END WHERE equipment IS NOT NULL"
    )
    op.execute('ALTER TABLE runners DROP COLUMN equipment')
    op.execute('ALTER TABLE runners RENAME COLUMN equipment_single TO equipment')
    op.execute('ALTER TABLE training_states DROP COLUMN progress')
    op.execute('ALTER TABLE calendar_overrides DROP COLUMN distance')
