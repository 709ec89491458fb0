"""Questionnaire results: scoring the answers table, describing scores per scenario, comparing two scenarios.

Scoring goes through the `questionnaires` package (UMUX-Lite raw and SUS-parity; raw NASA-TLX total, mean and
subscales); every other instrument's numeric items are described as they are (the custom 0-100 questions). All
summaries take the scored table (`analysis.schema`, "scores"), so an already-scored table works as well.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import questionnaires

from analysis.schema import AnalysisError, validate_answers, validate_scores

UMUX = "umux_lite"
TLX = "nasa_tlx"
CUSTOM = "custom_hill"
ALL_SCENARIOS = "all"
_SCORED_FIELDS = {UMUX: ("raw", "sus_parity"), TLX: ("raw_total", "raw_mean", "weighted")}
SCALE_TOPS = {(UMUX, "raw"): 100.0, (TLX, "raw_total"): 120.0}  # other measures: their instrument's item maximum
ZERO_WARN = 0.25  # share of people rating both scenarios alike above which the comparison is said to be tied


@lru_cache(maxsize=32)
def load_instrument(name: str) -> questionnaires.Instrument:
    """An instrument parsed once per process (each file is read and validated only the first time)."""
    return questionnaires.load(name)


def _score_one(instrument: questionnaires.Instrument, group: pd.DataFrame) -> dict[str, float]:
    group = group[group["item"].astype(str).isin({item.id for item in instrument.items})]
    values = pd.to_numeric(group["value"], errors="coerce")
    answers = {str(i): {"value": float(v), "untouched": bool(u)}
               for i, v, u in zip(group["item"], values, group["untouched"]) if pd.notna(v)}
    try:
        result = questionnaires.score(instrument, answers)
    except questionnaires.ValidationError as exc:
        first = group.iloc[0]
        raise AnalysisError(
            f"answers of participant {first['participant']} in scenario {first['scenario']} do not score as "
            f"{instrument.id}: {exc}"
        ) from exc
    out = {name: float(result[name]) for name in _SCORED_FIELDS[instrument.id] if result.get(name) is not None}
    if instrument.id == TLX:  # the subscales are the item ratings themselves (0..20)
        out.update({str(i): float(v) for i, v in result["items"].items()})
    return out


def score_answers(answers: pd.DataFrame, drop_untouched: bool = False) -> pd.DataFrame:
    """The answers table (schema "answers") scored into the tidy "scores" table.

    UMUX-Lite gives measures `raw`, `sus_parity`; NASA-TLX `raw_total`, `raw_mean` and one measure per subscale;
    other instruments one measure per numeric item. For the two scored instruments only rows whose item is one
    of the instrument's items are scored (pairwise TLX choices are not part of the raw score).
    `drop_untouched` leaves out sliders submitted unmoved (for scored instruments the whole questionnaire is then
    scored from what was moved, which may fail validation).
    """
    answers = validate_answers(answers)
    if answers.empty:
        raise AnalysisError("no questionnaire answers: participants answer questionnaires after each scenario")
    if drop_untouched:
        answers = answers[~answers["untouched"]]
    rows = []
    instruments = {name: load_instrument(name) for name in _SCORED_FIELDS if name in set(answers["instrument"])}
    keys = ["study", "participant", "scenario", "instrument"]
    for (study, participant, scenario, instrument), group in answers.groupby(keys, sort=True, dropna=False):
        simulated = bool(group["simulated"].any())
        if instrument in instruments:
            measures = _score_one(instruments[instrument], group)
        else:
            numeric = pd.to_numeric(group["value"], errors="coerce")
            measures = {str(i): float(v) for i, v in zip(group["item"], numeric) if np.isfinite(v)}
        rows.extend({"study": study, "participant": participant, "scenario": scenario, "instrument": instrument,
                     "measure": name, "value": value, "simulated": simulated} for name, value in measures.items())
    return pd.DataFrame(rows, columns=["study", "participant", "scenario", "instrument", "measure", "value",
                                       "simulated"])


def _instrument_rows(scores: pd.DataFrame, instrument: str) -> pd.DataFrame:
    scores = validate_scores(scores)
    rows = scores[scores["instrument"] == instrument]
    if rows.empty:
        raise AnalysisError(
            f"no {instrument} questionnaires in this study: add {instrument} to the study's questionnaires "
            "and let participants answer it after each scenario"
        )
    return rows


def describe(scores: pd.DataFrame, instrument: str, measures: list[str] | None = None) -> pd.DataFrame:
    """n, mean, sd (ddof=1), median, min, max of each measure of one instrument, per scenario and over all.

    The row with scenario "all" describes each participant's mean over the scenarios they rated, so n counts
    people and nobody's two answers are treated as independent.
    """
    rows = _instrument_rows(scores, instrument)
    if measures is not None:
        missing = sorted(set(measures) - set(rows["measure"]))
        if missing:
            raise AnalysisError(f"{instrument} scores have no measure(s) {missing}")
        rows = rows[rows["measure"].isin(measures)]
    order = measures or list(dict.fromkeys(rows["measure"]))
    out = []
    per_person = rows.groupby(["participant", "measure"], as_index=False, sort=False)["value"].mean()
    for scenario, part in [*rows.groupby("scenario", sort=True), (ALL_SCENARIOS, per_person)]:
        for measure in order:
            values = part.loc[part["measure"] == measure, "value"].dropna().to_numpy(dtype=float)
            if len(values):
                out.append({"instrument": instrument, "scenario": scenario, "measure": measure, "n": len(values),
                            "mean": float(values.mean()),
                            "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                            "median": float(np.median(values)), "min": float(values.min()),
                            "max": float(values.max())})
    return pd.DataFrame(out)


def umux_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """UMUX-Lite raw (0-100) and SUS-parity mean and SD per scenario and over all."""
    return describe(scores, UMUX, ["raw", "sus_parity"])


def tlx_subscales(scores: pd.DataFrame) -> list[str]:
    """The NASA-TLX subscale measures present (every TLX measure that is not a total)."""
    rows = _instrument_rows(scores, TLX)
    return [m for m in dict.fromkeys(rows["measure"]) if m not in _SCORED_FIELDS[TLX]]


def tlx_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Raw NASA-TLX total (0-120) and each subscale (0-20) per scenario and over all."""
    return describe(scores, TLX, ["raw_total", *tlx_subscales(scores)])


def custom_summary(scores: pd.DataFrame, instrument: str = CUSTOM) -> pd.DataFrame:
    """The custom questions (0-100 each) per scenario and over all."""
    return describe(scores, instrument)


def scenario_order(answers: pd.DataFrame) -> pd.DataFrame:
    """participant, scenario, position (1 = first) from when each scenario's questionnaires were answered."""
    rows = validate_answers(answers).dropna(subset=["scenario"])
    when = pd.to_datetime(rows["answered_at"], errors="coerce", utc=True)
    first = rows.assign(when=when).groupby(["participant", "scenario"], as_index=False)["when"].min()
    first["position"] = first.groupby("participant")["when"].rank(method="first").astype(int)
    return first[["participant", "scenario", "position"]]


def _top(instrument: str, measure: str) -> float | None:
    if (instrument, measure) in SCALE_TOPS:
        return SCALE_TOPS[(instrument, measure)]
    try:
        items = {item.id: item for item in load_instrument(instrument).items}
    except questionnaires.UnknownInstrumentError:
        return None
    item = items.get(measure)
    top = item.scale.max if item is not None else None
    return float(top) if isinstance(top, (int, float)) else None


def paired_scenarios(scores: pd.DataFrame, instrument: str, measure: str, scenario_a: str, scenario_b: str,
                     order: pd.DataFrame | None = None) -> dict:
    """One measure compared between two scenarios within each person, with scenario order as a factor.

    `order` (participant, scenario, position) comes from `scenario_order` or the study's own records; without it
    order is not modelled. Only participants who rated both scenarios count. See `analysis.crossover`.
    """
    # the statistics load only here: scoring questionnaires (as an export does) needs none of them
    from analysis.crossover import crossover_arrays
    from analysis.measures import at_ceiling

    rows = _instrument_rows(scores, instrument)
    rows = rows[rows["measure"] == measure]
    wide = rows.pivot_table(index="participant", columns="scenario", values="value", aggfunc="mean")
    for name in (scenario_a, scenario_b):
        if name not in wide.columns:
            raise AnalysisError(f"no {instrument} {measure} scores for scenario {name}")
    pairs = wide[[scenario_a, scenario_b]].dropna()
    if len(pairs) < 2:
        raise AnalysisError(
            f"{instrument} {measure}: only {len(pairs)} participant(s) answered for both {scenario_a} and "
            f"{scenario_b}; a paired test needs participants who did both scenarios")
    a_first = np.zeros(len(pairs), dtype=bool)
    if order is not None and not order.empty:
        where = order.set_index(["participant", "scenario"])["position"]
        a_first = np.array([where.get((p, scenario_a), 0) < where.get((p, scenario_b), 0) for p in pairs.index])
    result = crossover_arrays(pairs[scenario_a].to_numpy(float), pairs[scenario_b].to_numpy(float), a_first)
    values = pairs.to_numpy(float).ravel()
    top = _top(instrument, measure)
    ceiling = at_ceiling(values, top) if top is not None else 0.0
    return {"instrument": instrument, "measure": measure, "scenario_a": scenario_a, "scenario_b": scenario_b,
            "n_pairs": len(pairs), "n_a_first": int(a_first.sum()), "median_a": float(pairs[scenario_a].median()),
            "median_b": float(pairs[scenario_b].median()), "effect": float(result["effect"]),
            "p": float(result["p"]), "order_modelled": bool(result["order_modelled"]),
            "order_effect": None if np.isnan(result["order_effect"]) else float(result["order_effect"]),
            "order_p": None if np.isnan(result["order_p"]) else float(result["order_p"]),
            "zero_differences": int(result["zeros"]), "at_ceiling": ceiling,
            "distinct_values": int(len(np.unique(values)))}
