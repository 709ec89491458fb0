"""The real app built in the test process, for tests that call its callbacks and routes as functions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# What `create_app` publishes to the process for its background jobs.
APP_ENV = ("HILL_DATA_DIR", "HILL_DATABASE_URL", "HILL_REDIS_URL", "HILL_SECRET_KEY", "HILL_SCENARIO")


@contextmanager
def published_app(data_dir: Path, secret_key: str = "test-secret") -> Iterator:
    """`create_app` on `data_dir`; the environment it publishes (which `get_store()` and its jobs read) holds
    until the block ends, then the test process's own is put back, so no later server or worker inherits it."""
    from hill_dash.app.app import create_app
    from hill_dash.settings import Settings

    with pytest.MonkeyPatch.context() as patch:
        for name in APP_ENV:
            patch.delenv(name, raising=False)
        yield create_app(Settings(data_dir=data_dir, secret_key=secret_key))


def in_process_app(data_dir: Path, secret_key: str = "test-secret"):
    """`create_app` with the environment it publishes put back at once, so `get_store()` keeps naming each
    test's own store."""
    with published_app(data_dir, secret_key) as app:
        return app
