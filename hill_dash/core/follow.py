"""Follow-through: how far the model went where a participant asked, measured in the frozen 2D frame on the
display points (eval mode), class by class.

For a class the participant moved, the ask is the move of its centre (old centre -> target centre) and the change
of its spread (old spread -> target spread); after the round the model's class centre and spread are measured on
the same display points. `share` is the progress of the centre along the asked direction (1 = all the way, 0 = did
not move that way, negative = went the other way); `spread_share` the same for the spread. Numpy only: the editor
uses it to tell the participant, the benchmark to judge the teachers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

MIN_ASK = 1e-6  # a centre move or spread change shorter than this is not an ask


@dataclass(frozen=True)
class ClassFollow:
    """The follow-through of one edited class after one round."""

    class_id: int
    old_centre: tuple[float, float]
    asked_centre: tuple[float, float]
    new_centre: tuple[float, float]
    old_spread: float
    asked_spread: float
    new_spread: float
    share: float | None  # progress of the centre along the asked move; None when the centre was not moved
    spread_share: float | None  # progress of the spread towards the asked spread; None when it was not changed

    @property
    def moved_centre(self) -> bool:
        return self.share is not None

    def words(self, class_name: str | None = None) -> str:
        """The follow-through in a sentence a participant reads, e.g. 'class 3 moved 72% of the way you asked'."""
        name = class_name if class_name is not None else f"class {self.class_id}"
        parts = []
        if self.share is not None:
            parts.append(f"{name} moved {_percent(self.share)} of the way you asked")
        if self.spread_share is not None:
            verb = "tightened" if self.asked_spread < self.old_spread else "spread out"
            lead = "its spread" if parts else f"{name}'s spread"
            parts.append(f"{lead} {verb} {_percent(self.spread_share)} of the way")
        return "; ".join(parts) if parts else f"{name} was not changed"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percent(share: float) -> str:
    return f"{round(100 * share):d}%"


def _stats(coords: np.ndarray, labels: np.ndarray, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    coords = np.asarray(coords, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    centres = np.full((num_classes, 2), np.nan)
    spreads = np.full(num_classes, np.nan)
    for c in np.unique(labels):
        pts = coords[labels == c]
        centres[c] = pts.mean(axis=0)
        spreads[c] = np.linalg.norm(pts - centres[c], axis=1).mean()
    return centres, spreads


def progress_along(before: np.ndarray, after: np.ndarray, goal: np.ndarray) -> float | None:
    """Share of the way from `before` to `goal` travelled by `after`, projected on that direction.

    >>> progress_along(np.array([0., 0.]), np.array([0.5, 3.]), np.array([1., 0.]))
    0.5
    """
    asked = np.asarray(goal, dtype=np.float64) - np.asarray(before, dtype=np.float64)
    length2 = float(asked @ asked)
    if length2 < MIN_ASK ** 2:
        return None
    return float((np.asarray(after, dtype=np.float64) - before) @ asked / length2)


def follow_through(before: np.ndarray, asked: np.ndarray, after: np.ndarray, labels: np.ndarray,
                   num_classes: int) -> list[ClassFollow]:
    """Per edited class: the display points' positions at the interaction point (`before`), after the
    participant's edits (`asked`) and after the round (`after`), all [N, 2] with `labels` [N].

    A class counts as edited when any of its points was moved; its share is None for an ask it did not make
    (e.g. a compaction that left the centre in place)."""
    before, asked, after = (np.asarray(a, dtype=np.float64) for a in (before, asked, after))
    labels = np.asarray(labels, dtype=np.int64)
    if not (before.shape == asked.shape == after.shape == (labels.shape[0], 2)):
        raise ValueError(f"need before, asked and after [N, 2] and labels [N]; got {before.shape}, {asked.shape}, "
                         f"{after.shape}, {labels.shape}")
    moved = np.any(np.abs(asked - before) > 0, axis=1)
    c0, s0 = _stats(before, labels, num_classes)
    c1, s1 = _stats(asked, labels, num_classes)
    c2, s2 = _stats(after, labels, num_classes)
    out = []
    for c in sorted(int(c) for c in np.unique(labels[moved])):
        spread_ask = s1[c] - s0[c]
        spread_share = float((s2[c] - s0[c]) / spread_ask) if abs(spread_ask) >= MIN_ASK else None
        out.append(ClassFollow(c, tuple(c0[c].tolist()), tuple(c1[c].tolist()), tuple(c2[c].tolist()),
                               float(s0[c]), float(s1[c]), float(s2[c]), progress_along(c0[c], c2[c], c1[c]),
                               spread_share))
    return out


def centre_drift(before: np.ndarray, after: np.ndarray, labels: np.ndarray, num_classes: int) -> float:
    """Mean distance a class centre moved between two views of the same points (no edit: how much was kept).

    >>> centre_drift(np.array([[0., 0.], [2., 0.]]), np.array([[0., 1.], [2., 0.]]), np.array([0, 1]), 2)
    0.5
    """
    c0, _ = _stats(before, labels, num_classes)
    c2, _ = _stats(after, labels, num_classes)
    present = ~np.isnan(c0[:, 0])
    return float(np.linalg.norm(c2[present] - c0[present], axis=1).mean())
