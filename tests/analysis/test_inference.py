"""Test choice, p-values, Holm correction and effect sizes against scipy/statsmodels and hand-worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis.gains import participant_gains
from analysis.inference import cohens_d_ci, gain_significance, rank_biserial
from analysis.schema import AnalysisError


def _gains(values_by_scenario: dict[str, list[float]]) -> pd.DataFrame:
    rows = [{"scenario": s, "final_gain": v, "exceeds_band": v > 0}
            for s, values in values_by_scenario.items() for v in values]
    return pd.DataFrame(rows)


def test_rank_biserial_by_hand():
    # |d| ranks 1, 2, 3: positive ranks 1 + 3 = 4, negative 2 -> (4 - 2) / 6
    assert rank_biserial([1.0, -2.0, 3.0]) == pytest.approx(1 / 3)
    assert rank_biserial([0.0, 1.0, -2.0, 3.0]) == pytest.approx(1 / 3)  # zeros dropped, as in Wilcoxon
    assert rank_biserial([0.5, 0.2]) == 1.0 and rank_biserial([0.0, 0.0]) == 0.0
    rows = np.array([[1.0, -2.0, 3.0], [-1.0, -2.0, 0.0], [2.0, 2.0, -1.0]])
    assert rank_biserial(rows) == pytest.approx([rank_biserial(r) for r in rows])


def test_rank_biserial_agrees_with_the_wilcoxon_statistic():
    d = np.random.default_rng(4).normal(0.3, 1.0, 15)
    plus = stats.wilcoxon(d, alternative="greater").statistic  # R+ (one-sided form reports the positive sum)
    total = len(d) * (len(d) + 1) / 2
    assert rank_biserial(d) == pytest.approx((2 * plus - total) / total)


def test_cohens_d_interval_inverts_the_noncentral_t():
    x = np.random.default_rng(5).normal(0.5, 1.0, 12)
    d, low, high = cohens_d_ci(x)
    assert d == pytest.approx(x.mean() / x.std(ddof=1))
    t_obs, root_n = d * np.sqrt(12), np.sqrt(12)
    assert stats.nct.cdf(t_obs, 11, low * root_n) == pytest.approx(0.975, abs=1e-6)
    assert stats.nct.cdf(t_obs, 11, high * root_n) == pytest.approx(0.025, abs=1e-6)
    assert low < d < high


def test_cohens_d_interval_approaches_the_normal_approximation_for_large_n():
    x = np.random.default_rng(6).normal(0.4, 1.0, 2000)
    d, low, high = cohens_d_ci(x)
    se = np.sqrt(1 / 2000 + d**2 / (2 * 2000))
    assert (low, high) == pytest.approx((d - 1.96 * se, d + 1.96 * se), abs=0.003)


def test_normal_gains_get_a_t_test_matching_scipy(make_study):
    gains = participant_gains(make_study(seed=11, n_participants=10))
    table = gain_significance(gains, n_boot=500).set_index("scenario")
    for scenario, group in gains.groupby("scenario"):
        values = group["final_gain"].to_numpy()
        row = table.loc[scenario]
        assert row["shapiro_p"] == pytest.approx(stats.shapiro(values).pvalue)
        assert row["normal"] and row["test"] == "one-sample t-test"
        expected = stats.ttest_1samp(values, 0.0)
        assert (row["statistic"], row["p"]) == pytest.approx((expected.statistic, expected.pvalue))
    reject, holm, _, _ = multipletests(table["p"].astype(float), method="holm")
    assert table["p_holm"].astype(float).to_numpy() == pytest.approx(holm)
    assert list(table["significant"]) == list(reject)


def test_skewed_gains_get_a_wilcoxon_test(make_study):
    gains = participant_gains(make_study(seed=2, n_participants=9, skewed=("b",)))
    row = gain_significance(gains, n_boot=500).set_index("scenario").loc["b"]
    values = gains.loc[gains["scenario"] == "b", "final_gain"].to_numpy()
    assert row["shapiro_p"] < 0.05 and not row["normal"]
    assert row["test"] == "Wilcoxon signed-rank test"
    expected = stats.wilcoxon(values)
    assert (row["statistic"], row["p"]) == pytest.approx((expected.statistic, expected.pvalue))
    assert row["rank_biserial"] == pytest.approx(rank_biserial(values))
    assert row["rb_ci_low"] <= row["rank_biserial"] <= row["rb_ci_high"]


def test_holm_by_hand():
    # scenario a: t-test p of [1, 2, 3, 4, 5] against 0; b: a much larger effect; Holm: smallest p * 2, then max
    gains = _gains({"a": [1, 2, 3, 4, 5], "b": [10.1, 10.3, 10.2, 10.4, 10.0]})
    table = gain_significance(gains, n_boot=200).set_index("scenario")
    pa, pb = stats.ttest_1samp([1, 2, 3, 4, 5], 0).pvalue, stats.ttest_1samp([10.1, 10.3, 10.2, 10.4, 10.0], 0).pvalue
    assert pb < pa
    assert table.loc["b", "p_holm"] == pytest.approx(2 * pb)
    assert table.loc["a", "p_holm"] == pytest.approx(max(pa, 2 * pb))


def test_too_few_or_equal_gains_are_not_tested_and_say_why():
    table = gain_significance(_gains({"a": [0.1, 0.2], "b": [0.3, 0.3, 0.3], "c": [0.1, 0.3, 0.2, 0.5]}),
                              n_boot=100).set_index("scenario")
    assert table.loc["a", "test"] == "not tested" and "at least 3" in table.loc["a", "note"]
    assert table.loc["b", "test"] == "not tested" and "all 3 gains equal" in table.loc["b", "note"]
    assert table.loc["c", "p_holm"] == pytest.approx(table.loc["c", "p"])  # the only tested scenario


def test_empty_gains_are_refused():
    with pytest.raises(AnalysisError, match="the gains table is empty"):
        gain_significance(pd.DataFrame())
    with pytest.raises(AnalysisError, match="no column 'gain'"):
        gain_significance(_gains({"a": [1, 2, 3]}), measure="gain")
