"""A strategy timeline: which codes each participant's think-aloud received, over interaction points or time.

One row per participant (in natural order: P2 above P10), one colour per code. With `interaction_index` the x
axis is the interaction point (1-based, as a participant would count them) and codes falling in the same point sit
side by side; with `start_s`/`end_s` each coded span is drawn as a bar over minutes of the recording, and when
`points` says when each participant reached each interaction point, those moments are marked on their row.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import style
from analysis.schema import AnalysisError, is_simulated, validate_codings

OFFSET = 0.18  # horizontal spacing of codes that share one interaction point


def _by_interaction(fig: go.Figure, rows: pd.DataFrame, colours: dict[str, str]) -> None:
    rows = rows.sort_values(["participant", "interaction_index", "code"]).copy()
    slot = rows.groupby(["participant", "interaction_index"]).cumcount()
    count = rows.groupby(["participant", "interaction_index"])["code"].transform("size")
    rows["x"] = rows["interaction_index"].astype(int) + 1 + (slot - (count - 1) / 2) * OFFSET
    for code, part in rows.groupby("code", sort=True):
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["participant"].astype(str), mode="markers", name=str(code), legendgroup=str(code),
            marker={"color": colours[str(code)], "size": 8, "symbol": "square"},
            customdata=part["theme"], hovertemplate="%{y}: " + str(code) + " (%{customdata})<extra></extra>",
        ))
    points = sorted(rows["interaction_index"].astype(int).unique())
    fig.update_xaxes(title_text="interaction point", tickvals=[p + 1 for p in points],
                     range=[0.5, max(points) + 1.5])


def _by_time(fig: go.Figure, rows: pd.DataFrame, colours: dict[str, str]) -> None:
    for code, part in rows.groupby("code", sort=True):
        xs: list[float | None] = []
        ys: list[str | None] = []
        for start, end, participant in zip(part["start_s"], part["end_s"], part["participant"].astype(str)):
            xs += [start / 60, end / 60, None]  # None breaks the line between spans
            ys += [participant, participant, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=str(code), legendgroup=str(code),
                                 line={"color": colours[str(code)], "width": 8}))
    fig.update_xaxes(title_text="minutes into the recording")


def _points(fig: go.Figure, points: pd.DataFrame, participants: list[str]) -> None:
    rows = points[points["participant"].astype(str).isin(participants)]
    if rows.empty:
        return
    fig.add_trace(go.Scatter(
        x=rows["at_s"] / 60, y=rows["participant"].astype(str), mode="markers+text", name="interaction point",
        marker={"symbol": "line-ns-open", "size": 14, "color": style.INTERACTION_COLOUR, "line": {"width": 2}},
        # numbered once, above the top row, so the rows stay readable
        text=[str(int(i) + 1) if p == participants[0] else "" for i, p in
              zip(rows["interaction_index"], rows["participant"].astype(str))], textposition="top center",
        textfont={"size": 7, "color": style.INTERACTION_COLOUR}, legendgroup="interaction point",
        customdata=rows["interaction_index"].astype(int) + 1,
        hovertemplate="%{y}: interaction point %{customdata} at %{x:.1f} min<extra></extra>"))


def strategy_timeline_figure(codings: pd.DataFrame, scenario: str | None = None, layout: str = "two-column",
                             simulated: bool | None = None, height_in: float | None = None,
                             title: str | None = None, points: pd.DataFrame | None = None) -> go.Figure:
    """Codes per participant over interaction points (or time), optionally for one scenario.

    `points` (participant, scenario, interaction_index, at_s) marks when each interaction point happened on a
    time axis. Raises `AnalysisError` when there are no codings (for that scenario).
    """
    codings = validate_codings(codings)
    rows = codings if scenario is None else codings[codings["scenario"] == scenario]
    if rows.empty:
        where = f" for scenario {scenario}" if scenario is not None else ""
        raise AnalysisError(f"no coded transcripts{where}: code the think-aloud transcripts first")
    colours = style.colour_map(rows["code"].astype(str).unique())
    fig = go.Figure()
    participants = sorted(rows["participant"].astype(str).unique(), key=style.natural_key)
    if "interaction_index" in rows.columns and rows["interaction_index"].notna().all():
        _by_interaction(fig, rows, colours)
    else:
        _by_time(fig, rows, colours)
        if points is not None and not points.empty:
            chosen = points if scenario is None else points[points["scenario"] == scenario]
            _points(fig, chosen, participants)
    fig.update_yaxes(categoryorder="array", categoryarray=participants[::-1], title_text="participant")
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1})
    flag = is_simulated(rows) if simulated is None else simulated
    if height_in is None:  # a row per participant needs room to stay readable
        height_in = max(style.paper_layout(layout).height_in, 0.8 + 0.17 * len(participants))
    return style.finish(fig, layout, flag, height_in, title)
