"""Run a whole simulated participant: from a (pretrained) checkpoint, apply a strategy at every interaction point
and train to the end, exactly as the editor would drive the runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hill_dash.core.metrics import EpochMetrics
from hill_dash.core.runner import HillRunner
from hill_dash.core.scenarios.base import Scenario
from hill_dash.core.simulate.strategies import Strategy, make_strategy


@dataclass(frozen=True)
class SimulationResult:
    strategy: str
    seed: int
    run_dir: str
    history: list[EpochMetrics]  # the epochs trained after the checkpoint
    edits_per_point: dict[int, int] = field(default_factory=dict)  # interaction epoch -> number of edits

    @property
    def final_val_accuracy(self) -> float:
        return self.history[-1].val_accuracy

    def to_dict(self, include_test: bool = True) -> dict[str, Any]:
        return {"strategy": self.strategy, "seed": self.seed, "run_dir": self.run_dir,
                "final_val_accuracy": self.final_val_accuracy, "edits_per_point": self.edits_per_point,
                "history": [m.to_dict(include_test) for m in self.history]}


def simulate_participant(checkpoint: str | Path, strategy: str | Strategy, out_dir: str | Path,
                         seed: int | None = None, scenario: Scenario | None = None, strength: float = 0.5,
                         on_epoch: Callable[[EpochMetrics], None] | None = None) -> SimulationResult:
    """Branch `checkpoint` into `out_dir` and play `strategy` at each interaction point until the run's end.

    With `seed` the shuffling and dropout streams restart from it (so results can be compared with a baseline
    of the same seed); otherwise the checkpoint's streams continue.
    """
    name = strategy if isinstance(strategy, str) else getattr(strategy, "__name__", type(strategy).__name__)
    play = make_strategy(strategy, strength) if isinstance(strategy, str) else strategy
    runner = HillRunner.resume(checkpoint, scenario=scenario, run_dir=out_dir)
    if seed is not None:
        runner.reseed(seed)
    history: list[EpochMetrics] = []
    edits_per_point: dict[int, int] = {}
    step = 0
    while runner.next_stop() is not None:
        if runner.at_interaction_point:
            final, edits = play(runner.snapshot(), step)
            runner.set_targets_from_edits(final, edits)
            edits_per_point[runner.epoch] = len(edits)
            step += 1
        history += runner.train(on_epoch=on_epoch)
    if not history:
        raise ValueError(f"checkpoint {checkpoint} is already at the run's end: nothing to simulate")
    return SimulationResult(name, runner.config.seed, str(runner.run_dir), history, edits_per_point)
