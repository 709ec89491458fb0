"""Arrow mode of the latent editor in a real headless Chromium: a press on a point and a release elsewhere release
ONE arrow edit (no point moves); with the switch off the same gesture drags the point again.

A tiny app serves the editor components on a seeded snapshot; a server callback echoes each released edit into
the page, so the check also proves the edit reached the server.
"""

from __future__ import annotations

import json
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import editor_page
import numpy as np
import pytest
from dash import ClientsideFunction, Input, Output, html

from hill_dash.app import ids
from hill_dash.app.components import build_latent_figure, editor_layout

pytestmark = pytest.mark.browser

ASSETS = Path(__file__).resolve().parents[2] / "hill_dash" / "app" / "assets"


@pytest.fixture(autouse=True)
def _needs_chromium(chromium):
    """Skip, saying why, where Debian's chromium and chromium-driver are missing."""


def _snapshot(n_points: int = 24, n_classes: int = 2, seed: int = 5) -> dict:
    """Two seeded clouds of points, as `Snapshot.to_dict()` shapes them for the figure."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n_points) % n_classes
    coords = np.where(labels[:, None] == 0, -3.0, 3.0) + rng.normal(scale=1.2, size=(n_points, 2))
    centres = np.stack([coords[labels == c].mean(axis=0) for c in range(n_classes)])
    return {"epoch": 7, "coords": coords.tolist(), "labels": labels.tolist(), "predictions": labels.tolist(),
            "misclassified": [False] * n_points, "centres": centres.tolist(), "spreads": [1.0] * n_classes,
            "class_names": ["left", "right"], "index": list(range(n_points))}


def _app(snapshot: dict) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder=str(ASSETS))
    app.layout = html.Div([
        dbc.Switch(id=ids.EDITOR_ARROW_MODE, value=True, label="arrow mode"),
        html.Div(editor_layout(build_latent_figure(snapshot)), id=ids.EDITOR_MODE),
        html.Pre(id="received"),
    ])
    app.clientside_callback(ClientsideFunction(namespace="hill", function_name="editMode"),
                            Output(ids.EDITOR_MODE, "className"), Input(ids.EDITOR_ARROW_MODE, "value"))

    @app.callback(Output("received", "children"), Input(ids.EDITOR_EDIT_STORE, "data"), prevent_initial_call=True)
    def echo(edit):
        return json.dumps(edit)

    return app


def _received(dash_duo, kind: str) -> dict:
    dash_duo.wait_for_contains_text("#received", f'"kind": "{kind}"')
    dash_duo.wait_for_no_elements(".hill-drag-layer")
    return json.loads(dash_duo.find_element("#received").text)


def _two_lonely_points(snapshot: dict) -> tuple[int, int]:
    coords, centres = np.asarray(snapshot["coords"]), np.asarray(snapshot["centres"])
    first = editor_page.lonely_point(coords, centres)
    others = np.delete(np.arange(len(coords)), first)
    second = others[editor_page.lonely_point(coords[others], np.vstack([centres, coords[first]]))]
    return first, int(second)


def test_an_arrow_is_released_in_arrow_mode_and_a_drag_without_it(dash_duo):
    snapshot = _snapshot()
    dash_duo.driver.set_window_size(1100, 800)
    dash_duo.start_server(_app(snapshot))
    dash_duo.wait_for_element(f".hill-arrow-mode #{ids.EDITOR_GRAPH} .gl-container")
    driver = dash_duo.driver
    first, second = _two_lonely_points(snapshot)
    coords = np.asarray(snapshot["coords"])

    start = editor_page.to_client(driver, *coords[first])
    end = (start[0] + 70, start[1] - 45)
    editor_page.drag(driver, start, end)
    edit = _received(dash_duo, "arrow")
    assert edit["indices"] == [first] and edit["epoch"] == 7 and edit["class_id"] == snapshot["labels"][first]
    np.testing.assert_allclose(edit["arrow"], editor_page.to_data(driver, *end) - coords[first], atol=1e-9)
    np.testing.assert_allclose(edit["old"], [coords[first]])
    assert edit["new"] == edit["old"]
    shown = editor_page.shown(driver)[("points", snapshot["labels"][first])]
    k = shown["index"].index(first)
    np.testing.assert_allclose([shown["x"][k], shown["y"][k]], coords[first])  # the point stayed
    names = driver.execute_script(f"return document.querySelector('{editor_page.GRAPH}')"
                                  "._fullLayout.annotations.map(a => a.name);")
    assert names == [f"arrow-{first}"]

    # Switch arrow mode off: the same gesture drags a point.
    driver.find_element("css selector", f"label[for='{ids.EDITOR_ARROW_MODE}']").click()
    dash_duo.wait_for_no_elements(".hill-arrow-mode")
    start = editor_page.to_client(driver, *coords[second])
    end = (start[0] - 60, start[1] + 40)
    editor_page.drag(driver, start, end)
    edit = _received(dash_duo, "point")
    assert edit["indices"] == [second]
    np.testing.assert_allclose(np.subtract(edit["new"], edit["old"]),
                               [editor_page.to_data(driver, *end) - editor_page.to_data(driver, *start)], atol=1e-9)
    assert dash_duo.get_logs() == []
