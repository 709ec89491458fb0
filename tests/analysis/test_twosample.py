"""Two-sample statistics against scipy and by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from analysis.twosample import compare, hedges_g, hedges_g_ci, permutation_p, welch


def test_welch_matches_scipy_along_the_last_axis():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0.2, 1, (6, 14)), rng.normal(0, 2, (6, 5))
    t, _, p = welch(x, y)
    ref = stats.ttest_ind(x, y, axis=-1, equal_var=False)
    assert t == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue)


def test_welch_gives_no_test_when_an_arm_has_no_spread():
    t, _, p = welch(np.array([0.9, 0.95, 1.0]), np.array([1.0, 1.0, 1.0]))
    assert np.isnan(t) and np.isnan(p)


def test_hedges_g_by_hand_and_its_interval_covers_it():
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 1.0, 2.0])
    pooled_sd = np.sqrt((3 * np.var(x, ddof=1) + 2 * np.var(y, ddof=1)) / 5)
    assert hedges_g(x, y) == pytest.approx((1 - 3 / (4 * 7 - 9)) * 1.5 / pooled_sd)
    g, low, high = hedges_g_ci(x, y)
    assert low < g < high and low < 0 < high  # 4 vs 3 values: a wide interval


def test_the_g_interval_covers_the_true_effect_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    hits = sum(low <= 0.8 <= high for low, high in
               (hedges_g_ci(rng.normal(0.8, 1, 14), rng.normal(0, 1, 5))[1:] for _ in range(300)))
    assert 0.90 <= hits / 300 <= 0.99  # binomial SD of 95% over 300 is 1.3 points


def test_exact_permutation_p_counts_every_relabelling_as_extreme_as_the_observed_one():
    rng = np.random.default_rng(2)
    x, y = rng.normal(0.5, 1, 8), rng.normal(0, 1, 4)
    pooled, observed = np.r_[x, y], abs(x.mean() - y.mean())
    extreme = [abs(pooled[list(c)].mean() - np.delete(pooled, list(c)).mean()) >= observed - 1e-12
               for c in itertools.combinations(range(12), 8)]
    p, exact = permutation_p(x, y)
    assert exact and float(p) == pytest.approx(np.mean(extreme))


def test_large_samples_fall_back_to_seeded_random_relabellings():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=30), rng.normal(size=30)
    p1, exact = permutation_p(x, y, seed=1)
    assert not exact and p1 == permutation_p(x, y, seed=1)[0]
    assert abs(p1 - stats.ttest_ind(x, y).pvalue) < 0.05


def test_compare_refuses_arms_that_are_too_small_and_says_why():
    row = compare(np.array([0.9]), np.array([0.8, 0.85]))
    assert row["welch_p"] is None and "at least 2" in row["note"]
    tied = compare(np.array([1.0, 1.0]), np.array([1.0, 1.0]))
    assert tied["permutation_p"] is None and "same value" in tied["note"]
