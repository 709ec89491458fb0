"""The report's model-performance numbers, in the order it states them.

Primary (fixed before any data are seen): per scenario, the final validation accuracy of the HILL runs against
the baseline seed runs trained from the same checkpoint, as two independent samples. The verdict is an exact
permutation test of the difference in means, Holm-corrected over the scenarios: under no effect the runs are
exchangeable, so it holds its level exactly, while Welch's t with five seeds rejected 6.1% of null studies in the
calibration benchmark. Welch's t and Hedges' g with its 95% interval are reported beside it. Test accuracy is
compared the same way (participants never see it). Shapiro-Wilk is run on each arm as a diagnostic only.
Secondary: a hierarchical model of the final accuracies over scenarios (random intercept per participant and per
seed, `analysis.balanced`); the selection-fair measures of `analysis.measures`; the learning-curve model (epoch
as a factor by condition, random intercept per run) with contrasts at each interaction point and at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.balanced import fit_balanced
from analysis.baseline import baseline_runs, hill_runs
from analysis.crossover import holm
from analysis.measures import at_ceiling, best_acc, epochs_to_target, interactive_matrix, pooled_target, \
    tie_fraction
from analysis.distributions import shapiro_p, t_ppf
from analysis.schema import AnalysisError
from analysis.twosample import compare


def finals(runs: pd.DataFrame, scenario: str, metric: str = "val_acc") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The final-epoch `metric` of every HILL run and every baseline seed of a scenario (runs without it dropped)."""
    def last(frame: pd.DataFrame) -> pd.Series:
        ends = frame.sort_values("epoch").groupby("run_id", sort=True).tail(1).set_index("run_id")
        return ends[metric].dropna()

    hill, base = last(hill_runs(runs, scenario)), last(baseline_runs(runs, scenario))
    return hill.to_numpy(dtype=float), base.to_numpy(dtype=float), [str(i) for i in hill.index]


def _diagnostics(x: np.ndarray, y: np.ndarray) -> dict:
    out = {}
    for arm, values in (("hill", x), ("baseline", y)):
        ok = len(values) >= 3 and np.ptp(values) > 0
        out[f"shapiro_p_{arm}"] = shapiro_p(values) if ok else None
    both = np.concatenate([x, y])
    out["at_ceiling"] = at_ceiling(both)
    out["tied"] = tie_fraction(both)
    return out


def two_sample_table(runs: pd.DataFrame, scenarios: list[str], metric: str, seed: int = 0,
                     alpha: float = 0.05) -> pd.DataFrame:
    """One row per scenario: the two-sample comparison of the final `metric`; the verdict is the permutation p,
    Holm-corrected over the scenarios."""
    rows = []
    for scenario in scenarios:
        x, y, _ = finals(runs, scenario, metric)
        row = {"scenario": scenario, "metric": metric, **compare(x, y, seed=seed)}
        row.update(_diagnostics(x, y) if len(x) and len(y) else {})
        rows.append(row)
    table = pd.DataFrame(rows)
    table["permutation_p_holm"] = holm([None if pd.isna(p) else p for p in table["permutation_p"]])
    table["significant"] = [None if p is None else bool(p < alpha) for p in table["permutation_p_holm"]]
    return table


def hierarchical(runs: pd.DataFrame, scenarios: list[str]) -> dict:
    """The secondary model of final accuracy over scenarios, random intercept per participant and per seed.

    Each scenario's accuracies are scaled by its pooled within-arm SD (so the effect is in SD units); units are
    participants (HILL) and baseline seeds (the same seed number in every scenario), and only units with a run in
    every scenario enter (the closed form needs balance; `left_out` counts the others).
    """
    hill_rows, base_rows = [], []
    for scenario in scenarios:
        for frame, out, key in ((hill_runs(runs, scenario), hill_rows, "participant"),
                                (baseline_runs(runs, scenario), base_rows, "seed")):
            ends = frame.sort_values("epoch").groupby("run_id").tail(1)
            out.append(ends.assign(unit=ends[key].astype(str), scenario=scenario)[["unit", "scenario", "val_acc"]])
    hill_long, base_long = pd.concat(hill_rows), pd.concat(base_rows)
    for scenario in scenarios:  # pooled within-arm SD per scenario
        h = hill_long.loc[hill_long["scenario"] == scenario, "val_acc"]
        b = base_long.loc[base_long["scenario"] == scenario, "val_acc"]
        pooled = ((len(h) - 1) * h.var() + (len(b) - 1) * b.var()) / max(len(h) + len(b) - 2, 1)
        sd = float(np.sqrt(pooled)) if pooled > 0 else 1.0
        hill_long.loc[hill_long["scenario"] == scenario, "val_acc"] = h / sd
        base_long.loc[base_long["scenario"] == scenario, "val_acc"] = b / sd
    wide_h = hill_long.pivot_table(index="unit", columns="scenario", values="val_acc", aggfunc="mean")[scenarios]
    wide_b = base_long.pivot_table(index="unit", columns="scenario", values="val_acc", aggfunc="mean")[scenarios]
    left_out = int(wide_h.isna().any(axis=1).sum() + wide_b.isna().any(axis=1).sum())
    wide_h, wide_b = wide_h.dropna(), wide_b.dropna()
    if len(wide_h) < 2 or len(wide_b) < 2:
        raise AnalysisError("the hierarchical model needs at least 2 participants and 2 seeds with a run in every "
                            "scenario")
    fit = fit_balanced(wide_h.to_numpy(), wide_b.to_numpy())
    low, high = (float(fit.main + s * t_ppf(0.975, fit.main_df) * fit.main_se) for s in (-1, 1))
    return {"effect_sd_units": float(fit.main), "se": float(fit.main_se), "df": int(fit.main_df),
            "t": float(fit.main / fit.main_se) if fit.main_se > 0 else None, "p": float(fit.main_p),
            "ci_low": low, "ci_high": high, "unit_var": float(fit.unit_var), "residual_var": float(fit.residual_var),
            "singular": bool(fit.singular), "n_participants": len(wide_h), "n_seeds": len(wide_b),
            "n_scenarios": len(scenarios), "left_out_units": left_out}


def selection_fair(runs: pd.DataFrame, scenario: str, seed: int = 0) -> dict:
    """Best interactive accuracy (Welch's t, Hedges' g) and epochs to the pooled target (permutation test)."""
    hill, base, _, _, epochs, notes = interactive_matrix(runs, scenario)
    best = compare(best_acc(hill), best_acc(base), seed=seed)
    target = float(pooled_target(np.concatenate([hill[:, -1], base[:, -1]])))
    to_h, to_b = epochs_to_target(hill, np.asarray(target)), epochs_to_target(base, np.asarray(target))
    timing = compare(to_h, to_b, seed=seed)
    never = len(epochs) + 1
    return {"best_acc": best, "target": target, "epochs_to_target": {
        "median_hill": float(np.median(to_h)), "median_baseline": float(np.median(to_b)),
        "never_hill": int((to_h == never).sum()), "never_baseline": int((to_b == never).sum()),
        "permutation_p": timing["permutation_p"], "permutation_exact": timing["permutation_exact"],
        "difference": timing["difference"]}, "notes": notes}


def curve_model(runs: pd.DataFrame, scenario: str) -> tuple[pd.DataFrame, dict]:
    """Contrasts (HILL - baseline) at each interaction point inside the interactive phase and at the end."""
    hill, base, _, _, epochs, notes = interactive_matrix(runs, scenario)
    if len(hill) < 2 or len(base) < 2:
        raise AnalysisError(f"scenario {scenario}: the curve model needs at least 2 HILL runs and 2 seeds")
    fit = fit_balanced(hill, base)
    points = sorted(set(hill_runs(runs, scenario).loc[lambda f: f["interaction_point"], "epoch"].astype(int)))
    wanted = [(f"interaction point (epoch {e})", e) for e in points if e in set(epochs)] + \
             [(f"end (epoch {int(epochs[-1])})", int(epochs[-1]))]
    rows = []
    for label, epoch in wanted:
        i = int(np.nonzero(epochs == epoch)[0][0])
        half = t_ppf(0.975, fit.contrast_df) * fit.contrast_se[i]
        rows.append({"scenario": scenario, "at": label, "epoch": epoch, "difference": float(fit.contrast[i]),
                     "se": float(fit.contrast_se[i]), "df": int(fit.contrast_df),
                     "ci_low": float(fit.contrast[i] - half), "ci_high": float(fit.contrast[i] + half),
                     "p": float(fit.contrast_p[i])})
    table = pd.DataFrame(rows).drop_duplicates("epoch", keep="last").reset_index(drop=True)
    before = [e for e in points if e < int(epochs[0])]
    info = {"n_hill": len(hill), "n_baseline": len(base), "n_epochs": len(epochs),
            "first_epoch": int(epochs[0]), "last_epoch": int(epochs[-1]), "run_var": float(fit.unit_var),
            "residual_var": float(fit.residual_var), "singular": bool(fit.singular),
            "main_difference": float(fit.main), "main_se": float(fit.main_se), "main_df": int(fit.main_df),
            "main_p": float(fit.main_p), "points_before_phase": before, "notes": notes}
    return table, info

