"""Fields stage 4 needs: an observation's Level of Use (as in the data table `observations`), and a
coaching session's practice component, cycle model, student learning target and evidence of
student work before and after.

Revision ID: 0003_stage4_fields
Revises: 0002_cycle_indexes
Create Date: 2026-11-23

Frozen: do not import the current tables here. Every new column is optional, so existing
records stay valid as they are.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_stage4_fields"
down_revision = "0002_cycle_indexes"
branch_labels = None
depends_on = None

_NEW_COLUMNS = (
    ("observations", "level_of_use"),
    ("coaching_sessions", "component"),
    ("coaching_sessions", "cycle_model"),
    ("coaching_sessions", "student_target"),
    ("coaching_sessions", "evidence_pre"),
    ("coaching_sessions", "evidence_post"),
)


def upgrade() -> None:
    for table, column in _NEW_COLUMNS:
        op.add_column(table, sa.Column(column, sa.Text(), nullable=True))


def downgrade() -> None:
    for table, column in reversed(_NEW_COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
