"""Schema migrations: the packaged Alembic scripts build exactly the tables the code expects and upgrade."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from hill_dash.store import open_store
from hill_dash.store.engine import make_engine, write_engine
from hill_dash.store.migrate import INITIAL_REVISION, current_revision, head_revision, packaged_head, upgrade
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


def test_the_head_read_without_alembic_is_alembics_head() -> None:
    assert packaged_head() == head_revision()


_OPEN_AND_REPORT = """
import json, sys
from hill_dash.store import open_store
from hill_dash.store.migrate import current_revision
store = open_store(url=sys.argv[1], data_dir=sys.argv[2])
alembic_loaded = "alembic" in sys.modules
print(json.dumps({"alembic_loaded": alembic_loaded, "revision": current_revision(store.engine),
                  "researchers": [r.name for r in store.list_researchers()]}))
"""


def _open_in_fresh_process(url: str, data_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", _OPEN_AND_REPORT, url, str(data_dir)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_up_to_date_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hill.db'}"
    open_store(url=url, data_dir=tmp_path).close()
    opened = _open_in_fresh_process(url, tmp_path)
    assert opened["alembic_loaded"] is False
    assert opened["revision"] == head_revision()


def test_an_old_database_is_still_upgraded_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hill.db'}"
    engine = make_engine(url)
    upgrade(write_engine(engine), INITIAL_REVISION)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO researchers (name, password_hash, created_at) "
                                "VALUES ('grace', 'scrypt:x', '2026-01-01 00:00:00')"))
    engine.dispose()
    opened = _open_in_fresh_process(url, tmp_path)
    assert opened["alembic_loaded"] is True
    assert opened["revision"] == head_revision()
    assert opened["researchers"] == ["grace"]
    assert current_revision(make_engine(url)) == head_revision()


def test_an_empty_database_gets_the_whole_schema_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hill.db'}"
    opened = _open_in_fresh_process(url, tmp_path)
    assert opened["revision"] == head_revision()
    assert opened["researchers"] == []
