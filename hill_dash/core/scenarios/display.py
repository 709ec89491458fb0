"""The display subset: which validation points the editor shows.

Plugin authors build their `Scenario.display_index` with `balanced_subset(val.y, spec.display_size or DEFAULT,
spec.seed)` so that their editor view behaves like the built-in ones.
"""

from __future__ import annotations

import numpy as np
import torch

from hill_dash.core.scenarios.base import ScenarioError, ScenarioSpec


def balanced_subset(labels: torch.Tensor, size: int, seed: int) -> torch.Tensor:
    """Indices of a class-balanced, seeded subset of `labels`, sorted ascending.

    Classes take turns giving one random point each (the order of classes within a turn is seeded too), so class
    counts differ by at most one until a small class runs out; the rest of the quota then goes to the other classes.
    A `size` at least `len(labels)` returns every index. The same labels, size and seed give the same indices.
    """
    if size <= 0:
        raise ScenarioError(f"display size must be positive, got {size}")
    y = labels.detach().cpu().numpy().astype(np.int64)
    n = y.shape[0]
    if size >= n:
        return torch.arange(n, dtype=torch.long)
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    class_order = rng.permutation(len(classes))
    turn = np.empty(n, dtype=np.int64)  # how many points of its own class come before a point
    slot = np.empty(n, dtype=np.int64)  # the class's place within a turn
    for position, c in zip(class_order, classes):
        members = np.flatnonzero(y == c)
        shuffled = rng.permutation(members)
        turn[shuffled] = np.arange(len(shuffled))
        slot[shuffled] = position
    chosen = np.lexsort((slot, turn))[:size]
    return torch.as_tensor(np.sort(chosen), dtype=torch.long)


def display_index_for(spec: ScenarioSpec, val_labels: torch.Tensor, default_size: int) -> torch.Tensor:
    """The display subset a spec asks for: `spec.display_size` points (the scenario's default when None)."""
    size = default_size if spec.display_size is None else spec.display_size
    return balanced_subset(val_labels, size, spec.seed)
