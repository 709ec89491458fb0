"""What a scenario is: data splits, a model factory and class names.

A scenario is the unit a study is built from. Built-in ones live beside this module; users add their own with a
`module:function` reference or the `hill_dash.scenarios` entry-point group (see `registry`).

Model contract: `model(x) -> (logits, latent)`, logits `[B, C]`, latent `[B, D]` (the layer the editor shows: after
the feature extractor, before the classifier head).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn


class ScenarioError(ValueError):
    """A scenario (built-in or plugin) could not be built or breaks the contract; the message says how to fix it."""


@dataclass(frozen=True)
class Split:
    """One split held in memory: inputs `x` (float tensor, first axis = samples) and integer labels `y`."""

    x: torch.Tensor
    y: torch.Tensor

    def __post_init__(self) -> None:
        if self.x.shape[0] != self.y.shape[0]:
            raise ScenarioError(f"split has {self.x.shape[0]} inputs but {self.y.shape[0]} labels")
        if self.y.dtype != torch.long:
            object.__setattr__(self, "y", self.y.long())

    def __len__(self) -> int:
        return int(self.y.shape[0])


@dataclass(frozen=True)
class TrainDefaults:
    """Training settings a scenario suggests; a run's config may override each."""

    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.0
    pretrain_epochs: int = 25
    interaction_epochs: tuple[int, ...] = (25, 30, 35, 40)
    end_epoch: int = 45


@dataclass(frozen=True)
class ScenarioSpec:
    """What the caller asks for when building a scenario."""

    name: str
    data_dir: str | None = None
    display_size: int | None = None  # None: the scenario's default; larger than validation: all of validation
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    class_names: tuple[str, ...]
    train: Split
    val: Split
    test: Split
    display_index: torch.Tensor  # indices into `val` of the points the editor shows (class-balanced, seeded)
    model_factory: Callable[[], nn.Module]
    source: str  # where the data came from, in words a researcher can check
    defaults: TrainDefaults = TrainDefaults()
    description: str = ""

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.train.x.shape[1:])

    @property
    def display(self) -> Split:
        return Split(self.val.x[self.display_index], self.val.y[self.display_index])


@dataclass(frozen=True)
class ScenarioInfo:
    """What `hill-dash scenarios` lists about a scenario without building it."""

    name: str
    description: str
    source: str  # where the data comes from, in words
    needs_files: bool | None  # True: the user must place files under data_dir; None: not known (plugins)
    can_download: bool  # True: `options={"download": True}` fetches the files
    default_display_size: int | None
    origin: str = "built-in"  # "built-in" or "entry point <module:function>"
    options: dict[str, str] = field(default_factory=dict)  # option name -> what it does


def check_options(spec: ScenarioSpec, allowed: dict[str, str]) -> None:
    """Refuse options a scenario does not know, listing the ones it does (a typo must not pass silently)."""
    unknown = sorted(set(spec.options) - set(allowed))
    if unknown:
        known = ", ".join(f"{k} ({v})" for k, v in allowed.items()) or "none"
        raise ScenarioError(f"scenario {spec.name!r} does not know option(s) {', '.join(unknown)}; known: {known}")
