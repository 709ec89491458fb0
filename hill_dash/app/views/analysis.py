"""What the analysis page shows of one study and scenario, built from its tables: Figure 5 for the scenario,
Figures 6 and 7, the strategy timeline, the report's sentences and main tables, and why anything is missing.
Also the downloads' bytes: the tidy tables zipped as CSV or Parquet, and the figures as one offline HTML page."""

from __future__ import annotations

import html as html_text
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from analysis import export_tidy
from analysis.labels import readable_table
from hill_dash.app.csv_cells import formula_safe
from hill_dash.studydata import FigureSet, ReportOutcome, StudyTables, build_figures, study_report
from hill_dash.studydata.outputs import file_name

FIGURE_TITLES = {"fig5": "Figure 5: accuracy against the baseline", "fig6_nasa_tlx": "Figure 6: NASA-TLX",
                 "fig7_custom_questions": "Figure 7: custom questions", "strategy_timeline": "Strategy timeline"}
# report tables a reader compares; the per-run rows (gains, band, scores) are in the tidy download instead
MAIN_TABLES = ("primary", "test_accuracy", "hierarchical", "selection_fair", "curve_contrasts",
               "questionnaire_paired", "questionnaire_summary_umux_lite", "questionnaire_summary_nasa_tlx",
               "questionnaire_summary_custom")
TIDY_FORMATS = ("csv", "parquet")


def scenario_figure_names(scenario: str) -> list[str]:
    """The figures shown for a scenario, in page order (names as `build_figures` gives them)."""
    return ["fig5_accuracy", "fig6_nasa_tlx", "fig7_custom_questions", f"strategy_timeline_{file_name(scenario)}"]


def figure_title(name: str) -> str:
    """A figure's heading on the page and in the HTML download."""
    for prefix, title in FIGURE_TITLES.items():
        if name.startswith(prefix):
            return title
    return name


@dataclass
class ScenarioAnalysis:
    """One scenario's figures, the study's report, and what could not be made with the reason."""

    scenario: str
    figures: dict[str, go.Figure] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    outcome: ReportOutcome | None = None


def analyse_scenario(tables: StudyTables, scenario: str, seed: int = 0) -> ScenarioAnalysis:
    """Build the scenario's figures and the study's report (seconds of work: run it in the background)."""
    known = [s.scenario for s in tables.study.scenarios]
    if scenario not in known:
        return ScenarioAnalysis(scenario, skipped={"scenario": f"study {tables.study.name!r} has no scenario "
                                                   f"{scenario!r}; choose one of {known}"})
    made: FigureSet = build_figures(tables)
    names = scenario_figure_names(scenario)
    return ScenarioAnalysis(scenario, {n: made.figures[n] for n in names if n in made.figures},
                            {n: made.skipped[n] for n in names if n in made.skipped},
                            study_report(tables, seed=seed))


def data_table(name: str, frame: pd.DataFrame) -> html.Div:
    """One report table under its title, with plain column names and rounded numbers (downloads keep them all)."""
    title, readable = readable_table(name, frame)
    shown = readable.astype(object).where(readable.notna(), None)
    return html.Div([
        html.H6(title),
        dash_table.DataTable(data=shown.to_dict("records"), columns=[{"name": str(c), "id": str(c)} for c in shown],
                             id={"type": "analysis-table", "name": name}, page_size=12,
                             style_table={"overflowX": "auto"}, style_cell={"fontSize": "0.8rem"}),
    ], className="mb-3")


def main_tables(outcome: ReportOutcome, scenario: str) -> dict[str, pd.DataFrame]:
    """The report's summary, test and questionnaire tables and the scenario's mixed model; rows of other
    scenarios are left out."""
    if outcome.report is None:
        return {}
    chosen = {}
    for name, frame in outcome.report.tables.items():
        if name not in MAIN_TABLES:
            continue
        if "scenario" in frame.columns:
            frame = frame[frame["scenario"].astype(str) == scenario]
        if not frame.empty:
            chosen[name] = frame.reset_index(drop=True)
    return chosen


def missing_panel(skipped: dict[str, str], outcome: ReportOutcome | None) -> Any:
    """Everything that could not be made, each with its reason; None when nothing is missing."""
    reasons = [(figure_title(name), reason) for name, reason in skipped.items()]
    if outcome is not None:
        reasons += [("Report", outcome.error)] if outcome.error else []
        reasons += [("Left out", note) for note in outcome.notes]
    items = [html.Li([html.Strong(f"{what}: "), html.Span(why)]) for what, why in reasons]
    if not items:
        return None
    return dbc.Alert([html.H6("Not shown"), html.Ul(items, className="mb-0")], color="warning",
                     className="hill-analysis-missing")


def analysis_content(result: ScenarioAnalysis) -> html.Div:
    """The page body: the reasons for anything missing, the figures, the report's sentences and main tables."""
    figures = [html.Div([html.H5(figure_title(name)), dcc.Graph(figure=figure, id={"type": "analysis-graph",
                                                                                     "name": name})])
               for name, figure in result.figures.items()]
    outcome = result.outcome
    report: list[Any] = []
    if outcome is not None and outcome.report is not None:
        report = [html.H4("Report"), *(html.P(sentence) for sentence in outcome.report.sentences),
                  *(data_table(name, frame) for name, frame in main_tables(outcome, result.scenario).items())]
    return html.Div([missing_panel(result.skipped, outcome), *figures, *report], className="hill-analysis")


def tidy_zip(tables: StudyTables, fmt: str) -> bytes:
    """The study's tidy tables (`export_tidy`'s files in one format) as a zip archive."""
    if fmt not in TIDY_FORMATS:
        raise ValueError(f"tidy downloads are {' or '.join(TIDY_FORMATS)}, not {fmt!r}")
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        frames = {name: formula_safe(frame) if fmt == "csv" else frame for name, frame in tables.tidy().items()}
        for path in export_tidy(frames, tmp, formats=[fmt]):
            archive.write(path, Path(path).name)
    return buffer.getvalue()


def figures_html(figures: dict[str, Any], title: str) -> str:
    """All figures in one standalone page that works offline (plotly.js is embedded once)."""
    if not figures:
        raise ValueError("no figures to download: choose a study whose figures could be made")
    parts = []
    for index, (name, figure) in enumerate(figures.items()):
        figure = figure if isinstance(figure, go.Figure) else go.Figure(figure)
        parts.append(f"<h2>{html_text.escape(figure_title(name))}</h2>")
        parts.append(figure.to_html(full_html=False, include_plotlyjs=index == 0))
    heading = html_text.escape(title)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{heading}</title></head>"
            f"<body><h1>{heading}</h1>\n" + "\n".join(parts) + "\n</body></html>\n")
