"""Simulated strategies do what they say; baselines and simulated participants run from one checkpoint."""

from __future__ import annotations

import numpy as np
import pytest

from hill_dash.core.baseline import Band, pretrain, run_baseline
from hill_dash.core.config import RunConfig
from hill_dash.core.simulate import (ChangeStrategy, classes_needing_work, compactness, distance, keep,
                                     make_strategy, merge, most_confused_pair, simulate_participant)
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import apply_edits, class_stats_np


def _snapshot() -> Snapshot:
    """Class 0 tight and far away; classes 1 and 2 overlap and are confused with each other (one each way)."""
    rng = np.random.default_rng(0)
    centres = np.array([[-10.0, 0.0], [3.0, 0.0], [4.0, 1.0]])
    labels = np.repeat([0, 1, 2], 10)
    coords = centres[labels] + rng.normal(size=(30, 2)) * np.where(labels == 0, 0.3, 1.0)[:, None]
    predictions = labels.copy()
    predictions[10], predictions[25] = 2, 1
    return Snapshot.build(5, coords, labels, predictions, np.arange(30), ("far", "one", "two"))


def _stats(coords: np.ndarray, snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    return class_stats_np(coords, snap.labels, snap.num_classes)


def _gaps(centres: np.ndarray) -> np.ndarray:
    return np.linalg.norm(centres[:, None] - centres[None], axis=-1)


def test_every_strategy_returns_edits_that_replay_to_its_positions():
    snap = _snapshot()
    for name in ("compactness", "distance", "merge", "keep", "change"):
        final, edits = make_strategy(name)(snap, 0)
        assert np.allclose(apply_edits(snap.coords, edits), final)
        assert all(e.actor.startswith("simulated:") for e in edits)


def test_compactness_shrinks_every_class_around_its_centre():
    snap = _snapshot()
    centres, spreads = _stats(compactness(snap, strength=0.5)[0], snap)
    assert np.allclose(centres, snap.class_centres, atol=1e-5)
    assert np.allclose(spreads, snap.class_spreads * 0.5, atol=1e-5)


def test_distance_pushes_centres_apart_and_keeps_spreads():
    snap = _snapshot()
    centres, spreads = _stats(distance(snap, strength=0.5)[0], snap)
    assert np.allclose(_gaps(centres), _gaps(snap.class_centres) * 1.5, atol=1e-4)
    assert np.allclose(spreads, snap.class_spreads, atol=1e-5)


def test_merge_pulls_the_most_confused_pair_together_and_leaves_the_rest():
    snap = _snapshot()
    assert most_confused_pair(snap) == (1, 2)
    final, edits = merge(snap, strength=0.5)
    centres, _ = _stats(final, snap)
    assert {e.class_id for e in edits} == {1, 2}
    assert _gaps(centres)[1, 2] == pytest.approx(_gaps(snap.class_centres)[1, 2] * 0.5, rel=1e-4)
    assert np.allclose(centres[0], snap.class_centres[0])


def test_keep_leaves_well_arranged_classes_alone():
    snap = _snapshot()
    assert classes_needing_work(snap) == [1, 2]
    final, edits = keep(snap)
    assert {e.class_id for e in edits} == {1, 2}
    assert np.array_equal(final[snap.labels == 0], snap.coords[snap.labels == 0])


def test_change_switches_to_the_opposite_strategy():
    snap = _snapshot()
    change = ChangeStrategy(first="distance", then="merge", switch_at=2)
    early, _ = change(snap, 1)
    late, late_edits = change(snap, 2)
    assert np.allclose(early, distance(snap)[0]) and np.allclose(late, merge(snap)[0])
    assert late_edits[0].actor == "simulated:change:merge"


def test_unknown_strategy_and_bad_strength_are_explained():
    with pytest.raises(ValueError, match="unknown strategy"):
        make_strategy("random")
    with pytest.raises(ValueError, match="strength"):
        make_strategy("merge", strength=2.0)


def test_baseline_band_and_simulated_participant_from_one_checkpoint(tiny, tmp_path):
    checkpoint = pretrain(tiny, RunConfig(scenario="tiny", seed=1), tmp_path / "pretrain")
    before = checkpoint.read_bytes()
    result = run_baseline(checkpoint, tmp_path / "baseline", seeds=(0, 1), scenario=tiny)
    assert [m.epoch for m in result.histories[0]] == [3, 4] and result.band.epochs == [3, 4]
    assert all(m.mode == "ce" and m.alpha == 0.0 for h in result.histories.values() for m in h)
    assert result.histories[0][-1].to_dict() != result.histories[1][-1].to_dict()
    band = result.band
    assert all(lo <= mean <= hi for lo, mean, hi in zip(band.min, band.mean, band.max))
    simulated = simulate_participant(checkpoint, "compactness", tmp_path / "sim", seed=0, scenario=tiny)
    assert simulated.edits_per_point == {2: 3, 3: 3}
    assert [m.mode for m in simulated.history] == ["hill", "hill"]
    assert 0.0 <= simulated.final_val_accuracy <= 1.0
    assert checkpoint.read_bytes() == before  # branches never write into the shared checkpoint's run


def test_band_of_unequal_histories_uses_the_common_epochs():
    from hill_dash.core.metrics import EpochMetrics, SplitScores

    scores = SplitScores(0.5, 0.5, [0.5], [[1]])

    def metric(epoch: int, accuracy: float) -> EpochMetrics:
        return EpochMetrics.build(epoch, "ce", {"alpha": 0, "lam": 0, "direction_weight": 0}, {},
                                  SplitScores(accuracy, 0.5, [0.5], [[1]]), scores)

    band = Band.of([[metric(1, 0.2), metric(2, 0.4)], [metric(2, 0.8)]])
    assert band.epochs == [2] and band.mean == [pytest.approx(0.6)] and band.min == [0.4] and band.max == [0.8]
