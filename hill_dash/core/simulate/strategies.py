"""The strategies participants used in the HILL study, as code acting on a snapshot.

Each strategy takes the snapshot shown at an interaction point and the interaction's number (0 for the first) and
returns the positions after editing [N, 2] plus the edits that produced them, exactly as the editor would record
them. `strength` is the fraction of the way a move goes (0 = no move).

- compactness: pull every point towards its class centre ("cluster them near to the exact center").
- distance: push class centres away from the common centre ("get the airplane away from the bird").
- merge: pull the most confused pair of classes (confusion on the displayed points) towards each other.
- keep: leave well-arranged classes alone; pull only classes that overlap another or hold misclassified points.
- change: one strategy for the first interaction points, then its opposite (distance, then merge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hill_dash.core.metrics import confusion_matrix
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, move_edit

Strategy = Callable[[Snapshot, int], tuple[np.ndarray, list[Edit]]]
STRATEGIES = ("compactness", "distance", "merge", "keep", "change")


def _actor(name: str) -> str:
    return f"simulated:{name}"


def _pull_classes(snapshot: Snapshot, classes: list[int], strength: float, name: str
                  ) -> tuple[np.ndarray, list[Edit]]:
    final, edits = snapshot.coords.copy(), []
    for c in classes:
        rows = np.flatnonzero(snapshot.labels == c)
        if rows.size == 0:
            continue
        centre = snapshot.class_centres[c]
        new = centre + (1.0 - strength) * (final[rows] - centre)
        edits.append(move_edit("collapse", final, rows, new, class_id=c, actor=_actor(name)))
        final[rows] = new
    return final, edits


def _shift_classes(snapshot: Snapshot, shifts: dict[int, np.ndarray], name: str) -> tuple[np.ndarray, list[Edit]]:
    final, edits = snapshot.coords.copy(), []
    for c, delta in shifts.items():
        rows = np.flatnonzero(snapshot.labels == c)
        new = final[rows] + delta.astype(np.float32)
        edits.append(move_edit("class", final, rows, new, class_id=c, actor=_actor(name)))
        final[rows] = new
    return final, edits


def _present(snapshot: Snapshot) -> list[int]:
    return sorted(int(c) for c in np.unique(snapshot.labels))


def compactness(snapshot: Snapshot, step: int = 0, strength: float = 0.5) -> tuple[np.ndarray, list[Edit]]:
    """Every class's points move `strength` of the way to their class centre."""
    return _pull_classes(snapshot, _present(snapshot), strength, "compactness")


def distance(snapshot: Snapshot, step: int = 0, strength: float = 0.5) -> tuple[np.ndarray, list[Edit]]:
    """Every class moves as a whole so its centre ends (1 + strength) times as far from the common centre."""
    classes = _present(snapshot)
    middle = snapshot.class_centres[classes].mean(axis=0)
    shifts = {c: strength * (snapshot.class_centres[c] - middle) for c in classes}
    return _shift_classes(snapshot, shifts, "distance")


def most_confused_pair(snapshot: Snapshot) -> tuple[int, int]:
    """The pair of classes most often mistaken for each other on the displayed points; ties (no confusion
    at all, say) go to the pair with the closest centres."""
    classes = _present(snapshot)
    if len(classes) < 2:
        raise ValueError("merging needs at least two classes in the display subset")
    confusion = confusion_matrix(snapshot.labels, snapshot.predictions, snapshot.num_classes)
    centres = snapshot.class_centres

    def rank(pair: tuple[int, int]) -> tuple[int, float]:
        i, j = pair
        return int(confusion[i, j] + confusion[j, i]), -float(np.linalg.norm(centres[i] - centres[j]))

    return max(((i, j) for a, i in enumerate(classes) for j in classes[a + 1:]), key=rank)


def merge(snapshot: Snapshot, step: int = 0, strength: float = 0.5) -> tuple[np.ndarray, list[Edit]]:
    """The most confused pair of classes moves `strength` of the way towards their common midpoint."""
    i, j = most_confused_pair(snapshot)
    middle = (snapshot.class_centres[i] + snapshot.class_centres[j]) / 2
    shifts = {c: strength * (middle - snapshot.class_centres[c]) for c in (i, j)}
    return _shift_classes(snapshot, shifts, "merge")


def classes_needing_work(snapshot: Snapshot, tolerance: float = 0.1) -> list[int]:
    """Classes that overlap another (s_c + s_j > centre gap) or have more than `tolerance` misclassified points."""
    classes = _present(snapshot)
    centres, spreads = snapshot.class_centres, snapshot.class_spreads
    out = []
    for c in classes:
        others = [j for j in classes if j != c]
        overlap = any(spreads[c] + spreads[j] > np.linalg.norm(centres[c] - centres[j]) for j in others)
        wrong = snapshot.misclassified[snapshot.labels == c].mean()
        if overlap or wrong > tolerance:
            out.append(c)
    return out


def keep(snapshot: Snapshot, step: int = 0, strength: float = 0.5) -> tuple[np.ndarray, list[Edit]]:
    """Leave dense, well-separated classes alone; make the others compact."""
    return _pull_classes(snapshot, classes_needing_work(snapshot), strength, "keep")


@dataclass(frozen=True)
class ChangeStrategy:
    """Use `first` for the first `switch_at` interaction points, then `then` (by default its opposite)."""

    first: str = "distance"
    then: str = "merge"
    switch_at: int = 2
    strength: float = 0.5

    def __call__(self, snapshot: Snapshot, step: int = 0) -> tuple[np.ndarray, list[Edit]]:
        name = self.first if step < self.switch_at else self.then
        final, edits = make_strategy(name, self.strength)(snapshot, step)
        return final, [Edit.from_dict({**e.to_dict(), "actor": _actor(f"change:{name}")}) for e in edits]


def make_strategy(name: str, strength: float = 0.5) -> Strategy:
    """The strategy called `name` (one of STRATEGIES) with the given strength."""
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength={strength} is outside [0, 1]: it is the fraction of the way points move")
    simple = {"compactness": compactness, "distance": distance, "merge": merge, "keep": keep}
    if name in simple:
        return lambda snapshot, step=0: simple[name](snapshot, step, strength)
    if name == "change":
        return ChangeStrategy(strength=strength)
    raise ValueError(f"unknown strategy {name!r}: use one of {', '.join(STRATEGIES)}")
