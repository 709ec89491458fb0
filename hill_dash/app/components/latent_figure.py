"""The latent-space scatter of the editor and the per-class accuracy change that goes with its before/after view.

Everything here is a pure function of a snapshot dict (what ``Snapshot.to_dict()`` produces):
``{"epoch", "coords", "labels", "predictions", "misclassified", "centres", "spreads", "class_names", "index"}``.

The figure is built for the clientside drag code in ``assets/latent_editor.js``: every trace says what it is in its
``meta`` (``{"role": "points" | "centre" | "ghost", "class_id": c}``), each point carries its position
in the snapshot's point list as ``customdata``, and the axis ranges are fixed so the view never jumps mid-drag.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

REQUIRED_KEYS = ("epoch", "coords", "labels", "predictions", "misclassified", "centres", "class_names")
POINT_SIZE = 7
CENTRE_SIZE = 18
GHOST_OPACITY = 0.25
MISCLASSIFIED_OUTLINE = 1.5
ARROW_COLOUR = "black"  # direction arrows; before/after arrows take their class colour
WRONG_OUTLINE = "black"
# Paul Tol's colour-blind-safe "muted" scheme (9 colours) and its neutral grey: ten classes that stay apart for the
# common colour-vision deficiencies. More classes repeat the colours with another marker shape.
PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
           "#888888")
SHAPES = ("circle", "square", "diamond", "triangle-up", "triangle-down", "star")
LEGEND_WRONG = "ringed: the model gets it wrong"
LEGEND_CENTRE = "✕: centre of a class (drag to move it)"


def class_colours(n_classes: int) -> list[str]:
    """One colour per class, the same for a class in every trace and every figure of a run (colour-blind-safe up
    to ten classes; beyond, colours repeat and `class_symbols` tells the classes apart)."""
    if n_classes < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    return [PALETTE[c % len(PALETTE)] for c in range(n_classes)]


def class_symbols(n_classes: int) -> list[str]:
    """The marker shape of each class: circles for the first ten, then another shape for every further ten."""
    if n_classes < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    return [SHAPES[(c // len(PALETTE)) % len(SHAPES)] for c in range(n_classes)]


def _legend_traces(names: Sequence[str], colours: list[str], symbols: list[str]) -> list[go.Scattergl]:
    """Legend entries only (no points): one clean swatch per class, then what a ring and a cross mean."""
    entries = [go.Scattergl(x=[None], y=[None], mode="markers", name=name, legendgroup=f"class-{c}",
                            marker={"color": colours[c], "size": POINT_SIZE + 2, "symbol": symbols[c]},
                            hoverinfo="skip", meta={"role": "legend", "class_id": c})
               for c, name in enumerate(names)]
    entries.append(go.Scattergl(x=[None], y=[None], mode="markers", name=LEGEND_WRONG, legendgroup="explain",
                                marker={"color": "white", "size": POINT_SIZE + 2,
                                        "line": {"color": WRONG_OUTLINE, "width": 2}},
                                hoverinfo="skip", meta={"role": "legend", "class_id": None}))
    entries.append(go.Scattergl(x=[None], y=[None], mode="markers", name=LEGEND_CENTRE, legendgroup="explain",
                                marker={"color": "#555555", "size": CENTRE_SIZE - 4, "symbol": "x-thin-open",
                                        "line": {"color": "#555555", "width": 2}},
                                hoverinfo="skip", meta={"role": "legend", "class_id": None}))
    return entries


def _arrays(snapshot: Mapping[str, Any], name: str = "snapshot") -> dict[str, Any]:
    """Check a snapshot dict and return its fields as numpy arrays, with an error that says what is wrong."""
    missing = [key for key in REQUIRED_KEYS if key not in snapshot]
    if missing:
        raise ValueError(f"{name} lacks {', '.join(missing)}: pass the dict that Snapshot.to_dict() returns")
    coords = np.asarray(snapshot["coords"], dtype=float).reshape(-1, 2) if len(snapshot["coords"]) else np.zeros((0, 2))
    centres = np.asarray(snapshot["centres"], dtype=float).reshape(-1, 2)
    labels = np.asarray(snapshot["labels"], dtype=int)
    predictions = np.asarray(snapshot["predictions"], dtype=int)
    misclassified = np.asarray(snapshot["misclassified"], dtype=bool)
    names = [str(n) for n in snapshot["class_names"]]
    n_points = len(coords)
    for key, values in (("labels", labels), ("predictions", predictions), ("misclassified", misclassified)):
        if len(values) != n_points:
            raise ValueError(f"{name}: {key} has {len(values)} entries but coords has {n_points}; they must match")
    if len(centres) != len(names):
        raise ValueError(f"{name}: {len(centres)} centres for {len(names)} class names; give one centre per class")
    for key, values in (("labels", labels), ("predictions", predictions)):
        if n_points and (values.min() < 0 or values.max() >= len(names)):
            raise ValueError(f"{name}: {key} must lie in 0..{len(names) - 1} (one per class name)")
    return {"coords": coords, "centres": centres, "labels": labels, "predictions": predictions,
            "misclassified": misclassified, "names": names, "epoch": int(snapshot["epoch"])}


def _positions(override: Sequence[Sequence[float]] | np.ndarray | None, default: np.ndarray, what: str) -> np.ndarray:
    if override is None:
        return default
    values = np.asarray(override, dtype=float).reshape(-1, 2)
    if values.shape != default.shape:
        raise ValueError(f"{what} has shape {values.shape} but the snapshot needs {default.shape}")
    return values


def axis_ranges(*point_sets: np.ndarray, padding: float = 0.08) -> tuple[list[float], list[float]]:
    """Fixed x and y ranges that hold every given point with a margin (a fraction of the span)."""
    stacked = [np.asarray(p, dtype=float).reshape(-1, 2) for p in point_sets]
    points = np.concatenate(stacked) if stacked else np.zeros((0, 2))
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return [-1.0, 1.0], [-1.0, 1.0]
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * padding, 1e-6)
    return [float(low[0] - margin[0]), float(high[0] + margin[0])], [float(low[1] - margin[1]), float(high[1] + margin[1])]


def _ghost_traces(previous: dict[str, Any], colours: list[str]) -> list[go.Scattergl]:
    traces = []
    for c, name in enumerate(previous["names"]):
        members = np.flatnonzero(previous["labels"] == c)
        traces.append(go.Scattergl(
            x=previous["coords"][members, 0], y=previous["coords"][members, 1], mode="markers",
            name=f"{name} (before)", legendgroup=f"class-{c}", showlegend=False, hoverinfo="skip",
            marker={"color": colours[c], "size": POINT_SIZE, "opacity": GHOST_OPACITY},
            meta={"role": "ghost", "class_id": c}))
    return traces


def _arrows(old_centres: np.ndarray, new_centres: np.ndarray, colours: list[str]) -> list[dict[str, Any]]:
    arrows = []
    for c, (old, new) in enumerate(zip(old_centres, new_centres)):
        if np.allclose(old, new):
            continue
        arrows.append({"x": float(new[0]), "y": float(new[1]), "ax": float(old[0]), "ay": float(old[1]),
                       "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "", "showarrow": True,
                       "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 2, "arrowcolor": colours[c]})
    return arrows


def direction_arrows(coords: np.ndarray, arrows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Annotations for direction arrows ``{"index": i, "vector": [dx, dy]}``, drawn from point i's shown position.

    They look like the arrows ``assets/latent_editor.js`` draws the moment an arrow is released.
    """
    drawn = []
    for arrow in arrows:
        index, (dx, dy) = int(arrow["index"]), (float(v) for v in arrow["vector"])
        if not 0 <= index < len(coords):
            raise ValueError(f"an arrow is drawn on point {index}, but the snapshot has {len(coords)} points")
        x0, y0 = (float(v) for v in coords[index])
        drawn.append({"x": x0 + dx, "y": y0 + dy, "ax": x0, "ay": y0, "xref": "x", "yref": "y", "axref": "x",
                      "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
                      "arrowwidth": 2, "arrowcolor": ARROW_COLOUR, "name": f"arrow-{index}"})
    return drawn


def build_latent_figure(snapshot: Mapping[str, Any], positions: Sequence[Sequence[float]] | np.ndarray | None = None,
                        centres: Sequence[Sequence[float]] | np.ndarray | None = None,
                        previous: Mapping[str, Any] | None = None, show_before_after: bool = False,
                        ranges: tuple[Sequence[float], Sequence[float]] | None = None,
                        uirevision: str = "latent", arrows: Sequence[Mapping[str, Any]] | None = None,
                        hover_labels: bool = True) -> go.Figure:
    """The editor's scatter: one WebGL trace per class and a centre cross (its own trace) per class.

    ``positions``/``centres`` replace the snapshot's coordinates and centres (the edited state from
    ``edit_stack.replay``). With ``show_before_after`` and a ``previous`` snapshot of the same points, the previous
    positions appear as faint ghosts and an arrow runs from each class's old centre to its new one. ``arrows``
    (``{"index", "vector"}`` per direction arrow) are drawn from their points' shown positions. ``ranges``
    (x range, y range) fixes the axes; by default they hold the original and previous points. Without
    ``hover_labels`` the points raise hover events but draw no label (the page shows its own, with the sample).
    """
    data = _arrays(snapshot)
    coords = _positions(positions, data["coords"], "positions")
    shown_centres = _positions(centres, data["centres"], "centres")
    colours = class_colours(len(data["names"]))
    symbols = class_symbols(len(data["names"]))
    before = _arrays(previous, "previous snapshot") if previous is not None else None
    if before is not None and before["names"] != data["names"]:
        raise ValueError("previous snapshot has other class names; compare snapshots of the same scenario")

    traces: list[go.Scattergl] = []
    if show_before_after and before is not None:
        traces.extend(_ghost_traces(before, colours))
    names = data["names"]
    for c, name in enumerate(names):
        members = np.flatnonzero(data["labels"] == c)
        predicted = [names[p] for p in data["predictions"][members]]
        traces.append(go.Scattergl(
            x=coords[members, 0], y=coords[members, 1], mode="markers", name=name, legendgroup=f"class-{c}",
            showlegend=False, customdata=members, text=predicted,
            hovertemplate=f"true: {name}<br>predicted: %{{text}}<extra></extra>",
            hoverinfo=None if hover_labels else "none",
            marker={"color": colours[c], "size": POINT_SIZE, "symbol": symbols[c],
                    "line": {"color": WRONG_OUTLINE,
                             "width": np.where(data["misclassified"][members], MISCLASSIFIED_OUTLINE, 0.0)}},
            unselected={"marker": {"opacity": 0.3}}, meta={"role": "points", "class_id": c}))
    for c, name in enumerate(names):
        # an open, thin cross: the points under a centre stay visible through it
        traces.append(go.Scattergl(
            x=[float(shown_centres[c, 0])], y=[float(shown_centres[c, 1])], mode="markers",
            name=f"{name} centre", legendgroup=f"class-{c}", showlegend=False,
            hovertemplate=f"centre of {name}<br>drag to move the class, double-click to collapse it<extra></extra>",
            marker={"symbol": "x-thin-open", "size": CENTRE_SIZE, "color": colours[c],
                    "line": {"color": colours[c], "width": 3}},
            unselected={"marker": {"opacity": 1}}, meta={"role": "centre", "class_id": c}))
    traces.extend(_legend_traces(names, colours, symbols))

    annotations = []
    if show_before_after and before is not None:
        annotations = _arrows(before["centres"], shown_centres, colours)
    annotations = annotations + direction_arrows(coords, arrows or ())
    if ranges is None:
        extra = [before["coords"], before["centres"]] if before is not None else []
        ranges = axis_ranges(data["coords"], data["centres"], *extra)
    x_range, y_range = ranges
    figure = go.Figure(traces)
    figure.update_layout(
        template="plotly_white", uirevision=uirevision, dragmode="select", hovermode="closest",
        margin={"l": 40, "r": 10, "t": 30, "b": 40},
        legend={"title": {"text": "class"}, "itemsizing": "constant", "groupclick": "togglegroup"},
        xaxis={"range": list(x_range), "autorange": False, "zeroline": False, "title": {"text": ""}},
        yaxis={"range": list(y_range), "autorange": False, "zeroline": False, "title": {"text": ""}},
        annotations=annotations, meta={"epoch": data["epoch"], "n_points": int(len(coords))},
        title={"text": f"latent space after epoch {data['epoch']}", "x": 0.01, "font": {"size": 14}})
    return figure


def per_class_accuracy(snapshot: Mapping[str, Any]) -> list[float | None]:
    """Share of each class's displayed points that the model predicts correctly (None for an empty class)."""
    data = _arrays(snapshot)
    result: list[float | None] = []
    for c in range(len(data["names"])):
        members = data["labels"] == c
        result.append(float(np.mean(data["predictions"][members] == c)) if members.any() else None)
    return result


def accuracy_change_rows(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows ``{"class_id", "class", "before", "after", "delta"}`` per class, then one row for all points.

    Accuracy is over the displayed (validation) points of each snapshot; ``delta`` is after minus before, None
    when either side has no points of that class.
    """
    old, new = _arrays(previous, "previous snapshot"), _arrays(current, "current snapshot")
    if old["names"] != new["names"]:
        raise ValueError("the two snapshots have different class names; compare snapshots of the same scenario")
    before, after = per_class_accuracy(previous), per_class_accuracy(current)
    rows = []
    for c, name in enumerate(new["names"]):
        delta = None if before[c] is None or after[c] is None else after[c] - before[c]
        rows.append({"class_id": c, "class": name, "before": before[c], "after": after[c], "delta": delta})
    overall = [float(np.mean(s["predictions"] == s["labels"])) if len(s["labels"]) else None for s in (old, new)]
    delta = None if None in overall else overall[1] - overall[0]
    rows.append({"class_id": None, "class": "all classes", "before": overall[0], "after": overall[1], "delta": delta})
    return rows
