"""The process's handle on the store, for page callbacks and background jobs alike.

One store (an engine with its connection pool) per process and settings; it holds no participant state: every
callback reads what it needs from the store by the ids it is given.
"""

from __future__ import annotations

from functools import lru_cache

from hill_dash.settings import Settings
from hill_dash.store import Store, open_store


@lru_cache(maxsize=4)
def _open(database_url: str | None, data_dir: str) -> Store:
    return open_store(url=database_url, data_dir=data_dir)


def get_settings() -> Settings:
    return Settings.from_env()


def get_store() -> Store:
    """The store named by the environment (the app publishes its settings there at start-up)."""
    settings = get_settings()
    return _open(settings.database_url, str(settings.data_dir))
