"""Figure 5: validation accuracy over epochs per scenario, HILL participants against the baseline's seed band.

One figure, one panel per scenario, as the paper describes it: interaction points as red dashed vertical lines,
the participants' range as a light grey band with the best run (highest final accuracy) in green and the worst in
orange, and the baseline's mean with its band over seeds. The axes show the interactive phase, where the runs
differ: pretraining (identical for every run) is cropped and said so under the panels, and the y axis spans the
interactive-phase values, so a gain of a few tenths of a point is visible. Best and worst are chosen by final
accuracy, ties broken by participant in natural order (P2 before P10), and a tie is named in the legend.
"""

from __future__ import annotations

import numpy as np
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


def extreme_runs(hill: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """{"best"/"worst": (that run's rows, the participants tied with it)}; ties go to the first in natural order."""
    finals = hill.sort_values("epoch").groupby("run_id").tail(1)
    finals = finals.assign(key=finals["participant"].map(style.natural_key))
    out = {}
    for label, value in (("best", finals["val_acc"].max()), ("worst", finals["val_acc"].min())):
        tied = sorted(finals.loc[np.isclose(finals["val_acc"], value, rtol=0, atol=1e-12), "participant"].astype(str),
                      key=style.natural_key)
        run = finals.loc[finals["participant"].astype(str) == tied[0], "run_id"].iloc[0]
        out[label] = (hill[hill["run_id"] == run].sort_values("epoch"), tied[1:])
    return out


def _legend_name(label: str, participant: str, tied: list[str]) -> str:
    if not tied:
        return f"{label} ({participant})"
    return f"{label} ({participant}; tied with {', '.join(tied[:3])}{' ...' if len(tied) > 3 else ''})"


def _panel(fig: go.Figure, runs: pd.DataFrame, scenario: str, row: int, col: int, band_kind: str,
           first: bool, title: str) -> float:
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
    for label, (run, tied) in extreme_runs(hill).items():
        colour = style.BEST_COLOUR if label == "best" else style.WORST_COLOUR
        who = str(run["participant"].iloc[0])
        traces.append(go.Scatter(
            x=run["epoch"], y=run["val_acc"], mode="lines", legendgroup=label, showlegend=True,
            name=_legend_name(f"{label}, {title}", who, tied), line={"color": colour, "width": 1.5},
            hovertemplate=f"{who}<br>epoch %{{x}}: %{{y:.2%}}<extra>{label}</extra>",
            meta={"participant": who, "scenario": scenario, "tied": tied},
        ))
    for trace in traces:
        fig.add_trace(trace, row=row, col=col)
    # shapes after traces: plotly skips subplots that are still empty when a shape is added
    for epoch in sorted(hill.loc[hill["interaction_point"], "epoch"].unique()):
        fig.add_vline(x=float(epoch), line={"color": style.INTERACTION_COLOUR, "dash": "dash", "width": 1.2}, opacity=1,
                      name="interaction point", row=row, col=col)
    pretrain = hill.loc[hill["phase"] == "pretrain", "epoch"]
    start = float(pretrain.max()) if not pretrain.empty else float(hill["epoch"].min())
    end = float(hill["epoch"].max())
    shown = pd.concat([hill.loc[hill["epoch"] >= start, "val_acc"],
                       base.loc[base["epoch"] >= start, [low_col, high_col, "mean"]].stack()])
    low, high = float(shown.min()), float(shown.max())
    pad = max((high - low) * 0.08, 0.002)
    fig.update_xaxes(range=[start - 0.5, end + 0.5], row=row, col=col)
    fig.update_yaxes(range=[low - pad, min(high + pad, 1.0 + pad)], row=row, col=col)
    return start


def accuracy_figure(runs: pd.DataFrame, scenarios: list[str] | None = None, layout: str = "two-column",
                    simulated: bool | None = None, band: str = "range", height_in: float | None = None,
                    title: str | None = None, names: dict[str, str] | None = None) -> go.Figure:
    """Figure 5 from a runs table; one panel per scenario (side by side in two columns, stacked in one).

    `band` picks the baseline band: "range" (min-max over seeds, the band `exceeds_band` is judged against),
    "ci" (t-based 95% CI of the mean) or "percentile" (2.5-97.5 percentile of the seeds).
    `simulated=None` marks the figure when any row is flagged simulated. Raises `AnalysisError` when a
    scenario has no HILL or no baseline runs.
    """
    if band not in BANDS:
        raise ValueError(f"band must be one of {sorted(BANDS)}, got {band!r}")
    runs = validate_runs(runs)
    chosen = scenarios or scenarios_of(runs)
    spec = style.paper_layout(layout)
    side_by_side = layout == "two-column"
    rows, cols = (1, len(chosen)) if side_by_side else (len(chosen), 1)
    titles = [(names or {}).get(n, n) for n in chosen]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, shared_yaxes=False,
                        horizontal_spacing=0.08, vertical_spacing=0.14)
    starts = []
    for index, name in enumerate(chosen):
        row, col = (1, index + 1) if side_by_side else (index + 1, 1)
        starts.append(_panel(fig, runs, name, row, col, band, first=index == 0, title=titles[index]))
    for index, start in enumerate(starts):
        row, col = (1, index + 1) if side_by_side else (index + 1, 1)
        note = f"epoch (1-{int(start) - 1} pretraining, not shown)" if start > 1 else "epoch"
        fig.update_xaxes(title_text=note, row=row, col=col)
    fig.update_yaxes(tickformat=".0%")
    fig.update_yaxes(title_text="validation accuracy", col=1)
    height = height_in if height_in is not None else (spec.height_in if side_by_side else 2.0 * len(chosen) + 0.6)
    flag = is_simulated(runs) if simulated is None else simulated
    return style.legend_below(style.finish(fig, layout, flag, height, title), gap_px=72)
