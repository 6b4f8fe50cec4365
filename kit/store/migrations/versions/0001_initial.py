"""The first schema: cycles and every record a coach authors.

Revision ID: 0001_initial
Revises:
Create Date: 2025-11-23

Frozen: this file describes the schema as it was first released. Do not import the current
tables here; later changes go in new revisions.
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _record_table(name: str, *columns: sa.Column, in_cycle: bool = True) -> None:
    cycle = ([sa.Column("cycle_id", sa.String(36), sa.ForeignKey("cycles.id",
              name=f"fk_{name}_cycle_id_cycles"), nullable=False)] if in_cycle else [])
    op.create_table(
        name,
        sa.Column("id", sa.String(36), nullable=False),
        *cycle,
        *columns,
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )


def _ref(name: str, table: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(36), sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{name}_{target}"),
                     nullable=nullable)


def upgrade() -> None:
    T, I, D, J = sa.Text, sa.Integer, sa.Date, sa.JSON
    _record_table(
        "cycles",
        sa.Column("name", T(), nullable=False), sa.Column("focus", T()),
        sa.Column("start_date", D()), sa.Column("end_date", D()), sa.Column("status", T()),
        in_cycle=False)
    _record_table(
        "goals",
        sa.Column("goal_type", T(), nullable=False), sa.Column("what", T(), nullable=False),
        sa.Column("who", T()), sa.Column("by_when", D()), sa.Column("measure", T()),
        sa.Column("target", T()), sa.Column("educator_id", T()))
    _record_table(
        "standard_ratings",
        sa.Column("standard_id", T(), nullable=False), sa.Column("rating", I(), nullable=False),
        sa.Column("window", T()), sa.Column("rater", T()), sa.Column("note", T()))
    _record_table("plans", sa.Column("title", T(), nullable=False), sa.Column("summary", T()))
    _record_table(
        "plan_links",
        _ref("plan_id", "plan_links", "plans"), sa.Column("link_type", T(), nullable=False),
        sa.Column("ref", T(), nullable=False), sa.Column("note", T()))
    _record_table("ic_maps", sa.Column("name", T(), nullable=False), sa.Column("innovation", T()))
    _record_table(
        "ic_components",
        _ref("map_id", "ic_components", "ic_maps"), sa.Column("name", T(), nullable=False),
        sa.Column("position", I()), sa.Column("variations", J(), nullable=False),
        sa.Column("acceptable_line", I(), nullable=False))
    _record_table(
        "observations",
        sa.Column("educator_id", T(), nullable=False), sa.Column("date", D(), nullable=False),
        sa.Column("observer_id", T()), sa.Column("window", T()),
        sa.Column("component", T(), nullable=False), sa.Column("rating", I(), nullable=False),
        sa.Column("note", T()))
    _record_table(
        "coaching_sessions",
        sa.Column("educator_id", T(), nullable=False), sa.Column("date", D(), nullable=False),
        sa.Column("minutes", I()), sa.Column("focus", T()), sa.Column("next_step", T()))
    _record_table(
        "reflections",
        sa.Column("stage", I(), nullable=False), sa.Column("prompt", T()),
        sa.Column("text", T(), nullable=False))
    _record_table(
        "decisions",
        sa.Column("decision", T(), nullable=False), sa.Column("rationale", T()),
        sa.Column("decided_on", D()))


def downgrade() -> None:
    for name in ("decisions", "reflections", "coaching_sessions", "observations", "ic_components",
                 "ic_maps", "plan_links", "plans", "standard_ratings", "goals", "cycles"):
        op.drop_table(name)
