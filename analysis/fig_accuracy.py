"""Figure 5: validation accuracy over epochs per scenario, HILL participants against the baseline's seed band.

Per scenario panel, as the paper describes it: the pretraining phase shaded dark grey, interaction points as red
dashed vertical lines, the participants' range as a light grey band with the best run (highest final accuracy)
in green and the worst in orange, and the baseline's mean with its band over seeds.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis import style
from analysis.baseline import baseline_band, hill_runs, scenarios_of
from analysis.schema import is_simulated, validate_runs

BANDS = {"range": ("min", "max", "min-max"),
         "ci": ("ci_low", "ci_high", "95% CI of the mean"),
         "percentile": ("pct_low", "pct_high", "2.5-97.5 percentile")}


def _band_traces(x: pd.Series, low: pd.Series, high: pd.Series, name: str, group: str, fill: str,
                 show: bool) -> list[go.Scatter]:
    # the upper edge is drawn invisibly first so the lower edge can fill up to it
    upper = go.Scatter(x=x, y=high, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False,
                       legendgroup=group, name=f"{name} (upper)")
    lower = go.Scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty", fillcolor=fill,
                       name=name, legendgroup=group, showlegend=show)
    return [upper, lower]


def _extreme_runs(hill: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    finals = hill.sort_values("epoch").groupby("run_id").tail(1).sort_values(["val_acc", "run_id"])
    worst, best = finals["run_id"].iloc[0], finals["run_id"].iloc[-1]
    return hill[hill["run_id"] == best].sort_values("epoch"), hill[hill["run_id"] == worst].sort_values("epoch")


def _panel(fig: go.Figure, runs: pd.DataFrame, scenario: str, row: int, col: int, band_kind: str,
           first: bool) -> None:
    hill = hill_runs(runs, scenario)
    base = baseline_band(runs, scenario)
    low_col, high_col, band_name = BANDS[band_kind]
    spread = hill.groupby("epoch")["val_acc"].agg(["min", "max"]).reset_index()
    traces = _band_traces(spread["epoch"], spread["min"], spread["max"], "participants (range)", "participants",
                          style.PARTICIPANT_BAND, first)
    traces += _band_traces(base["epoch"], base[low_col], base[high_col], f"baseline seeds ({band_name})",
                           "baseline-band", style.BASELINE_BAND, first)
    traces.append(go.Scatter(x=base["epoch"], y=base["mean"], mode="lines", name="baseline mean",
                             legendgroup="baseline", showlegend=first,
                             line={"color": style.CONDITION_COLOURS["baseline"], "width": 1.5}))
    best, worst = _extreme_runs(hill)
    for run, colour, group in ((best, style.BEST_COLOUR, "best"), (worst, style.WORST_COLOUR, "worst")):
        traces.append(go.Scatter(
            x=run["epoch"], y=run["val_acc"], mode="lines", legendgroup=group, showlegend=first,
            name=group, line={"color": colour, "width": 1.5},
            hovertemplate=f"{run['participant'].iloc[0]}<br>epoch %{{x}}: %{{y:.2%}}<extra>{group}</extra>",
            meta={"participant": str(run["participant"].iloc[0]), "scenario": scenario},
        ))
    for trace in traces:
        fig.add_trace(trace, row=row, col=col)
    # shapes after traces: plotly skips subplots that are still empty when a shape is added
    pretrain = hill.loc[hill["phase"] == "pretrain", "epoch"]
    if not pretrain.empty:
        fig.add_vrect(x0=float(hill["epoch"].min()), x1=float(pretrain.max()), fillcolor=style.PRETRAIN_SHADE,
                      opacity=1, line_width=0, layer="below", name="pretraining", row=row, col=col)
    for epoch in sorted(hill.loc[hill["interaction_point"], "epoch"].unique()):
        fig.add_vline(x=float(epoch), line={"color": style.INTERACTION_COLOUR, "dash": "dash", "width": 1.2}, opacity=1,
                      name="interaction point", row=row, col=col)


def accuracy_figure(runs: pd.DataFrame, scenarios: list[str] | None = None, layout: str = "two-column",
                    simulated: bool | None = None, band: str = "range", height_in: float | None = None,
                    title: str | None = None) -> go.Figure:
    """Figure 5 from a runs table; one panel per scenario (side by side in two columns, stacked in one).

    `band` picks the baseline band: "range" (min-max over seeds, the band `exceeds_band` is judged against),
    "ci" (t-based 95% CI of the mean) or "percentile" (2.5-97.5 percentile of the seeds).
    `simulated=None` marks the figure when any row is flagged simulated. Raises `AnalysisError` when a
    scenario has no HILL or no baseline runs.
    """
    if band not in BANDS:
        raise ValueError(f"band must be one of {sorted(BANDS)}, got {band!r}")
    runs = validate_runs(runs)
    names = scenarios or scenarios_of(runs)
    spec = style.paper_layout(layout)
    side_by_side = layout == "two-column"
    rows, cols = (1, len(names)) if side_by_side else (len(names), 1)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_yaxes=False,
                        horizontal_spacing=0.08, vertical_spacing=0.14)
    for index, name in enumerate(names):
        row, col = (1, index + 1) if side_by_side else (index + 1, 1)
        _panel(fig, runs, name, row, col, band, first=index == 0)
    fig.update_xaxes(title_text="epoch", row=rows)
    fig.update_yaxes(tickformat=".0%")
    fig.update_yaxes(title_text="validation accuracy", col=1)
    height = height_in if height_in is not None else (spec.height_in if side_by_side else 2.0 * len(names) + 0.6)
    flag = is_simulated(runs) if simulated is None else simulated
    return style.legend_below(style.finish(fig, layout, flag, height, title))
