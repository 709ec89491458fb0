"""The editor's layout builders and the small pure helpers behind its controls, checked as data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from dash import dcc
from editor_fakes import fake_snapshot

from hill_dash.app import ids
from hill_dash.app.components import (
    accuracy_change_rows,
    accuracy_change_table,
    accuracy_figure,
    build_latent_figure,
    control_event,
    control_panel,
    control_states,
    editor_layout,
    history_button_states,
    latent_editor,
    metrics_text,
    progress_props,
    replay,
    settings_error,
)

HISTORY = [{"epoch": 25, "accuracy": 0.71, "macro_f1": 0.69}, {"epoch": 26, "accuracy": 0.74, "macro_f1": 0.72}]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None or isinstance(children, (str, int, float)):
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        yield from _walk(child)


def _by_id(component):
    found = {}
    for node in _walk(component):
        node_id = getattr(node, "id", None)
        if node_id is not None:
            key = json.dumps(node_id, sort_keys=True) if isinstance(node_id, dict) else node_id
            assert key not in found, f"duplicate id {key}"
            found[key] = node
    return found


def test_the_editor_layout_holds_every_editor_id_once():
    figure = build_latent_figure(fake_snapshot())
    layout = editor_layout(figure, history=HISTORY, interaction_epochs=[25, 30])
    found = _by_id(layout)
    expected = {ids.EDITOR_ROOT, ids.EDITOR_GRAPH, ids.EDITOR_EDIT_STORE, ids.EDITOR_TRAIN, ids.EDITOR_PAUSE,
                ids.EDITOR_RESUME, ids.EDITOR_CANCEL, ids.EDITOR_EPOCHS, ids.EDITOR_ALPHA, ids.EDITOR_LAMBDA,
                ids.EDITOR_PROGRESS, ids.EDITOR_METRICS, ids.EDITOR_ACCURACY_GRAPH, ids.EDITOR_UNDO, ids.EDITOR_REDO,
                ids.EDITOR_RESET, ids.EDITOR_BEFORE_AFTER, ids.EDITOR_ACCURACY_TABLE}
    assert expected <= set(found)
    assert found[ids.EDITOR_GRAPH].figure is figure
    assert isinstance(found[ids.EDITOR_EDIT_STORE], dcc.Store)


def test_the_graph_wrapper_names_its_store_for_the_drag_script():
    editor = latent_editor(store_id={"type": "editor-released-edit", "index": 2}, graph_id="g")
    assert "hill-editor" in editor.className
    store_ref = getattr(editor, "data-edit-store")
    assert json.loads(store_ref) == {"type": "editor-released-edit", "index": 2}
    graph, store = editor.children
    assert graph.id == "g" and graph.config["scrollZoom"] is True
    assert store.id == {"type": "editor-released-edit", "index": 2} and store.storage_type == "memory"
    assert getattr(latent_editor(), "data-edit-store") == ids.EDITOR_EDIT_STORE


@pytest.mark.parametrize("status, enabled", [
    ("idle", {ids.EDITOR_TRAIN, ids.EDITOR_EPOCHS, ids.EDITOR_ALPHA, ids.EDITOR_LAMBDA}),
    ("running", {ids.EDITOR_PAUSE, ids.EDITOR_CANCEL}),
    ("paused", {ids.EDITOR_TRAIN, ids.EDITOR_RESUME, ids.EDITOR_CANCEL, ids.EDITOR_EPOCHS, ids.EDITOR_ALPHA,
                ids.EDITOR_LAMBDA}),
    ("done", set()),
])
def test_controls_follow_the_training_status(status, enabled):
    states = control_states(status)
    assert {element for element, disabled in states.items() if not disabled} == enabled
    panel = _by_id(control_panel(status=status))
    assert {element for element in states if not panel[element].disabled} == enabled


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown training status 'stopped'"):
        control_states("stopped")


def test_the_panel_shows_the_given_settings_and_metrics():
    panel = _by_id(control_panel(epochs_between=3, alpha=0.25, lam=0.05, history=HISTORY))
    assert (panel[ids.EDITOR_EPOCHS].value, panel[ids.EDITOR_ALPHA].value, panel[ids.EDITOR_LAMBDA].value) == (
        3, 0.25, 0.05)
    assert panel[ids.EDITOR_ALPHA].max == 1 and panel[ids.EDITOR_LAMBDA].min == 0
    assert panel[ids.EDITOR_METRICS].children == metrics_text(HISTORY)


def test_progress_reads_epoch_k_of_n_and_loss():
    assert progress_props(3, 20, 0.51234) == {"value": 3, "max": 20, "label": "epoch 3 of 20, loss 0.5123"}
    assert progress_props(0, 5)["label"] == "epoch 0 of 5"
    with pytest.raises(ValueError, match="outside 0..5"):
        progress_props(6, 5)
    with pytest.raises(ValueError, match="at least 1"):
        progress_props(0, 0)


def test_metrics_list_newest_epoch_first():
    lines = metrics_text(HISTORY).splitlines()
    assert lines[0].startswith("epoch  26") and "acc 0.740" in lines[0] and "macro-F1 0.720" in lines[0]
    assert lines[1].startswith("epoch  25")
    assert metrics_text([]) == "no epochs trained yet"
    with pytest.raises(ValueError, match="lacks macro_f1"):
        metrics_text([{"epoch": 1, "accuracy": 0.5}])


def test_accuracy_plot_draws_both_metrics_and_marks_interaction_points():
    figure = accuracy_figure(HISTORY, interaction_epochs=[25, 30])
    assert [t.name for t in figure.data] == ["accuracy", "macro-F1"]
    assert list(figure.data[0].x) == [25, 26] and list(figure.data[1].y) == [0.69, 0.72]
    assert sorted(shape.x0 for shape in figure.layout.shapes) == [25, 30]


@pytest.mark.parametrize("epochs, alpha, lam, problem", [
    (5, 0.5, 0.1, None),
    (0, 0.5, 0.1, "at least 1"),
    (2.5, 0.5, 0.1, "whole number"),
    (None, 0.5, 0.1, "whole number"),
    (5, 1.5, 0.1, "alpha must lie between 0"),
    (5, "x", 0.1, "alpha must lie between 0"),
    (5, 0.5, -1, "lambda must be 0 or more"),
    (float("inf"), 0.5, 0.1, "whole number"),
])
def test_settings_errors_say_what_to_fix(epochs, alpha, lam, problem):
    message = settings_error(epochs, alpha, lam)
    if problem is None:
        assert message is None
    else:
        assert problem in message


def test_history_buttons_follow_the_replayed_state():
    original = np.zeros((2, 2))
    edit = {"kind": "point", "indices": [0], "old": [[0.0, 0.0]], "new": [[1.0, 1.0]]}
    assert history_button_states(None) == {ids.EDITOR_UNDO: True, ids.EDITOR_REDO: True, ids.EDITOR_RESET: True}
    edited = history_button_states(replay([edit], original, np.zeros((1, 2))))
    assert edited == {ids.EDITOR_UNDO: False, ids.EDITOR_REDO: True, ids.EDITOR_RESET: False}
    undone = history_button_states(replay([edit, control_event("undo")], original, np.zeros((1, 2))))
    assert undone == {ids.EDITOR_UNDO: True, ids.EDITOR_REDO: False, ids.EDITOR_RESET: True}


def test_accuracy_change_table_shows_a_row_per_class_with_signed_changes():
    previous = fake_snapshot(n_points=60, n_classes=3, seed=1, epoch=25, error_rate=0.3)
    current = fake_snapshot(n_points=60, n_classes=3, seed=1, epoch=30, error_rate=0.1)
    rows = accuracy_change_rows(previous, current)
    table = accuracy_change_table(rows)
    header, body = table.children
    assert [th.children for th in header.children.children] == ["class", "before", "after", "change"]
    assert len(body.children) == 4
    for row, tr in zip(rows, body.children):
        name, before, after, change = (td.children for td in tr.children)
        assert name == row["class"] and before == f"{100 * row['before']:.1f} %"
        assert change == f"{100 * row['delta']:+.1f} pp"
        tone = tr.children[3].className
        assert tone == ("text-success" if row["delta"] > 0 else "text-danger" if row["delta"] < 0 else "text-muted")
    assert body.children[-1].className == "fw-bold"


def test_pretraining_progress_names_the_epoch_the_accuracy_and_the_time_left():
    from hill_dash.app.components.task_panel import pretraining_progress

    assert pretraining_progress({"phase": "loading", "epoch": 0, "of": None}) == (0, 1, "getting the data ready…")
    value, most, label = pretraining_progress({"phase": "pretraining", "epoch": 1, "of": 3, "val_acc": 0.625,
                                               "elapsed_s": 4.0})
    assert (value, most) == (1, 3) and label == "epoch 1 of 3, 62 % of the check examples right, about 8 s left"
    assert "left" not in pretraining_progress({"phase": "pretraining", "epoch": 3, "of": 3, "val_acc": 0.9,
                                               "elapsed_s": 9.0})[2]
