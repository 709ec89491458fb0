"""The report's tests hold their level on null studies of the paper's size and find a planted effect."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.calibration import PRIMARY, Design, calibrate, simulate, all_p_values


@pytest.fixture(scope="module")
def calibration() -> dict:
    return calibrate(sims=400, seed=0)


def test_the_primary_test_rejects_null_studies_at_its_nominal_rate(calibration):
    # 400 studies x 2 scenarios: the binomial SD of a 5% rate is about 0.008, so 0.03-0.07 is 2.5 SD either side
    assert calibration["primary"] == PRIMARY
    assert 0.03 <= calibration["tests"][PRIMARY]["null_rejection_rate"] <= 0.07


def test_no_reported_test_rejects_more_than_8_percent_of_null_studies(calibration):
    rates = {name: t["null_rejection_rate"] for name, t in calibration["tests"].items()}
    assert len(rates) >= 10
    assert max(rates.values()) <= 0.08, rates


def test_a_planted_effect_of_one_seed_sd_is_found_more_often_than_noise(calibration):
    for name, rates in calibration["tests"].items():
        if name != "questionnaire_order_check":
            assert rates["power"] > 2 * rates["null_rejection_rate"], name


def test_every_test_gets_one_p_value_per_study_and_scenario():
    design = Design()
    p = all_p_values(simulate(np.random.default_rng(3), 7, design, 0.0), design)
    for name, values in p.items():
        assert values.shape in {(7,), (7, len(design.scenarios))}, name
        finite = values[np.isfinite(values)]
        assert ((finite >= 0) & (finite <= 1 + 1e-12)).all(), name


def test_the_null_generator_has_no_effect_and_the_planted_one_has_one_seed_sd():
    design = Design()
    rng = np.random.default_rng(0)
    null, planted = simulate(rng, 300, design, 0.0), simulate(rng, 300, design, 1.0)
    null_gap = null["hill"][:, 0, :, -1].mean() - null["base"][:, 0, :, -1].mean()
    planted_gap = planted["hill"][:, 0, :, -1].mean() - planted["base"][:, 0, :, -1].mean()
    seed_sd = null["base"][:, 0, :, -1].std(axis=-1, ddof=1).mean()
    assert abs(null_gap) < 0.25 * seed_sd  # 300 x 19 runs: the mean gap's SE is about 0.03 seed SD
    assert 0.7 * seed_sd < planted_gap < 1.3 * seed_sd
