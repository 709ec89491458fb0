"""Think-aloud on the session's timeline: what the model was doing when something was said.

A recording's segment times count from the recording's start. Shifted by when the recording started, they land on
the participant's session clock (seconds since the session's first stored event), where they are joined to the
training state reached by then (the epoch, and the interaction point the participant was at) and to the edits made
around them.

"Around" is a documented window: an edit belongs to a segment when it happened from EDIT_WINDOW_S seconds before
the segment starts to EDIT_WINDOW_S seconds after it ends. Think-aloud runs both ahead of the hand ("now I'll move
the cats ...") and behind it ("... that was the cats"), by a few seconds in either direction, so the window is
symmetric; ten seconds catches the usual lag without reaching into the next thought.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

EDIT_WINDOW_S = 10.0


@dataclass(frozen=True)
class SessionEvent:
    """Something stored during the session with its time: an edit in the latent editor or an epoch reached.

    `interaction_point` marks an epoch at which training stopped for the participant; `label` says what an edit
    did ("move class 3")."""

    at: datetime
    kind: str
    run_id: int | None = None
    ident: int | None = None
    epoch: int | None = None
    interaction_index: int | None = None
    interaction_point: bool = False
    label: str = ""


def _state(events: Sequence[SessionEvent], moment: datetime) -> dict[str, Any]:
    """The run, epoch and interaction point in force at `moment` (the newest event at or before it)."""
    state: dict[str, Any] = {"run_id": None, "epoch": None, "interaction_index": None}
    points: dict[int | None, int] = {}
    for event in events:
        if event.at > moment:
            break
        if event.kind == "epoch":
            if event.interaction_point:
                points[event.run_id] = points.get(event.run_id, -1) + 1
            state.update(run_id=event.run_id, epoch=event.epoch,
                         interaction_index=points.get(event.run_id, state["interaction_index"]))
        else:
            state.update(run_id=event.run_id, epoch=event.epoch, interaction_index=event.interaction_index)
    return state


def _near(edits: Sequence[SessionEvent], start: datetime, end: datetime, window: float) -> dict[str, Any]:
    lo, hi = start - timedelta(seconds=window), end + timedelta(seconds=window)
    hits = [e for e in edits if lo <= e.at <= hi]
    middle = start + (end - start) / 2
    nearest = min((abs((e.at - middle).total_seconds()) for e in edits), default=None)
    return {"edits_near": len(hits), "edit_ids": ";".join(str(e.ident) for e in hits),
            "edit_labels": "; ".join(e.label for e in hits if e.label),
            "nearest_edit_s": None if nearest is None else round(nearest, 2)}


def align_segments(segments: Iterable[Mapping[str, Any]], recording_start: datetime, session_start: datetime,
                   events: Iterable[SessionEvent], window: float = EDIT_WINDOW_S) -> list[dict[str, Any]]:
    """Each segment ({start, end, text, words?}) with its place on the session clock and the session's state.

    Added keys: session_start_s, session_end_s, spoken_at (UTC datetime), run_id, epoch, interaction_index (the
    state at the segment's start), edits_near (edits within `window` seconds of the segment), edit_ids,
    edit_labels, nearest_edit_s (seconds from the segment's middle to the closest edit of the session), and
    `words` each with session_start_s and the interaction_index and epoch in force when it was spoken.
    """
    ordered = sorted(events, key=lambda e: e.at)
    edits = [e for e in ordered if e.kind == "edit"]
    offset = (recording_start - session_start).total_seconds()
    out = []
    for index, segment in enumerate(segments):
        start, end = float(segment["start"]), float(segment["end"])
        begun = recording_start + timedelta(seconds=start)
        ended = recording_start + timedelta(seconds=end)
        row = {"segment": index, "start": start, "end": end, "text": str(segment.get("text", "")),
               "session_start_s": round(offset + start, 3), "session_end_s": round(offset + end, 3),
               "spoken_at": begun, **_state(ordered, begun), **_near(edits, begun, ended, window)}
        words = []
        for word in segment.get("words") or ():
            at = recording_start + timedelta(seconds=float(word["start"]))
            state = _state(ordered, at)
            words.append({**word, "session_start_s": round(offset + float(word["start"]), 3),
                          "epoch": state["epoch"], "interaction_index": state["interaction_index"]})
        row["words"] = words
        out.append(row)
    return out


def edit_at(aligned: Sequence[Mapping[str, Any]], edit_time: datetime, recording_start: datetime,
            window: float = EDIT_WINDOW_S) -> float | None:
    """Where in the recording (seconds) to play from for an edit: the start of the segment spoken closest to
    it within the window, else the edit's own moment in the recording (None when outside the recording)."""
    moment = (edit_time - recording_start).total_seconds()
    best = min(aligned, key=lambda s: 0.0 if s["start"] <= moment <= s["end"]
               else min(abs(s["start"] - moment), abs(s["end"] - moment)), default=None)
    if best is not None and (best["start"] - window <= moment <= best["end"] + window):
        return float(best["start"])
    return moment if moment >= 0 else None
