"""The run service between the store and the training core, on the offline digits scenario."""

from __future__ import annotations

import numpy as np
import pytest

from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(data_dir=tmp_path_factory.mktemp("rounds"))


@pytest.fixture(scope="module")
def run_id(store):
    return rounds.start_run(store, "digits", seed=1)


def test_start_run_begins_at_the_first_interaction_point_with_the_pretraining_history(store, run_id):
    view = rounds.run_view(store, run_id)
    first = view["interaction_epochs"][0]
    assert view["epoch"] == first and view["interaction_index"] == 0
    assert [h["epoch"] for h in view["history"]] == list(range(1, first + 1))
    assert len(view["positions"]) == len(view["snapshot"]["labels"])
    assert store.get_run(run_id).status == "waiting"


def test_the_pretrained_checkpoint_is_shared_between_runs(store, run_id):
    first = rounds.pretrained_checkpoint(store, "digits")
    other = rounds.start_run(store, "digits", seed=2)
    assert rounds.pretrained_checkpoint(store, "digits") == first
    a, b = rounds.run_view(store, run_id), rounds.run_view(store, other)
    assert a["snapshot"]["x"] == b["snapshot"]["x"]  # same checkpoint, same view; seeds differ from here on


def test_an_edit_is_stored_at_once_and_moves_the_shown_points(store, run_id):
    view = rounds.run_view(store, run_id)
    positions = np.asarray(view["positions"])
    edit_id = rounds.record_edit(store, run_id, {"kind": "point", "indices": [4], "old": [positions[4].tolist()],
                                                 "new": [[1.5, -2.5]]})
    stored = store.list_edits(run_id, view["interaction_index"])[-1]
    assert stored.id == edit_id and stored.point_indices == [4] and stored.new_positions == [[1.5, -2.5]]
    assert stored.old_positions == [positions[4].tolist()]
    assert rounds.run_view(store, run_id)["positions"][4] == pytest.approx([1.5, -2.5])


@pytest.mark.parametrize("edit, message", [
    ({"kind": "point", "indices": [10_000], "old": [[0, 0]], "new": [[1, 1]]}, "display points"),
    ({"kind": "teleport", "indices": [1], "new": [[1, 1]]}, "unknown"),
    ({"kind": "point", "indices": [1, 2], "new": [[1, 1]]}, "one new position per index"),
    ({"indices": [1]}, "kind"),
    ({"kind": "point", "indices": [1], "new": [[1, 1]], "epoch": 0}, "reload the page"),
])
def test_a_malformed_edit_is_refused_and_nothing_is_written(store, run_id, edit, message):
    before = len(store.list_edits(run_id))
    with pytest.raises(rounds.RoundError, match=message):
        rounds.record_edit(store, run_id, edit)
    assert len(store.list_edits(run_id)) == before


def test_weights_are_checked_and_kept_for_the_next_round(store, run_id):
    with pytest.raises(rounds.RoundError):
        rounds.set_hyper(store, run_id, alpha=1.5)
    assert rounds.set_hyper(store, run_id, alpha=0.25, lam=0.2) == {"alpha": 0.25, "lam": 0.2}
    assert rounds.run_view(store, run_id)["alpha"] == 0.25


def test_a_round_trains_with_the_edits_to_the_next_point_and_stores_every_epoch(store, run_id):
    view = rounds.run_view(store, run_id)
    labels = np.asarray(view["snapshot"]["labels"])
    positions = np.asarray(view["positions"])
    members = np.flatnonzero(labels == 3)
    rounds.record_edit(store, run_id, {"kind": "class", "indices": members.tolist(), "class_id": 3,
                                       "old": positions[members].tolist(),
                                       "new": (positions[members] + [5.0, 5.0]).tolist()})
    seen: list[dict] = []
    result = rounds.train_round(store, run_id, progress=seen.append)
    after = rounds.run_view(store, run_id)
    second = view["interaction_epochs"][1]
    assert result["epoch"] == second == after["epoch"] and after["interaction_index"] == 1
    assert [p["epoch"] for p in seen] == list(range(view["epoch"] + 1, second + 1))
    assert [h["epoch"] for h in after["history"]][-1] == second
    assert after["previous"] is not None and after["previous"]["epoch"] == view["epoch"]
    assert after["edits"] == 0  # a new interaction point starts with no edits
    stored_losses = store.list_epochs(run_id)[-1]
    assert stored_losses.loss_human is not None and stored_losses.loss_human > 0


def test_should_stop_pauses_between_points_and_the_next_round_resumes(store):
    run = rounds.start_run(store, "digits", seed=3)
    start = rounds.run_view(store, run)
    result = rounds.train_round(store, run, should_stop=lambda: True)
    assert result["epoch"] == start["epoch"] + 1 and not result["finished"]
    assert store.latest_checkpoint(run).epoch == start["epoch"] + 1
    result = rounds.train_round(store, run)
    assert result["epoch"] == start["interaction_epochs"][1]


def test_an_arrow_needs_no_positions(store):
    run = rounds.start_run(store, "digits", seed=4)
    edit_id = rounds.record_edit(store, run, {"kind": "arrow", "indices": [3], "arrow": [1.0, -0.5]})
    stored = store.list_edits(run)[-1]
    assert stored.id == edit_id and stored.kind == "arrow" and stored.arrow == {"vector": [1.0, -0.5]}
    assert stored.old_positions is None and stored.new_positions is None
