"""The boundary-lab service over a temporary store: labs as runs, arrows as edits, rounds as saved states."""

from __future__ import annotations

import json

import pytest
import torch
from boundary_app_labs import lab_config, owner_key, stored_arrows

from hill_dash.boundary import BoundaryLab
from hill_dash.jobs import boundary_rounds
from hill_dash.store import open_store


def test_a_new_lab_is_a_run_with_its_config_and_an_untrained_round_zero(store, lab_id):
    run = store.get_run(lab_id)
    assert run.scenario == "boundary:moons" and run.condition == "hill" and run.status == "waiting"
    assert run.owner_key == owner_key()  # the browser that started it
    assert run.config == lab_config().to_dict()
    assert boundary_rounds.current_round(store, lab_id) == 0
    lab = boundary_rounds.load_lab(store, lab_id)
    assert lab.epoch == 0 and lab.annotations == [] and lab.history == []
    fresh = BoundaryLab(lab_config())
    for saved, new in zip(lab.model.parameters(), fresh.model.parameters()):
        assert torch.equal(saved, new)


def test_arrows_are_stored_as_edits_the_moment_they_are_drawn(store, lab_id, tmp_path):
    boundary_rounds.add_arrow(store, lab_id, 3, (0.5, -1.0), annotator="ana")
    boundary_rounds.add_arrow(store, lab_id, 7, (-2.0, 0.0), annotator="ben")
    rows = store.list_edits(lab_id)
    assert [(r.kind, r.point_indices, r.arrow, r.actor, r.epoch, r.interaction_index) for r in rows] == [
        ("arrow", [3], {"vector": [0.5, -1.0]}, "ana", 0, 0), ("arrow", [7], {"vector": [-2.0, 0.0]}, "ben", 0, 0)]
    # Another process (a new store on the same directory) sees the same arrows on the lab.
    lab = boundary_rounds.load_lab(open_store(data_dir=tmp_path), lab_id)
    assert [(a.point_index, a.annotator) for a in lab.annotations] == [(3, "ana"), (7, "ben")]
    assert lab.annotations[1].direction == pytest.approx((-1.0, 0.0))


def test_removing_an_arrow_marks_it_undone_and_keeps_the_row(store, lab_id):
    first = boundary_rounds.add_arrow(store, lab_id, 3, (1.0, 0.0))
    boundary_rounds.add_arrow(store, lab_id, 5, (0.0, 1.0))
    undo = boundary_rounds.remove_arrow(store, lab_id, first.id, actor="ana")
    assert undo.kind == "undo" and undo.target_id == first.id and undo.actor == "ana"
    assert next(e for e in store.list_edits(lab_id) if e.id == first.id).undone
    assert stored_arrows(store, lab_id) == [(5, [0.0, 1.0], "annotator")]
    assert [a.point_index for a in boundary_rounds.load_lab(store, lab_id).annotations] == [5]
    with pytest.raises(boundary_rounds.BoundaryRoundError, match="not an arrow in force"):
        boundary_rounds.remove_arrow(store, lab_id, first.id)


def test_a_second_arrow_on_a_point_replaces_the_first(store, lab_id):
    old = boundary_rounds.add_arrow(store, lab_id, 4, (1.0, 0.0))
    boundary_rounds.add_arrow(store, lab_id, 4, (0.0, -3.0))
    assert stored_arrows(store, lab_id) == [(4, [0.0, -3.0], "annotator")]
    assert next(e for e in store.list_edits(lab_id) if e.id == old.id).undone


@pytest.mark.parametrize("point, vector, annotator, message", [
    (10_000, (1.0, 0.0), "ana", "not a training point"),
    (-1, (1.0, 0.0), "ana", "not a training point"),
    (2, (0.0, 0.0), "ana", "non-zero length"),
    (2, (1.0, 0.0), "  ", "annotator name"),
])
def test_a_bad_arrow_is_refused_and_nothing_is_written(store, lab_id, point, vector, annotator, message):
    with pytest.raises(boundary_rounds.BoundaryRoundError, match=message):
        boundary_rounds.add_arrow(store, lab_id, point, vector, annotator=annotator)
    assert store.list_edits(lab_id) == []


def test_a_round_trains_with_the_arrows_and_saves_state_and_accuracy(store, lab_id, tmp_path):
    boundary_rounds.add_arrow(store, lab_id, 1, (1.0, 1.0))
    seen: list[dict] = []
    result = boundary_rounds.train_round(store, lab_id, 4, progress=seen.append)
    assert result["round"] == 1 and result["epoch"] == 4 and result["arrows"] == 1
    assert [p["epoch"] for p in seen] == [1, 2, 3, 4] and {(p["from"], p["to"]) for p in seen} == {(0, 4)}
    state_file = tmp_path / "files" / store.get_run(lab_id).run_dir / "boundary" / "round-0001.json"
    state = json.loads(state_file.read_text())
    assert state["epoch"] == 4 and [a["point_index"] for a in state["annotations"]] == [1]
    epochs = store.list_epochs(lab_id)
    assert [e.val_acc for e in epochs] == [h["heldout_accuracy"] for h in state["history"]]
    assert all(e.loss_direction is not None for e in epochs)
    assert [e.interaction_point for e in epochs] == [False, False, False, True]
    run = store.get_run(lab_id)
    assert run.status == "waiting" and run.current_epoch == 4


def test_w_is_stored_for_the_next_round_and_w_zero_is_plain_bce(store, lab_id):
    boundary_rounds.add_arrow(store, lab_id, 1, (1.0, 1.0))
    assert boundary_rounds.set_weight(store, lab_id, 0) == 0.0
    boundary_rounds.train_round(store, lab_id, 2)
    assert all(e.loss_direction is None for e in store.list_epochs(lab_id))
    assert [h["weight"] for h in boundary_rounds.load_lab(store, lab_id).history] == [0.0, 0.0]
    plain = BoundaryLab(lab_config(weight=0.0))
    plain.train(2)
    for a, b in zip(boundary_rounds.load_lab(store, lab_id).model.parameters(), plain.model.parameters()):
        assert torch.equal(a, b)


def test_a_restored_lab_continues_exactly_as_one_trained_without_a_break(store, lab_id):
    arrows = [(2, (1.0, 0.5)), (9, (-0.3, 1.0))]
    for point, vector in arrows:
        boundary_rounds.add_arrow(store, lab_id, point, vector)
    boundary_rounds.train_round(store, lab_id, 3)
    boundary_rounds.train_round(store, lab_id, 3)
    restored = boundary_rounds.load_lab(store, lab_id)
    straight = BoundaryLab(lab_config())
    for point, vector in arrows:
        straight.add_arrow(point, vector)
    straight.train(6)
    assert restored.epoch == straight.epoch == 6 and boundary_rounds.current_round(store, lab_id) == 2
    for a, b in zip(restored.model.parameters(), straight.model.parameters()):
        assert torch.equal(a, b)
    assert restored.history == straight.history
    assert max(h["direction"] for h in restored.history) > 0  # the arrows did act


@pytest.mark.parametrize("weight", [1.5, -0.1, None, "heavy"])
def test_a_bad_weight_is_refused_and_the_stored_one_kept(store, lab_id, weight):
    with pytest.raises(boundary_rounds.BoundaryRoundError, match="between 0"):
        boundary_rounds.set_weight(store, lab_id, weight)
    assert store.get_run(lab_id).config["weight"] == lab_config().weight


@pytest.mark.parametrize("epochs", [0, -3, 2.5, "many", None, boundary_rounds.MAX_EPOCHS_PER_ROUND + 1])
def test_a_bad_epoch_count_is_refused_before_training(store, lab_id, epochs):
    with pytest.raises(boundary_rounds.BoundaryRoundError, match="whole number"):
        boundary_rounds.train_round(store, lab_id, epochs)
    assert boundary_rounds.current_round(store, lab_id) == 0 and store.list_epochs(lab_id) == []


def test_a_lab_started_outside_the_app_has_no_owner(store):
    run_id = boundary_rounds.start_lab(store, lab_config())
    assert store.get_run(run_id).owner_key is None


def test_a_run_that_is_no_lab_is_refused_with_where_to_open_it(store):
    run = store.create_run("digits")
    store.add_edit(run.id, 0, 0, "arrow", point_indices=[1], arrow={"vector": [1.0, 0.0]})
    with pytest.raises(boundary_rounds.BoundaryRoundError, match="not a boundary lab"):
        boundary_rounds.lab_view(store, run.id)
    arrow = store.list_edits(run.id)[0]
    with pytest.raises(boundary_rounds.BoundaryRoundError, match=rf"/editor\?run={run.id}"):
        boundary_rounds.remove_arrow(store, run.id, arrow.id)  # the latent editor's arrows are not the lab's
    assert not store.list_edits(run.id)[0].undone


def test_an_overlong_annotator_name_is_refused(store, lab_id):
    with pytest.raises(boundary_rounds.BoundaryRoundError, match="at most"):
        boundary_rounds.add_arrow(store, lab_id, 2, (1.0, 0.0), annotator="a" * (boundary_rounds.MAX_ANNOTATOR + 1))
    assert store.list_edits(lab_id) == []


def test_the_view_holds_what_the_page_shows(store, lab_id):
    boundary_rounds.add_arrow(store, lab_id, 6, (0.0, 2.0), annotator="ana")
    boundary_rounds.train_round(store, lab_id, 2)
    view = boundary_rounds.lab_view(store, lab_id)
    assert view["round"] == 1 and view["epoch"] == 2 and view["weight"] == lab_config().weight
    assert [(a["point_index"], a["vector"], a["annotator"], a["round"]) for a in view["arrows"]] == [
        (6, [0.0, 2.0], "ana", 0)]
    assert len(view["history"]) == 2 and view["dataset"].name == "moons"
