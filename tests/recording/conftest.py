"""A temporary store (the one `get_store()` opens) with a two-scenario study, the audio routes on a bare Flask
app, and a real webm/opus recording to cut into chunks."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from app_kit import in_process_app
from recording_kit import webm_opus
from study_kit import Study

from hill_dash.app.audio_routes import register_audio_routes
from hill_dash.app.context import get_store
from hill_dash.store import Store


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("HILL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    return get_store()


@pytest.fixture
def study(store) -> Study:
    return Study(store, store.create_study("think-aloud", ["digits", "basicmotions"], n_participants=2))


@pytest.fixture
def server(store) -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "test"
    register_audio_routes(app)
    return app


@pytest.fixture
def client(server):
    return server.test_client()


@pytest.fixture
def researcher(store):
    return store.create_researcher("ada", "correct horse")


@pytest.fixture(scope="session")
def tone_webm(tmp_path_factory) -> Path:
    """Six seconds of a 440 Hz tone as webm/opus."""
    import numpy as np

    t = np.arange(6 * 16_000) / 16_000
    return webm_opus(tmp_path_factory.mktemp("audio") / "tone.webm", 0.5 * np.sin(2 * np.pi * 440 * t))




@pytest.fixture(scope="session")
def pages(tmp_path_factory) -> dict:
    """The recordings and transcript page modules as the real app imports them. The environment the app
    publishes is put back at once, so `get_store()` keeps naming each test's own store."""
    import sys

    app = in_process_app(tmp_path_factory.mktemp("app-data"))
    return {"app": app, **{name: sys.modules[f"hill_dash.app.pages.{name}"] for name in ("recordings", "transcript")}}
