"""The closed-form random-intercept model against statsmodels' REML fit, and the report's model tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.balanced import fit_balanced
from analysis.primary import curve_model


def _long(hill: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    rows = []
    for arm, values in (("hill", hill), ("baseline", base)):
        for unit, series in enumerate(values):
            rows += [{"y": v, "condition": arm, "level": level, "unit": f"{arm}{unit}"}
                     for level, v in enumerate(series)]
    return pd.DataFrame(rows)


def test_variance_components_and_contrasts_match_statsmodels_reml():
    rng = np.random.default_rng(0)
    levels = 4
    hill = rng.normal(0, 1.0, (8, 1)) + rng.normal(0.5, 0.6, (8, levels))
    base = rng.normal(0, 1.0, (5, 1)) + rng.normal(0.0, 0.6, (5, levels))
    fit = fit_balanced(hill, base)
    assert not fit.singular
    frame = _long(hill, base)
    model = smf.mixedlm("y ~ C(condition, Treatment('baseline')) * C(level)", frame, groups=frame["unit"])
    result = model.fit(reml=True)
    assert fit.unit_var == pytest.approx(float(result.cov_re.iloc[0, 0]), rel=1e-3)
    assert fit.residual_var == pytest.approx(float(result.scale), rel=1e-3)
    # the HILL - baseline difference at level 0 is the condition coefficient, the cell-mean difference
    coef = result.fe_params["C(condition, Treatment('baseline'))[T.hill]"]
    assert fit.contrast[0] == pytest.approx(coef, rel=1e-6)
    # the main effect's SE is the whole-plot one: between-unit variance over the levels
    assert fit.main_se == pytest.approx(np.sqrt((fit.unit_var + fit.residual_var / levels) * (1 / 8 + 1 / 5)),
                                        rel=1e-6)


def test_no_unit_variance_is_reported_as_a_singular_fit():
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(10, 5))
    noise -= noise.mean(axis=1, keepdims=True)  # every run averages the same: nothing between runs
    fit = fit_balanced(np.linspace(0, 1, 5) + noise[:6], np.linspace(0, 1, 5) + noise[6:])
    assert fit.singular and fit.unit_var == 0 and fit.residual_var > 0


def test_the_curve_model_has_no_difference_at_the_checkpoint_and_reports_each_point(make_study):
    runs = make_study(seed=3, n_participants=8, n_seeds=4, effect=0.0)
    table, info = curve_model(runs, "a")
    # interactions at epochs 4, 7, 10 with pretraining to 4: epoch 4 is the checkpoint itself
    assert info["points_before_phase"] == [4]
    assert list(table["epoch"]) == [7, 10, 12] and table["at"].iloc[-1] == "end (epoch 12)"
    hill = runs[(runs["condition"] == "hill") & (runs["scenario"] == "a") & (runs["epoch"] == 12)]["val_acc"]
    base = runs[(runs["condition"] == "baseline") & (runs["scenario"] == "a") & (runs["epoch"] == 12)]["val_acc"]
    assert table["difference"].iloc[-1] == pytest.approx(hill.mean() - base.mean())
    assert (table["ci_low"] <= table["difference"]).all() and (table["difference"] <= table["ci_high"]).all()
