"""What every part of the store shares: short transactions, lookups that fail clearly, rows into records."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hill_dash.store.engine import write_engine
from hill_dash.store.fork_gate import GATE
from hill_dash.store.errors import NotFound, StoreError
from hill_dash.store.files import FileArea
from hill_dash.store.tables import Study

MAX_ID = 2**63 - 1
R = TypeVar("R")
M = TypeVar("M")


def to_record(cls: type[R], row: Any, **extra: Any) -> R:
    """A plain dataclass copied from an ORM row (fields the row lacks come from `extra`)."""
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(cls) if f.name not in extra}  # type: ignore[arg-type]
    return cls(**values, **extra)


def plain_json(value: Any) -> Any:
    """`value` made storable as JSON on every backend: numpy values to Python, NaN and infinities to None."""
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    if hasattr(value, "tolist"):
        return plain_json(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise StoreError(f"{value!r} ({type(value).__name__}) cannot be stored as JSON; pass numbers, strings, "
                     "lists and dicts")


def finite(value: float | None) -> float | None:
    """A float column's value: None for missing or non-finite numbers (SQLite cannot keep NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`, else a StoreError that lists the allowed values."""
    if value not in allowed:
        raise StoreError(f"{what} {value!r} is not known; use one of: {', '.join(allowed)}")
    return value


class StoreBase:
    """Engine, file area and transaction handling; the method groups (mixins) build on these."""

    def __init__(self, engine: Engine, files: FileArea, url: str) -> None:
        self.engine = engine
        self.files = files
        self.url = url
        self._writer = write_engine(engine)
        self._pid = os.getpid()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A unit of work for reading; nothing it does is committed."""
        self._after_fork()
        with GATE.shared(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely when it raises."""
        self._after_fork()
        with GATE.shared(), Session(self._writer, expire_on_commit=False) as session:
            try:
                with session.begin():
                    yield session
            except IntegrityError as exc:
                raise StoreError(f"the change conflicts with what is stored ({_first_line(exc)}); "
                                 "nothing was written") from exc

    def _get(self, session: Session, model: type[M], ident: int, what: str, lock: bool = False) -> M:
        """The row `ident` of `model`, or NotFound naming `what`; `lock` holds it until the transaction ends."""
        if not isinstance(ident, int) or isinstance(ident, bool):
            raise StoreError(f"{what} id must be an integer, got {ident!r}")
        if not 0 < ident <= MAX_ID:  # no row has such an id, and the database could not even compare it
            raise NotFound(f"there is no {what} with id {ident}; ids are whole numbers from 1 to {MAX_ID}")
        query = select(model).where(model.id == ident)  # type: ignore[attr-defined]
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).first()
        if row is None:
            raise NotFound(f"there is no {what} with id {ident}; list the existing ones to find the right id")
        return row

    def _records_of(self, parent: type[Any], parent_id: int, what: str, query: Select[Any],
                    record: type[R]) -> list[R]:
        """The rows `query` selects as records, once the parent row `parent_id` is known to exist."""
        with self._read() as session:
            self._get(session, parent, parent_id, what)
            return [to_record(record, row) for row in session.scalars(query)]

    def _study(self, session: Session, study: int | str, lock: bool = False) -> Study:
        """A study row by id or by name."""
        if isinstance(study, str):
            row = session.scalars(select(Study).where(Study.name == study)).first()
            if row is None:
                raise NotFound(f"there is no study named {study!r}; list_studies() shows the existing ones")
            return self._get(session, Study, row.id, "study", lock=True) if lock else row
        return self._get(session, Study, study, "study", lock=lock)

    def _after_fork(self) -> None:
        # A worker process forked from a parent must not reuse the parent's open connections.
        if os.getpid() != self._pid:
            self.engine.dispose(close=False)
            self._pid = os.getpid()

    def close(self) -> None:
        """Close every pooled connection (the store can still be used; connections reopen on demand)."""
        self.engine.dispose()


def _first_line(exc: IntegrityError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
