"""The baseline seed band against hand-worked numbers and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.baseline import baseline_band
from analysis.schema import AnalysisError


@pytest.fixture
def three_seeds(make_run):
    seeds = [[0.5, 0.80], [0.5, 0.82], [0.5, 0.84]]
    frames = [make_run("digits", "baseline", None, s, accs, pretrain_until=1, interactions=(1,))
              for s, accs in enumerate(seeds)]
    frames.append(make_run("digits", "hill", "P1", 0, [0.5, 0.9], pretrain_until=1, interactions=(1,)))
    return pd.concat(frames, ignore_index=True)


def test_band_by_hand(three_seeds):
    row = baseline_band(three_seeds, "digits").set_index("epoch").loc[2]
    assert row["n_seeds"] == 3
    assert row["mean"] == pytest.approx(0.82)
    assert row["sd"] == pytest.approx(0.02)
    assert (row["min"], row["max"]) == pytest.approx((0.80, 0.84))
    half = 4.302652729911275 * 0.02 / np.sqrt(3)  # t(0.975, df=2) * sd / sqrt(n)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.82 - half, 0.82 + half))
    # 2.5th percentile of [0.80, 0.82, 0.84] with linear interpolation: 0.80 + 0.05 * 0.02
    assert (row["pct_low"], row["pct_high"]) == pytest.approx((0.801, 0.839))


def test_band_matches_scipy(make_study):
    runs = make_study(seed=3, n_seeds=6)
    band = baseline_band(runs, "a").set_index("epoch")
    base = runs[(runs["condition"] == "baseline") & (runs["scenario"] == "a")]
    interactive = base[base["phase"] == "interactive"]
    for epoch, group in interactive.groupby("epoch"):
        values = group["val_acc"].to_numpy()
        low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
        assert (band.loc[epoch, "ci_low"], band.loc[epoch, "ci_high"]) == pytest.approx((low, high))
        assert band.loc[epoch, "pct_high"] == pytest.approx(np.percentile(values, 97.5))
    pretrain = band.loc[1]  # every seed shares the pretrained checkpoint: no spread
    assert pretrain["ci_low"] == pretrain["ci_high"] == pretrain["mean"]


def test_one_seed_collapses_to_its_value(make_run):
    runs = pd.concat([make_run("a", "baseline", None, 0, [0.5, 0.7]), make_run("a", "hill", "P1", 0, [0.5, 0.8])])
    row = baseline_band(runs, "a").iloc[-1]
    assert row["sd"] == 0
    assert row["ci_low"] == row["ci_high"] == row["pct_low"] == pytest.approx(0.7)


def test_no_baseline_says_which_command(make_study):
    runs = make_study()
    runs = runs[~((runs["condition"] == "baseline") & (runs["scenario"] == "b"))]
    with pytest.raises(AnalysisError, match=r"no baseline runs for scenario b: run `hill-dash baseline"):
        baseline_band(runs)
