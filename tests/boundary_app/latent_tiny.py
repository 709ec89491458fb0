"""A tiny scenario for the latent editor's arrow tests, built by reference (`latent_tiny:build`): four classes
of Gaussian points in 5 dimensions and a small tanh network, so pretraining and a round take well under a second."""

from __future__ import annotations

import torch
from torch import nn

from hill_dash.core.scenarios.base import Scenario, ScenarioSpec, Split, TrainDefaults

REFERENCE = "latent_tiny:build"
CLASSES = ("north", "east", "south", "west")


class LatentTinyNet(nn.Module):
    """5 -> 12 -> latent 6 -> 4 classes; returns (logits, latent) as the runner expects."""

    def __init__(self) -> None:
        super().__init__()
        self.encode = nn.Sequential(nn.Linear(5, 12), nn.Tanh(), nn.Linear(12, 6), nn.Tanh())
        self.classify = nn.Linear(6, len(CLASSES))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = self.encode(x)
        return self.classify(latent), latent


def _split(size: int, generator: torch.Generator) -> Split:
    labels = torch.arange(size) % len(CLASSES)
    centres = 1.5 * torch.eye(len(CLASSES), 5)
    return Split(centres[labels] + torch.randn(size, 5, generator=generator), labels)


def build(spec: ScenarioSpec) -> Scenario:
    generator = torch.Generator().manual_seed(spec.seed)
    train, val, test = _split(160, generator), _split(48, generator), _split(48, generator)
    return Scenario(name=spec.name, class_names=CLASSES, train=train, val=val, test=test,
                    display_index=torch.arange(40), model_factory=LatentTinyNet,
                    source="seeded Gaussian points (tests)",
                    defaults=TrainDefaults(batch_size=32, lr=1e-2, pretrain_epochs=2, interaction_epochs=(2, 4),
                                           end_epoch=6))
