"""The latent editor in a real headless Chromium: drags, a centre collapse and a selection move, end to end.

Each test serves a tiny app made of the editor components and a fake snapshot; a server callback echoes the
released edit into the page, so every check also proves the edit reached the server.
"""

from __future__ import annotations

import json
from pathlib import Path

import dash
import numpy as np
import pytest
from dash import Input, Output, html
from dash.testing.wait import until
import editor_page
from editor_fakes import fake_snapshot
from selenium.webdriver.common.action_chains import ActionChains

from hill_dash.app import ids
from hill_dash.app.components import accuracy_change_rows, build_latent_figure, editor_layout, replay

pytestmark = pytest.mark.browser

ASSETS = Path(__file__).resolve().parents[2] / "hill_dash" / "app" / "assets"
GRAPH = editor_page.GRAPH


@pytest.fixture(autouse=True)
def _needs_chromium(chromium):
    """Skip, saying why, where Debian's chromium and chromium-driver are missing."""


def _editor_app(snapshot: dict, rerender: bool) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder=str(ASSETS))
    previous = fake_snapshot(n_points=len(snapshot["labels"]), n_classes=len(snapshot["class_names"]), epoch=20)
    history = [{"epoch": 20, "accuracy": 0.6, "macro_f1": 0.58}, {"epoch": 25, "accuracy": 0.7, "macro_f1": 0.69}]
    # The whole editor as a page shows it (sidebar, toolbar, table), so its CSS and components load with no
    # console error; the drags act on its graph.
    app.layout = html.Div([
        editor_layout(build_latent_figure(snapshot), history=history, interaction_epochs=[25],
                      change_rows=accuracy_change_rows(previous, snapshot)),
        html.Pre(id="received"),
    ])

    @app.callback(Output("received", "children"), Input(ids.EDITOR_EDIT_STORE, "data"), prevent_initial_call=True)
    def echo(edit):
        return json.dumps(edit)

    if rerender:
        # What a page does: replay the edit log and send the figure drawn from the edited positions.
        @app.callback(Output(ids.EDITOR_GRAPH, "figure"), Input(ids.EDITOR_EDIT_STORE, "data"),
                      prevent_initial_call=True)
        def redraw(edit):
            state = replay([edit], snapshot["coords"], snapshot["centres"], epoch=snapshot["epoch"])
            figure = build_latent_figure(snapshot, positions=state.positions, centres=state.centres)
            return figure.update_layout(meta={**figure.layout.meta, "edits": len(state.active)})

    return app


def _start(dash_duo, snapshot: dict, rerender: bool = False) -> None:
    dash_duo.driver.set_window_size(1100, 800)  # before the page loads, so the plot never resizes under a drag
    dash_duo.start_server(_editor_app(snapshot, rerender))
    dash_duo.wait_for_element(f"#{ids.EDITOR_GRAPH} .gl-container")


def _client(dash_duo, x: float, y: float) -> tuple[int, int]:
    return editor_page.to_client(dash_duo.driver, x, y)


def _data(dash_duo, px: int, py: int) -> np.ndarray:
    return editor_page.to_data(dash_duo.driver, px, py)


def _received(dash_duo) -> dict:
    """The edit as the server callback got it, once the figure has landed the dragged points."""
    dash_duo.wait_for_contains_text("#received", '"kind"')
    dash_duo.wait_for_no_elements(".hill-drag-layer")
    return json.loads(dash_duo.find_element("#received").text)


def _shown(dash_duo) -> dict[tuple[str, int], dict]:
    return editor_page.shown(dash_duo.driver)


def _drag(dash_duo, start: tuple[int, int], end: tuple[int, int]) -> None:
    editor_page.drag(dash_duo.driver, start, end)


def _lonely_point(snapshot: dict) -> int:
    return editor_page.lonely_point(np.asarray(snapshot["coords"]), np.asarray(snapshot["centres"]))


def test_dragging_one_point_stores_the_edit_and_the_redrawn_figure_keeps_it_there(dash_duo):
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=1)
    _start(dash_duo, snapshot, rerender=True)
    point = _lonely_point(snapshot)
    old = np.asarray(snapshot["coords"][point])
    start = _client(dash_duo, *old)
    end = (start[0] + 70, start[1] - 45)
    _drag(dash_duo, start, end)

    edit = _received(dash_duo)
    expected = old + _data(dash_duo, *end) - _data(dash_duo, *start)
    assert edit["kind"] == "point" and edit["indices"] == [point]
    assert edit["class_id"] == snapshot["labels"][point] and edit["epoch"] == snapshot["epoch"]
    np.testing.assert_allclose(edit["old"], [old], atol=1e-9)
    np.testing.assert_allclose(edit["new"], [expected], atol=1e-9)
    until(lambda: dash_duo.driver.execute_script(
        "return document.querySelector(arguments[0])._fullLayout.meta.edits === 1;", GRAPH), timeout=30)
    trace = _shown(dash_duo)[("points", snapshot["labels"][point])]
    k = trace["index"].index(point)
    np.testing.assert_allclose([trace["x"][k], trace["y"][k]], expected, atol=1e-9)
    assert dash_duo.get_logs() == []


def test_dragging_a_centre_moves_every_point_of_its_class_by_one_offset(dash_duo):
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=2)
    _start(dash_duo, snapshot)
    centre = np.asarray(snapshot["centres"][1])
    start = _client(dash_duo, *centre)
    end = (start[0] - 50, start[1] + 60)
    members = [i for i, label in enumerate(snapshot["labels"]) if label == 1]
    ActionChains(dash_duo.driver).move_to_location(*start).click_and_hold().move_to_location(*end).perform()
    # Mid-drag: the class (and its cross) follow the pointer in the drag layer; the figure hides the originals.
    dash_duo.wait_for_element(".hill-drag-layer g[transform='translate(-50,60)']")
    assert len(dash_duo.find_elements(".hill-drag-layer circle")) == len(members)
    assert len(dash_duo.find_elements(".hill-drag-layer path")) == 1
    until(lambda: all(v is None or v != v for v in _shown(dash_duo)[("points", 1)]["x"]), timeout=30)
    ActionChains(dash_duo.driver).release().perform()

    edit = _received(dash_duo)
    offset = _data(dash_duo, *end) - _data(dash_duo, *start)
    assert edit["kind"] == "class" and edit["class_id"] == 1 and sorted(edit["indices"]) == members
    np.testing.assert_allclose(np.asarray(edit["new"]) - np.asarray(edit["old"]), [offset] * len(members), atol=1e-9)
    np.testing.assert_allclose(edit["centre"]["new"], centre + offset, atol=1e-9)
    shown = _shown(dash_duo)
    trace = shown[("points", 1)]
    original = np.asarray(snapshot["coords"])[trace["index"]]
    np.testing.assert_allclose(np.column_stack([trace["x"], trace["y"]]) - original, [offset] * len(members),
                               atol=1e-9)
    np.testing.assert_allclose([shown[("centre", 1)]["x"][0], shown[("centre", 1)]["y"][0]], centre + offset)
    untouched = shown[("points", 0)]
    np.testing.assert_allclose(untouched["x"], np.asarray(snapshot["coords"])[untouched["index"], 0])
    assert dash_duo.get_logs() == []


def test_double_clicking_a_centre_collapses_its_class(dash_duo):
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=3)
    _start(dash_duo, snapshot)
    centre = np.asarray(snapshot["centres"][2])
    ActionChains(dash_duo.driver).move_to_location(*_client(dash_duo, *centre)).double_click().perform()

    edit = _received(dash_duo)
    members = [i for i, label in enumerate(snapshot["labels"]) if label == 2]
    assert edit["kind"] == "collapse" and edit["class_id"] == 2 and sorted(edit["indices"]) == members
    np.testing.assert_allclose(edit["new"], [centre] * len(members), atol=1e-9)
    trace = _shown(dash_duo)[("points", 2)]
    np.testing.assert_allclose(np.column_stack([trace["x"], trace["y"]]), [centre] * len(members), atol=1e-9)
    assert dash_duo.get_logs() == []


def _selection_box(snapshot: dict) -> tuple[np.ndarray, np.ndarray, list[int], int]:
    """A box whose first corner is on empty ground (so Plotly selects), holding several points, one of them clear
    of every other point and centre (so a press on it hits only that point)."""
    coords = np.asarray(snapshot["coords"])
    others = np.concatenate([coords, np.asarray(snapshot["centres"])])
    distance = np.linalg.norm(coords[:, None, :] - others[None, :, :], axis=2)
    distance[np.arange(len(coords)), np.arange(len(coords))] = np.inf
    clear = distance.min(axis=1) > 0.35
    for middle in coords:
        for half in (1.0, 1.5, 2.0):
            low, high = middle - half, middle + half
            inside = np.flatnonzero(np.all((coords >= low) & (coords <= high), axis=1))
            corner_free = np.linalg.norm(others - low, axis=1).min() > 0.5
            grab = [i for i in inside if clear[i]]
            if corner_free and len(inside) >= 3 and grab:
                return low, high, inside.tolist(), int(grab[0])
    raise AssertionError("no usable selection box in the fake snapshot")


def test_a_box_selection_moves_together(dash_duo):
    snapshot = fake_snapshot(n_points=30, n_classes=3, seed=4)
    _start(dash_duo, snapshot)
    coords = np.asarray(snapshot["coords"])
    low, high, inside, point = _selection_box(snapshot)
    _drag(dash_duo, _client(dash_duo, *low), _client(dash_duo, *high))
    dash_duo.wait_for_element(f"#{ids.EDITOR_GRAPH} .selectionlayer path")

    start = _client(dash_duo, *coords[point])
    end = (start[0] + 40, start[1] + 40)
    _drag(dash_duo, start, end)
    edit = _received(dash_duo)
    offset = _data(dash_duo, *end) - _data(dash_duo, *start)
    assert edit["kind"] == "selection" and sorted(edit["indices"]) == inside
    np.testing.assert_allclose(np.asarray(edit["new"]) - coords[edit["indices"]], [offset] * len(inside), atol=1e-9)
    shown = _shown(dash_duo)
    for i in inside:
        trace = shown[("points", snapshot["labels"][i])]
        k = trace["index"].index(i)
        np.testing.assert_allclose([trace["x"][k], trace["y"][k]], coords[i] + offset, atol=1e-9)
    # The moved selection ends: no box left that would re-select whatever now lies under it.
    leftover = dash_duo.driver.execute_script(
        "const gd = document.querySelector(arguments[0]);"
        "return [gd._fullLayout.selections.length, gd._fullData.filter(t => t.selectedpoints).length];", GRAPH)
    assert leftover == [0, 0]
    assert dash_duo.get_logs() == []
