"""Researcher accounts: salted hashes, verification, clear errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hill_dash.store import Store, StoreError
from hill_dash.store.tables import Researcher as ResearcherRow


def test_password_is_stored_as_a_salted_scrypt_hash(store: Store) -> None:
    store.create_researcher("ada", "correct horse")
    store.create_researcher("bob", "correct horse")
    with store.engine.connect() as connection:
        hashes = dict(connection.execute(select(ResearcherRow.name, ResearcherRow.password_hash)).all())
    assert all(h.startswith("scrypt:") for h in hashes.values())
    assert "correct horse" not in "".join(hashes.values())
    assert hashes["ada"] != hashes["bob"], "the same password must hash differently (salt)"


def test_verify_accepts_only_the_right_password(store: Store) -> None:
    created = store.create_researcher("  ada ", "correct horse")
    assert created.name == "ada"
    assert store.verify_researcher("ada", "correct horse") == created
    assert store.verify_researcher("ada", "Correct horse") is None
    assert store.verify_researcher("nobody", "correct horse") is None
    store.set_password(created.id, "battery staple")
    assert store.verify_researcher("ada", "correct horse") is None
    assert store.verify_researcher("ada", "battery staple") == created


def test_bad_accounts_are_refused_with_a_reason(store: Store) -> None:
    store.create_researcher("ada", "correct horse")
    with pytest.raises(StoreError, match="already exists"):
        store.create_researcher("ada", "another password")
    with pytest.raises(StoreError, match="at least 8 characters"):
        store.create_researcher("bob", "short")
    with pytest.raises(StoreError, match="no researcher with id 99"):
        store.get_researcher(99)
    assert [r.name for r in store.list_researchers()] == ["ada"]
