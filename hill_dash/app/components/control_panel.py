"""The editor's sidebar: training controls, loss weights, progress and validation metrics (paper, Figure 3 (1)).

Layout builders return Dash components with ids from ``hill_dash.app.ids``; the small pure functions beside them
(``control_states``, ``progress_props``, ``metrics_text``, ``accuracy_figure``) compute what a callback writes
into those components, so pages stay thin and the logic is tested without a browser.

A metrics history is a list of ``{"epoch": int, "accuracy": float, "macro_f1": float}``, oldest first, measured
on the validation split (the test split is never shown to participants).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from hill_dash.app import ids

STATUSES = ("idle", "running", "paused", "done")
CONTROL_IDS = (ids.EDITOR_TRAIN, ids.EDITOR_PAUSE, ids.EDITOR_RESUME, ids.EDITOR_CANCEL,
               ids.EDITOR_EPOCHS, ids.EDITOR_ALPHA, ids.EDITOR_LAMBDA)


def control_states(status: str) -> dict[str, bool]:
    """Which controls are disabled (True) in a training status: "idle", "running", "paused" or "done".

    Loss weights and the epoch count change only while training stands still (idle or paused); Train goes on from
    either (a paused round is not a dead end); pause only while it runs; resume and cancel only while paused or
    running; nothing but the view once the study run is done.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown training status {status!r}; use one of {', '.join(STATUSES)}")
    still = status in ("idle", "paused")
    return {
        ids.EDITOR_TRAIN: not still,
        ids.EDITOR_PAUSE: status != "running",
        ids.EDITOR_RESUME: status != "paused",
        ids.EDITOR_CANCEL: status not in ("running", "paused"),
        ids.EDITOR_EPOCHS: not still,
        ids.EDITOR_ALPHA: not still,
        ids.EDITOR_LAMBDA: not still,
    }


def progress_props(epoch: int, total: int, loss: float | None = None) -> dict[str, Any]:
    """``value``, ``max`` and ``label`` for the progress bar: "epoch k of n, loss x"."""
    if total < 1:
        raise ValueError(f"total epochs must be at least 1, got {total}")
    if not 0 <= epoch <= total:
        raise ValueError(f"epoch {epoch} lies outside 0..{total}")
    label = f"epoch {epoch} of {total}" + ("" if loss is None else f", loss {loss:.4f}")
    return {"value": epoch, "max": total, "label": label}


def _as_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def settings_error(epochs_between: Any, alpha: Any, lam: Any) -> str | None:
    """A message saying what is wrong with the typed settings and how to fix it, or None when they are usable."""
    epochs, weight, scale = _as_float(epochs_between), _as_float(alpha), _as_float(lam)
    if epochs is None or epochs != int(epochs) or epochs < 1:
        return f"epochs between interaction points must be a whole number of at least 1 (got {epochs_between!r})"
    if weight is None or not 0.0 <= weight <= 1.0:
        return f"alpha must lie between 0 (only cross-entropy) and 1 (only your edits), got {alpha!r}"
    if scale is None or scale < 0.0:
        return f"lambda must be 0 or more (0 switches the scale term off), got {lam!r}"
    return None


def _check_history(history: Sequence[Mapping[str, Any]]) -> None:
    for row in history:
        missing = [key for key in ("epoch", "accuracy", "macro_f1") if key not in row]
        if missing:
            raise ValueError(f"metrics row {dict(row)!r} lacks {', '.join(missing)}")


def metrics_text(history: Sequence[Mapping[str, Any]]) -> str:
    """One line per epoch, newest first: validation accuracy ("acc") and macro-F1."""
    _check_history(history)
    if not history:
        return "no epochs trained yet"
    lines = [f"epoch {int(r['epoch']):>3}  acc {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}"
             for r in reversed(history)]
    return "\n".join(lines)


def accuracy_figure(history: Sequence[Mapping[str, Any]], interaction_epochs: Sequence[int] = ()) -> go.Figure:
    """Validation accuracy and macro-F1 over epochs, with a dotted line at each interaction point."""
    _check_history(history)
    epochs = [int(r["epoch"]) for r in history]
    figure = go.Figure([
        go.Scatter(x=epochs, y=[float(r["accuracy"]) for r in history], mode="lines+markers", name="accuracy"),
        go.Scatter(x=epochs, y=[float(r["macro_f1"]) for r in history], mode="lines+markers", name="macro-F1"),
    ])
    for epoch in interaction_epochs:
        figure.add_vline(x=epoch, line_dash="dot", line_color="grey")
    figure.update_layout(template="plotly_white", height=200, margin={"l": 40, "r": 10, "t": 10, "b": 30},
                         legend={"orientation": "h", "y": -0.3}, xaxis={"title": {"text": "epoch"}},
                         yaxis={"range": [0, 1], "title": {"text": ""}}, uirevision="accuracy")
    return figure


def _number(label: str, element_id: str, value: float, disabled: bool, **limits: float) -> html.Div:
    return html.Div([dbc.Label(label, html_for=element_id, class_name="mb-0 small"),
                     dbc.Input(id=element_id, type="number", value=value, size="sm", debounce=True,
                               disabled=disabled, **limits)],
                    className="mb-2")


def control_panel(epochs_between: int | None = None, alpha: float = 0.5, lam: float = 0.1,
                  history: Sequence[Mapping[str, Any]] = (), interaction_epochs: Sequence[int] = (),
                  status: str = "idle") -> html.Div:
    """The sidebar: train / pause / resume / cancel, epochs between points, alpha and lambda, progress, metrics."""
    disabled = control_states(status)
    buttons = html.Div([
        dbc.Button("Train to next interaction point", id=ids.EDITOR_TRAIN, color="primary", size="sm",
                   disabled=disabled[ids.EDITOR_TRAIN], class_name="w-100 mb-2"),
        dbc.ButtonGroup([
            dbc.Button("Pause", id=ids.EDITOR_PAUSE, color="secondary", outline=True,
                       disabled=disabled[ids.EDITOR_PAUSE]),
            dbc.Button("Resume", id=ids.EDITOR_RESUME, color="secondary", outline=True,
                       disabled=disabled[ids.EDITOR_RESUME]),
            dbc.Button("Cancel", id=ids.EDITOR_CANCEL, color="danger", outline=True,
                       disabled=disabled[ids.EDITOR_CANCEL]),
        ], size="sm", class_name="w-100 mb-3"),
    ])
    settings = html.Div([
        _number("at most this many epochs per round (empty: to the next interaction point)", ids.EDITOR_EPOCHS,
                epochs_between, disabled[ids.EDITOR_EPOCHS], min=1, step=1),
        _number("alpha (weight of your edits)", ids.EDITOR_ALPHA, alpha, disabled[ids.EDITOR_ALPHA],
                min=0, max=1, step=0.05),
        _number("lambda (scale term)", ids.EDITOR_LAMBDA, lam, disabled[ids.EDITOR_LAMBDA], min=0, step=0.01),
    ])
    return html.Div([
        buttons, settings,
        dbc.Progress(id=ids.EDITOR_PROGRESS, value=0, max=1, label="", class_name="mb-3",
                     style={"height": "1.4rem"}),
        html.H6("validation metrics", className="mb-1"),
        html.Pre(metrics_text(history), id=ids.EDITOR_METRICS, className="hill-metrics mb-2"),
        dcc.Graph(id=ids.EDITOR_ACCURACY_GRAPH, figure=accuracy_figure(history, interaction_epochs),
                  config={"displayModeBar": False}, style={"height": "200px"}),
    ], className="hill-control-panel")
