"""A study's data turned into the paper's results: tidy tables from the store, a simulated demo study, and the
figures, report and exports built from them (the `demo-study`, `figures` and `export` commands).

    from hill_dash.store import open_store
    from hill_dash.studydata import build_demo_study, DemoOptions, load_study, build_figures
    store = open_store(data_dir="demo-data")
    result = build_demo_study(store, DemoOptions(participants=4, seeds=2))
    figures = build_figures(load_study(store, result.study_id))

Names are imported on first use: reading results must not load torch, which only the demo's training needs.
"""

from __future__ import annotations

from analysis.lazy import lazy_getattr

_WHERE = {
    "DEMO_NAME": "demo", "QUESTIONNAIRES": "demo", "DemoOptions": "demo", "DemoProgress": "demo",
    "DemoResult": "demo", "assign_strategies": "demo", "build_demo_study": "demo",
    "StudyDataError": "frames", "StudyTables": "frames", "analysis_runs": "frames", "find_study": "frames",
    "load_study": "frames", "questionnaire_answers": "frames", "runs_frame": "frames", "scores_frame": "frames",
    "display_names": "frames",
    "FigureSet": "outputs", "ReportOutcome": "outputs", "build_figures": "outputs", "comparable_runs": "outputs",
    "headline": "outputs", "study_report": "outputs", "write_report": "outputs",
    "ExportResult": "export", "export_study": "export",
}

__all__ = sorted(_WHERE)


__getattr__ = lazy_getattr(__name__, _WHERE)
