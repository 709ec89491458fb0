"""Statistics and paper figures for HILL studies: tidy pandas tables in, numbers and plotly figures out.

Pure: never imports dash or hill_dash, so it works from a notebook. The tables it reads are described in
`analysis.schema`; `analysis.synthetic` makes clearly simulated ones for demos. Names are imported on first use,
so `import analysis` costs nothing until a figure or a statistic is asked for.

    >>> from analysis import synthetic_study, participant_gains
    >>> data = synthetic_study(seed=0, n_participants=4)
    >>> sorted(participant_gains(data["runs"])["scenario"].unique())
    ['digits', 'motions']
"""

from __future__ import annotations

from analysis.lazy import lazy_getattr

_WHERE = {
    "baseline_band": "baseline", "scenarios_of": "baseline",
    "ExportError": "export", "export_figures": "export", "export_size": "export", "export_tidy": "export",
    "start_export_browser": "export", "stop_export_browser": "export",
    "accuracy_figure": "fig_accuracy",
    "custom_questions_figure": "fig_questionnaires", "grouped_box_figure": "fig_questionnaires",
    "tlx_figure": "fig_questionnaires",
    "strategy_timeline_figure": "fig_strategies",
    "participant_gains": "gains", "expected_outside_band": "gains",
    "Report": "report", "build_report": "report",
    "AnalysisError": "schema", "validate_answers": "schema", "validate_codings": "schema", "validate_runs": "schema",
    "validate_scores": "schema",
    "custom_summary": "survey", "paired_scenarios": "survey", "scenario_order": "survey", "score_answers": "survey",
    "tlx_summary": "survey", "umux_summary": "survey",
    "synthetic_study": "synthetic",
    "compare": "twosample", "hedges_g_ci": "twosample", "permutation_p": "twosample", "welch": "twosample",
    "fit_balanced": "balanced", "calibrate": "calibration",
}

__all__ = sorted(_WHERE)


__getattr__ = lazy_getattr(__name__, _WHERE)
