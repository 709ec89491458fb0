"""The boundary lab's classifier: a small MLP from a 2D point to one logit (positive = class 1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU}


@dataclass(frozen=True)
class ModelSpec:
    """The classifier's shape; saved with a lab so a restored lab rebuilds the same architecture."""

    hidden: int = 32
    activation: str = "tanh"

    def __post_init__(self) -> None:
        if self.hidden < 1:
            raise ValueError(f"hidden={self.hidden}: the hidden layers need at least one unit")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}: choose one of {', '.join(ACTIVATIONS)}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class BoundaryMLP(nn.Module):
    """2 -> hidden -> hidden -> 1. A smooth activation (tanh by default) keeps the input gradient that the
    direction loss constrains smooth in the point as well."""

    def __init__(self, spec: ModelSpec) -> None:
        super().__init__()
        act = ACTIVATIONS[spec.activation]
        self.net = nn.Sequential(
            nn.Linear(2, spec.hidden), act(), nn.Linear(spec.hidden, spec.hidden), act(), nn.Linear(spec.hidden, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits `[B]` for points `[B, 2]`."""
        return self.net(x).squeeze(-1)


def make_model(spec: ModelSpec, seed: int) -> BoundaryMLP:
    """A freshly initialised classifier; the same seed gives the same weights, and the global RNG is left as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return BoundaryMLP(spec)
