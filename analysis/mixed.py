"""A linear mixed model of validation accuracy over the interactive phase: HILL vs baseline, and over epochs.

Model: val_acc ~ condition * epoch with a random intercept per group, where a group is a participant (all of
that participant's HILL epochs) and every baseline seed is a group of its own. Baseline is the reference level,
and epoch is counted from the first interactive epoch (epoch_c = epoch - first interactive epoch), so
`condition[hill]` is the HILL-baseline difference at the start of the interactive phase and
`condition[hill]:epoch` the difference in slope per epoch.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd
import statsmodels.formula.api as smf

from analysis.baseline import baseline_runs, hill_runs
from analysis.schema import AnalysisError, validate_runs

FORMULA = "val_acc ~ C(condition, Treatment('baseline')) * epoch_c"
_TERMS = {
    "Intercept": "Intercept (baseline at start)",
    "C(condition, Treatment('baseline'))[T.hill]": "condition[hill]",
    "epoch_c": "epoch",
    "C(condition, Treatment('baseline'))[T.hill]:epoch_c": "condition[hill]:epoch",
}


@dataclass
class MixedModelResult:
    """A fitted model: the fixed-effect table, the variance components and what the fit said about itself.

    `converged` is the optimiser's own verdict; `warnings` holds every warning the fit raised (for example that
    the group variance lies on the boundary, i.e. is estimated as about zero), to be reported with the result.
    """

    scenario: str
    coefficients: pd.DataFrame
    converged: bool
    group_var: float = 0.0
    residual_var: float = 0.0
    warnings: list[str] = field(default_factory=list)
    n_obs: int = 0
    n_groups: int = 0
    formula: str = FORMULA

    def coefficient(self, term: str) -> float:
        """The estimate of one term by its readable name (e.g. 'condition[hill]')."""
        row = self.coefficients[self.coefficients["term"] == term]
        if row.empty:
            raise AnalysisError(f"no term {term!r}; terms are {list(self.coefficients['term'])}")
        return float(row["coef"].iloc[0])


def model_frame(runs: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The interactive-phase rows of one scenario with the model's `group` and centred `epoch_c` columns."""
    runs = validate_runs(runs)
    hill = hill_runs(runs, scenario)
    base = baseline_runs(runs, scenario)
    frame = pd.concat([hill, base], ignore_index=True)
    frame = frame[frame["phase"] == "interactive"].copy()
    if frame.empty or frame["condition"].nunique() < 2:
        raise AnalysisError(
            f"scenario {scenario}: the mixed model needs interactive-phase epochs of both HILL and baseline runs"
        )
    frame["group"] = [
        f"participant:{p}" if c == "hill" else f"baseline-seed:{s}:{r}"
        for c, p, s, r in zip(frame["condition"], frame["participant"], frame["seed"], frame["run_id"])
    ]
    frame["epoch_c"] = frame["epoch"] - frame.loc[frame["condition"] == "hill", "epoch"].min()
    return frame.reset_index(drop=True)


def fit_mixed_model(runs: pd.DataFrame, scenario: str, reml: bool = True) -> MixedModelResult:
    """Fit the model for one scenario; convergence problems are returned in `warnings`, never swallowed."""
    frame = model_frame(runs, scenario)
    if frame["group"].nunique() < 2:
        raise AnalysisError(f"scenario {scenario}: a random intercept needs at least two groups")
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        model = smf.mixedlm(FORMULA, frame, groups=frame["group"])
        try:
            fit = model.fit(reml=reml)
        except (ValueError, ArithmeticError) as exc:
            raise AnalysisError(f"scenario {scenario}: the mixed model could not be fitted ({exc})") from exc
        caught = sorted({f"{r.category.__name__}: {r.message}" for r in records})
    names = fit.fe_params.index
    conf = fit.conf_int().loc[names]
    table = pd.DataFrame({
        "term": [_TERMS.get(name, name) for name in names],
        "coef": fit.fe_params.to_numpy(dtype=float),
        "se": fit.bse_fe.loc[names].to_numpy(dtype=float),
        "z": fit.tvalues.loc[names].to_numpy(dtype=float),
        "p": fit.pvalues.loc[names].to_numpy(dtype=float),
        "ci_low": conf.iloc[:, 0].to_numpy(dtype=float),
        "ci_high": conf.iloc[:, 1].to_numpy(dtype=float),
    })
    return MixedModelResult(
        scenario=scenario, coefficients=table, converged=bool(fit.converged), warnings=caught,
        group_var=float(fit.cov_re.iloc[0, 0]), residual_var=float(fit.scale),
        n_obs=int(fit.nobs), n_groups=int(frame["group"].nunique()),
    )
