"""The per-person questionnaire comparison: exact, keeps zero differences, separates order from scenario."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.crossover import crossover_arrays, holm, sign_flip_p


def test_zero_differences_stay_in_the_test():
    d = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0])
    # 2^6 sign patterns; zeros flip to themselves, so only the three non-zero signs matter: 2/8 reach |mean| = 1
    assert sign_flip_p(d) == pytest.approx(2 / 8)


def test_an_order_effect_alone_is_not_read_as_a_scenario_effect():
    rng = np.random.default_rng(0)
    sims, n = 2000, 14
    a_first = np.arange(n) % 2 == 0
    person = rng.normal(5, 1, (sims, n))
    second_bonus = 1.0  # everyone rates the second scenario one point higher
    y_a = person + np.where(a_first, 0, second_bonus) + rng.normal(0, 0.7, (sims, n))
    y_b = person + np.where(a_first, second_bonus, 0) + rng.normal(0, 0.7, (sims, n))
    out = crossover_arrays(y_a, y_b, a_first)
    assert np.mean(out["p"] < 0.05) < 0.07  # 2000 null studies: the SD of a 5% rate is 0.005
    assert np.mean(out["order_p"] < 0.05) > 0.9
    assert np.mean(out["order_effect"]) == pytest.approx(-second_bonus, abs=0.05)


def test_a_scenario_effect_is_found_with_the_order_groups():
    rng = np.random.default_rng(1)
    a_first = np.arange(14) % 2 == 0
    y_b = rng.normal(5, 1, (500, 14))
    out = crossover_arrays(y_b + 1.0 + rng.normal(0, 0.5, (500, 14)), y_b, a_first)
    assert np.mean(out["effect"]) == pytest.approx(1.0, abs=0.05) and np.mean(out["p"] < 0.05) > 0.9


def test_holm_by_hand():
    adjusted = holm([0.01, None, 0.04, 0.03])
    assert adjusted[1] is None
    assert adjusted[0] == pytest.approx(0.03) and adjusted[3] == pytest.approx(0.06)
    assert adjusted[2] == pytest.approx(0.06)  # 1 x 0.04, raised to the step before it (2 x 0.03)
