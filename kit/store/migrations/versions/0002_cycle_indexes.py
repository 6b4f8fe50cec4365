"""Index every record table by cycle (and by parent record), so a cycle's records list quickly.

Revision ID: 0002_cycle_indexes
Revises: 0001_initial
Create Date: 2025-11-23
"""
from alembic import op

revision = "0002_cycle_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_IN_CYCLE = ("goals", "standard_ratings", "plans", "plan_links", "ic_maps", "ic_components",
             "observations", "coaching_sessions", "reflections", "decisions")
_PARENTS = (("plan_links", "plan_id"), ("ic_components", "map_id"))


def upgrade() -> None:
    for table in _IN_CYCLE:
        op.create_index(f"ix_{table}_cycle_id", table, ["cycle_id"])
    for table, column in _PARENTS:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in _PARENTS:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in _IN_CYCLE:
        op.drop_index(f"ix_{table}_cycle_id", table_name=table)
