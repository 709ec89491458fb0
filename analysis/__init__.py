"""Statistics and paper figures for HILL studies: tidy pandas tables in, numbers and plotly figures out.

Pure: never imports dash or hill_dash, so it works from a notebook. The tables it reads are described in
`analysis.schema`; `analysis.synthetic` makes clearly simulated ones for demos.

    >>> from analysis import synthetic_study, participant_gains
    >>> data = synthetic_study(seed=0, n_participants=4)
    >>> sorted(participant_gains(data["runs"])["scenario"].unique())
    ['digits', 'motions']
"""

from analysis.baseline import baseline_band, scenarios_of
from analysis.export import ExportError, export_figures, export_size, export_tidy, start_export_browser, \
    stop_export_browser
from analysis.fig_accuracy import accuracy_figure
from analysis.fig_questionnaires import custom_questions_figure, grouped_box_figure, tlx_figure
from analysis.fig_strategies import strategy_timeline_figure
from analysis.gains import bootstrap_ci, gain_summary, participant_gains
from analysis.inference import cohens_d_ci, gain_significance, rank_biserial
from analysis.mixed import MixedModelResult, fit_mixed_model
from analysis.report import Report, build_report
from analysis.schema import AnalysisError, validate_answers, validate_codings, validate_runs, validate_scores
from analysis.survey import custom_summary, paired_scenario_test, score_answers, tlx_summary, umux_summary
from analysis.synthetic import synthetic_study

__all__ = [
    "AnalysisError", "ExportError", "MixedModelResult", "Report", "accuracy_figure", "baseline_band",
    "bootstrap_ci", "build_report", "cohens_d_ci", "custom_questions_figure", "custom_summary", "export_figures",
    "export_size", "export_tidy", "fit_mixed_model", "gain_significance", "gain_summary", "grouped_box_figure",
    "paired_scenario_test", "participant_gains", "rank_biserial", "scenarios_of", "score_answers",
    "start_export_browser", "stop_export_browser", "strategy_timeline_figure", "synthetic_study", "tlx_figure",
    "tlx_summary", "umux_summary", "validate_answers", "validate_codings", "validate_runs", "validate_scores",
]
