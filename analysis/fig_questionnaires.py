"""Figures 6 and 7: questionnaire scores by scenario as grouped box plots with every answer shown as a point.

Figure 6 shows the NASA-TLX subscales (0-20), Figure 7 the custom questions (0-100). Each scenario keeps one
colour in both (`style.colour_map` over the sorted scenario names).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import questionnaires

from analysis import style
from analysis.schema import AnalysisError, is_simulated, validate_scores
from analysis.survey import CUSTOM, TLX, load_instrument, tlx_subscales


def item_labels(instrument: str) -> dict[str, str]:
    """Short axis labels for an instrument's items: the item's `label` from its file, else its id."""
    try:
        items = load_instrument(instrument).items
    except questionnaires.UnknownInstrumentError:
        return {}
    return {item.id: item.label or item.id for item in items}


def grouped_box_figure(scores: pd.DataFrame, instrument: str, measures: list[str], y_range: tuple[float, float],
                       y_title: str, labels: dict[str, str] | None = None, layout: str = "two-column",
                       simulated: bool | None = None, height_in: float | None = None,
                       title: str | None = None) -> go.Figure:
    """Box plot per measure (x) and scenario (colour), all answers drawn as jittered points over the boxes."""
    scores = validate_scores(scores)
    rows = scores[(scores["instrument"] == instrument) & scores["measure"].isin(measures)]
    if rows.empty:
        raise AnalysisError(
            f"no {instrument} questionnaires in this study: add {instrument} to the study's questionnaires "
            "and let participants answer it after each scenario"
        )
    labels = {**{m: m for m in measures}, **(labels or {})}
    colours = style.colour_map(rows["scenario"].astype(str).unique())
    fig = go.Figure()
    for scenario, part in rows.groupby("scenario", sort=True):
        fig.add_trace(go.Box(
            x=[labels[m] for m in part["measure"]], y=part["value"], name=str(scenario), legendgroup=str(scenario),
            marker={"color": colours[str(scenario)], "size": 3}, line={"width": 1}, boxpoints="all",
            jitter=0.5, pointpos=0, fillcolor="rgba(255,255,255,0)",
            customdata=part["participant"], hovertemplate="%{customdata}: %{y}<extra>%{fullData.name}</extra>",
        ))
    pad = (y_range[1] - y_range[0]) * 0.04
    fig.update_layout(boxmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1,
                                               "xanchor": "right"})
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[m] for m in measures])
    fig.update_yaxes(range=[y_range[0] - pad, y_range[1] + pad], title_text=y_title)
    flag = is_simulated(scores) if simulated is None else simulated
    return style.finish(fig, layout, flag, height_in, title)


def tlx_figure(scores: pd.DataFrame, layout: str = "two-column", simulated: bool | None = None,
               height_in: float | None = None, title: str | None = None) -> go.Figure:
    """Figure 6: NASA-TLX subscales (0-20) by scenario."""
    measures = tlx_subscales(scores)
    return grouped_box_figure(scores, TLX, measures, (0, 20), "rating (0-20)", item_labels(TLX), layout,
                              simulated, height_in, title)


def custom_questions_figure(scores: pd.DataFrame, instrument: str = CUSTOM, layout: str = "two-column",
                            simulated: bool | None = None, height_in: float | None = None,
                            title: str | None = None) -> go.Figure:
    """Figure 7: the custom questions (0-100 visual analogue scales) by scenario."""
    scores = validate_scores(scores)
    labels = item_labels(instrument)
    present = set(scores.loc[scores["instrument"] == instrument, "measure"])
    # the instrument's own item order, then anything it does not list
    measures = [m for m in labels if m in present] + sorted(present - set(labels))
    return grouped_box_figure(scores, instrument, measures, (0, 100), "rating (0-100)", labels, layout,
                              simulated, height_in, title)
