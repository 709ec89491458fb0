"""The boundary page: drawn lines snapped to points, callbacks as plain functions (in a request from the browser
that owns the lab), layouts as data."""

from __future__ import annotations

import sys
import types

import flask
import numpy as np
import pytest
from app_kit import published_app
from boundary_app_labs import OWNER, owner_key, stored_arrows
from dash.exceptions import PreventUpdate
from security_kit import caller

from hill_dash.app import cookies, ids
from hill_dash.app.views import boundary as view_module
from hill_dash.app.views.boundary import ArrowRefused, drawn_line, snap_arrow
from hill_dash.jobs import boundary_rounds

POINTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [4.0, 4.0]])  # extent 4: snapping within 0.14


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real app (its pages register themselves with it)."""
    with published_app(tmp_path_factory.mktemp("app-data")) as app:
        yield app


@pytest.fixture(scope="module")
def page(app):
    """The page module as the real app imports it."""
    return sys.modules["hill_dash.app.pages.boundary"]


@pytest.fixture
def owner(app):
    """The test runs inside a request from the browser that started the `lab_id` lab."""
    with caller(app, browser=OWNER):
        yield


def _shape(x0, y0, x1, y1, kind="line") -> dict:
    return {"type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "editable": True, "line": {"width": 4}}


def _find(component, wanted):
    """The component with id `wanted` inside a layout (depth first), or None."""
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def _train_points(store, run_id) -> np.ndarray:
    return boundary_rounds.load_lab(store, run_id).split("train")[0]


def test_only_a_newly_drawn_line_counts():
    assert drawn_line({"autosize": True}) is None
    assert drawn_line({"xaxis.range[0]": -1, "xaxis.range[1]": 1}) is None
    assert drawn_line({"shapes[0].x0": 0.4}) is None  # moving a line is not drawing one
    assert drawn_line(None) is None and drawn_line({"shapes": []}) is None
    assert drawn_line({"shapes": [_shape(0, 0, 1, 1, kind="rect")]}) is None
    assert drawn_line({"shapes": [_shape(0, 0, 1, 1), _shape(2, 3, 4, 5)]}) == (2.0, 3.0, 4.0, 5.0)


def test_a_line_snaps_to_the_nearest_point_and_keeps_its_direction():
    index, vector = snap_arrow((0.95, 0.1, 2.0, -1.0), POINTS)
    assert index == 1 and vector == pytest.approx((1.05, -1.1))
    assert snap_arrow((0.05, 1.9, 0.05, 0.5), POINTS)[0] == 2


def test_a_line_away_from_every_point_or_too_short_is_refused():
    with pytest.raises(ArrowRefused, match="start the arrow on a point"):
        snap_arrow((2.0, 2.0, 3.0, 3.0), POINTS)
    with pytest.raises(ArrowRefused, match="too short"):
        snap_arrow((1.0, 0.0, 1.01, 0.0), POINTS)


def test_drawing_on_a_point_stores_the_arrow_and_redraws(app_store, lab_id, owner):
    points = _train_points(app_store, lab_id)
    x, y = points[5]
    message, version = view_module.draw_arrow({"shapes": [_shape(x + 0.01, y, x + 0.5, y + 0.25)]},
                                              {"run_id": lab_id}, "ana", 3)
    assert message == "Arrow on point 5 stored." and version == 4
    [(point, vector, who)] = stored_arrows(app_store, lab_id)
    assert point == 5 and who == "ana" and vector == pytest.approx([0.49, 0.25])


def test_drawing_away_from_the_points_says_where_to_start_and_stores_nothing(app_store, lab_id, owner):
    message, version = view_module.draw_arrow({"shapes": [_shape(50.0, 50.0, 51.0, 51.0)]}, {"run_id": lab_id},
                                              "ana", 0)
    assert "start the arrow on a point" in message and version == 1  # redrawn: the stray line goes away
    assert app_store.list_edits(lab_id) == []
    x, y = _train_points(app_store, lab_id)[0]
    message, _ = view_module.draw_arrow({"shapes": [_shape(x, y, x + 1, y)]}, {"run_id": lab_id}, "", 0)
    assert "annotator name" in message and app_store.list_edits(lab_id) == []


def test_other_graph_changes_do_not_touch_the_store(app_store, lab_id, owner):
    with pytest.raises(PreventUpdate):
        view_module.draw_arrow({"autosize": True}, {"run_id": lab_id}, "ana", 0)
    assert app_store.list_edits(lab_id) == []


def test_the_remove_button_of_an_arrow_marks_it_undone(app_store, lab_id, monkeypatch, owner):
    kept = boundary_rounds.add_arrow(app_store, lab_id, 1, (1.0, 0.0))
    gone = boundary_rounds.add_arrow(app_store, lab_id, 2, (0.0, 1.0))
    trigger = {"type": ids.BOUNDARY_ARROW_REMOVE, "edit": gone.id}
    monkeypatch.setattr(view_module, "ctx", types.SimpleNamespace(triggered_id=trigger, triggered=[{"value": None}]))
    with pytest.raises(PreventUpdate):  # a freshly drawn button, not a click
        view_module.remove_arrow([None, None], {"run_id": lab_id}, "ana", 0)
    monkeypatch.setattr(view_module, "ctx", types.SimpleNamespace(triggered_id=trigger, triggered=[{"value": 1}]))
    assert view_module.remove_arrow([None, 1], {"run_id": lab_id}, "ana", 0) == ("Arrow removed.", 1)
    assert [a[0] for a in stored_arrows(app_store, lab_id)] == [1] and kept.id != gone.id
    message, _ = view_module.remove_arrow([None, 2], {"run_id": lab_id}, "ana", 1)
    assert message.startswith("Not removed:")


def test_w_is_stored_as_it_changes(app_store, lab_id, owner):
    assert view_module.change_weight(0.4, {"run_id": lab_id}) == "Next round: w = 0.4."
    refused = view_module.change_weight(3, {"run_id": lab_id})
    assert refused.startswith("Not changed:") and "between 0" in refused
    assert app_store.get_run(lab_id).config["weight"] == 0.4


def test_train_runs_a_round_and_reports_progress(app_store, lab_id, owner):
    boundary_rounds.add_arrow(app_store, lab_id, 1, (1.0, 0.0))
    progress: list[tuple] = []
    version, message = view_module.train(progress.append, 1, {"run_id": lab_id}, 3, 7)
    assert version == 8 and message.startswith("Round 1 done: epoch 3") and "1 arrows" in message
    assert [p[:2] for p in progress] == [(1, 3), (2, 3), (3, 3)] and "held-out accuracy" in progress[-1][2]
    assert boundary_rounds.current_round(app_store, lab_id) == 1
    version, message = view_module.train(progress.append, 2, {"run_id": lab_id}, 0, 8)
    assert "whole number" in message and boundary_rounds.current_round(app_store, lab_id) == 1


def test_the_lab_layout_shows_the_lab_as_stored(page, app_store, lab_id, owner):
    boundary_rounds.add_arrow(app_store, lab_id, 3, (0.5, 0.5), annotator="ana")
    boundary_rounds.train_round(app_store, lab_id, 2)
    layout = page.layout(run=str(lab_id))
    figure = _find(layout, ids.BOUNDARY_GRAPH).figure
    assert figure.layout.dragmode == "drawline" and figure.layout.meta["run"] == lab_id
    assert figure.layout.meta["epoch"] == 2 and [a.name for a in figure.layout.annotations] == ["arrow-3"]
    assert _find(layout, ids.BOUNDARY_WEIGHT).value == app_store.get_run(lab_id).config["weight"]
    assert _find(layout, ids.BOUNDARY_RUN).data == {"run_id": lab_id}
    assert "Round 1, epoch 2" in _find(layout, ids.BOUNDARY_HEADING).children
    arrows = _find(layout, ids.BOUNDARY_ARROWS)
    edit_id = boundary_rounds.arrows_in_force(app_store, lab_id)[0].id
    assert _find(arrows, {"type": ids.BOUNDARY_ARROW_REMOVE, "edit": edit_id}) is not None
    accuracy = _find(layout, ids.BOUNDARY_ACCURACY_GRAPH).figure
    assert len(accuracy.data[0].x) == 2


def test_refresh_redraws_figure_arrows_and_heading_from_the_store(app_store, lab_id, owner):
    boundary_rounds.add_arrow(app_store, lab_id, 8, (0.0, -1.0))
    figure, accuracy, arrows, heading = view_module.refresh(1, {"run_id": lab_id})
    assert [a.name for a in figure.layout.annotations] == ["arrow-8"] and "Round 0, epoch 0" in heading
    assert not accuracy.data and _find(arrows, {"type": ids.BOUNDARY_ARROW_REMOVE,
                                                "edit": boundary_rounds.arrows_in_force(app_store, lab_id)[0].id})


def test_start_creates_a_lab_for_this_browser_and_opens_it(page, app_store, owner):
    href, message = page.start_lab(1, "circles", 60, 0.1, 4)
    run_id = int(href.rsplit("=", 1)[1])
    assert href == f"/boundary?run={run_id}" and message == ""
    config = boundary_rounds.lab_config(app_store, run_id)
    assert (config.dataset.name, config.dataset.n_samples, config.dataset.noise, config.seed) == ("circles", 60, 0.1, 4)
    assert app_store.get_run(run_id).owner_key == owner_key()


def test_a_browser_without_a_session_gets_one_and_owns_the_lab_it_starts(app, page, app_store):
    with caller(app):
        href, _ = page.start_lab(1, "moons", 40, None, 0)
        browser = flask.session.get(cookies.BROWSER_KEY)
    assert isinstance(browser, str) and browser
    assert app_store.get_run(int(href.rsplit("=", 1)[1])).owner_key == owner_key(browser)


@pytest.mark.parametrize("form, message", [
    (("moons", 3, None, 0), "at least 8 points"),
    (("moons", 1_000_000, None, 0), "at most"),
    (("moons", 100, -1, 0), "noise"),
    (("spiral", 100, None, 0), "unknown data set"),
    (("moons", None, None, 0), "fill in"),
    (("moons", 100, None, 1.5), "whole numbers"),
])
def test_a_bad_form_says_what_to_change_and_creates_nothing(page, app_store, form, message, owner):
    href, text = page.start_lab(1, *form)
    assert href is page.no_update and text.startswith("Cannot start:") and message in text
    assert app_store.list_runs() == []


def test_the_page_explains_runs_it_cannot_show(app, page, app_store, lab_id):
    hill_run = app_store.create_run("digits")  # started outside the app: anyone may look
    theirs = boundary_rounds.start_lab(app_store, boundary_rounds.lab_config(app_store, lab_id),
                                       owner_key=owner_key("another browser"))
    with caller(app, browser=OWNER):
        for run, says in ((str(hill_run.id), "not a boundary lab"), ("twelve", "whole number"),
                          ("999", "there is no lab 999 you may open"),
                          (str(theirs), f"there is no lab {theirs} you may open")):
            shown = page.layout(run=run)
            assert "cannot be shown" in str(shown.children) and says in str(shown.children)
            assert _find(shown, ids.BOUNDARY_GRAPH) is None


def test_the_start_page_lists_only_this_browsers_labs(app, page, app_store, lab_id):
    theirs = boundary_rounds.start_lab(app_store, boundary_rounds.lab_config(app_store, lab_id),
                                       owner_key=owner_key("another browser"))
    with caller(app, browser=OWNER):
        panel = page.layout()
    assert _find(panel, ids.BOUNDARY_START) is not None
    assert f"/boundary?run={lab_id}" in str(panel) and f"run={theirs}" not in str(panel)
    with caller(app, browser="another browser"):
        panel = page.layout()
    assert f"run={theirs}" in str(panel) and f"run={lab_id}" not in str(panel)
    with caller(app):
        assert "Recent labs" not in str(page.layout())
