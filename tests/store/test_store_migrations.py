"""Schema migrations: the packaged Alembic scripts build exactly the tables the code expects and upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from hill_dash.store import open_store
from hill_dash.store.engine import make_engine, write_engine
from hill_dash.store.migrate import INITIAL_REVISION, current_revision, head_revision, upgrade
from hill_dash.store.tables import Base


def test_migrations_build_exactly_the_tables_of_the_code(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    assert current_revision(engine) is None
    upgrade(write_engine(engine))
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_a_database_at_the_initial_revision_upgrades_and_keeps_its_rows(empty_database_url: str,
                                                                        tmp_path: Path) -> None:
    engine = make_engine(empty_database_url)
    upgrade(write_engine(engine), INITIAL_REVISION)
    assert current_revision(engine) == INITIAL_REVISION
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO researchers (name, password_hash, created_at) "
                                "VALUES ('ada', 'scrypt:x', '2026-01-01 00:00:00')"))
    engine.dispose()
    store = open_store(url=empty_database_url, data_dir=tmp_path)
    assert current_revision(store.engine) == head_revision()
    assert [r.name for r in store.list_researchers()] == ["ada"]
    store.create_study("after upgrade", ["digits"], n_participants=1)
    store.close()


def test_opening_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hill.db'}"
    first = open_store(url=url, data_dir=tmp_path)
    first.create_study("kept", ["digits"])
    second = open_store(url=url, data_dir=tmp_path)
    assert [s.name for s in second.list_studies()] == ["kept"]
    first.close()
    second.close()
