"""The study's results in plain sentences plus every number behind them, ready for a paper or `--json`.

    >>> from analysis import build_report, synthetic_study
    >>> data = synthetic_study(seed=1, n_participants=6)
    >>> report = build_report(data["runs"], data["answers"])
    >>> report.sentences[0]
    'These results come from SIMULATED data, not from participants.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.report_performance import performance_section
from analysis.report_questionnaires import questionnaire_section
from analysis.schema import AnalysisError, is_simulated, validate_answers, validate_runs, validate_scores
from analysis.survey import CUSTOM, scenario_order, score_answers


@dataclass
class Report:
    """`sentences` to read, `numbers` (JSON-safe nested dict) to cite, `tables` (DataFrames) to export."""

    sentences: list[str]
    numbers: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def text(self) -> str:
        """The sentences as one paragraph per line."""
        return "\n".join(self.sentences)


def plain(value: Any) -> Any:
    """numpy scalars, pandas NA and non-finite floats -> plain Python (None for missing), recursively."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _scores_from(answers: pd.DataFrame | None, scores: pd.DataFrame | None,
                 drop_untouched: bool) -> tuple[pd.DataFrame | None, int]:
    if scores is not None:
        return validate_scores(scores), 0
    if answers is None:
        return None, 0
    answers = validate_answers(answers)
    return score_answers(answers, drop_untouched=drop_untouched), int(answers["untouched"].sum())


def build_report(runs: pd.DataFrame, answers: pd.DataFrame | None = None, scores: pd.DataFrame | None = None,
                 seed: int = 0, alpha: float = 0.05, drop_untouched: bool = False, custom_instrument: str = CUSTOM,
                 order: pd.DataFrame | None = None, names: dict[str, str] | None = None) -> Report:
    """Analyse a study: the primary comparison, the secondary models and measures, and the questionnaires.

    `answers` are scored with the `questionnaires` package; pass `scores` instead when they are already scored.
    `order` (participant, scenario, position) is each person's scenario order; without it the order is read from
    when the answers were given. `names` maps scenario ids to display names. Raises `AnalysisError` when the runs
    cannot be analysed (no HILL runs, no baseline for a scenario); missing questionnaires add a sentence.
    """
    runs = validate_runs(runs)
    sentences: list[str] = []
    simulated = is_simulated(runs, answers, scores)
    if simulated:
        sentences.append("These results come from SIMULATED data, not from participants.")
    perf_sentences, perf_numbers, tables = performance_section(runs, alpha, seed, names)
    sentences += perf_sentences
    numbers: dict[str, Any] = {"simulated": simulated, "seed": seed, "alpha": alpha, **perf_numbers}
    try:
        scored, n_untouched = _scores_from(answers, scores, drop_untouched)
    except AnalysisError as exc:
        scored, n_untouched = None, 0
        sentences.append(f"{exc}.")
    if order is None and answers is not None and not answers.empty:
        order = scenario_order(answers)
    if scored is not None and not scored.empty:
        q_sentences, q_numbers, q_tables = questionnaire_section(scored, n_untouched, drop_untouched,
                                                                 custom_instrument, order, names)
        sentences += q_sentences
        numbers["questionnaires"] = q_numbers
        tables.update({f"questionnaire_{k}": v for k, v in q_tables.items()})
    elif scored is not None:
        sentences.append("The questionnaire answers hold no numeric scores to summarise.")
    elif answers is None and scores is None:
        sentences.append("No questionnaire answers were given to the analysis.")
    return Report(sentences=sentences, numbers=plain(numbers), tables=tables)
