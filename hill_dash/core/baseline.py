"""Baselines: the same checkpoint trained on with alpha = 0 over several seeds, so that a HILL run is judged
against seed noise and not against one curve."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hill_dash.core.checkpoint import checkpoint_path
from hill_dash.core.config import RunConfig
from hill_dash.core.metrics import EpochMetrics
from hill_dash.core.runner import HillRunner
from hill_dash.core.scenarios.base import Scenario

DEFAULT_SEEDS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Band:
    """Per-epoch mean, min and max of one metric over seeds."""

    epochs: list[int]
    mean: list[float]
    min: list[float]
    max: list[float]

    @classmethod
    def of(cls, histories: Sequence[Sequence[EpochMetrics]], field: str = "val_accuracy") -> Band:
        """The band over histories that cover the same epochs (the shortest one decides which)."""
        if not histories:
            raise ValueError("a band needs at least one history")
        common = sorted(set.intersection(*({m.epoch for m in h} for h in histories)))
        values = np.array([[getattr(m, field) for m in h if m.epoch in common] for h in histories], dtype=float)
        return cls(common, values.mean(axis=0).tolist(), values.min(axis=0).tolist(), values.max(axis=0).tolist())

    def final(self) -> dict[str, float]:
        return {"epoch": self.epochs[-1], "mean": self.mean[-1], "min": self.min[-1], "max": self.max[-1]}

    def to_dict(self) -> dict[str, Any]:
        return {"epochs": self.epochs, "mean": self.mean, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class BaselineResult:
    checkpoint: str
    seeds: tuple[int, ...]
    histories: dict[int, list[EpochMetrics]]
    band: Band

    def to_dict(self, include_test: bool = True) -> dict[str, Any]:
        return {"checkpoint": self.checkpoint, "seeds": list(self.seeds), "band": self.band.to_dict(),
                "histories": {str(s): [m.to_dict(include_test) for m in h] for s, h in self.histories.items()}}


def pretrain(scenario: Scenario, config: RunConfig, run_dir: str | Path,
             on_epoch: Callable[[EpochMetrics], None] | None = None) -> Path:
    """Train a fresh run to the first interaction point (the shared pretrained checkpoint); returns its path."""
    runner = HillRunner.create(scenario, config, run_dir)
    first = min(runner.config.interaction_epochs, default=runner.config.end_epoch)
    while runner.epoch < first:
        runner.train(until_epoch=first, on_epoch=on_epoch)
    return checkpoint_path(runner.run_dir, runner.epoch)


def run_baseline(checkpoint: str | Path, out_dir: str | Path, seeds: Sequence[int] = DEFAULT_SEEDS,
                 scenario: Scenario | None = None,
                 on_epoch: Callable[[int, EpochMetrics], None] | None = None) -> BaselineResult:
    """Branch `checkpoint` into `out_dir/seed_<s>` for each seed, train with alpha = 0 to the run's end.

    `on_epoch(seed, metrics)` reports progress. The band covers the epochs after the checkpoint.
    """
    if not seeds:
        raise ValueError("give at least one seed for the baseline")
    histories: dict[int, list[EpochMetrics]] = {}
    start = None
    for seed in seeds:
        runner = HillRunner.resume(checkpoint, scenario=scenario, run_dir=Path(out_dir) / f"seed_{seed}")
        scenario = runner.scenario  # built once, shared by the other seeds
        start = runner.epoch
        runner.reseed(seed)
        runner.set_hyper(alpha=0.0, direction_weight=0.0)
        report = (lambda m, s=seed: on_epoch(s, m)) if on_epoch is not None else None
        histories[seed] = runner.train_to_end(on_epoch=report)
    if not any(histories.values()):
        raise ValueError(f"checkpoint {checkpoint} is already at the run's end (epoch {start}): nothing to train")
    return BaselineResult(str(checkpoint), tuple(seeds), histories, Band.of(list(histories.values())))
