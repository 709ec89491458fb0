"""A study's results as files: the paper's figures, the written report with its numbers and tables, headline numbers.

Figures (names are file names): `fig5_accuracy` (Figure 5, a panel per comparable scenario), `fig6_nasa_tlx`
(Figure 6), `fig7_custom_questions` (Figure 7), `strategy_timeline_<scenario>` (when transcripts are coded). A
figure that cannot be made is listed with the analysis package's reason instead; the others are still made.
The report: `report.md` (sentences), `report.json` (numbers), `tables/<name>.csv`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from analysis.baseline import baseline_band, baseline_runs, hill_runs
from analysis.fig_accuracy import accuracy_figure
from analysis.fig_questionnaires import custom_questions_figure, tlx_figure
from analysis.fig_strategies import strategy_timeline_figure
from analysis.gains import participant_gains
from analysis.schema import AnalysisError
from hill_dash.studydata.frames import StudyTables, analysis_runs, questionnaire_answers

if TYPE_CHECKING:
    from analysis.report import Report

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def file_name(text: str) -> str:
    """`text` as a file-name part: runs of other characters become '-' (a plugin's 'pkg.mod:build' too)."""
    return _UNSAFE.sub("-", str(text)).strip("-.") or "unnamed"


def comparable_runs(runs: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The finished runs of scenarios with both HILL and baseline runs, and for every other scenario the
    analysis package's reason it cannot be compared."""
    usable, _ = analysis_runs(runs)
    keep, excluded = [], {}
    for scenario in sorted(runs["scenario"].astype(str).unique()):
        try:
            hill_runs(usable, scenario)
            baseline_runs(usable, scenario)
        except AnalysisError as exc:
            excluded[scenario] = str(exc)
        else:
            keep.append(scenario)
    return usable[usable["scenario"].isin(keep)].reset_index(drop=True), excluded


def headline(runs: pd.DataFrame) -> dict[str, Any]:
    """Per comparable scenario: the baseline's final mean and band over seeds, and what the HILL runs gained."""
    usable, excluded = comparable_runs(runs)
    out: dict[str, Any] = {name: {"error": reason} for name, reason in excluded.items()}
    if usable.empty:
        return out
    try:
        band = baseline_band(usable)
        gains = participant_gains(usable)
    except AnalysisError as exc:  # e.g. baselines that stop before the HILL runs' end
        return {**out, "error": str(exc)}
    for scenario, part in gains.groupby("scenario", sort=True):
        final = band[band["scenario"] == scenario].sort_values("epoch").iloc[-1]
        out[str(scenario)] = {
            "baseline_final": {"epoch": int(final["epoch"]), "mean": float(final["mean"]),
                               "min": float(final["min"]), "max": float(final["max"]),
                               "n_seeds": int(final["n_seeds"])},
            "hill_runs": len(part), "hill_final_mean": float(part["final_acc"].mean()),
            "mean_hill_gain": float(part["final_gain"].mean()),
            "hill_runs_above_band": int(part["exceeds_band"].sum()),
        }
    return out


@dataclass
class FigureSet:
    """The figures that could be made, and for each one that could not, why."""

    figures: dict[str, go.Figure] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, build: Any, *args: Any, **kwargs: Any) -> None:
        try:
            self.figures[name] = build(*args, **kwargs)
        except AnalysisError as exc:
            self.skipped[name] = str(exc)


def build_figures(tables: StudyTables, layout: str = "two-column") -> FigureSet:
    """Figures 5-7 and the strategy timelines of one study, every one marked when the study is simulated."""
    usable, excluded = comparable_runs(tables.runs)
    scenarios = [s.scenario for s in tables.study.scenarios]
    flag = tables.simulated
    out = FigureSet()
    comparable = [s for s in scenarios if s not in excluded]
    if comparable:
        out.add("fig5_accuracy", accuracy_figure, usable, scenarios=comparable, layout=layout, simulated=flag,
                names=tables.names)
    else:
        out.skipped["fig5_accuracy"] = "; ".join(excluded.values()) or "no training runs in this study"
    out.add("fig6_nasa_tlx", tlx_figure, tables.scores, layout=layout, simulated=flag)
    out.add("fig7_custom_questions", custom_questions_figure, tables.scores, layout=layout, simulated=flag)
    for scenario in scenarios:
        out.add(f"strategy_timeline_{file_name(scenario)}", strategy_timeline_figure, tables.codings,
                scenario=scenario, layout=layout, simulated=flag, points=tables.points,
                title=f"Strategies: {tables.names.get(scenario, scenario)}")
    return out


@dataclass
class ReportOutcome:
    """The report (None when the runs cannot be analysed), why not, and what was left out of it."""

    report: Report | None
    error: str | None
    notes: list[str]


def study_report(tables: StudyTables, seed: int = 0) -> ReportOutcome:
    """`analysis.build_report` over the study's comparable runs and its questionnaires."""
    # imported on first use: the figures are made (and sent to the browser) before the report's statistics load
    from analysis.report import build_report

    usable, excluded = comparable_runs(tables.runs)
    notes = analysis_runs(tables.runs)[1] + [f"{name} left out: {why}" for name, why in excluded.items()]
    notes += tables.notes
    if usable.empty:
        reason = "; ".join(excluded.values()) or "no training runs in this study"
        return ReportOutcome(None, reason, notes)
    answers = questionnaire_answers(tables.answers)
    # answers give the report its count of untouched sliders; when some questionnaire could not be scored the
    # per-questionnaire scores are used instead, so one unfinished form does not hide the others
    given = ({"answers": answers} if tables.scored_all and not answers.empty
             else {"scores": tables.scores} if not tables.scores.empty else {})
    try:
        report = build_report(usable, seed=seed, order=tables.order, names=tables.names, **given)
    except AnalysisError as exc:
        return ReportOutcome(None, str(exc), notes)
    return ReportOutcome(report, None, notes)


def write_report(outcome: ReportOutcome, study_name: str, out_dir: str | Path) -> list[Path]:
    """report.md, report.json and tables/<name>.csv in `out_dir`; returns the paths written."""
    if outcome.report is None:
        return []
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    report = outcome.report
    text = [f"# Results of study \"{study_name}\"", "", *(f"{line}\n" for line in report.sentences)]
    if outcome.notes:
        text += ["## Left out", "", *(f"- {note}" for note in outcome.notes), ""]
    paths = [out / "report.md", out / "report.json"]
    paths[0].write_text("\n".join(text))
    paths[1].write_text(json.dumps(report.numbers, indent=2, sort_keys=True) + "\n")
    for name, table in report.tables.items():
        paths.append(out / "tables" / f"{file_name(name)}.csv")
        table.to_csv(paths[-1], index=False)
    return paths
