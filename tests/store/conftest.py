"""Store fixtures: every store test runs on SQLite (a temporary directory) and on the real PostgreSQL server.

Each PostgreSQL test run works in a schema of its own (named at random, dropped at the end), so runs on the
same server never see each other's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from hill_dash.store import NewStudy, Store, open_store
from hill_dash.store.tables import Base

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _schema_url(postgres_url: str, schema: str) -> str:
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class PostgresSchemas:
    """Creates schemas for this test run on the server and drops every one of them at the end."""

    def __init__(self, postgres_url: str) -> None:
        self.postgres_url = postgres_url
        self.engine = create_engine(postgres_url)
        self.created: list[str] = []

    def new(self) -> str:
        """The URL of a fresh, empty schema."""
        schema = f"hill_test_{uuid.uuid4().hex[:12]}"
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        self.created.append(schema)
        return _schema_url(self.postgres_url, schema)

    def drop_all(self) -> None:
        with self.engine.begin() as connection:
            for schema in self.created:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self.engine.dispose()


@pytest.fixture(scope="session")
def pg_schemas(postgres_url: str) -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas(postgres_url)
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def pg_store_url(pg_schemas: PostgresSchemas) -> str:
    """One schema, migrated once, shared by the PostgreSQL store tests of this run (emptied after each)."""
    return pg_schemas.new()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each backend (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("pg_schemas").new()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store with an empty database and an empty data directory, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        opened = open_store(url=f"sqlite:///{tmp_path / 'hill.db'}", data_dir=tmp_path)
        yield opened
        opened.close()
        return
    opened = open_store(url=request.getfixturevalue("pg_store_url"), data_dir=tmp_path)
    yield opened
    # DELETE is much quicker than TRUNCATE on tables this small; children go first.
    with opened.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    opened.close()


@pytest.fixture
def study(store: Store) -> NewStudy:
    """A study of two scenarios (digits, motions) with four participants, the paper's protocol otherwise."""
    return store.create_study("pilot", ["digits", "motions"], n_participants=4, instruments=["umux_lite"])
