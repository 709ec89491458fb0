"""Are the gains over the baseline real? One test per scenario, chosen by a normality check, Holm-corrected.

Procedure per scenario (on one gain column, e.g. `final_gain`): Shapiro-Wilk on the gains; if normality is not
rejected at `alpha`, a one-sample t-test against 0, otherwise a Wilcoxon signed-rank test. The p-values of all
tested scenarios are then corrected together with Holm's method. Both effect sizes are reported: Cohen's d
(mean / sd) with an exact interval from the noncentral t distribution, and the matched-pairs rank-biserial
correlation (positive minus negative rank sums over their total, zero gains dropped as in the Wilcoxon test)
with a seeded percentile-bootstrap interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

from analysis.gains import bootstrap_ci, by_scenario
from analysis.schema import AnalysisError

MIN_N = 3  # Shapiro-Wilk is undefined below three values


def rank_biserial(differences: np.ndarray | list[float]) -> float | np.ndarray:
    """Matched-pairs rank-biserial correlation r = (R+ - R-) / (R+ + R-), zero differences dropped; in [-1, 1].

    Works along the last axis, so a 2-D array of resamples gives one r per row (0 where every value is zero).
    """
    d = np.asarray(differences, dtype=float)
    # zeros have the smallest |d|, so dropping them lowers every other rank by the number of zeros
    ranks = stats.rankdata(np.abs(d), axis=-1) - (d == 0).sum(axis=-1, keepdims=True)
    positive = np.where(d > 0, ranks, 0.0).sum(axis=-1)
    negative = np.where(d < 0, ranks, 0.0).sum(axis=-1)
    total = positive + negative
    r = np.divide(positive - negative, total, out=np.zeros_like(total), where=total > 0)
    return float(r) if r.ndim == 0 else r


def cohens_d_ci(values: np.ndarray | list[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """One-sample Cohen's d (mean / sd, ddof=1) and its interval by inverting the noncentral t distribution."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    sd = x.std(ddof=1)
    if n < 2 or sd == 0:
        raise AnalysisError(f"Cohen's d needs at least 2 values that are not all equal (got n={n}, sd={sd})")
    d = float(x.mean() / sd)
    t_obs, df, root_n = d * np.sqrt(n), n - 1, np.sqrt(n)
    upper_tail, lower_tail = 0.5 + confidence / 2, 0.5 - confidence / 2

    step = np.sqrt(1 + t_obs**2 / (2 * df))  # about one standard error of the noncentrality

    def solve(tail: float, direction: float) -> float:
        # walk away from the observed t in doubling steps until the cdf crosses `tail`, then polish with brentq;
        # small steps keep nct.cdf out of the far tails where it returns NaN
        def gap(ncp: float) -> float:
            return stats.nct.cdf(t_obs, df, ncp) - tail

        inner, outer = t_obs, t_obs + direction * step
        for _ in range(60):
            if gap(outer) * gap(inner) <= 0:
                return optimize.brentq(gap, min(inner, outer), max(inner, outer))
            inner, outer = outer, t_obs + 2 * (outer - t_obs)
        raise AnalysisError(f"Cohen's d interval could not be found for t = {t_obs:.3g} with {df} df")

    return d, float(solve(upper_tail, -1.0) / root_n), float(solve(lower_tail, 1.0) / root_n)


def _test_one(values: np.ndarray, alpha: float, n_boot: int, seed: int, confidence: float) -> dict:
    row: dict = {"n": len(values), "mean": float(values.mean()), "shapiro_w": None, "shapiro_p": None,
                 "normal": None, "test": "not tested", "statistic": None, "p": None, "cohens_d": None,
                 "d_ci_low": None, "d_ci_high": None, "rank_biserial": None, "rb_ci_low": None, "rb_ci_high": None,
                 "note": ""}
    if len(values) < MIN_N:
        row["note"] = f"only {len(values)} participant(s); at least {MIN_N} are needed to test"
        return row
    if np.all(values == values[0]):
        row["note"] = f"all {len(values)} gains equal {values[0]:.4g}; no test is possible"
        return row
    shapiro = stats.shapiro(values)
    row.update(shapiro_w=float(shapiro.statistic), shapiro_p=float(shapiro.pvalue))
    row["normal"] = bool(shapiro.pvalue >= alpha)
    if row["normal"]:
        result = stats.ttest_1samp(values, 0.0)
        row.update(test="one-sample t-test", statistic=float(result.statistic), p=float(result.pvalue))
    else:
        result = stats.wilcoxon(values)
        row.update(test="Wilcoxon signed-rank test", statistic=float(result.statistic), p=float(result.pvalue))
    row["cohens_d"], row["d_ci_low"], row["d_ci_high"] = cohens_d_ci(values, confidence)
    row["rank_biserial"] = rank_biserial(values)
    row["rb_ci_low"], row["rb_ci_high"] = bootstrap_ci(values, rank_biserial, n_boot, seed, confidence)
    return row


def gain_significance(gains: pd.DataFrame, measure: str = "final_gain", alpha: float = 0.05, n_boot: int = 2000,
                      seed: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """Test per scenario whether `measure` (a gains column) differs from 0; one row per scenario.

    Columns: scenario, measure, n, mean, shapiro_w, shapiro_p, normal, test, statistic, p, p_holm, significant,
    cohens_d, d_ci_low, d_ci_high, rank_biserial, rb_ci_low, rb_ci_high, note (why a scenario was not tested).
    """
    rows = []
    for name, _, values in by_scenario(gains, measure):
        rows.append({"scenario": name, "measure": measure, **_test_one(values, alpha, n_boot, seed, confidence)})
    table = pd.DataFrame(rows)
    table["p_holm"] = None
    table["significant"] = None
    tested = table["p"].notna()
    if tested.any():
        reject, corrected, _, _ = multipletests(table.loc[tested, "p"].astype(float), alpha=alpha, method="holm")
        table.loc[tested, "p_holm"] = corrected
        table.loc[tested, "significant"] = reject
    return table
