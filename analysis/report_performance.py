"""Model performance in words: the pre-specified primary analysis first, then the secondary ones (see
`analysis.primary` for what each one is)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.baseline import baseline_band
from analysis.gains import expected_outside_band, participant_gains
from analysis.primary import curve_model, hierarchical, selection_fair, two_sample_table
from analysis.schema import AnalysisError

CEILING_WARN = 0.25  # share of values at 100% above which a scenario is said to sit at its ceiling


def pct(value: float) -> str:
    """A fraction as a percentage with one decimal: 0.8573 -> '85.7%'."""
    return f"{100 * value:.1f}%"


def points(value: float) -> str:
    """A difference of fractions in signed percentage points: 0.0123 -> '+1.23 points'."""
    return f"{100 * value:+.2f} points"


def p_text(p: float | None) -> str:
    """A p-value as usually printed: 'p < 0.001' or 'p = 0.034'."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p not computable"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _comparison(row: Mapping, label: str) -> str:
    if row["welch_t"] is None and row["permutation_p"] is None:
        return f"{label}: not tested ({row['note']})"
    text = (f"{label}: HILL {pct(row['mean_hill'])} (SD {100 * row['sd_hill']:.2f} points, n = {row['n_hill']}) "
            f"against the baseline {pct(row['mean_baseline'])} (SD {100 * row['sd_baseline']:.2f} points, "
            f"{row['n_baseline']} seeds), a difference of {points(row['difference'])}; ")
    if row["welch_t"] is not None:
        text += (f"Welch t({row['welch_df']:.1f}) = {row['welch_t']:.2f}, {p_text(row['welch_p'])}, "
                 f"Hedges' g = {row['hedges_g']:.2f} (95% CI {row['g_ci_low']:.2f} to {row['g_ci_high']:.2f}); ")
    else:
        text += f"{row['note']}; "
    kind = "exact" if row["permutation_exact"] else "Monte Carlo"
    holm = f" (Holm {p_text(row['permutation_p_holm'])})" if row.get("permutation_p_holm") is not None else ""
    return text + f"permutation test ({kind}) {p_text(row['permutation_p'])}{holm}"


def _ceiling(row: Mapping, name: str) -> list[str]:
    if row.get("at_ceiling", 0) >= CEILING_WARN:
        return [f"Warning: {100 * row['at_ceiling']:.0f}% of the final accuracies on {name} sit at 100% "
                f"({100 * row['tied']:.0f}% tied): the scenario leaves no room to show a gain, so no test here can "
                f"find one."]
    return []


def _band_sentence(name: str, gains: pd.DataFrame, n_seeds: int) -> tuple[str, dict]:
    above = int(gains["exceeds_band"].sum())
    expected = expected_outside_band(n_seeds)
    n = len(gains)
    sentence = (f"On {name}, {above} of {n} HILL runs ended above every baseline seed; with no effect about "
                f"{n * expected['above']:.1f} would ({n} / ({n_seeds} + 1)), and {n * expected['outside']:.1f} "
                f"outside the seeds' range either way (2 / (seeds + 1) of the runs).")
    return sentence, {"n_above": above, "expected_above": n * expected["above"],
                      "expected_outside": n * expected["outside"]}


def _curve_sentence(name: str, table: pd.DataFrame, info: dict) -> str:
    parts = [f"{row['at']} {points(row['difference'])} (95% CI {100 * row['ci_low']:+.2f} to "
             f"{points(row['ci_high'])}, {p_text(row['p'])})" for _, row in table.iterrows()]
    text = (f"Learning curves on {name} (val_acc ~ condition x epoch as a factor over epochs {info['first_epoch']}-"
            f"{info['last_epoch']}, random intercept per run, each epoch's own residual variance; contrasts HILL - "
            f"baseline on {info['main_df']} df): " + "; ".join(parts) + ".")
    if info["points_before_phase"]:
        text += (f" At interaction point(s) {', '.join(map(str, info['points_before_phase']))} every run is still "
                 f"the shared checkpoint, so the difference is zero by construction.")
    if info["singular"]:
        text += " The random-intercept variance is estimated at zero (a singular fit): runs do not differ beyond "\
                "epoch-to-epoch noise, and the model reduces to one without it."
    return text


def performance_section(runs: pd.DataFrame, alpha: float, seed: int = 0,
                        names: Mapping[str, str] | None = None) -> tuple[list[str], dict, dict]:
    """Sentences, numbers and tables for the model-performance part of the report."""
    scenarios = sorted(runs.loc[runs["condition"] == "hill", "scenario"].astype(str).unique())
    if not scenarios:
        raise AnalysisError("no HILL runs at all: the runs table holds no row with condition 'hill'")
    show = {s: (names or {}).get(s, s) for s in scenarios}
    sentences = [
        "Primary analysis (fixed before the data): per scenario, the final validation accuracy of the HILL runs "
        "against the baseline seed runs trained from the same checkpoint, as two independent samples. The verdict "
        f"is an exact permutation test of the difference in means, Holm-corrected over the {len(scenarios)} "
        f"scenario(s) at alpha = {alpha}; Welch's t and Hedges' g with its 95% CI are reported beside it. "
        "Shapiro-Wilk results are diagnostics only and choose no test. Test accuracy, never shown to participants, "
        "is compared the same way."]
    primary = two_sample_table(runs, scenarios, "val_acc", seed, alpha)
    tables: dict[str, pd.DataFrame] = {"primary": primary, "baseline_band": baseline_band(runs)}
    has_test = "test_acc" in runs.columns and runs["test_acc"].notna().any()
    test = two_sample_table(runs, scenarios, "test_acc", seed, alpha) if has_test else None
    gains = participant_gains(runs)
    tables["gains"] = gains
    numbers: dict = {"primary": {}, "test_accuracy": {}, "band": {}, "selection_fair": {}, "curves": {}}
    for scenario, row in primary.set_index("scenario").iterrows():
        name = show[str(scenario)]
        sentences.append(_comparison(row, f"{name}, final validation accuracy") + ".")
        diag = [f"{arm} {row[f'shapiro_p_{arm}']:.2f}" for arm in ("hill", "baseline")
                if row.get(f"shapiro_p_{arm}") is not None]
        if diag:
            sentences.append(f"Shapiro-Wilk p on {name} (diagnostic only): " + ", ".join(diag) + ".")
        sentences += _ceiling(row, name)
        numbers["primary"][str(scenario)] = row.to_dict()
        if test is not None:
            trow = test.set_index("scenario").loc[scenario]
            sentences.append(_comparison(trow, f"{name}, final test accuracy") + ".")
            numbers["test_accuracy"][str(scenario)] = trow.to_dict()
        n_seeds = int(row["n_baseline"])
        sentence, numbers["band"][str(scenario)] = _band_sentence(name, gains[gains["scenario"] == scenario], n_seeds)
        sentences.append(sentence)
    if test is None:
        sentences.append("No test accuracy was recorded for these runs.")
    else:
        tables["test_accuracy"] = test
    try:
        numbers["hierarchical"] = model = hierarchical(runs, scenarios)
    except AnalysisError as exc:
        sentences.append(f"Secondary hierarchical model not fitted: {exc}.")
    else:
        tables["hierarchical"] = pd.DataFrame([model])
        sentences.append(
            f"Secondary analysis: a hierarchical model of the final accuracies over {model['n_scenarios']} "
            f"scenario(s), each scaled by its pooled within-arm SD (random intercept per participant and per seed; "
            f"{model['n_participants']} participants, {model['n_seeds']} seeds) puts HILL "
            f"{model['effect_sd_units']:+.2f} SD (95% CI {model['ci_low']:+.2f} to {model['ci_high']:+.2f}) from "
            f"the baseline, t({model['df']}) = {model['t']:.2f}, {p_text(model['p'])}"
            + ("; the unit variance is estimated at zero (a singular fit)" if model["singular"] else "")
            + (f"; {model['left_out_units']} participant(s) or seed(s) without a run in every scenario were left out"
               if model["left_out_units"] else "") + ".")
    fair_rows, curve_tables = [], []
    for scenario in scenarios:
        name = show[scenario]
        fair = selection_fair(runs, scenario, seed)
        numbers["selection_fair"][scenario] = fair
        best, timing = fair["best_acc"], fair["epochs_to_target"]
        fair_rows.append({"scenario": scenario, "best_acc_difference": best["difference"],
                          "best_acc_welch_p": best["welch_p"], "best_acc_hedges_g": best["hedges_g"],
                          "best_acc_permutation_p": best["permutation_p"],
                          "target": fair["target"], **{f"epochs_{k}": v for k, v in timing.items()}})
        sentences.append(_comparison(best, f"{name}, best interactive-phase accuracy of each run (the same maximum "
                                           f"taken in every HILL run and every seed)") + ".")
        sentences.append(
            f"{name}: epochs until a run first reaches {pct(fair['target'])} (the mean final accuracy of all runs, "
            f"the same target for both arms): median {timing['median_hill']:g} for HILL and "
            f"{timing['median_baseline']:g} for the seeds ({timing['never_hill']} HILL runs and "
            f"{timing['never_baseline']} seeds never reached it), permutation test {p_text(timing['permutation_p'])}.")
        try:
            table, info = curve_model(runs, scenario)
        except AnalysisError as exc:
            sentences.append(f"No learning-curve model for {name}: {exc}.")
            continue
        curve_tables.append(table)
        numbers["curves"][scenario] = {"contrasts": table.to_dict("records"), **info}
        sentences.append(_curve_sentence(name, table, info))
    tables["selection_fair"] = pd.DataFrame(fair_rows)
    if curve_tables:
        tables["curve_contrasts"] = pd.concat(curve_tables, ignore_index=True)
    return sentences, numbers, tables
