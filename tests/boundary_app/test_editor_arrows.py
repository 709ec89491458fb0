"""Direction arrows in the latent editor: stored through the run service, used by the next round, drawn on the view."""

from __future__ import annotations

import numpy as np
import pytest
from latent_tiny import REFERENCE

from hill_dash.app.components.latent_figure import build_latent_figure
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(data_dir=tmp_path_factory.mktemp("editor-arrows"))


def _arrow(view: dict, index: int, vector: list[float]) -> dict:
    """An edit as arrow_gesture.js releases it (old and new: the point's shown position, which does not move)."""
    at = view["positions"][index]
    return {"kind": "arrow", "indices": [index], "arrow": vector, "old": [at], "new": [at],
            "class_id": view["snapshot"]["labels"][index], "epoch": view["epoch"], "timestamp": 1.0}


def test_arrows_are_stored_and_the_next_round_trains_with_their_direction_term(store):
    with_arrows, without = rounds.start_run(store, REFERENCE), rounds.start_run(store, REFERENCE)
    view = rounds.run_view(store, with_arrows)
    edit_id = rounds.record_edit(store, with_arrows, _arrow(view, 3, [0.4, -0.3]))
    stored = store.list_edits(with_arrows)[-1]
    assert (stored.id, stored.kind, stored.point_indices, stored.arrow) == (edit_id, "arrow", [3],
                                                                           {"vector": [0.4, -0.3]})
    assert rounds.run_view(store, with_arrows)["positions"] == view["positions"]  # an arrow moves no point
    # The opposite arrow on the same point: whatever the model's slope s along the first arrow, the term is
    # scale * (|tanh(20 s) + 1| + |-tanh(20 s) + 1|) / 2 = scale = 100, so it shows both arrows were used.
    rounds.record_edit(store, with_arrows, _arrow(view, 3, [-0.4, 0.3]))
    for run_id in (with_arrows, without):
        rounds.train_round(store, run_id)
    trained = [e for e in store.list_epochs(with_arrows) if e.epoch > view["epoch"]]
    plain = [e for e in store.list_epochs(without) if e.epoch > view["epoch"]]
    assert trained and all(e.loss_direction == pytest.approx(100.0, abs=1e-3) for e in trained)
    assert plain and all(e.loss_direction is None for e in plain)


@pytest.mark.parametrize("change, message", [
    ({"arrow": [0.0, 0.0]}, "length zero"),
    ({"indices": [1, 2]}, "exactly one point"),
    ({"arrow": None}, "exactly one point"),
    ({"indices": [10_000]}, "display points"),
])
def test_a_malformed_arrow_is_refused_and_nothing_is_written(store, change, message):
    run_id = rounds.start_run(store, REFERENCE)
    edit = {**_arrow(rounds.run_view(store, run_id), 1, [1.0, 0.0]), **change}
    with pytest.raises(rounds.RoundError, match=message):
        rounds.record_edit(store, run_id, edit)
    assert store.list_edits(run_id) == []


def test_the_editor_draws_the_arrows_in_force_and_forgets_an_undone_one(store):
    run_id = rounds.start_run(store, REFERENCE)
    view = rounds.run_view(store, run_id)
    rounds.record_edit(store, run_id, _arrow(view, 5, [0.25, 0.5]))
    shown = editor.run_view_with_arrows(store, run_id)
    assert shown["arrows"] == [{"index": 5, "vector": [0.25, 0.5]}]
    [arrow] = [a for a in editor.render_parts(shown, before_after=False)["figure"].layout.annotations
               if a.name == "arrow-5"]
    x0, y0 = shown["positions"][5]
    assert (arrow.ax, arrow.ay) == pytest.approx((x0, y0)) and (arrow.x, arrow.y) == pytest.approx((x0 + 0.25,
                                                                                                   y0 + 0.5))
    store.undo_last(run_id, view["interaction_index"])
    undone = editor.run_view_with_arrows(store, run_id)
    assert undone["arrows"] == [] and not editor.render_parts(undone, before_after=False)["figure"].layout.annotations


def test_the_figure_refuses_an_arrow_on_a_point_it_does_not_show(store):
    view = rounds.run_view(store, rounds.start_run(store, REFERENCE))
    snapshot = editor.figure_snapshot(view["snapshot"])
    figure = build_latent_figure(snapshot, arrows=[{"index": 0, "vector": [1.0, -1.0]}])
    assert [(a.name, a.x - a.ax, a.y - a.ay) for a in figure.layout.annotations] == [("arrow-0", 1.0, -1.0)]
    with pytest.raises(ValueError, match="has 40 points"):
        build_latent_figure(snapshot, arrows=[{"index": len(np.asarray(snapshot["coords"])), "vector": [1, 0]}])
