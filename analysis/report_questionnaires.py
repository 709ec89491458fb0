"""Questionnaire results in words: UMUX-Lite, NASA-TLX, the custom questions and paired scenario comparisons."""

from __future__ import annotations

import itertools

import pandas as pd

from analysis.report_performance import p_text
from analysis.schema import AnalysisError
from analysis.survey import ALL_SCENARIOS, CUSTOM, TLX, UMUX, custom_summary, paired_scenario_test, tlx_summary, \
    umux_summary


def _nested(summary: pd.DataFrame) -> dict:
    """{scenario: {measure: {n, mean, sd, median, min, max}}} from a `describe` table."""
    out: dict = {}
    for _, row in summary.iterrows():
        out.setdefault(str(row["scenario"]), {})[str(row["measure"])] = {
            k: row[k] for k in ("n", "mean", "sd", "median", "min", "max")}
    return out


def _overall(summary: pd.DataFrame, measure: str) -> pd.Series:
    return summary[(summary["scenario"] == ALL_SCENARIOS) & (summary["measure"] == measure)].iloc[0]


def _paired(scores: pd.DataFrame, instrument: str, measure: str, label: str) -> tuple[list[str], list[dict]]:
    sentences, results = [], []
    scenarios = sorted(scores.loc[scores["instrument"] == instrument, "scenario"].astype(str).unique())
    for a, b in itertools.combinations(scenarios, 2):
        try:
            result = paired_scenario_test(scores, instrument, measure, a, b)
        except AnalysisError as exc:
            sentences.append(f"{label}: no paired comparison of {a} and {b} ({exc}).")
            continue
        results.append(result)
        if result["p"] is None:
            sentences.append(f"{label}, {a} vs {b}: {result['note']}.")
            continue
        sentences.append(
            f"{label}, {a} vs {b} (Wilcoxon signed-rank test paired by participant, n = {result['n_pairs']}): "
            f"medians {result['median_a']:.1f} and {result['median_b']:.1f}, W = {result['statistic']:.1f}, "
            f"{p_text(result['p'])}, rank-biserial r = {result['rank_biserial']:.2f}.")
    return sentences, results


def questionnaire_section(scores: pd.DataFrame, n_untouched: int = 0, untouched_dropped: bool = False,
                          custom_instrument: str = CUSTOM) -> tuple[list[str], dict, dict]:
    """Sentences, numbers and tables for the questionnaire part; a missing instrument becomes a sentence."""
    sentences: list[str] = []
    numbers: dict = {"paired": []}
    tables: dict[str, pd.DataFrame] = {"scores": scores}
    sections = (
        (UMUX, umux_summary, "sus_parity", "UMUX-Lite (SUS-parity, 0-100)"),
        (TLX, tlx_summary, "raw_total", "Raw NASA-TLX total (0-120)"),
    )
    for instrument, summarise, measure, label in sections:
        try:
            summary = summarise(scores)
        except AnalysisError as exc:
            sentences.append(f"{exc}.")
            continue
        tables[f"summary_{instrument}"] = summary
        numbers[instrument] = _nested(summary)
        row = _overall(summary, measure)
        extra = ""
        if instrument == UMUX:
            raw = _overall(summary, "raw")
            extra = f"; raw UMUX-Lite mean {raw['mean']:.1f} (SD {raw['sd']:.2f})"
        sentences.append(f"{label}: mean {row['mean']:.1f} (SD {row['sd']:.2f}) over {int(row['n'])} "
                         f"questionnaires{extra}.")
        more, results = _paired(scores, instrument, measure, label)
        sentences += more
        numbers["paired"] += results
    try:
        custom = custom_summary(scores, custom_instrument)
    except AnalysisError as exc:
        sentences.append(f"{exc}.")
    else:
        tables["summary_custom"] = custom
        numbers["custom"] = _nested(custom)
        overall = custom[custom["scenario"] == ALL_SCENARIOS]
        sentences.append("Custom questions (0-100): " + ", ".join(
            f"{r['measure']} mean {r['mean']:.1f} (SD {r['sd']:.1f})" for _, r in overall.iterrows()) + ".")
    if n_untouched:
        treatment = "left out" if untouched_dropped else "counted at their starting position"
        sentences.append(f"{n_untouched} slider answer(s) were submitted without being moved; they are {treatment}.")
    numbers["n_untouched"] = n_untouched
    return sentences, numbers, tables
