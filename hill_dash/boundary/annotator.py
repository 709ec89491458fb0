"""A scripted annotator for experiments and demos: it draws arrows the way a careful person would.

Each round it picks the `k` training points the model handles worst that carry no arrow yet -- misclassified points
first (most wrong first), then correctly classified ones closest to the boundary -- and on each draws an arrow
from the point toward the other class's region, i.e. the way its true-class score should fall:

- `"normal"`: against the gradient of the data generator's true class score (the true boundary's normal; every
  built-in data set knows it, see `BoundaryData.true_normal`);
- `"nearest"`: toward the nearest training point of the other class that the model classifies correctly (what a
  person sees on the screen without knowing the generator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hill_dash.boundary.trainer import Arrow, BoundaryLab, BoundaryLabError

STRATEGIES = ("normal", "nearest")


@dataclass(frozen=True)
class ScriptedAnnotator:
    """Draws `k` arrows per round with the given direction `strategy`; `name` is stored on every arrow."""

    k: int = 5
    strategy: str = "normal"
    name: str = "scripted"

    def __post_init__(self) -> None:
        if self.k < 1:
            raise BoundaryLabError(f"k={self.k}: the annotator must draw at least one arrow per round")
        if self.strategy not in STRATEGIES:
            raise BoundaryLabError(f"unknown strategy {self.strategy!r}: choose one of {', '.join(STRATEGIES)}")

    def choose_points(self, lab: BoundaryLab) -> np.ndarray:
        """Indices of the next points to annotate: unannotated, lowest signed margin (2y - 1) * logit first."""
        points, labels = lab.split("train")
        margin = (2 * labels - 1) * lab.logits(points)
        taken = {a.point_index for a in lab.annotations}
        order = [int(i) for i in np.argsort(margin, kind="stable") if int(i) not in taken]
        return np.asarray(order[: self.k], dtype=np.int64)

    def directions(self, lab: BoundaryLab, indices: np.ndarray) -> np.ndarray:
        """Unit arrows `[len(indices), 2]` for the given training points (rows of zeros where none can be drawn)."""
        points, labels = lab.split("train")
        chosen, chosen_labels = points[indices], labels[indices]
        if self.strategy == "normal":
            # true_normal points toward class 1, so class-1 points follow it and class-0 points go against it
            sign = np.where(chosen_labels == 1, -1.0, 1.0)[:, None]
            return sign * lab.data.true_normal(chosen)
        correct = (lab.logits(points) > 0).astype(np.int64) == labels
        arrows = np.zeros_like(chosen, dtype=np.float64)
        for row, (point, label) in enumerate(zip(chosen, chosen_labels)):
            candidates = points[correct & (labels != label)]
            if len(candidates) == 0:
                continue
            target = candidates[((candidates - point) ** 2).sum(axis=1).argmin()]
            step = (target - point).astype(np.float64)
            length = np.linalg.norm(step)
            if length > 0:
                arrows[row] = step / length
        return arrows

    def annotate(self, lab: BoundaryLab, created_at: str | None = None) -> list[Arrow]:
        """Draw one round of arrows on the lab and return them (points with no drawable direction are skipped)."""
        indices = self.choose_points(lab)
        drawn = []
        for index, direction in zip(indices, self.directions(lab, indices)):
            if np.linalg.norm(direction) > 0:
                drawn.append(lab.add_arrow(int(index), (float(direction[0]), float(direction[1])),
                                           annotator=self.name, created_at=created_at))
        return drawn
