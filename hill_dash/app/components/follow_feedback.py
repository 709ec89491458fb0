"""What the participant sees of how far training followed their edits, drawn on the editor's scatter.

For each class moved before the last round (``follow`` entries of the run view, see
``hill_dash.jobs.follow_through.follow_view``): a faint ghost cross where they asked the class to go, a dashed line
from the old centre to it, a solid arrow from the old centre to where the model put the class, and the share in
words in a box on the figure ("class 3 moved 72% of the way you asked").

Also the centre crosses of an edited view: the mean of each class's shown (edited) positions, so that after an
undo, a reset or a reload a cross sits where the participant's edits left its class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

GHOST_CROSS_OPACITY = 0.45
ASKED_DASH = "dash"
WORDS_FONT = 12


def shown_centres(positions: Sequence[Sequence[float]] | np.ndarray, labels: Sequence[int],
                  fallback: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """Each class's centre of the positions shown [C, 2]; a class without points keeps its `fallback` centre.

    >>> shown_centres([[0., 0.], [2., 0.], [5., 5.]], [0, 0, 1], [[9., 9.], [9., 9.], [7., 7.]]).tolist()
    [[1.0, 0.0], [5.0, 5.0], [7.0, 7.0]]
    """
    points = np.asarray(positions, dtype=float).reshape(-1, 2)
    labels = np.asarray(labels, dtype=int)
    centres = np.array(fallback, dtype=float).reshape(-1, 2)
    if len(labels) != len(points):
        raise ValueError(f"{len(points)} positions but {len(labels)} labels: give one label per shown point")
    for c in range(len(centres)):
        members = labels == c
        if members.any():
            centres[c] = points[members].mean(axis=0)
    return centres


def follow_words(follow: Sequence[Mapping[str, Any]]) -> list[str]:
    """One sentence per edited class, in class order."""
    return [str(item["words"]) for item in sorted(follow, key=lambda f: int(f["class_id"]))]


def add_follow_feedback(figure: go.Figure, follow: Sequence[Mapping[str, Any]], colours: Sequence[str]) -> go.Figure:
    """Draw the asked and the reached centre of every class in `follow` on `figure` (in place; also returned)."""
    if not follow:
        return figure
    annotations = list(figure.layout.annotations or ())
    for item in follow:
        c = int(item["class_id"])
        colour = colours[c % len(colours)]
        (ox, oy), (ax, ay), (nx, ny) = item["old_centre"], item["asked_centre"], item["new_centre"]
        figure.add_trace(go.Scatter(
            x=[ox, ax], y=[oy, ay], mode="lines", showlegend=False, hoverinfo="skip",
            line={"color": colour, "dash": ASKED_DASH, "width": 1.5}, meta={"role": "follow", "class_id": c}))
        figure.add_trace(go.Scatter(
            x=[ax], y=[ay], mode="markers", showlegend=False, opacity=GHOST_CROSS_OPACITY,
            hovertemplate=f"{item['words']}<br>(where you asked it to go)<extra></extra>",
            marker={"symbol": "x-thin-open", "size": 18, "color": colour, "line": {"color": colour, "width": 3}},
            meta={"role": "follow", "class_id": c}))
        if np.hypot(nx - ox, ny - oy) > 1e-9:
            annotations.append({"x": nx, "y": ny, "ax": ox, "ay": oy, "xref": "x", "yref": "y", "axref": "x",
                                "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
                                "arrowwidth": 2, "arrowcolor": colour, "name": f"followed-{c}"})
    annotations.append({"text": "<br>".join(follow_words(follow)), "xref": "paper", "yref": "paper", "x": 0.01,
                        "y": 0.99, "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
                        "bgcolor": "rgba(255,255,255,0.85)", "bordercolor": "#999999", "borderwidth": 1,
                        "font": {"size": WORDS_FONT}, "name": "follow-words"})
    figure.update_layout(annotations=annotations)
    return figure
