"""The real app (its environment put back at once), a store per test module that `get_store()` names, and one
small simulated study (two participants, one baseline seed, digits, no think-aloud): building it trains models,
so a module builds it once."""

from __future__ import annotations

import sys

import pytest
from app_kit import in_process_app

from hill_dash.app.context import get_store
from hill_dash.studydata import DemoOptions, build_demo_study



@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return in_process_app(tmp_path_factory.mktemp("app-data"))


@pytest.fixture(scope="session")
def page(app):
    """The analysis page module as the app imported it."""
    return sys.modules["hill_dash.app.pages.analysis"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HILL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        patch.setenv("HILL_SECRET_KEY", "module-secret")
        for name in ("HILL_DATABASE_URL", "HILL_REDIS_URL"):
            patch.delenv(name, raising=False)
        yield get_store()


@pytest.fixture(scope="module")
def demo(store) -> int:
    """The small simulated study's id."""
    options = DemoOptions(participants=2, seeds=1, scenarios=("digits",), think_aloud=False, name="small demo")
    return build_demo_study(store, options).study_id


@pytest.fixture(scope="module")
def researcher(store):
    return store.create_researcher("ada", "correct horse")
