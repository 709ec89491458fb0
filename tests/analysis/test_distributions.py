"""The report's distribution functions, computed on scipy.special, agree with scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from analysis.distributions import nct_cdf, root, shapiro_p, t_ppf, t_sf, ttest_1samp_p


@pytest.mark.parametrize("n", [3, 4, 5, 6, 11, 12, 20, 57, 300])
def test_shapiro_p_agrees_with_scipy(n):
    rng = np.random.default_rng(n)
    for sample in (rng.normal(size=n), rng.exponential(size=n), np.round(rng.normal(size=n), 1)):
        if np.ptp(sample) > 0:
            assert shapiro_p(sample) == pytest.approx(stats.shapiro(sample).pvalue, abs=1e-6)


def test_shapiro_p_refuses_what_it_cannot_test():
    with pytest.raises(ValueError, match="at least 3"):
        shapiro_p([1.0, 2.0])
    with pytest.raises(ValueError, match="not all equal"):
        shapiro_p([2.0, 2.0, 2.0, 2.0])


def test_t_and_noncentral_t_agree_with_scipy():
    for df in (1, 2.5, 9, 40, np.inf):
        assert t_ppf(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-12)
        assert t_sf(2.1, df) == pytest.approx(stats.t.sf(2.1, df), rel=1e-12)
    assert nct_cdf(2.0, 10, 0.5) == pytest.approx(stats.nct.cdf(2.0, 10, 0.5), rel=1e-10)
    d = np.random.default_rng(3).normal(size=(4, 9))
    np.testing.assert_allclose(ttest_1samp_p(d), stats.ttest_1samp(d, 0.0, axis=-1).pvalue, rtol=1e-10)


def test_root_finds_what_brentq_finds():
    def gap(ncp):
        return nct_cdf(1.7, 12, ncp) - 0.025

    assert root(gap, 0.0, 6.0) == pytest.approx(optimize.brentq(gap, 0.0, 6.0), abs=1e-9)
    with pytest.raises(ValueError, match="same sign"):
        root(lambda x: x * x + 1, -1.0, 1.0)
