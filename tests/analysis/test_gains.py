"""Final gains and band exceedance on a hand-worked study, and what the band means under no effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.gains import expected_outside_band, participant_gains
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
    assert p1["final_gain"] == pytest.approx(0.02) and p1["final_acc"] == pytest.approx(0.77)
    assert p1["exceeds_band"]          # 0.77 > highest seed 0.76
    assert p2["final_gain"] == pytest.approx(-0.01)
    assert not p2["exceeds_band"]
    assert "best_gain" not in gains.columns  # a maximum over epochs against a mean is positive in pure noise


def test_expected_share_outside_the_band_under_no_effect():
    rng = np.random.default_rng(0)
    seeds, runs = rng.normal(size=(20000, 5)), rng.normal(size=20000)
    above = np.mean(runs > seeds.max(axis=1))
    outside = np.mean((runs > seeds.max(axis=1)) | (runs < seeds.min(axis=1)))
    expected = expected_outside_band(5)
    assert above == pytest.approx(expected["above"], abs=0.01) and expected["above"] == pytest.approx(1 / 6)
    assert outside == pytest.approx(expected["outside"], abs=0.01)


def test_baseline_must_reach_the_final_epoch(hand_study, make_run):
    longer = make_run("x", "hill", "P3", 0, [0.5, 0.6, 0.7, 0.7, 0.7, 0.8], pretrain_until=2)
    with pytest.raises(AnalysisError, match="stops at epoch 5 but a HILL run reaches epoch 6"):
        participant_gains(pd.concat([hand_study, longer], ignore_index=True))


def test_no_baseline(hand_study):
    with pytest.raises(AnalysisError, match="no baseline runs for scenario x"):
        participant_gains(hand_study[hand_study["condition"] == "hill"])
