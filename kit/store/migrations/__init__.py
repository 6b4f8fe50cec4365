"""Alembic migrations of the coaching store, run by `kit.store.engine` (no alembic.ini needed).

Maintainers: see docs/store.md, "Migrations", for how to add a revision.
"""
