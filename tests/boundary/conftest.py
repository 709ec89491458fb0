"""Small labs for the boundary tests: few points, few epochs, so the whole folder runs in seconds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from boundary_labs import small_config

from hill_dash.boundary.trainer import BoundaryLab


@pytest.fixture
def make_lab() -> Callable[..., BoundaryLab]:
    """A fresh small lab, optionally pretrained for `epochs` epochs of plain BCE."""

    def build(name: str = "moons", seed: int = 0, epochs: int = 0, **changes) -> BoundaryLab:
        lab = BoundaryLab(small_config(name, seed, **changes))
        lab.train(epochs)
        return lab

    return build
