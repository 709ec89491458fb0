"""Boundary labs in a temporary store, and the same store as the app's page callbacks find it."""

from __future__ import annotations

import pytest
from boundary_app_labs import lab_config, owner_key

from hill_dash.jobs import boundary_rounds
from hill_dash.store import open_store


@pytest.fixture
def store(tmp_path):
    return open_store(data_dir=tmp_path)


@pytest.fixture
def lab_id(store) -> int:
    """A small lab started by the browser OWNER."""
    return boundary_rounds.start_lab(store, lab_config(), owner_key=owner_key())


@pytest.fixture
def app_store(store, tmp_path, monkeypatch):
    """`store`, named by the environment the way `hill_dash.app.context.get_store` reads it."""
    monkeypatch.setenv("HILL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    return store
