"""Plotly figures of the boundary lab, as pure functions of arrays (no Dash, no model).

`boundary_figure` draws the decision function as a filled contour, the boundary (logit 0 / p = 0.5) as a black
line, the training points coloured by label (misclassified ones outlined in black, each carrying its index in
`customdata` so a page can map a click or a drawn line to a point) and the arrows as layout annotations from the
point along its direction. `accuracy_figure` plots held-out accuracy over the epochs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go

if TYPE_CHECKING:
    from hill_dash.boundary.trainer import Arrow, BoundaryLab

VALUES = ("probability", "logit")
CLASS_COLOURS = ("#b2182b", "#2166ac")  # the ends of the contour's RdBu scale: red = class 0, blue = class 1
OUTLINE_WRONG, OUTLINE_RIGHT = "black", "white"
BOUNDARY_NAME = "boundary"


def _contour_values(logits: np.ndarray, value: str) -> tuple[np.ndarray, float, dict[str, Any]]:
    if value == "probability":
        return 1.0 / (1.0 + np.exp(-logits)), 0.5, {"zmin": 0.0, "zmax": 1.0}
    if value == "logit":
        bound = float(max(np.abs(logits).max(), 1e-6))
        return logits, 0.0, {"zmin": -bound, "zmax": bound}
    raise ValueError(f"unknown value {value!r}: draw the contour as one of {', '.join(VALUES)}")


def boundary_figure(grid: tuple[np.ndarray, np.ndarray, np.ndarray], points: np.ndarray, labels: np.ndarray,
                    point_logits: np.ndarray, arrows: Sequence[Arrow] = (), *, value: str = "probability",
                    arrow_length: float = 0.5, class_names: tuple[str, str] = ("class 0", "class 1"),
                    title: str | None = None) -> go.Figure:
    """The decision function over `grid = (xs, ys, logits)` with the training points and their arrows.

    `points [N, 2]`, `labels [N]` (0/1) and the model's `point_logits [N]` are the training split; an arrow's
    `point_index` indexes these rows. The axes share one scale so an arrow's angle on screen is its angle in data.
    """
    xs, ys, logits = (np.asarray(a, dtype=np.float64) for a in grid)
    points, labels = np.asarray(points, dtype=np.float64), np.asarray(labels).astype(np.int64)
    point_logits = np.asarray(point_logits, dtype=np.float64)
    if logits.shape != (len(ys), len(xs)):
        raise ValueError(f"grid logits have shape {logits.shape}; expected (len(ys), len(xs)) = {(len(ys), len(xs))}")
    if not (points.ndim == 2 and points.shape[1] == 2 and len(points) == len(labels) == len(point_logits)):
        raise ValueError(f"points {points.shape}, labels {labels.shape} and point_logits {point_logits.shape} must "
                         "describe the same N points in 2D")
    z, level, zrange = _contour_values(logits, value)
    fig = go.Figure()
    fig.add_trace(go.Contour(x=xs, y=ys, z=z, name=value, colorscale="RdBu", opacity=0.55, **zrange,
                             contours={"coloring": "heatmap"}, line={"width": 0}, hoverinfo="skip",
                             colorbar={"title": {"text": value}, "thickness": 12}))
    fig.add_trace(go.Contour(x=xs, y=ys, z=z, name=BOUNDARY_NAME, showscale=False, hoverinfo="skip",
                             contours={"type": "constraint", "operation": "=", "value": level},
                             line={"color": "black", "width": 3}))
    wrong = (point_logits > 0).astype(np.int64) != labels
    index = np.arange(len(labels))
    for cls in (0, 1):
        rows = labels == cls
        fig.add_trace(go.Scatter(
            x=points[rows, 0], y=points[rows, 1], mode="markers", name=class_names[cls], customdata=index[rows],
            marker={"color": CLASS_COLOURS[cls], "size": 8,
                    "line": {"color": np.where(wrong[rows], OUTLINE_WRONG, OUTLINE_RIGHT).tolist(),
                             "width": np.where(wrong[rows], 2.5, 0.8).tolist()}},
            hovertemplate="point %{customdata}<br>(%{x:.2f}, %{y:.2f})<extra>" + class_names[cls] + "</extra>"))
    fig.update_layout(annotations=[_arrow_annotation(points, a, arrow_length) for a in arrows],
                      title=title, margin={"l": 40, "r": 10, "t": 40 if title else 10, "b": 40},
                      legend={"orientation": "h", "y": -0.08}, dragmode="drawline",
                      newshape={"line": {"color": "black", "width": 2}}, uirevision="boundary")
    fig.update_xaxes(range=[xs[0], xs[-1]], constrain="domain", zeroline=False)
    fig.update_yaxes(range=[ys[0], ys[-1]], scaleanchor="x", scaleratio=1, constrain="domain", zeroline=False)
    return fig


def _arrow_annotation(points: np.ndarray, arrow: Arrow, length: float) -> dict[str, Any]:
    if not 0 <= arrow.point_index < len(points):
        raise ValueError(f"an arrow points at training point {arrow.point_index}, but there are {len(points)}")
    x0, y0 = points[arrow.point_index]
    dx, dy = arrow.direction
    return {"x": x0 + length * dx, "y": y0 + length * dy, "ax": x0, "ay": y0, "xref": "x", "yref": "y",
            "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 2,
            "arrowcolor": "black", "text": "", "name": f"arrow-{arrow.point_index}",
            "hovertext": f"point {arrow.point_index}" + (f" by {arrow.annotator}" if arrow.annotator else "")}


def lab_figure(lab: BoundaryLab, *, resolution: int = 80, value: str = "probability", **kwargs: Any) -> go.Figure:
    """`boundary_figure` for a lab's current model, training points and arrows."""
    points, labels = lab.split("train")
    return boundary_figure(lab.decision_grid(resolution), points, labels, lab.logits(points), lab.annotations,
                           value=value, **kwargs)


def accuracy_figure(history: Sequence[Mapping[str, Any]], title: str | None = None) -> go.Figure:
    """Held-out (and training) accuracy per epoch from a lab's `history`; epochs trained with arrows are marked."""
    epochs = [int(h["epoch"]) for h in history]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=epochs, y=[h["heldout_accuracy"] for h in history], mode="lines+markers",
                             name="held-out", customdata=[h.get("arrows", 0) for h in history],
                             hovertemplate="epoch %{x}: %{y:.3f}<br>%{customdata} arrows<extra></extra>"))
    fig.add_trace(go.Scatter(x=epochs, y=[h["train_accuracy"] for h in history], mode="lines", name="train",
                             line={"dash": "dot"}))
    guided = [(e, h["heldout_accuracy"]) for e, h in zip(epochs, history) if h.get("arrows") and h.get("weight")]
    if guided:
        fig.add_trace(go.Scatter(x=[e for e, _ in guided], y=[a for _, a in guided], mode="markers",
                                 name="trained with arrows", marker={"symbol": "triangle-up", "size": 9}))
    fig.update_layout(title=title, xaxis_title="epoch", yaxis_title="accuracy", yaxis_range=[0, 1.02], height=260,
                      margin={"l": 50, "r": 10, "t": 40 if title else 30, "b": 40},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0})
    return fig
