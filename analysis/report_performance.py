"""Model performance in words: what was checked, which test followed, and what it found, per scenario."""

from __future__ import annotations

import math

import pandas as pd

from analysis.baseline import baseline_band
from analysis.gains import gain_summary, participant_gains
from analysis.inference import gain_significance
from analysis.mixed import MixedModelResult, fit_mixed_model
from analysis.schema import AnalysisError


def pct(value: float) -> str:
    """A fraction as a percentage with one decimal: 0.8573 -> '85.7%'."""
    return f"{100 * value:.1f}%"


def points(value: float) -> str:
    """A difference of fractions in signed percentage points: 0.0123 -> '+1.23 points'."""
    return f"{100 * value:+.2f} points"


def p_text(p: float) -> str:
    """A p-value as usually printed: 'p < 0.001' or 'p = 0.034'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _test_sentence(scenario: str, row: pd.Series, label: str) -> str:
    if row["test"] == "not tested":
        return f"{label.capitalize()} on {scenario} were not tested: {row['note']}."
    normal = "were normal" if row["normal"] else "were not normal"
    check = f"Shapiro W = {row['shapiro_w']:.3f}, {p_text(row['shapiro_p'])}"
    holm = f"Holm-adjusted {p_text(row['p_holm'])}"
    if row["normal"]:
        result = (f"t({int(row['n']) - 1}) = {row['statistic']:.2f}, {p_text(row['p'])} ({holm}), "
                  f"Cohen's d = {row['cohens_d']:.2f} (95% CI {row['d_ci_low']:.2f} to {row['d_ci_high']:.2f})")
    else:
        result = (f"W = {row['statistic']:.1f}, {p_text(row['p'])} ({holm}), rank-biserial r = "
                  f"{row['rank_biserial']:.2f} (95% bootstrap CI {row['rb_ci_low']:.2f} to {row['rb_ci_high']:.2f})")
    verdict = "differ from zero" if row["significant"] else "do not differ significantly from zero"
    return (f"{label.capitalize()} on {scenario} {normal} ({check}), so a {row['test']} was used: {result}; "
            f"the {label} {verdict}.")


def _summary_sentence(scenario: str, row: pd.Series, label: str, n_boot: int) -> str:
    interval = (f" (95% bootstrap CI {100 * row['ci_low']:+.2f} to {points(row['ci_high'])}, {n_boot} resamples)"
                if row["ci_low"] is not None and not pd.isna(row["ci_low"]) else f" ({row['note']})")
    return f"Mean {label} on {scenario}: {points(row['mean'])}{interval}."


def _convergence_sentence(scenario: str, gains: pd.DataFrame) -> str:
    reached = gains["epochs_to_reach"].dropna()
    base = gains["baseline_epochs_to_reach"].iloc[0]
    if reached.empty:
        return f"On {scenario} no HILL run reached the baseline's final mean accuracy."
    return (f"On {scenario}, {len(reached)} of {len(gains)} HILL runs reached the baseline's final mean accuracy, "
            f"after a median of {reached.median():g} interactive epochs (the baseline mean: {base}).")


def _mixed_sentence(result: MixedModelResult) -> str:
    table = result.coefficients.set_index("term")
    cond, slope = table.loc["condition[hill]"], table.loc["condition[hill]:epoch"]
    text = (f"A linear mixed model on {result.scenario} (val_acc ~ condition * epoch over the interactive phase, "
            f"baseline as reference, random intercept per participant and per baseline seed; "
            f"{result.n_obs} epochs in {result.n_groups} groups) puts HILL {points(cond['coef'])} "
            f"(95% CI {100 * cond['ci_low']:+.2f} to {points(cond['ci_high'])}, {p_text(cond['p'])}) against the "
            f"baseline at the start of the interactive phase, with a slope difference of {points(slope['coef'])} "
            f"per epoch ({p_text(slope['p'])}).")
    if not result.converged:
        text += " The optimiser did not converge, so these estimates are not reliable."
    if result.warnings:
        text += " The fit warned: " + "; ".join(w.rstrip(".") for w in result.warnings) + "."
    return text


def _row_dict(row: pd.Series) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


def performance_section(runs: pd.DataFrame, n_boot: int, seed: int, alpha: float) -> tuple[list[str], dict, dict]:
    """Sentences, numbers (per scenario) and tables for the model-performance part of the report."""
    gains = participant_gains(runs)
    band = baseline_band(runs)
    tables: dict[str, pd.DataFrame] = {"gains": gains, "baseline_band": band}
    sentences: list[str] = []
    numbers: dict = {}
    labels = {"final_gain": "final gains", "best_gain": "best gains"}
    summaries = {m: gain_summary(gains, m, n_boot, seed) for m in labels}
    tests = {m: gain_significance(gains, m, alpha, n_boot, seed) for m in labels}
    tables.update({f"summary_{m}": summaries[m] for m in labels}, **{f"tests_{m}": tests[m] for m in labels})
    for scenario, part in gains.groupby("scenario", sort=True):
        final = band[band["scenario"] == scenario].sort_values("epoch").iloc[-1]
        exceed = int(part["exceeds_band"].sum())
        sentences.append(
            f"{scenario}: {len(part)} HILL runs against {int(final['n_seeds'])} baseline seeds; the baseline ended "
            f"at {pct(final['mean'])} (seeds {pct(final['min'])} to {pct(final['max'])}) at epoch "
            f"{int(final['epoch'])}, and {exceed} of {len(part)} HILL runs ended above the highest seed.")
        entry: dict = {"n_runs": len(part), "n_baseline_seeds": int(final["n_seeds"]),
                       "baseline_final": _row_dict(final), "n_exceeds_band": exceed}
        for measure, label in labels.items():
            summary = summaries[measure].set_index("scenario").loc[scenario]
            test = tests[measure].set_index("scenario").loc[scenario]
            sentences.append(_summary_sentence(scenario, summary, label.rstrip("s"), n_boot))
            sentences.append(_test_sentence(scenario, test, label))
            entry[measure] = {"summary": _row_dict(summary), "test": _row_dict(test)}
        sentences.append(_convergence_sentence(scenario, part))
        entry["convergence"] = {
            "runs_reaching_baseline": int(part["epochs_to_reach"].notna().sum()),
            "median_epochs_to_reach": (float(part["epochs_to_reach"].dropna().median())
                                       if part["epochs_to_reach"].notna().any() else None),
            "baseline_epochs_to_reach": int(part["baseline_epochs_to_reach"].iloc[0]),
        }
        try:
            model = fit_mixed_model(runs, scenario)
        except AnalysisError as exc:
            sentences.append(f"No mixed model for {scenario}: {exc}.")
            entry["mixed_model"] = {"error": str(exc)}
        else:
            sentences.append(_mixed_sentence(model))
            tables[f"mixed_{scenario}"] = model.coefficients
            entry["mixed_model"] = {
                "coefficients": {r["term"]: _row_dict(r.drop("term")) for _, r in model.coefficients.iterrows()},
                "converged": model.converged, "warnings": model.warnings, "group_var": model.group_var,
                "residual_var": model.residual_var, "n_obs": model.n_obs, "n_groups": model.n_groups,
            }
        numbers[str(scenario)] = entry
    if gains["scenario"].nunique() > 1:
        sentences.append(f"P-values were Holm-corrected across the {gains['scenario'].nunique()} scenarios "
                         f"(alpha = {alpha}).")
    return sentences, numbers, tables
