"""The mixed model equals statsmodels fitted directly, recovers a planted effect and reports its warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.mixed import fit_mixed_model, model_frame
from analysis.schema import AnalysisError


def test_matches_statsmodels_fitted_directly(make_study):
    runs = make_study(seed=8, n_participants=7, n_seeds=4)
    result = fit_mixed_model(runs, "a")
    rows = runs[(runs["scenario"] == "a") & (runs["phase"] == "interactive")].copy()
    rows["g"] = np.where(rows["condition"] == "hill", "p-" + rows["participant"].astype(str),
                         "seed-" + rows["seed"].astype(str))
    rows["e"] = rows["epoch"] - rows["epoch"].min()
    with warnings.catch_warnings():  # the same warnings the analysis reports; here only the numbers matter
        warnings.simplefilter("ignore")
        direct = smf.mixedlm("val_acc ~ C(condition, Treatment('baseline')) * e", rows, groups=rows["g"]).fit()
    assert result.coefficients["coef"].to_numpy() == pytest.approx(direct.fe_params.to_numpy(), rel=1e-5, abs=1e-8)
    assert result.coefficients["p"].to_numpy() == pytest.approx(direct.pvalues.iloc[:4].to_numpy(), rel=1e-4,
                                                                abs=1e-10)
    assert result.n_groups == 7 + 4 and result.n_obs == len(rows)
    assert result.group_var == pytest.approx(float(direct.cov_re.iloc[0, 0]), rel=1e-4)
    assert list(result.coefficients["term"]) == ["Intercept (baseline at start)", "condition[hill]", "epoch",
                                                 "condition[hill]:epoch"]


def test_each_baseline_seed_is_its_own_group(make_study):
    frame = model_frame(make_study(n_participants=3, n_seeds=5), "b")
    baseline_groups = frame.loc[frame["condition"] == "baseline", "group"].unique()
    assert len(baseline_groups) == 5
    assert (frame["phase"] == "interactive").all()
    assert frame.loc[frame["condition"] == "hill", "epoch_c"].min() == 0


def test_recovers_a_planted_difference(make_study):
    runs = make_study(seed=4, n_participants=10, n_seeds=6, effect=0.03, noise=0.002)
    result = fit_mixed_model(runs, "a")
    table = result.coefficients.set_index("term")
    assert table.loc["condition[hill]", "ci_low"] < 0.03 < table.loc["condition[hill]", "ci_high"]
    assert table.loc["condition[hill]", "p"] < 0.001
    assert table.loc["condition[hill]:epoch", "ci_low"] < 0 < table.loc["condition[hill]:epoch", "ci_high"]
    assert result.coefficient("condition[hill]") == pytest.approx(table.loc["condition[hill]", "coef"])


def test_boundary_fit_is_reported(make_run):
    rng = np.random.default_rng(0)
    curve = np.linspace(0.6, 0.8, 8)
    frames = [make_run("a", "baseline", None, s, curve + rng.normal(0, 0.01, 8)) for s in range(4)]
    frames += [make_run("a", "hill", f"P{i}", 0, curve + 0.02 + rng.normal(0, 0.01, 8)) for i in range(5)]
    result = fit_mixed_model(pd.concat(frames, ignore_index=True), "a")
    assert result.warnings, "a group variance of about zero must come with the fit's warning"
    assert any("boundary" in w or "singular" in w for w in result.warnings)


def test_needs_both_conditions(make_study):
    runs = make_study()
    with pytest.raises(AnalysisError, match="no baseline runs for scenario a"):
        fit_mixed_model(runs[runs["condition"] == "hill"], "a")
