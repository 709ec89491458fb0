"""Report tables for reading: a title per table, a plain name per column, numbers rounded, p-values as printed.

The downloads keep the full tables; these are what a page or a paper's supplement shows.
"""

from __future__ import annotations

import pandas as pd

TABLE_TITLES = {
    "primary": "Primary analysis: final validation accuracy, HILL runs against baseline seeds",
    "test_accuracy": "Final test accuracy (never shown to participants), compared the same way",
    "hierarchical": "Secondary: hierarchical model of final accuracy over scenarios (SD units)",
    "selection_fair": "Secondary: best interactive accuracy and epochs to the common target",
    "curve_contrasts": "Learning curves: HILL - baseline at each interaction point and at the end",
    "questionnaire_paired": "Questionnaires: scenarios compared within each person (Holm family)",
    "questionnaire_summary_umux_lite": "UMUX-Lite per scenario (all: each person's mean)",
    "questionnaire_summary_nasa_tlx": "Raw NASA-TLX per scenario (all: each person's mean)",
    "questionnaire_summary_custom": "Custom questions per scenario (all: each person's mean)",
}

COLUMN_LABELS = {
    "scenario": "Scenario", "metric": "Measure", "n_hill": "HILL runs", "n_baseline": "Seeds",
    "mean_hill": "HILL mean", "mean_baseline": "Baseline mean", "sd_hill": "HILL SD", "sd_baseline": "Baseline SD",
    "difference": "Difference", "welch_t": "Welch t", "welch_df": "df", "welch_p": "Welch p",
    "hedges_g": "Hedges' g", "g_ci_low": "g 95% CI low", "g_ci_high": "g 95% CI high",
    "permutation_p": "Permutation p", "permutation_p_holm": "Permutation p (Holm)", "significant": "Significant",
    "shapiro_p_hill": "Shapiro p (HILL)", "shapiro_p_baseline": "Shapiro p (seeds)",
    "at_ceiling": "Share at 100%", "tied": "Share tied", "note": "Note", "at": "At", "epoch": "Epoch",
    "se": "SE", "df": "df", "ci_low": "95% CI low", "ci_high": "95% CI high", "p": "p",
    "effect_sd_units": "Effect (SD)", "t": "t", "unit_var": "Unit variance", "residual_var": "Residual variance",
    "singular": "Singular fit", "n_participants": "Participants", "n_seeds": "Seeds", "n_scenarios": "Scenarios",
    "left_out_units": "Left out", "best_acc_difference": "Best accuracy difference",
    "best_acc_welch_p": "Best accuracy Welch p", "best_acc_hedges_g": "Best accuracy g",
    "best_acc_permutation_p": "Best accuracy permutation p", "target": "Target",
    "epochs_median_hill": "Epochs to target (HILL median)", "epochs_median_baseline": "Epochs to target (seeds)",
    "epochs_never_hill": "HILL never", "epochs_never_baseline": "Seeds never",
    "epochs_permutation_p": "Epochs permutation p", "epochs_difference": "Epochs difference",
    "label": "Measure", "scenario_a": "Scenario A", "scenario_b": "Scenario B", "n_pairs": "People",
    "n_a_first": "A first", "median_a": "Median A", "median_b": "Median B", "effect": "Scenario effect",
    "p_holm": "p (Holm)", "order_effect": "Order effect", "order_p": "Order p",
    "zero_differences": "Zero differences", "instrument": "Instrument", "measure": "Measure", "n": "n",
    "mean": "Mean", "sd": "SD", "median": "Median", "min": "Min", "max": "Max",
}
HIDDEN = {"permutation_exact", "epochs_permutation_exact", "order_modelled", "distinct_values", "metric"}


def p_cell(value: object) -> object:
    """A p-value as a paper prints it ('<0.001', '0.034'); missing stays missing."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def readable_table(name: str, frame: pd.DataFrame, digits: int = 3) -> tuple[str, pd.DataFrame]:
    """(title, the table with plain column names, numbers rounded and p-values as printed)."""
    shown = frame[[c for c in frame.columns if c not in HIDDEN]].copy()
    for column in shown.columns:
        if column == "p" or column.endswith("_p") or column.endswith("_p_holm") or column == "p_holm":
            shown[column] = shown[column].map(p_cell)
        elif pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].round(digits)
        elif shown[column].dtype == object:
            shown[column] = shown[column].map(lambda v: round(v, digits) if isinstance(v, float) else v)
    shown = shown.rename(columns={c: COLUMN_LABELS.get(c, c.replace("_", " ").capitalize()) for c in shown.columns})
    return TABLE_TITLES.get(name, name.replace("_", " ").capitalize()), shown
