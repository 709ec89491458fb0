"""A tiny synthetic scenario for the engine's tests: 3 Gaussian blobs in 6 dimensions and a 2-layer network.

Small enough that a whole run takes a fraction of a second on one core; dropout is in the model so that the
runner's random streams matter for the determinism and resume tests.
"""

from __future__ import annotations

import torch
from torch import nn

from hill_dash.core.scenarios.base import Scenario, Split, TrainDefaults


class TinyNet(nn.Module):
    def __init__(self, d_in: int = 6, d_latent: int = 8, num_classes: int = 3) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Linear(d_in, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, d_latent),
                                      nn.ReLU())
        self.head = nn.Linear(d_latent, num_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = self.features(x)
        return self.head(latent), latent


def _blobs(n: int, generator: torch.Generator, num_classes: int = 3, d_in: int = 6) -> Split:
    centres = torch.eye(num_classes, d_in) * 2.0
    y = torch.arange(n) % num_classes
    x = centres[y] + torch.randn(n, d_in, generator=generator)
    return Split(x, y)


def tiny_scenario(seed: int = 0, n_train: int = 120, interaction_epochs: tuple[int, ...] = (2, 3),
                  end_epoch: int = 4) -> Scenario:
    generator = torch.Generator().manual_seed(seed)
    train, val, test = (_blobs(n, generator) for n in (n_train, 60, 60))
    return Scenario(
        name="tiny", class_names=("a", "b", "c"), train=train, val=val, test=test,
        display_index=torch.arange(30), model_factory=TinyNet, source="synthetic Gaussian blobs (tests)",
        defaults=TrainDefaults(batch_size=32, lr=1e-2, pretrain_epochs=interaction_epochs[0],
                               interaction_epochs=interaction_epochs, end_epoch=end_epoch),
    )
