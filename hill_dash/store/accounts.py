"""Researcher accounts: names with salted password hashes (scrypt), never the passwords themselves."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Researcher as ResearcherRow

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Researcher:
    id: int
    name: str
    created_at: datetime


class AccountsMixin(StoreBase):
    """Create researchers and check their passwords."""

    def create_researcher(self, name: str, password: str) -> Researcher:
        """A new researcher account; the name must be unused and the password at least 8 characters."""
        name = name.strip()
        if not name:
            raise StoreError("a researcher needs a name")
        _check_password(password)
        with self._write() as session:
            if session.scalar(select(ResearcherRow.id).where(ResearcherRow.name == name)) is not None:
                raise StoreError(f"a researcher named {name!r} already exists; choose another name")
            row = ResearcherRow(name=name, password_hash=generate_password_hash(password, method="scrypt"))
            session.add(row)
            session.flush()
            return to_record(Researcher, row)

    def verify_researcher(self, name: str, password: str) -> Researcher | None:
        """The researcher if `password` is theirs, else None (an unknown name also gives None)."""
        with self._read() as session:
            row = session.scalars(select(ResearcherRow).where(ResearcherRow.name == name.strip())).first()
            # An unknown name is checked against a throw-away hash, so it costs as long as a known one.
            stored = row.password_hash if row is not None else _unknown_name_hash()
            if not check_password_hash(stored, password) or row is None:
                return None
            return to_record(Researcher, row)

    def set_password(self, researcher_id: int, password: str) -> None:
        """Replace a researcher's password."""
        _check_password(password)
        with self._write() as session:
            row = self._get(session, ResearcherRow, researcher_id, "researcher", lock=True)
            row.password_hash = generate_password_hash(password, method="scrypt")

    def get_researcher(self, researcher_id: int) -> Researcher:
        """One researcher by id."""
        with self._read() as session:
            return to_record(Researcher, self._get(session, ResearcherRow, researcher_id, "researcher"))

    def list_researchers(self) -> list[Researcher]:
        """Every researcher, by name."""
        with self._read() as session:
            rows = session.scalars(select(ResearcherRow).order_by(ResearcherRow.name))
            return [to_record(Researcher, row) for row in rows]


@functools.lru_cache(maxsize=1)
def _unknown_name_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
