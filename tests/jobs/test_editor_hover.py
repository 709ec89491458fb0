"""The sample under the pointer: a digit as a small picture, a sensor window as lines, with the true and predicted
class in words, for the participant's own run only."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from dash.exceptions import PreventUpdate

from hill_dash.app.components.sample_hover import display_sample, sample_picture
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("hover")
    store = open_store(data_dir=data_dir)
    study = store.create_study("hover study", ["digits"], 2)
    mine, other = study.invites
    run_id = rounds.start_run(store, "digits", participant_id=mine.participant.id)
    return store, data_dir, run_id, mine.token, other.token


@pytest.fixture(autouse=True)
def _env(setup, monkeypatch):
    monkeypatch.setenv("HILL_DATA_DIR", str(setup[1]))
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)


def _svg(uri: str) -> str:
    assert uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def test_a_digit_is_drawn_pixel_by_pixel_and_a_sensor_window_as_one_line_per_channel():
    digit = np.zeros((1, 8, 8))
    digit[0, 2:6, 3] = 16.0
    svg = _svg(sample_picture(digit))
    assert svg.count("<rect") == 64 and 'fill="rgb(0,0,0)"' in svg and 'fill="rgb(255,255,255)"' in svg
    window = np.sin(np.linspace(0, 6, 100))[None, :] * np.arange(1, 7)[:, None]
    lines = _svg(sample_picture(window))
    assert lines.count("<polyline") == 6 and lines.count("<rect") == 1


def test_hover_shows_the_sample_and_its_classes_for_the_owner_only(setup):
    store, _, run_id, token, other = setup
    snapshot = rounds.load_snapshot(store, run_id)
    row = int(np.flatnonzero(snapshot.predictions != snapshot.labels)[0]) if (
        snapshot.predictions != snapshot.labels).any() else 0
    hover = {"points": [{"customdata": row, "bbox": {"x0": 1, "x1": 2, "y0": 3, "y1": 4}}]}
    show, bbox, card = editor.hover(hover, {"run_id": run_id, "token": token})
    assert show is True and bbox == {"x0": 1, "x1": 2, "y0": 3, "y1": 4}
    words = " ".join(str(c.children) for c in card.children[1:])
    names = snapshot.class_names
    assert f"true class: {names[snapshot.labels[row]]}" in words
    assert f"model says: {names[snapshot.predictions[row]]}" in words
    sample = display_sample(store.get_run(run_id).config, row)
    assert card.children[0].src == sample_picture(sample) and sample.shape[-2:] == (8, 8)
    assert editor.hover({"points": [{"curveNumber": 3}]}, {"run_id": run_id, "token": token})[0] is False
    assert editor.hover(None, {"run_id": run_id, "token": token})[0] is False
    with pytest.raises(PreventUpdate):
        editor.hover(hover, {"run_id": run_id, "token": other})
