"""A study's data turned into the paper's results: tidy tables from the store, a simulated demo study, and the
figures, report and exports built from them (the `demo-study`, `figures` and `export` commands).

    from hill_dash.store import open_store
    from hill_dash.studydata import build_demo_study, DemoOptions, load_study, build_figures
    store = open_store(data_dir="demo-data")
    result = build_demo_study(store, DemoOptions(participants=4, seeds=2))
    figures = build_figures(load_study(store, result.study_id))
"""

from hill_dash.studydata.demo import DEMO_NAME, QUESTIONNAIRES, DemoOptions, DemoProgress, DemoResult, \
    assign_strategies, build_demo_study
from hill_dash.studydata.frames import StudyDataError, StudyTables, analysis_runs, find_study, load_study, \
    questionnaire_answers, runs_frame, scores_frame
from hill_dash.studydata.outputs import FigureSet, ReportOutcome, build_figures, comparable_runs, headline, \
    study_report, write_report

__all__ = [
    "DEMO_NAME", "QUESTIONNAIRES", "DemoOptions", "DemoProgress", "DemoResult", "FigureSet", "ReportOutcome",
    "StudyDataError", "StudyTables", "analysis_runs", "assign_strategies", "build_demo_study", "build_figures",
    "comparable_runs", "find_study", "headline", "load_study", "questionnaire_answers", "runs_frame",
    "scores_frame", "study_report", "write_report",
]
