"""Alembic's entry point for the store: migrate the connection the caller passed in `config.attributes`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from hill_dash.store.engine import make_engine
from hill_dash.store.tables import Base

# Any constant works; it only has to be the same in every process that migrates this database.
PG_MIGRATION_LOCK = 48151623


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes starting at once (web server and worker) must not both create the schema.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url (hill_dash.store.migrate.alembic_config(url)) to migrate a database")
    with make_engine(url).begin() as own_connection:
        _run(own_connection)
