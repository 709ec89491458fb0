"""The lane under the transcript's audio: when speech, edits and training rounds happened, on the recording's clock.

A click on an edit plays what was said then: the segment spoken closest to it within the documented window
(`transcripts.EDIT_WINDOW_S`), else the recording at the edit's own moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from transcripts._timeline import SessionEvent, edit_at

ROWS = ("rounds", "edits", "speech")


def lane_figure(aligned: Sequence[dict[str, Any]], events: Sequence[SessionEvent], start: datetime,
                duration: float | None) -> go.Figure:
    """Speech segments as bars, edits as clickable markers (customdata: where to play from), epochs as ticks
    (interaction points as diamonds), all in seconds of the recording."""
    figure = go.Figure()
    for s in aligned:
        figure.add_trace(go.Scatter(x=[s["start"], s["end"]], y=["speech", "speech"], mode="lines",
                                    line={"width": 10, "color": "#6c8ebf"}, hoverinfo="text",
                                    text=f"{s['start']:.1f}–{s['end']:.1f} s: {s['text'][:80]}",
                                    customdata=[s["start"], s["start"]], showlegend=False))
    end = duration if duration else max([s["end"] for s in aligned] or [0.0])
    edits = [e for e in events if e.kind == "edit"]
    shown = [(e, (e.at - start).total_seconds()) for e in edits]
    shown = [(e, t) for e, t in shown if -5.0 <= t <= end + 5.0]
    if shown:
        figure.add_trace(go.Scatter(
            x=[t for _, t in shown], y=["edits"] * len(shown), mode="markers", name="edits",
            marker={"symbol": "triangle-up", "size": 11, "color": "#d6562b"},
            text=[f"{e.label} (epoch {e.epoch}, interaction point {e.interaction_index}) at {t:.1f} s"
                  for e, t in shown], hoverinfo="text",
            customdata=[edit_at(aligned, e.at, start) or 0.0 for e, _ in shown], showlegend=False))
    epochs = [(e, (e.at - start).total_seconds()) for e in events if e.kind == "epoch"]
    epochs = [(e, t) for e, t in epochs if -5.0 <= t <= end + 5.0]
    if epochs:
        figure.add_trace(go.Scatter(
            x=[t for _, t in epochs], y=["rounds"] * len(epochs), mode="markers", name="rounds",
            marker={"symbol": ["diamond" if e.interaction_point else "line-ns-open" for e, _ in epochs],
                    "size": 11, "color": "#3a7d44", "line": {"width": 2, "color": "#3a7d44"}},
            text=[e.label for e, _ in epochs], hoverinfo="text", customdata=[max(t, 0.0) for _, t in epochs],
            showlegend=False))
    figure.update_layout(height=150, margin={"l": 60, "r": 10, "t": 10, "b": 30}, clickmode="event",
                         xaxis={"title": None, "range": [0, max(end, 1.0)], "ticksuffix": " s"},
                         yaxis={"categoryorder": "array", "categoryarray": list(ROWS), "fixedrange": True},
                         plot_bgcolor="white")
    return figure


def segment_caption(segment: dict[str, Any]) -> str:
    """One line under a segment: its session time, the training state and the edits around it."""
    at = segment["session_start_s"]
    minutes, seconds = divmod(abs(at), 60)
    parts = [f"session {'-' if at < 0 else ''}{int(minutes)}:{seconds:04.1f}"]
    if segment.get("epoch") is not None:
        parts.append(f"epoch {segment['epoch']}")
    if segment.get("interaction_index") is not None:
        parts.append(f"interaction point {segment['interaction_index'] + 1}")
    if segment.get("edits_near"):
        parts.append(f"{segment['edits_near']} edit{'s' if segment['edits_near'] != 1 else ''} near: "
                     f"{segment['edit_labels']}")
    return " · ".join(parts)
