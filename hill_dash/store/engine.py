"""Where the store lives and how it connects: the data directory, the database URL, the engine's set-up.

SQLite gets WAL (readers never wait for the writer), foreign keys, a busy timeout, and write transactions that
take the write lock at BEGIN (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later can
fail at once with "database is locked" when another writer got in between, and no busy timeout helps then.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hill_dash.store.errors import StoreError

DATA_DIR_ENV = "HILL_DATA_DIR"
DATABASE_URL_ENV = "HILL_DATABASE_URL"
DEFAULT_DATA_DIR = "hill-data"
SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "hill_write"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the argument, else $HILL_DATA_DIR, else ./hill-data; created if missing."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    try:
        (path / "files").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data directory {path}: {exc}; pass a writable data_dir "
                         f"or set {DATA_DIR_ENV}") from exc
    return path


def resolve_url(url: str | None, data_dir: Path) -> str:
    """The database URL: the argument, else $HILL_DATABASE_URL, else an SQLite file `hill.db` in the data dir."""
    chosen = url or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir / 'hill.db'}"
    try:
        parsed = make_url(chosen)
    except ArgumentError as exc:
        raise StoreError(f"{chosen!r} is not a database URL; write it like sqlite:///path/hill.db or "
                         "postgresql+psycopg://user@host/dbname") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StoreError("an in-memory SQLite database cannot be shared between requests and workers; "
                         "give a file path (sqlite:///path/hill.db) or leave the URL unset")
    return chosen


def make_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite's connections set up for many threads and processes at once."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                              "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine and pool, marked so that SQLite opens its transactions with the write lock."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN would defeat BEGIN IMMEDIATE; SQLAlchemy's "begin" event emits it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
