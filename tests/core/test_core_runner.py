"""The runner: schedule, determinism, resume in a new process, checkpoints and snapshots."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from core_tiny_scenario import tiny_scenario
from hill_dash.core.checkpoint import CheckpointError, load_checkpoint
from hill_dash.core.config import ConfigError, RunConfig
from hill_dash.core.runner import HillRunner
from hill_dash.core.scenarios.base import ScenarioError
from hill_dash.core.simulate.strategies import compactness
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, EditError

HERE = Path(__file__).parent


def _config(**changes) -> RunConfig:
    return RunConfig(**{"scenario": "tiny", "seed": 3, **changes})


def _weights_digest(runner: HillRunner) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(runner.model.state_dict().items()):
        digest.update(name.encode() + tensor.numpy().tobytes())
    return digest.hexdigest()


def _play(runner: HillRunner, until: int) -> None:
    """Train to `until`, editing (compactness) at every interaction point met."""
    while runner.epoch < until:
        if runner.at_interaction_point:
            runner.set_targets_from_edits(*compactness(runner.snapshot()))
        runner.train(until_epoch=until)


def test_training_stops_at_interaction_points_and_writes_their_files(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    assert (tmp_path / "config.json").is_file() and runner.next_stop() == 2
    seen = []
    trained = runner.train(until_epoch=10, on_epoch=seen.append)
    assert runner.epoch == 2 and [m.epoch for m in trained] == [1, 2] == [m.epoch for m in seen]
    assert [m.mode for m in trained] == ["ce", "ce"]  # before the first interaction point: cross-entropy only
    assert runner.targets is not None and not runner.targets.touched.any()
    assert (tmp_path / "checkpoints" / "epoch_002.pt").is_file()
    assert Snapshot.load(tmp_path / "snapshots" / "epoch_002.npz").epoch == 2
    runner.train_to_end()
    assert runner.epoch == 4 and runner.next_stop() is None and runner.train() == []
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == \
        ["epoch_002.npz", "epoch_003.npz", "epoch_004.npz"]
    assert [m["epoch"] for m in json.loads((tmp_path / "history.json").read_text())] == [1, 2, 3, 4]
    assert runner.history[-1].mode == "hill" and runner.history[-1].loss["human"] is not None


def test_should_stop_ends_training_after_the_current_epoch_with_a_checkpoint(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(interaction_epochs=(3,)), tmp_path)
    runner.train(should_stop=lambda: True)
    assert runner.epoch == 1 and (tmp_path / "checkpoints" / "epoch_001.pt").is_file()


def test_same_seed_gives_bit_identical_runs_and_runners_do_not_disturb_each_other(tiny, tmp_path):
    first = HillRunner.create(tiny, _config(), tmp_path / "a")
    _play(first, 4)
    # two more runners, trained interleaved in this process, touching the global random state in between
    second = HillRunner.create(tiny, _config(), tmp_path / "b")
    other = HillRunner.create(tiny, _config(seed=9), tmp_path / "c")
    for until in (1, 2, 3, 4):
        torch.rand(5)
        _play(second, until)
        _play(other, until)
    assert [m.to_dict() for m in first.history] == [m.to_dict() for m in second.history]
    assert _weights_digest(first) == _weights_digest(second) != _weights_digest(other)
    assert [m.to_dict() for m in first.history] != [m.to_dict() for m in other.history]


def test_the_projection_never_changes_the_plain_training_trajectory(tiny, tmp_path):
    """Where and how the 2D view is fitted must not move the run's random stream: a baseline is a baseline."""
    histories = []
    for name, changes in (("a", {}), ("b", {"projection_fit_epoch": 2}), ("c", {"projection": "mlp"})):
        runner = HillRunner.create(tiny, _config(alpha=0.0, **changes), tmp_path / name)
        runner.train_to_end()
        histories.append([(m.val_accuracy, m.loss["ce"]) for m in runner.history])
    assert histories[0] == histories[1] == histories[2]


RESUME_CHILD = """
import hashlib, json, sys
sys.path.insert(0, {here!r})
from core_tiny_scenario import tiny_scenario
from hill_dash.core.runner import HillRunner
from hill_dash.core.simulate.strategies import compactness
runner = HillRunner.resume({checkpoint!r}, scenario=tiny_scenario(), run_dir={run_dir!r})
runner.train()
while runner.next_stop() is not None:
    runner.set_targets_from_edits(*compactness(runner.snapshot()))
    runner.train()
digest = hashlib.sha256()
for name, tensor in sorted(runner.model.state_dict().items()):
    digest.update(name.encode() + tensor.numpy().tobytes())
print(json.dumps({{"history": [m.to_dict() for m in runner.history], "digest": digest.hexdigest()}}))
"""


def test_resume_in_a_new_process_is_bit_identical(tiny, tmp_path):
    whole = HillRunner.create(tiny, _config(), tmp_path / "whole")
    _play(whole, 4)
    part = HillRunner.create(tiny, _config(), tmp_path / "part")
    _play(part, 2)
    part.set_targets_from_edits(*compactness(part.snapshot()))  # the edits are part of the saved checkpoint
    code = RESUME_CHILD.format(here=str(HERE), checkpoint=str(tmp_path / "part" / "checkpoints" / "epoch_002.pt"),
                               run_dir=str(tmp_path / "resumed"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    child = json.loads(done.stdout.strip().splitlines()[-1])
    assert child["history"] == json.loads(json.dumps([m.to_dict() for m in whole.history]))
    assert child["digest"] == _weights_digest(whole)


def test_a_checkpoint_holds_everything_a_resume_needs(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    runner.train()
    final, edits = compactness(runner.snapshot())
    runner.set_targets_from_edits(final, edits)
    payload = load_checkpoint(tmp_path)
    assert payload["epoch"] == 2 and payload["config"]["seed"] == 3
    assert set(payload["rng"]) == {"torch", "shuffle", "numpy", "python"}
    assert payload["projection"]["state"]["freeze_radius"] == pytest.approx(runner.projection.radius)
    assert payload["targets"]["touched"] == [True, True, True]
    assert len(payload["edits"]) == len(edits) and payload["edits"][0]["epoch"] == 2
    assert len(payload["history"]) == 2 and payload["optimizer"]["state"]
    again = HillRunner.resume(tmp_path, scenario=tiny)
    assert again.epoch == 2 and again.targets.to_dict() == runner.targets.to_dict()
    assert np.array_equal(again.snapshot().coords, runner.snapshot().coords)


def test_hyperparameters_and_arrows_take_effect_from_the_next_epoch(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(interaction_epochs=(2,), end_epoch=5), tmp_path)
    runner.train()
    runner.set_hyper(alpha=0.0)
    assert runner.train(until_epoch=3)[-1].mode == "ce"
    runner.set_hyper(alpha=0.7, direction_weight=0.05)
    runner.set_arrows([0, 1], np.array([[1.0, 0.0], [0.0, -1.0]]))
    metrics = runner.train(until_epoch=4)[-1]
    assert metrics.mode == "hill" and metrics.alpha == 0.7 and metrics.loss["direction"] is not None
    assert [h["alpha"] for h in runner.hyper_log] == [0.0, 0.7]
    assert json.loads((tmp_path / "config.json").read_text())["alpha"] == 0.7


def test_arrow_edits_become_direction_annotations(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    runner.train()
    snap = runner.snapshot()
    runner.set_targets_from_edits(snap.coords, [Edit(kind="arrow", indices=(4,), arrow=(0.5, 0.5))])
    arrows = runner.arrows
    assert arrows["rows"].tolist() == [4] and arrows["directions"].shape == (8, runner.latent_dim)
    # the arrow acts on training rows of the annotated point's class, never on the display row itself
    assert (tiny.train.y[arrows["train_rows"]] == tiny.display.y[4]).all()
    assert len(set(arrows["train_rows"].tolist())) == 8
    assert not runner.targets.touched.any()
    moved = snap.coords.copy()
    moved[0] += 1.0  # the participant goes on: a second call keeps the first arrow and adds the move
    second = Edit(kind="arrow", indices=(7,), arrow=(-1.0, 0.0))
    runner.set_targets_from_edits(moved, [second])
    assert runner.arrows["rows"].tolist() == [4, 7] and runner.targets.touched.sum() == 1
    runner.set_targets_from_edits(moved, [second])  # a retried request records nothing twice
    assert runner.arrows["rows"].tolist() == [4, 7] and len(runner.edits) == 2


def test_the_test_split_is_kept_out_of_what_participants_see(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    metrics = runner.train()[-1]
    public = metrics.to_dict(include_test=False)
    assert not any(k.startswith("test_") for k in public) and "val_accuracy" in public
    assert 0.0 <= metrics.test_accuracy <= 1.0 and len(metrics.test_confusion) == 3


def test_snapshot_round_trips_and_is_json_ready(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    runner.train()
    snap = runner.snapshot()
    again = Snapshot.load(snap.save(tmp_path / "view.npz"))
    assert np.array_equal(again.coords, snap.coords) and again.class_names == ("a", "b", "c")
    data = json.loads(json.dumps(snap.to_dict()))
    assert len(data["x"]) == len(tiny.display_index) == len(data["misclassified"])
    assert np.allclose(data["class_centres"], snap.class_centres)


def test_projection_can_be_fitted_at_the_end_of_pretraining(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(projection_fit_epoch=None), tmp_path)
    assert runner.config.projection_fit_epoch == 2 == min(runner.config.interaction_epochs)
    runner.train(until_epoch=1)
    assert runner.projection is None
    runner.train()
    assert runner.projection is not None and runner.snapshot().epoch == 2


def test_bad_input_is_explained(tiny, tmp_path):
    with pytest.raises(ConfigError, match="first interaction point"):
        HillRunner.create(tiny, _config(projection_fit_epoch=3), tmp_path / "a")
    with pytest.raises(ConfigError, match="alpha"):
        _config(alpha=1.5)
    runner = HillRunner.create(tiny, _config(projection_fit_epoch=2), tmp_path / "b")
    runner.train(until_epoch=1)
    with pytest.raises(EditError, match="projection"):
        runner.snapshot()
    runner.train()
    with pytest.raises(ScenarioError, match="classes"):
        other = tiny_scenario()
        HillRunner.resume(tmp_path / "b", scenario=type(other)(**{**other.__dict__, "class_names": ("x", "y", "z")}))
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="not a readable"):
        HillRunner.resume(tmp_path / "junk.pt", scenario=tiny)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CheckpointError, match="no epoch_XXX.pt"):
        load_checkpoint(tmp_path / "empty")
