"""Alembic environment for the coaching store.

`kit.store.engine` passes an open connection (already inside a locked transaction) in
`config.attributes["connection"]`; when Alembic's own command line is used instead, the
`sqlalchemy.url` option of the config is connected to.
"""

from alembic import context
from sqlalchemy import create_engine

from kit.store.tables import metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
