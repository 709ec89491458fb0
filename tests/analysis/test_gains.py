"""Gains over the baseline, band exceedance and convergence on a hand-worked study; the bootstrap vs scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.gains import bootstrap_ci, gain_summary, participant_gains
from analysis.schema import AnalysisError


@pytest.fixture
def hand_study(make_run):
    kw = {"pretrain_until": 2, "interactions": (2, 4)}
    return pd.concat([
        make_run("x", "baseline", None, 0, [0.5, 0.6, 0.70, 0.72, 0.74], **kw),
        make_run("x", "baseline", None, 1, [0.5, 0.6, 0.72, 0.74, 0.76], **kw),   # mean 0.71, 0.73, 0.75
        make_run("x", "hill", "P1", 0, [0.5, 0.6, 0.76, 0.74, 0.77], **kw),
        make_run("x", "hill", "P2", 0, [0.5, 0.6, 0.70, 0.71, 0.74], **kw),
    ], ignore_index=True)


def test_gains_by_hand(hand_study):
    gains = participant_gains(hand_study).set_index("participant")
    p1, p2 = gains.loc["P1"], gains.loc["P2"]
    assert p1["final_gain"] == pytest.approx(0.02)
    assert p1["best_gain"] == pytest.approx(0.05) and p1["best_gain_epoch"] == 3
    assert p1["best_acc"] == pytest.approx(0.77)
    assert p1["exceeds_band"]          # 0.77 > highest seed 0.76
    assert p1["epoch_reached"] == 3 and p1["epochs_to_reach"] == 1
    assert p1["baseline_epochs_to_reach"] == 3 and p1["epochs_saved"] == 2
    assert p2["final_gain"] == pytest.approx(-0.01)
    assert p2["best_gain"] == pytest.approx(-0.01) and p2["best_gain_epoch"] == 3
    assert not p2["exceeds_band"]
    assert pd.isna(p2["epochs_to_reach"]) and pd.isna(p2["epoch_reached"])


def test_baseline_must_reach_the_final_epoch(hand_study, make_run):
    longer = make_run("x", "hill", "P3", 0, [0.5, 0.6, 0.7, 0.7, 0.7, 0.8], pretrain_until=2)
    with pytest.raises(AnalysisError, match="stops at epoch 5 but a HILL run reaches epoch 6"):
        participant_gains(pd.concat([hand_study, longer], ignore_index=True))


def test_no_baseline(hand_study):
    with pytest.raises(AnalysisError, match="no baseline runs for scenario x"):
        participant_gains(hand_study[hand_study["condition"] == "hill"])


def test_summary_of_one_participant_has_no_interval(hand_study):
    gains = participant_gains(hand_study)
    summary = gain_summary(gains.iloc[[0]])
    assert summary["ci_low"].isna().all() and "one participant" in summary["note"].iloc[0]
    both = gain_summary(gains, "best_gain", n_boot=500).iloc[0]
    assert both["n"] == 2 and both["mean"] == pytest.approx(0.02)
    assert both["n_exceeds_band"] == 1


def test_bootstrap_is_seeded_and_agrees_with_scipy():
    values = np.random.default_rng(7).normal(0.01, 0.02, 25)
    first = bootstrap_ci(values, n_boot=4000, seed=1)
    assert first == bootstrap_ci(values, n_boot=4000, seed=1)
    assert first != bootstrap_ci(values, n_boot=4000, seed=2)
    reference = stats.bootstrap((values,), np.mean, n_resamples=20000, method="percentile",
                                rng=np.random.default_rng(0)).confidence_interval
    width = reference.high - reference.low
    assert first[0] == pytest.approx(reference.low, abs=0.05 * width)
    assert first[1] == pytest.approx(reference.high, abs=0.05 * width)
    assert first[0] < values.mean() < first[1]


def test_bootstrap_needs_two_values_and_a_reducing_statistic():
    with pytest.raises(AnalysisError, match="at least 2 values, got 1"):
        bootstrap_ci([0.3])
    with pytest.raises(ValueError, match="reduce the last axis"):
        bootstrap_ci([0.1, 0.2, 0.3], statistic=np.median)
