"""Opening a store: where the data goes, which database, SQLite's settings, the file area's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from hill_dash.store import StoreError, open_store
from hill_dash.store.files import FileArea


def test_default_is_sqlite_in_the_data_dir_from_the_environment(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    monkeypatch.setenv("HILL_DATA_DIR", str(tmp_path / "lab"))
    store = open_store()
    assert store.files.data_dir == (tmp_path / "lab").resolve()
    assert store.url == f"sqlite:///{(tmp_path / 'lab' / 'hill.db').resolve()}"
    assert (tmp_path / "lab" / "files").is_dir() and (tmp_path / "lab" / "hill.db").is_file()
    with store.engine.connect() as connection:
        pragmas = {name: connection.execute(text(f"PRAGMA {name}")).scalar()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}
    store.close()


def test_data_dir_defaults_to_hill_data_in_the_working_directory(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    monkeypatch.delenv("HILL_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    store = open_store()
    assert store.files.data_dir == (tmp_path / "hill-data").resolve()
    store.close()


def test_database_url_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HILL_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    store = open_store(data_dir=tmp_path / "data")
    store.create_study("s", ["digits"])
    assert (tmp_path / "elsewhere.db").is_file() and not (tmp_path / "data" / "hill.db").exists()
    store.close()


def test_unusable_urls_are_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="in-memory SQLite"):
        open_store(url="sqlite://", data_dir=tmp_path)
    with pytest.raises(StoreError, match="is not a database URL"):
        open_store(url="hill.db", data_dir=tmp_path)


def test_foreign_keys_are_enforced_on_sqlite(tmp_path: Path) -> None:
    store = open_store(url=f"sqlite:///{tmp_path / 'hill.db'}", data_dir=tmp_path)
    with pytest.raises(Exception, match="FOREIGN KEY"), store.engine.begin() as connection:
        connection.execute(text("INSERT INTO edits (run_id, interaction_index, epoch, seq, kind, actor, undone, "
                                "created_at) VALUES (999, 0, 0, 1, 'point', 'x', 0, '2026-01-01')"))
    store.close()


def test_file_area_keeps_paths_inside_and_writes_atomically(tmp_path: Path) -> None:
    files = FileArea(tmp_path)
    assert files.write_bytes("a/b.bin", b"123") == "a/b.bin"
    assert files.relative(tmp_path / "files" / "a" / "b.bin") == "a/b.bin"
    assert files.relative("a\\b.bin") == "a/b.bin"
    for bad in ("../x", "/etc/passwd", "a/../../x", ""):
        with pytest.raises(StoreError, match="not a relative path inside"):
            files.write_bytes(bad, b"")
    with pytest.raises(StoreError, match="outside the store's file area"):
        files.relative(tmp_path / "hill.db")
    with pytest.raises(StoreError, match=r"missing\.bin is missing"):
        files.concatenate("a/b.bin", ["a/b.bin", "missing.bin"])
    with pytest.raises(TypeError):
        files.write_bytes("a/b.bin", "text, not bytes")  # type: ignore[arg-type]
    assert files.absolute("a/b.bin").read_bytes() == b"123", "a failed write must not touch the old file"
    assert sorted(p.name for p in (tmp_path / "files" / "a").iterdir()) == ["b.bin"]
