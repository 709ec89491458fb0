"""Small lab settings shared by the boundary tests (few points, so each training epoch takes milliseconds)."""

from __future__ import annotations

from hill_dash.boundary.datasets import DatasetSpec
from hill_dash.boundary.trainer import LabConfig


def small_config(name: str = "moons", seed: int = 0, **changes) -> LabConfig:
    return LabConfig(dataset=DatasetSpec(name=name, n_samples=120, seed=seed), seed=seed, **changes)
