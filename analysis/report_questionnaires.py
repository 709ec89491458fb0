"""Questionnaire results in words: UMUX-Lite, NASA-TLX, the custom questions, and each measure compared between
scenarios within each person, with scenario order as a factor (`analysis.crossover`).

The family for Holm's correction is stated in the report: one scenario comparison per measure, over UMUX-Lite
SUS-parity, the raw NASA-TLX total and every custom question. Order effects are diagnostics outside the family.
"""

from __future__ import annotations

import itertools

import pandas as pd

from analysis.crossover import holm
from analysis.report_performance import p_text
from analysis.schema import AnalysisError
from analysis.survey import ALL_SCENARIOS, CUSTOM, TLX, ZERO_WARN, UMUX, custom_summary, paired_scenarios, \
    tlx_summary, umux_summary


def _nested(summary: pd.DataFrame) -> dict:
    """{scenario: {measure: {n, mean, sd, median, min, max}}} from a `describe` table."""
    out: dict = {}
    for _, row in summary.iterrows():
        out.setdefault(str(row["scenario"]), {})[str(row["measure"])] = {
            k: row[k] for k in ("n", "mean", "sd", "median", "min", "max")}
    return out


def _overall(summary: pd.DataFrame, measure: str) -> pd.Series:
    return summary[(summary["scenario"] == ALL_SCENARIOS) & (summary["measure"] == measure)].iloc[0]


def _family(scores: pd.DataFrame, custom_instrument: str) -> list[tuple[str, str, str]]:
    """(instrument, measure, label) of every comparison in the Holm family, in report order."""
    present = set(zip(scores["instrument"], scores["measure"]))
    family = [(UMUX, "sus_parity", "UMUX-Lite SUS-parity"), (TLX, "raw_total", "raw NASA-TLX total")]
    family = [f for f in family if (f[0], f[1]) in present]
    custom = sorted({m for i, m in present if i == custom_instrument})
    return family + [(custom_instrument, m, f"custom {m}") for m in custom]


def _comparisons(scores: pd.DataFrame, order: pd.DataFrame | None, custom_instrument: str,
                 names: dict[str, str]) -> tuple[list[str], list[dict]]:
    family = _family(scores, custom_instrument)
    scenarios = sorted(scores["scenario"].dropna().astype(str).unique())
    results, sentences = [], []
    for a, b in itertools.combinations(scenarios, 2):
        for instrument, measure, label in family:
            try:
                results.append({**paired_scenarios(scores, instrument, measure, a, b, order), "label": label})
            except AnalysisError as exc:
                sentences.append(f"{label}: no comparison of {names.get(a, a)} and {names.get(b, b)} ({exc}).")
    for result, adjusted in zip(results, holm([r["p"] for r in results])):
        result["p_holm"] = adjusted
    if not results:
        return sentences, results
    first = results[0]
    ordered = first["order_modelled"]
    sentences.insert(0, (
        f"Questionnaires compared between scenarios within each person ({len(results)} comparison(s) in one Holm "
        f"family: {', '.join(r['label'] for r in results)}). " + (
            "Scenario order was counterbalanced and enters as a factor: the scenario effect is tested by an exact "
            "permutation test of the order groups on each person's first-minus-second difference, which keeps "
            "people who rated both scenarios alike (zero differences) in the test; the order effect is a "
            "diagnostic." if ordered else
            "Scenario order is not known for both order groups, so it is not modelled: an exact sign-flip "
            "permutation test of each person's difference, keeping zero differences.")))
    for r in results:
        a, b = names.get(r["scenario_a"], r["scenario_a"]), names.get(r["scenario_b"], r["scenario_b"])
        text = (f"{r['label']}, {a} - {b} (n = {r['n_pairs']}, {r['n_a_first']} rated {a} first): medians "
                f"{r['median_a']:.1f} and {r['median_b']:.1f}, scenario effect {r['effect']:+.2f}, permutation "
                f"{p_text(r['p'])} (Holm {p_text(r['p_holm'])}); {r['zero_differences']} zero difference(s) kept")
        if r["order_p"] is not None:
            text += f"; order effect (first - second) {r['order_effect']:+.2f}, {p_text(r['order_p'])}"
        warn = []
        if r["at_ceiling"] >= 0.25:
            warn.append(f"{100 * r['at_ceiling']:.0f}% of the ratings sit at the top of the scale (a ceiling)")
        if r["zero_differences"] >= ZERO_WARN * r["n_pairs"]:
            warn.append(f"{r['zero_differences']} of {r['n_pairs']} people rated both scenarios alike (ties), so "
                        f"little is left to compare")
        sentences.append(text + "." + (f" Warning: {'; '.join(warn)}." if warn else ""))
    return sentences, results


def questionnaire_section(scores: pd.DataFrame, n_untouched: int = 0, untouched_dropped: bool = False,
                          custom_instrument: str = CUSTOM, order: pd.DataFrame | None = None,
                          names: dict[str, str] | None = None) -> tuple[list[str], dict, dict]:
    """Sentences, numbers and tables for the questionnaire part; a missing instrument becomes a sentence."""
    sentences: list[str] = []
    numbers: dict = {}
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
                         f"participants (each person's mean over the scenarios){extra}.")
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
    more, results = _comparisons(scores, order, custom_instrument, names or {})
    sentences += more
    numbers["paired"] = results
    if results:
        tables["paired"] = pd.DataFrame(results)
    if n_untouched:
        treatment = "left out" if untouched_dropped else "counted at their starting position"
        sentences.append(f"{n_untouched} slider answer(s) were submitted without being moved; they are {treatment}.")
    numbers["n_untouched"] = n_untouched
    return sentences, numbers, tables
