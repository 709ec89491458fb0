"""Runs, epochs, checkpoints and snapshots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hill_dash.store import NewStudy, NotFound, Store, StoreError


def test_run_lifecycle_and_filters(store: Store, study: NewStudy) -> None:
    digits = study.study.scenarios[0]
    participant = study.invites[0].participant
    run = store.create_run(study_scenario_id=digits.id, participant_id=participant.id, seed=3,
                           config={"alpha": 0.5, "lr": np.float32(0.001)})
    assert (run.scenario, run.condition, run.status, run.run_dir) == ("digits", "hill", "created", f"runs/{run.id}")
    assert run.config["lr"] == pytest.approx(0.001)
    free = store.create_run("motions", condition="baseline", seed=1)
    assert free.study_scenario_id is None and free.participant_id is None
    running = store.update_run(run.id, status="running", current_epoch=26)
    assert running.finished_at is None and running.current_epoch == 26
    finished = store.update_run(run.id, status="finished")
    assert finished.finished_at is not None and finished.finished_at >= run.created_at
    assert [r.id for r in store.list_runs(study="pilot")] == [run.id]
    assert [r.id for r in store.list_runs(condition="baseline")] == [free.id]
    assert [r.id for r in store.list_runs(participant_id=participant.id)] == [run.id]
    assert store.get_run(run.id) == finished
    owned = store.create_run("digits", owner_key="a" * 64)
    assert [r.id for r in store.list_runs(owner_key="a" * 64)] == [owned.id]


def test_epochs_past_a_checkpoint_are_dropped_and_the_run_steps_back(store: Store) -> None:
    run = store.create_run("digits")
    for epoch in range(1, 5):
        store.add_epoch(run.id, epoch, val_acc=0.5)
    assert store.drop_epochs_after(run.id, 2) == 2
    assert [e.epoch for e in store.list_epochs(run.id)] == [1, 2] and store.get_run(run.id).current_epoch == 2
    assert store.drop_epochs_after(run.id, 2) == 0


def test_bad_runs_are_refused(store: Store, study: NewStudy) -> None:
    digits = study.study.scenarios[0]
    with pytest.raises(StoreError, match="use one of: hill, baseline, simulated"):
        store.create_run("digits", condition="hil")
    with pytest.raises(StoreError, match="is 'digits', not 'motions'"):
        store.create_run("motions", study_scenario_id=digits.id)
    with pytest.raises(StoreError, match="needs a scenario name"):
        store.create_run()
    other = store.create_study("other", ["digits"], n_participants=1).invites[0].participant
    with pytest.raises(StoreError, match="not in the study"):
        store.create_run(study_scenario_id=digits.id, participant_id=other.id)
    with pytest.raises(NotFound, match="no run with id 5"):
        store.update_run(5, status="running")
    assert store.list_runs() == []


def test_epochs_are_recorded_in_order_and_rewritten_on_resume(store: Store) -> None:
    run = store.create_run("digits")
    store.add_epoch(run.id, 2, val_acc=0.8, loss_total=1.0, loss_ce=0.9)
    store.add_epoch(run.id, 1, val_acc=0.7, val_macro_f1=0.65, loss_total=1.2, interaction_point=True,
                    metrics={"per_class": np.array([0.5, 0.9]), "test_acc": float("nan")})
    store.add_epoch(run.id, 2, val_acc=0.82, loss_total=0.95, loss_human=0.1)
    epochs = store.list_epochs(run.id)
    assert [(e.epoch, e.val_acc) for e in epochs] == [(1, 0.7), (2, 0.82)]
    assert epochs[0].interaction_point and not epochs[1].interaction_point
    assert epochs[0].metrics == {"per_class": [0.5, 0.9], "test_acc": None}
    assert (epochs[1].loss_ce, epochs[1].loss_human) == (None, 0.1)
    assert store.get_run(run.id).current_epoch == 2
    store.add_epoch(run.id, 3, loss_total=math.inf)
    assert store.list_epochs(run.id)[-1].loss_total is None
    with pytest.raises(StoreError, match="loss columns are"):
        store.add_epoch(run.id, 4, loss_humna=0.3)


def test_checkpoints_latest_wins(store: Store) -> None:
    run = store.create_run("digits")
    assert store.latest_checkpoint(run.id) is None
    for epoch in (25, 30, 27):
        relative = store.checkpoint_path(run.id, epoch)
        path = store.files.absolute(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"weights %d" % epoch)
        store.add_checkpoint(run.id, epoch, path)
    latest = store.latest_checkpoint(run.id)
    assert latest is not None and latest.epoch == 30
    assert latest.path == f"runs/{run.id}/checkpoints/epoch-0030.pt"
    assert store.files.absolute(latest.path).read_bytes() == b"weights 30"
    assert [c.epoch for c in store.list_checkpoints(run.id)] == [25, 27, 30]
    with pytest.raises(StoreError, match="does not exist"):
        store.add_checkpoint(run.id, 35, store.checkpoint_path(run.id, 35))
    with pytest.raises(StoreError, match="outside the store's file area"):
        store.add_checkpoint(run.id, 35, "/etc/passwd")
    with pytest.raises(StoreError, match="not a relative path inside"):
        store.add_checkpoint(run.id, 35, "../hill.db")


def test_snapshots_round_trip_through_npz_files(store: Store) -> None:
    run = store.create_run("digits")
    xy = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    labels = np.arange(50) % 10
    first = store.save_snapshot(run.id, 25, 0, {"xy": xy, "labels": labels})
    store.save_snapshot(run.id, 30, 1, {"xy": xy + 1, "labels": labels})
    assert first.path.startswith(f"runs/{run.id}/snapshots/") and first.path.endswith(".npz")
    assert store.files.absolute(first.path).is_file()
    loaded = store.load_arrays(first.path)
    np.testing.assert_array_equal(loaded["xy"], xy)
    np.testing.assert_array_equal(loaded["labels"], labels)
    assert [(s.epoch, s.interaction_index) for s in store.list_snapshots(run.id)] == [(25, 0), (30, 1)]
    assert [s.epoch for s in store.list_snapshots(run.id, interaction_index=1)] == [30]
    relative = store.save_arrays("shared/projection", {"weight": np.eye(2)})
    assert relative == "shared/projection.npz"
    with pytest.raises(StoreError, match="at least one named array"):
        store.save_arrays("empty", {})
